"""The themes index, /themes/, and a page per theme, /themes/<id>/, for briefing papers.

A theme's page puts the letters and their passages first, each passage cited so that a reader
finds it on the letter's page and in the PDF (passages.py), with one spelling per council (the
register's short name); a year and council filter (themes.js; without JavaScript the page is
the plain list); the passages as CSV (/data/themes/<id>.csv, written by data.py); then the
theme's links to the assessment frameworks and its feed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from .. import regional
from ..catalogue import Letter
from ..model import CQC_QUALITY_STATEMENTS, WM_DOMAINS, Theme
from . import data, matrix, render, urls
from .context import Site
from .letter_page import Link
from .passages import Passage, of_theme
from .plumbing import Generated, PageInfo, generate, toc

SAYS = {  # what the passages on a theme say, counted: "3 among strengths"
    regional.Stance.STRENGTH: "among strengths",
    regional.Stance.DEVELOPMENT: "among areas for development",
    regional.Stance.RECOMMENDATION: "among recommendations",
}
PASSAGES_SHOWN = 3  # passages quoted per letter on a theme page; the CSV and the letter have all


@dataclass(frozen=True, slots=True)
class ThemeRow:
    theme: Theme
    count: int  # letters
    cqc: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThemesView:
    template: ClassVar[str] = "themes.html"

    themes: tuple[ThemeRow, ...]
    matrix: matrix.MatrixView


@dataclass(frozen=True, slots=True)
class Entry:
    """One letter on a theme's page."""

    letter: Letter
    anchor: str
    visit: str
    passages: tuple[Passage, ...]
    more: int  # passages not quoted here
    recommendations: tuple[str, ...]  # on this theme


@dataclass(frozen=True, slots=True)
class ThemeView:
    template: ClassVar[str] = "theme.html"

    theme: Theme
    entries: tuple[Entry, ...]
    passages: int  # in every letter
    says: tuple[str, ...]  # "3 among strengths", …: what those passages say
    years: tuple[int, ...]  # for the filter, newest first
    councils: tuple[str, ...]  # short names, A to Z
    csv: str  # site path of the passages file
    csv_size: str
    find: str
    cqc: tuple[Link, ...]
    wm: tuple[Link, ...]
    feed: str


def pages(site: Site) -> Iterator[Generated]:
    yield themes_index(site)
    for theme in site.themes:
        yield theme_page(site, theme, site.by_theme.get(theme.id, []))


def files(site: Site) -> dict[str, str | bytes]:
    return {}


def themes_index(site: Site) -> Generated:
    title = "Themes"
    view = ThemesView(
        tuple(
            ThemeRow(
                theme,
                len(site.by_theme.get(theme.id, [])),
                tuple(label for key, label in CQC_QUALITY_STATEMENTS.items() if key in theme.cqc),
            )
            for theme in site.themes
        ),
        matrix.view(site),
    )
    description = "The themes Final Letters are indexed by, and how they relate to CQC's framework."
    sections = [("all-themes", "Every theme"), ("matrix", "Councils and themes")]
    info = PageInfo(title, site.newest, description, toc=toc(title, *sections))
    return generate(urls.THEMES, view, info)


def _entry(site: Site, letter: Letter, theme_id: str) -> Entry:
    found = of_theme(site, letter, theme_id)
    return Entry(
        letter=letter,
        anchor=letter.id.replace("/", "-"),
        visit=render.visit(letter.meta),
        passages=tuple(found[:PASSAGES_SHOWN]),
        more=max(0, len(found) - PASSAGES_SHOWN),
        recommendations=tuple(r.text for r in letter.meta.recommendations if theme_id in r.themes),
    )


def theme_page(site: Site, theme: Theme, letters: list[Letter]) -> Generated:
    entries = tuple(_entry(site, letter, theme.id) for letter in letters)
    csv = data.theme_passages(site, theme.id)
    view = ThemeView(
        theme=theme,
        entries=entries,
        passages=csv.rows,
        says=tuple(f"{n} {SAYS[stance]}" for stance, n in csv.says),
        years=tuple(sorted({x.year for x in letters}, reverse=True)),
        councils=tuple(sorted({x.authority.short_name for x in letters})),
        csv=urls.theme_passages(theme.id),
        csv_size=render.file_size(len(csv.text.encode("utf-8"))),
        find=urls.find(theme=theme.label),
        cqc=tuple(
            Link(label, urls.find(cqc=label))
            for key, label in CQC_QUALITY_STATEMENTS.items()
            if key in theme.cqc
        ),
        wm=tuple(
            Link(label, urls.find(wm=label))
            for key, label in WM_DOMAINS.items()
            if key in theme.wm_domains
        ),
        feed=urls.theme_feed(theme.id),
    )
    title = theme.label
    sections = [
        ("letters", "Letters and passages"),
        ("frameworks", "Links to the assessment frameworks"),
        ("follow", "Follow new letters"),
    ]
    info = PageInfo(
        title,
        max((x.updated for x in letters), default=site.newest),
        theme.description,
        kind="theme",
        feed=urls.theme_feed(theme.id),
        feed_title=f"Final Letters: {theme.label}",
        toc=toc(title, *sections),
    )
    return generate(urls.theme(theme.id), view, info)
