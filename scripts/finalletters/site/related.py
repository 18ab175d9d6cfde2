"""Related letters: for each letter, up to five letters from other councils that share its
themes and recommendations, with what they share.

Computed at build time over compact fields (themes, the themes of recommendations, and the CQC
quality statements those themes link to), never over the letters' text: the whole build of
2,000 letters must take under 30 s. The similarity is a weighted Jaccard: each shared feature
counts by how rare it is (IDF), a shared recommendation theme counts more than a shared theme,
and a shared CQC quality statement less. Candidates come from an inverted index, rarest
feature first, and at most POOL are scored per letter, so the work grows linearly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..catalogue import Catalogue, Letter

LIMIT = 5  # related letters shown per letter
POOL = 150  # candidates scored per letter
WEIGHTS = {"recommendation": 1.5, "theme": 1.0, "cqc": 0.5}

Feature = tuple[str, str]  # (kind, id): ("theme", "carers"), ("cqc", "safeguarding")
Related = dict[str, list[tuple["Letter", list[str]]]]


def features(letter: Letter) -> frozenset[Feature]:
    """What a letter is about, as far as relatedness goes."""
    known = letter.reference.themes
    themes = {t for t in letter.meta.themes if t in known}
    recommended = {t for r in letter.meta.recommendations for t in r.themes if t in known}
    statements = {s for t in themes | recommended for s in known[t].cqc}
    return frozenset(
        [("theme", t) for t in themes]
        + [("recommendation", t) for t in recommended]
        + [("cqc", s) for s in statements]
    )


def weights(sets: list[frozenset[Feature]]) -> dict[Feature, float]:
    """Each feature's weight: its kind's weight times its inverse document frequency."""
    counts: dict[Feature, int] = defaultdict(int)
    for found in sets:
        for feature in found:
            counts[feature] += 1
    total = len(sets)
    return {f: WEIGHTS[f[0]] * math.log(1 + total / n) for f, n in counts.items()}


def related_letters(catalogue: Catalogue, limit: int = LIMIT, pool: int = POOL) -> Related:
    """Letter id → up to `limit` (related letter, labels of the themes they share), most
    related first; ties go to the newer letter, then to the smaller id. Letters relate only to
    letters of other councils, and sample letters only to sample letters."""
    letters = sorted(catalogue.letters, key=_newest_first)
    sets = [features(letter) for letter in letters]
    weight = weights(sets)
    # Features as bits, in a fixed order, so that sums are added up the same way every build.
    order = sorted(weight)
    bits = {feature: 1 << n for n, feature in enumerate(order)}
    masks = [sum(bits[f] for f in found) for found in sets]
    total = _Totals([weight[f] for f in order])
    postings: dict[Feature, list[int]] = defaultdict(list)
    for n, found in enumerate(sets):
        for feature in sorted(found):
            if feature[0] != "cqc":  # a letter is related by a theme, never by a CQC link alone
                postings[feature].append(n)
    labels = {t.id: t.label for t in catalogue.reference.themes.values()}
    related: Related = {}
    for n, letter in enumerate(letters):
        mine, own = masks[n], total[masks[n]]
        scored = []
        for m in _candidates(n, letters, sets[n], postings, weight, pool):
            common = total[mine & masks[m]]
            scored.append((-round(common / (own + total[masks[m]] - common), 9), m))
        scored.sort()
        related[letter.id] = [
            (letters[m], _shared_labels(sets[n] & sets[m], weight, labels))
            for _, m in scored[:limit]
        ]
    return related


class _Totals(dict):
    """The summed weight of the features a bit mask holds, each mask summed once."""

    def __init__(self, weights: list[float]) -> None:
        super().__init__()
        self.weights = weights

    def __missing__(self, mask: int) -> float:
        value, rest = 0.0, mask
        while rest:  # lowest bit first: always the same order of addition
            low = rest & -rest
            value += self.weights[low.bit_length() - 1]
            rest ^= low
        self[mask] = value
        return value


def _newest_first(letter: Letter) -> tuple[int, str]:
    return (-letter.date.toordinal(), letter.id)


def _candidates(
    n: int,
    letters: list[Letter],
    found: frozenset[Feature],
    postings: dict[Feature, list[int]],
    weight: dict[Feature, float],
    pool: int,
) -> list[int]:
    """Up to `pool` letters sharing a theme with letter n: those sharing its rarest themes
    first, newest first within a theme."""
    letter = letters[n]
    chosen: dict[int, None] = {}
    links = sorted((f for f in found if f[0] != "cqc"), key=lambda f: (-weight[f], f))
    for feature in links:
        for m in postings[feature]:
            other = letters[m]
            if (
                m in chosen
                or other.authority.slug == letter.authority.slug
                or other.meta.sample != letter.meta.sample
            ):
                continue
            chosen[m] = None
            if len(chosen) >= pool:
                return list(chosen)
    return list(chosen)


def _shared_labels(
    shared: frozenset[Feature], weight: dict[Feature, float], labels: dict[str, str]
) -> list[str]:
    """The labels of the themes two letters share, the weightiest first."""
    by_theme: dict[str, float] = defaultdict(float)
    for feature in shared:
        if feature[0] != "cqc":
            by_theme[feature[1]] += weight[feature]
    ordered = sorted(by_theme.items(), key=lambda item: (-item[1], labels[item[0]]))
    return [labels[theme] for theme, _ in ordered]
