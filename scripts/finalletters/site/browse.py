"""The pages that list letters: home, every letter, councils, a council, years and a year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from ..catalogue import Letter
from ..model import Authority, Theme
from . import council_memory, follow_up, render, urls
from .context import Site
from .plumbing import Generated, PageInfo, generate, toc

LATEST_SHOWN = 5  # letters on the home page
THEMES_SHOWN = 8  # the most common themes on the home page, in its first screen


@dataclass(frozen=True, slots=True)
class Row:
    """One letter as the index pages list it, built once per build."""

    id: str
    url: str
    title: str
    authority: str  # short name
    authority_url: str
    visit: str  # its days, else its month, else ""
    letter_date: dt.date | None
    letter_month: str  # "2023-06" when the letter gives only its month; else ""
    year: int
    recommendations: int
    sample: bool


@dataclass(frozen=True, slots=True)
class ThemeCount:
    theme: Theme
    count: int  # letters carrying the theme


@dataclass(frozen=True, slots=True)
class YearCount:
    year: int
    count: int  # letters


@dataclass(frozen=True, slots=True)
class CouncilCount:
    authority: Authority
    count: int  # letters
    latest: Row | None = None


@dataclass(frozen=True, slots=True)
class HomeView:
    template: ClassVar[str] = "home.html"

    letters: int
    councils: int
    recommendations: int
    common_themes: tuple[ThemeCount, ...]  # the first screen: the most common themes
    all_themes: int
    latest: tuple[Row, ...]
    wm: tuple[CouncilCount, ...]
    themes: tuple[ThemeCount, ...]
    years: tuple[YearCount, ...]


@dataclass(frozen=True, slots=True)
class LettersView:
    template: ClassVar[str] = "letters.html"

    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class AuthoritiesView:
    template: ClassVar[str] = "authorities.html"

    wm: tuple[CouncilCount, ...]
    others: tuple[CouncilCount, ...]
    without: int  # West Midlands councils with no letter yet


@dataclass(frozen=True, slots=True)
class AuthorityView:
    template: ClassVar[str] = "authority.html"

    authority: Authority
    rows: tuple[Row, ...]
    recommendations: int
    themes: tuple[ThemeCount, ...]
    feed: str
    find: str  # the finder on this council's letters
    cqc: council_memory.CqcView
    recurring: tuple[council_memory.RecurringView, ...]
    follow_up: follow_up.CouncilFollowUp


@dataclass(frozen=True, slots=True)
class YearsView:
    template: ClassVar[str] = "years.html"

    years: tuple[tuple[YearCount, tuple[str, ...]], ...]  # with the councils visited


@dataclass(frozen=True, slots=True)
class YearView:
    template: ClassVar[str] = "year.html"

    year: int
    rows: tuple[Row, ...]
    themes: tuple[ThemeCount, ...]


def rows(site: Site) -> dict[str, Row]:
    """Every letter as a row of the index pages, made once per build."""
    return site.once("browse.rows", lambda: {letter.id: _row(letter) for letter in site.letters})


def _row(letter: Letter) -> Row:
    return Row(
        id=letter.id,
        url=letter.url,
        title=letter.title,
        authority=letter.authority.short_name,
        authority_url=urls.authority(letter.authority.slug),
        visit=render.visit(letter.meta),
        letter_date=letter.meta.letter_date,
        letter_month=letter.meta.letter_month or "",
        year=letter.year,
        recommendations=len(letter.meta.recommendations),
        sample=letter.meta.sample,
    )


def theme_counts(site: Site, letters: Iterable[Letter]) -> tuple[ThemeCount, ...]:
    """Each theme the letters carry and how many carry it, most frequent first, then in the
    taxonomy's order."""
    counts = Counter(t for letter in letters for t in letter.meta.themes)
    ranked = sorted(counts, key=lambda t: (-counts[t], site.theme_order[t]))
    return tuple(ThemeCount(site.reference.themes[t], counts[t]) for t in ranked)


def pages(site: Site) -> Iterator[Generated]:
    found = rows(site)
    yield home(site, found)
    yield letters_index(site, found)
    yield authorities_index(site, found)
    for slug, letters in sorted(site.by_authority.items()):
        yield authority_page(site, slug, letters, found)
    yield years_index(site)
    for year, letters in sorted(site.by_year.items()):
        yield year_page(site, year, letters, found)


def files(site: Site) -> dict[str, str | bytes]:
    return {}


def home(site: Site, found: dict[str, Row]) -> Generated:
    themes = theme_counts(site, site.letters)
    view = HomeView(
        letters=len(site.letters),
        councils=len(site.by_authority),
        recommendations=sum(len(x.meta.recommendations) for x in site.letters),
        common_themes=themes[:THEMES_SHOWN],
        all_themes=len(site.themes),
        latest=tuple(found[x.id] for x in site.letters[:LATEST_SHOWN]),
        wm=tuple(
            CouncilCount(a, len(site.by_authority.get(a.slug, []))) for a in site.west_midlands()
        ),
        themes=themes,
        years=tuple(
            YearCount(y, len(letters)) for y, letters in sorted(site.by_year.items(), reverse=True)
        ),
    )
    title = "Final Letters"
    sections = [
        ("common-themes", "The most common themes"),
        ("latest-letters", "Latest letters"),
        ("browse", "Browse the letters"),
        ("what-this-is", "What this is"),
        ("open-data", "Open data and feeds"),
    ]
    return generate(urls.HOME, view, PageInfo(title, site.newest, toc=toc(title, *sections)))


def letters_index(site: Site, found: dict[str, Row]) -> Generated:
    title = "All letters"
    view = LettersView(tuple(found[x.id] for x in site.letters))
    description = "Every Final Letter published on this site, newest first."
    return generate(urls.LETTERS, view, PageInfo(title, site.newest, description, toc=toc(title)))


def authorities_index(site: Site, found: dict[str, Row]) -> Generated:
    title = "Councils"
    wm = site.west_midlands()
    wm_slugs = {a.slug for a in wm}

    def entry(authority: Authority) -> CouncilCount:
        letters = site.by_authority.get(authority.slug, [])
        return CouncilCount(authority, len(letters), found[letters[0].id] if letters else None)

    others = [site.authority(slug) for slug in sorted(site.by_authority) if slug not in wm_slugs]
    view = AuthoritiesView(
        wm=tuple(entry(a) for a in wm),
        others=tuple(entry(a) for a in sorted(others, key=lambda a: a.short_name)),
        without=sum(1 for a in wm if a.slug not in site.by_authority),
    )
    sections = [("west-midlands", "West Midlands councils")]
    if others:
        sections.append(("other-councils", "Other councils"))
    description = "Final Letters by council: the 14 West Midlands councils and any others."
    info = PageInfo(title, site.newest, description, toc=toc(title, *sections))
    return generate(urls.AUTHORITIES, view, info)


def authority_page(
    site: Site, slug: str, letters: list[Letter], found: dict[str, Row]
) -> Generated:
    authority = site.authority(slug)
    view = AuthorityView(
        authority=authority,
        rows=tuple(found[x.id] for x in letters),
        recommendations=sum(len(x.meta.recommendations) for x in letters),
        themes=theme_counts(site, letters),
        feed=urls.authority_feed(slug),
        find=urls.find(council=authority.short_name),
        cqc=council_memory.cqc_view(site, slug, letters),
        recurring=council_memory.recurring(site).get(slug, ()),
        follow_up=follow_up.council_follow_up(site, slug),
    )
    title = authority.short_name
    sections = [
        ("letters", "Letters"),
        ("cqc", "CQC’s assessment beside the peer challenges"),
        ("recurring", "Raised again"),
        ("follow-up", "Follow-up"),
        ("themes", "Themes"),
        ("follow", "Follow new letters"),
    ]
    info = PageInfo(
        title,
        max(x.updated for x in letters),
        f"Final Letters from peer challenges of {authority.name}.",
        feed=urls.authority_feed(slug),
        feed_title=f"Final Letters: {authority.short_name}",
        toc=toc(title, *sections),
    )
    return generate(urls.authority(slug), view, info)


def years_index(site: Site) -> Generated:
    title = "Years"
    view = YearsView(
        tuple(
            (
                YearCount(year, len(letters)),
                tuple(sorted({x.authority.short_name for x in letters})),
            )
            for year, letters in sorted(site.by_year.items(), reverse=True)
        )
    )
    description = "Final Letters by the year of the peer challenge visit."
    return generate(urls.YEARS, view, PageInfo(title, site.newest, description, toc=toc(title)))


def year_page(site: Site, year: int, letters: list[Letter], found: dict[str, Row]) -> Generated:
    title = f"Peer challenges in {year}"
    view = YearView(year, tuple(found[x.id] for x in letters), theme_counts(site, letters))
    info = PageInfo(
        title,
        max(x.updated for x in letters),
        f"Final Letters from peer challenges visited in {year}.",
        toc=toc(title, ("letters", "Letters"), ("themes", "Themes")),
    )
    return generate(urls.year(year), view, info)
