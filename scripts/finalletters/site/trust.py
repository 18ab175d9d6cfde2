"""How far to trust a theme tag: where each tag on a letter's page comes from, and, on /about/,
the tool's precision and recall per theme against the letters whose themes a person reviewed.

A tag's origin is provenance.py's: proposed by the tool and confirmed, added by a person,
removed by a person, not yet reviewed, or (letters recorded before proposals were kept) set by
a person, in which case the page says whether the tool finds the theme in the letter's text
today. The figures on /about/ are made at build time from the repository's letters with
provenance.agreement: for each reviewed letter, the themes the tool proposes from its text
(the analyser's themes of letter.md, what `letters evaluate` measures from the PDF) against
the themes a person kept. /about/ asks for them with `<!--fl:insert tag-precision-->`
(pages.FRAGMENTS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import provenance
from ..catalogue import Letter
from ..provenance import Agreement, Origin
from . import render, urls
from .context import Site
from .plumbing import links


@dataclass(frozen=True, slots=True)
class Tag:
    label: str
    url: str
    origin: str  # "Proposed by the tool, confirmed by a person"


def tags(letter: Letter) -> tuple[tuple[Tag, ...], tuple[Tag, ...]]:
    """The letter's tags, each with its origin, and the proposed tags a person removed."""
    found = {score.id for score in letter.theme_scores}
    kept: list[Tag] = []
    removed: list[Tag] = []
    for theme_id, origin in provenance.origins(letter.meta).items():
        words = provenance.ORIGIN_LABELS[origin]
        if origin is Origin.SET_BY_A_PERSON:
            words = "Set by a person; the tool " + (
                "finds it in the text too" if theme_id in found else "does not find it in the text"
            )
        theme = letter.reference.themes[theme_id]
        tag = Tag(theme.label, urls.theme(theme_id), words)
        (removed if origin is Origin.REMOVED else kept).append(tag)
    return tuple(kept), tuple(removed)


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    url: str
    both: int  # proposed and kept
    proposed: int
    kept: int
    precision: str  # "80%", or "–" when the tool proposed it for no letter
    recall: str


@dataclass(frozen=True, slots=True)
class TrustView:
    template: ClassVar[str] = "_trust.html"

    letters: int  # reviewed letters the figures rest on
    samples: int  # of those, sample letters
    rows: tuple[Row, ...]
    overall: Row


def measured(site: Site) -> tuple[list[Letter], list[Agreement]]:
    """(the reviewed letters, agreement per theme in the taxonomy's order), made once."""

    def make() -> tuple[list[Letter], list[Agreement]]:
        reviewed = [x for x in site.letters if provenance.reviewed(x.meta)]
        pairs = [([s.id for s in x.theme_scores], x.meta.themes) for x in reviewed]
        return reviewed, provenance.agreement(pairs, list(site.reference.themes))

    return site.once("trust.measured", make)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def _row(label: str, url: str, a: Agreement) -> Row:
    return Row(
        label=label,
        url=url,
        both=a.both,
        proposed=a.both + a.proposed_only,
        kept=a.both + a.reviewed_only,
        precision=_percent(a.precision),
        recall=_percent(a.recall),
    )


def view(site: Site) -> TrustView:
    letters, rows = measured(site)
    themes = site.reference.themes
    return TrustView(
        letters=len(letters),
        samples=sum(1 for x in letters if x.meta.sample),
        rows=tuple(_row(themes[a.theme].label, urls.theme(a.theme), a) for a in rows),
        overall=_row("All themes", "", provenance.micro(rows)),
    )


def fragment(site: Site) -> str:
    """The figures as HTML, for /about/."""
    return render.template(TrustView.template, v=view(site), u=links(urls.ABOUT))
