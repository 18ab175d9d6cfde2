"""Atom feeds: every new letter (/feed.xml), and one per council and per theme.

Dates come from the letters, never from the clock: a feed's `updated` is that of its newest
entry, so that two builds of one commit write the same bytes. feedgen escapes all text.
"""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from ..catalogue import Letter
from . import render, urls
from .context import Site
from .plumbing import Generated

ENTRIES = 100  # the newest letters a feed carries; the open data files have every letter
AUTHOR = {"name": "West Midlands ADASS peer challenge coordinators"}


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _summary(site: Site, letter: Letter) -> str:
    meta = letter.meta
    parts = [f"The Final Letter of the peer challenge of {letter.authority.name}"]
    if render.visit(meta):
        parts[0] += f", visited {render.visit(meta)}"
    parts[0] += "."
    if meta.sample:
        parts.append("A sample letter, written to show how the site works.")
    count = len(meta.recommendations)
    parts.append(f"{render.plural(count, 'recommendation')}.")
    labels = [theme.label for theme in letter.themes]
    if labels:
        parts.append(f"Themes: {', '.join(labels)}.")
    return " ".join(parts)


def feed(
    site: Site, path: str, page: str, title: str, subtitle: str, letters: list[Letter]
) -> bytes:
    """One Atom feed at site path `path`, for the page at `page`, of the newest letters."""
    letters = sorted(letters, key=lambda x: (x.updated, x.id), reverse=True)[:ENTRIES]
    fg = FeedGenerator()
    fg.id(site.url(path))
    fg.title(render.clean(title))
    fg.subtitle(render.clean(subtitle))
    fg.author(AUTHOR)
    fg.link(href=site.url(page), rel="alternate", type="text/html")
    fg.link(href=site.url(path), rel="self", type="application/atom+xml")
    fg.language("en-GB")
    fg.rights("Open Government Licence v3.0")
    fg.generator("Final Letters", uri=site.url(urls.HOME))
    fg.updated(_when(max((x.updated for x in letters), default=site.newest)))
    for letter in letters:
        entry = fg.add_entry(order="append")
        entry.id(site.url(letter.url))
        entry.title(render.clean(letter.title))
        # One link only: feedgen 1.0 writes an entry's links without their rel and type, so
        # a second (the PDF as an enclosure) would read as a second alternate, which Atom
        # forbids. The letter's page links to its PDF.
        entry.link(href=site.url(letter.url), rel="alternate", type="text/html")
        entry.summary(render.clean(_summary(site, letter)))
        entry.updated(_when(letter.updated))
        entry.published(_when(letter.meta.published or letter.date))
        for theme in letter.themes:
            entry.category(term=theme.id, label=render.clean(theme.label),
                           scheme=site.url(urls.THEMES))  # fmt: skip
    return fg.atom_str(pretty=True)


def pages(site: Site) -> list[Generated]:
    return []


def files(site: Site) -> dict[str, str | bytes]:
    """Every feed: site path → content."""
    out: dict[str, str | bytes] = {
        urls.FEED: feed(
            site,
            urls.FEED,
            urls.LETTERS,
            "Final Letters: new letters",
            "New Final Letters from adult social care peer challenges in the West Midlands.",
            site.letters,
        )
    }
    for slug, letters in sorted(site.by_authority.items()):
        authority = site.authority(slug)
        out[urls.authority_feed(slug)] = feed(
            site,
            urls.authority_feed(slug),
            urls.authority(slug),
            f"Final Letters: {authority.short_name}",
            f"New Final Letters from peer challenges of {authority.name}.",
            letters,
        )
    for theme in site.themes:
        out[urls.theme_feed(theme.id)] = feed(
            site,
            urls.theme_feed(theme.id),
            urls.theme(theme.id),
            f"Final Letters: {theme.label}",
            f"New Final Letters on the theme ‘{theme.label}’.",
            site.by_theme.get(theme.id, []),
        )
    return out
