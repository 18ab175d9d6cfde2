"""Feeds of the finder's filters: "Subscribe to these results" without an account.

The finder (/find/) lets a reader tick any number of values in each of its filters, so there
are far more combinations than letters (2^(councils + themes + years)); a feed for each cannot
be made. The scheme, chosen so that the build stays linear in the number of letters:

- a feed for each value of council, theme and year: `find/feeds/theme-carers.xml`;
- a feed for each pair of values from two of those filters, e.g. council and theme:
  `find/feeds/council-walsall.theme-carers.xml` ("carers in Walsall");
- only for combinations that hold at least one letter: the finder offers no other, since it
  lists only the values that would leave something to show.

A letter is in 3 single feeds at most (plus one per theme) and in 1 + 2 × (its themes) pair
feeds, so the feeds hold at most 3 + 3 × themes entries per letter, whatever the number of
letters. Triples (council, theme and year at once) are left out: a council's challenges in one
year are almost always one letter, whose own page a reader can watch, and they would add a feed
per letter and theme. Several values of one filter, and the other filters (CQC statement,
domain, team role, sample), have no feed; the finder says so instead of offering a link.

A feed lists exactly the letters the finder shows for its filters without words, newest first
(the finder's order), up to the newest `feeds.ENTRIES`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

from ..catalogue import Letter
from ..register import Reference
from . import feeds, urls
from .context import Site

FACETS = ("council", "theme", "year")  # the finder's filter keys that have feeds, in URL order
FOLDER = "find/feeds/"
LEGENDS = {"council": "Council", "theme": "Theme", "year": "Year"}  # as the finder says them


@dataclass(frozen=True, slots=True)
class Selection:
    """One or two of the finder's filters, one value each: council slug, theme id, year."""

    council: str | None = None
    theme: str | None = None
    year: int | None = None

    def parts(self) -> list[tuple[str, str]]:
        values = (self.council, self.theme, self.year)
        return [(key, str(v)) for key, v in zip(FACETS, values, strict=True) if v is not None]

    @property
    def path(self) -> str:
        """The feed's site path: find/feeds/council-walsall.theme-carers.xml."""
        return FOLDER + ".".join(f"{key}-{value}" for key, value in self.parts()) + ".xml"

    def finder_values(self, reference: Reference) -> dict[str, str]:
        """The finder's filter values for this selection, as its checkboxes say them."""
        out = {}
        if self.council:
            out["council"] = reference.authorities[self.council].short_name
        if self.theme:
            out["theme"] = reference.themes[self.theme].label
        if self.year is not None:
            out["year"] = str(self.year)
        return out

    def describe(self, reference: Reference) -> str:
        """In words: "Carers in Walsall, 2021"."""
        values = self.finder_values(reference)
        text = values.get("theme", "Letters")
        if "council" in values:
            text += f" in {values['council']}"
        if "year" in values:
            text += f", {values['year']}" if "council" in values else f" in {values['year']}"
        return text


def _of(letter: Letter) -> Iterator[Selection]:
    """Every selection a letter is found by: its council, each theme, its year, and pairs."""
    council, year = letter.authority.slug, letter.year
    singles = [("council", council), ("year", year), *(("theme", t) for t in letter.meta.themes)]
    for size in (1, 2):
        for chosen in combinations(singles, size):
            keys = [key for key, _ in chosen]
            if len(set(keys)) == len(keys):
                yield Selection(**dict(chosen))  # type: ignore[arg-type]


def selections(letters: Iterable[Letter]) -> dict[Selection, list[Letter]]:
    """Every selection with a feed, and its letters in the finder's order (newest first)."""
    found: dict[Selection, list[Letter]] = defaultdict(list)
    for letter in sorted(letters, key=lambda x: (-x.date.toordinal(), x.id)):
        for selection in _of(letter):
            found[selection].append(letter)
    return dict(sorted(found.items(), key=lambda item: item[0].path))


def ambiguous_labels(reference: Reference) -> list[str]:
    """Finder values that two councils or two themes share: the finder could not tell them
    apart, so neither could a feed. The register and the taxonomy must have none."""
    seen: dict[str, int] = defaultdict(int)
    for authority in reference.authorities.values():
        seen[f"council: {authority.short_name}"] += 1
    for theme in reference.themes.values():
        seen[f"theme: {theme.label}"] += 1
    return sorted(value for value, n in seen.items() if n > 1)


INDEX = FOLDER + "index.json"  # what finder-feeds.js needs to find a selection's feed


def pages(site: Site) -> tuple[()]:
    return ()


def files(site: Site) -> dict[str, str | bytes]:
    """Every filter feed, and the index the finder's "Subscribe" link reads."""
    reference = site.reference
    found = selections(site.letters)
    out: dict[str, str | bytes] = {}
    for selection, letters in found.items():
        chosen = selection.finder_values(reference)
        said = " and ".join(f"{LEGENDS[key]}: {value}" for key, value in chosen.items())
        out[selection.path] = feeds.feed(
            site,
            selection.path,
            urls.find(**chosen),
            f"Final Letters: {selection.describe(reference)}",
            f"New Final Letters that the letter finder shows for {said}.",
            letters,
        )
    index = {
        "council": {a.short_name: a.slug for a in reference.authorities.values()},
        "theme": {t.label: t.id for t in reference.themes.values()},
        "feeds": sorted(s.path.removeprefix(FOLDER).removesuffix(".xml") for s in found),
    }
    out[INDEX] = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return out
