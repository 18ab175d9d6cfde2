"""The letter finder at /find/: a page that searches inside every letter, and its listing.

The page is static HTML (templates/finder.html); docs/javascripts/finder.js drives it with
Pagefind's JavaScript API, which fetches only the parts of the index a query needs. The index
itself is made after the build by finder_index.py.

Filtering without words does not use Pagefind: a search without words makes Pagefind fetch
every chunk of its index (about 10 MB at 2,000 letters), so the page filters a small listing
of every letter's filter values instead (`listing`, /find/letters.json, about 160 bytes a
letter), and loads Pagefind only when the reader types words.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from ..catalogue import Catalogue
from . import urls
from .context import Site
from .plumbing import Generated, PageInfo, generate

KIND = "finder"  # main.html writes the mark for the index's loader on pages of this kind
LISTING = "find/letters.json"  # every letter's filter values, for filtering without words


@dataclass(frozen=True, slots=True)
class Group:
    """One filter: the key the letter pages give `data-pagefind-filter`, and its legend."""

    key: str
    legend: str
    open: bool = False  # shown expanded before anything is chosen
    order: str = "name"  # how its values are listed: "name" (A to Z) or "newest" (years)


GROUPS: tuple[Group, ...] = (
    Group("council", "Council", open=True),
    Group("year", "Year", open=True, order="newest"),
    Group("theme", "Theme", open=True),
    Group("says", "What the letter says"),
    Group("cqc", "CQC quality statement"),
    Group("wm", "West Midlands self-assessment domain"),
    Group("role", "Review team included"),
    Group("kind", "Sample or published"),
)
SORTS: tuple[tuple[str, str], ...] = (
    ("", "Relevance"),
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
)


@dataclass(frozen=True, slots=True)
class FinderView:
    template: ClassVar[str] = "finder.html"

    letters: int
    # each filter's values and how many letters have each: written into the page, so that
    # the filters have their full height from the first paint (finder.js updates the counts)
    options: dict[str, tuple[tuple[str, int], ...]]
    groups: tuple[Group, ...] = GROUPS
    sorts: tuple[tuple[str, str], ...] = SORTS
    listing: str = LISTING


def options(catalogue: Catalogue) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each filter's values, in the order finder.js lists them, with their letters."""
    found: dict[str, Counter[str]] = {group.key: Counter() for group in GROUPS}
    for letter in catalogue.letters:
        for key, values in letter.filter_values.items():
            found[key].update(values)
    out = {}
    for group in GROUPS:
        counts = found[group.key]
        if group.order == "newest":
            ordered = sorted(counts, reverse=True)
        else:
            ordered = sorted(counts, key=lambda value: (value.casefold(), value))
        out[group.key] = tuple((value, counts[value]) for value in ordered)
    return out


def pages(site: Site) -> Iterator[Generated]:
    title = "Find letters"
    info = PageInfo(
        title,
        site.newest,
        "Search inside every Final Letter, with filters by council, year, theme, CQC quality "
        "statement and review team.",
        kind=KIND,
        hide=("navigation", "toc"),
    )
    yield generate(urls.FIND, FinderView(len(site.letters), options(site.catalogue)), info)


def files(site: Site) -> dict[str, str | bytes]:
    return {LISTING: listing(site.catalogue)}


def listing(catalogue: Catalogue) -> str:
    """Every letter, newest first, with its filter values, as compact JSON:

    {"keys": ["council", "year", ...], "values": {"council": ["Dudley", "Walsall"], ...},
     "letters": [["letters/walsall/2023-06/", "Peer challenge: …", "2023-07-20", 3,
                  [[1], [0], [2, 5], ...]], ...]}

    A letter's third item is its date, or its month when that is all it is known by
    (`Letter.dated`); its fourth its number of recommendations; its last holds, for each key in
    turn, indexes into that key's values."""
    letters = sorted(catalogue.letters, key=lambda x: (-x.date.toordinal(), x.id))
    keys = [group.key for group in GROUPS]
    values = {key: sorted({v for x in letters for v in x.filter_values[key]}) for key in keys}
    where = {key: {value: n for n, value in enumerate(vs)} for key, vs in values.items()}
    rows = [
        [
            letter.url,
            letter.title,
            letter.dated,
            len(letter.meta.recommendations),
            [[where[key][v] for v in letter.filter_values[key]] for key in keys],
        ]
        for letter in letters
    ]
    data = {"keys": keys, "values": values, "letters": rows}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
