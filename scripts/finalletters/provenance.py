"""Where each theme tag comes from, and how far to trust the tool's proposals.

`letters add` proposes themes and keeps its proposal in letter.yml (`proposed_themes`) beside
the list a person reviews (`themes`). A tag is then one of: proposed and confirmed, added by a
person, proposed and removed by a person, or proposed and not yet reviewed ('themes' still
under `inferred`). Letters recorded before proposals were kept say only that a person set
the list.

`agreement` counts, theme by theme, how often the tool's proposals match what people decided:
precision (of the letters the tool tagged, how many a person kept) and recall (of the letters
people tagged, how many the tool proposed). Pure functions of letter.yml's data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .model import LetterMeta


class Origin(StrEnum):
    CONFIRMED = "confirmed"
    ADDED = "added"
    REMOVED = "removed"
    UNREVIEWED = "unreviewed"
    SET_BY_A_PERSON = "set-by-a-person"


ORIGIN_LABELS: dict[Origin, str] = {
    Origin.CONFIRMED: "Proposed by the tool, confirmed by a person",
    Origin.ADDED: "Added by a person",
    Origin.REMOVED: "Proposed by the tool, removed by a person",
    Origin.UNREVIEWED: "Proposed by the tool, not yet reviewed",
    Origin.SET_BY_A_PERSON: "Set by a person (the tool's proposal was not kept)",
}


def reviewed(meta: LetterMeta) -> bool:
    """Whether a person has reviewed the letter's themes."""
    return "themes" not in meta.inferred


def origins(meta: LetterMeta) -> dict[str, Origin]:
    """Each theme of the letter (and each proposed theme a person removed) with its origin, the
    letter's own themes first in their order, then the removed ones."""
    if not reviewed(meta):
        return {theme: Origin.UNREVIEWED for theme in meta.themes}
    if meta.proposed_themes is None:
        return {theme: Origin.SET_BY_A_PERSON for theme in meta.themes}
    proposed = set(meta.proposed_themes)
    out = {t: Origin.CONFIRMED if t in proposed else Origin.ADDED for t in meta.themes}
    out.update({t: Origin.REMOVED for t in meta.proposed_themes if t not in out})
    return out


@dataclass(frozen=True, slots=True)
class Agreement:
    """One theme's proposals against people's decisions, over a set of reviewed letters."""

    theme: str
    both: int  # proposed and kept
    proposed_only: int  # proposed, not kept
    reviewed_only: int  # kept (or added), not proposed

    @property
    def precision(self) -> float | None:
        proposed = self.both + self.proposed_only
        return self.both / proposed if proposed else None

    @property
    def recall(self) -> float | None:
        kept = self.both + self.reviewed_only
        return self.both / kept if kept else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def agreement(
    pairs: Iterable[tuple[Sequence[str], Sequence[str]]], themes: Sequence[str]
) -> list[Agreement]:
    """Per theme, in the order given: `pairs` holds, for each reviewed letter, the tool's
    proposal and the list a person decided on."""
    both: Counter[str] = Counter()
    proposed_only: Counter[str] = Counter()
    reviewed_only: Counter[str] = Counter()
    for proposed, decided in pairs:
        p, d = set(proposed), set(decided)
        both.update(p & d)
        proposed_only.update(p - d)
        reviewed_only.update(d - p)
    return [Agreement(t, both[t], proposed_only[t], reviewed_only[t]) for t in themes]


def kept_proposals(metas: Iterable[LetterMeta]) -> list[tuple[list[str], list[str]]]:
    """(proposal, decision) for every reviewed letter that kept the tool's proposal."""
    return [
        (m.proposed_themes, m.themes)
        for m in metas
        if m.proposed_themes is not None and reviewed(m)
    ]


def micro(rows: Iterable[Agreement]) -> Agreement:
    """All themes counted together."""
    rows = list(rows)
    return Agreement(
        "all",
        sum(r.both for r in rows),
        sum(r.proposed_only for r in rows),
        sum(r.reviewed_only for r in rows),
    )
