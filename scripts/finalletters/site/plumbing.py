"""Page plumbing: how a generated page becomes part of the mkdocs build.

Every generated page is a typed view (a dataclass naming its template) rendered to HTML once,
and added to the build as a virtual file (`File.generated`) whose content is that HTML in one
raw block; nothing is written under docs/. Python-Markdown never reads it: `skip_markdown`
hands mkdocs an empty page and `apply_content` puts the HTML back. That keeps untrusted text
away from Markdown and saves the two HTML parses per page that Markdown's raw-HTML handling
costs.

The parts of a page the header search must not index (a letter's own text, the long lists of
letters on the index pages) are wrapped in `<!--fl:late-->` comments by the templates, lifted
out in `apply_content` before Material's search plugin reads the page, and put back in the
finished page by `insert_late`: the search index stays small and the plugin does not spend
time parsing them.

What a page needs besides its HTML (title, date, feed, table of contents, what to hide) is its
PageInfo, kept in `Site.pages` and set on the mkdocs Page by `apply_meta`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar, Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from . import render, urls
from .context import Site

# Pages listed in mkdocs.yml's nav; every other generated page is reachable by links only.
IN_NAV = {
    urls.HOME,
    urls.LETTERS,
    urls.AUTHORITIES,
    urls.THEMES,
    urls.YEARS,
    urls.LEARNING,
    urls.FOLLOW_UP,
    urls.FIND,
    urls.DATA,
}

Links = Callable[[str], str]  # a site path → the same, as a link from the page being built


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading on a generated page, for its table of contents. title is plain text."""

    level: int
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What a generated page needs besides its HTML: set on the mkdocs Page by apply_meta."""

    title: str  # plain text; escaped when it is set on the page
    updated: dt.date
    description: str = ""
    kind: str = ""  # the page kind, e.g. "letter": page.meta.kind in the theme's templates
    feed: str = ""  # site path of the page's own Atom feed
    feed_title: str = ""
    toc: tuple[Heading, ...] = ()  # in page order
    search_text: str = ""  # when set, the header search indexes this summary, not the page
    hide: tuple[str, ...] = ()  # Material's `hide:` ("navigation", "toc")


class View(Protocol):
    """A page kind's typed view: a dataclass whose fields its template reads as `v`."""

    template: ClassVar[str]


@dataclass(frozen=True, slots=True)
class Generated:
    url: str
    html: str
    info: PageInfo


def links(page_url: str) -> Links:
    """The `u` of every template: site paths as links relative to the page at page_url."""
    return partial(urls.relative, page_url=page_url)


def toc(title: str, *sections: tuple[str, str]) -> tuple[Heading, ...]:
    """A table of contents: the page's h1 (id "title"), then its h2 sections (anchor, text)."""
    return (Heading(1, "title", title), *(Heading(2, anchor, text) for anchor, text in sections))


def generate(url: str, view: View, info: PageInfo) -> Generated:
    """A page: its view rendered through the view's template, with `v` (the view), `u` (links
    from this page) and `title` (plain text)."""
    html = render.template(view.template, v=view, u=links(url), title=info.title)
    return Generated(url, html, info)


# ---------------------------------------------------------------------------------------------
# Into the build


def add_page(files: Files, config: MkDocsConfig, site: Site, page: Generated) -> None:
    """Add one generated page, refusing to hide a hand-written page at the same address."""
    src = urls.source(page.url)
    _refuse_hidden(files, src)
    inclusion = InclusionLevel.UNDEFINED if page.url in IN_NAV else InclusionLevel.NOT_IN_NAV
    files.append(File.generated(config, src, content=wrap(page.html), inclusion=inclusion))
    site.pages[src] = page.info


def add_file(files: Files, config: MkDocsConfig, path: str, content: str | bytes) -> None:
    """Add a generated file that is not a page (data, feeds) at site path `path`."""
    _refuse_hidden(files, path)
    files.append(File.generated(config, path, content=content))


def _refuse_hidden(files: Files, path: str) -> None:
    if files.get_file_from_path(path) is not None:
        raise PluginError(
            f"docs/{path} would hide a generated file: remove it, or move its text into the "
            "page's template in scripts/finalletters/site/templates/"
        )


def apply_meta(page: Page, site: Site) -> None:
    """Title, description, feed, kind and date of a page, from what the build knows of it.

    The date (`update_date`, used by the sitemap) always comes from the letters, never from
    the clock, so that two builds of one commit are identical.
    """
    info = site.pages.get(page.file.src_uri)
    if info is None:  # a hand-written page: its own `updated:` date, else the newest letter's
        updated = page.meta.get("updated")
        page.update_date = (updated if isinstance(updated, dt.date) else site.newest).isoformat()
        return
    meta = page.meta
    meta["title"] = render.escape(info.title)
    if info.kind:
        meta["kind"] = info.kind
    if info.search_text:  # one short entry instead of the whole page: see search_index.py
        meta["search"] = {"exclude": True}
    if info.description:
        meta["description"] = render.escape(info.description)
    if info.feed:
        meta["feed"] = info.feed
        meta["feed_title"] = render.escape(info.feed_title)
    if info.hide:
        meta["hide"] = list(info.hide)
    page.update_date = info.updated.isoformat()


def skip_markdown(markdown: str, page: Page, site: Site) -> str:
    """Nothing for Python-Markdown to read on a generated page (see the module's docstring)."""
    return "" if page.file.src_uri in site.pages else markdown


def apply_content(html: str, page: Page, site: Site) -> str:
    """A generated page's HTML, and its table of contents, which mkdocs would otherwise take
    from Markdown headings. Material links its skip link to the first entry of the table of
    contents, the page's h1, and lists the rest."""
    info = site.pages.get(page.file.src_uri)
    if info is None:
        return insert_fragments(html, site.fragments, page.file.src_uri)
    entries: list[AnchorLink] = []
    open_: list[AnchorLink] = []  # the entries that a deeper heading would nest under
    for heading in info.toc:
        link = AnchorLink(render.escape(heading.title), heading.id, heading.level)
        while open_ and open_[-1].level >= heading.level:
            open_.pop()
        (open_[-1].children if open_ else entries).append(link)
        open_.append(link)
    page.toc = TableOfContents(entries)
    html, site.late[page.file.src_uri] = lift_late(unwrap(page.file.content_string))
    return html


# A hand-written page asks for a figure the build computes with this comment on a line of its
# own (pages.FRAGMENTS lists them); Python-Markdown passes the comment through as it is.
_INSERT = re.compile(r"<!--fl:insert ([a-z][a-z0-9-]*)-->")


def insert_fragments(html: str, fragments: dict[str, str], src: str) -> str:
    """A hand-written page with each `<!--fl:insert NAME-->` replaced by its fragment."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise PluginError(
                f"docs/{src} asks for '{name}', which the build does not make: use one of "
                + ", ".join(sorted(fragments))
            )
        return fragments[name]

    return _INSERT.sub(fill, html)


def insert_late(output: str, page: Page, site: Site) -> str:
    """The finished page with the parts lifted out by apply_content back in place."""
    parts = site.late.pop(page.file.src_uri, None)
    return restore_late(output, parts) if parts else output


# ---------------------------------------------------------------------------------------------
# The raw-HTML pass-through

RAW_START = '<div class="fl-page" markdown="0">'
RAW_END = "</div>"
_BLANK_LINES = re.compile(r"\n\s*\n")
# Every text from a letter is escaped, so no letter can contain these comments.
LATE_START = "<!--fl:late-->"
LATE_END = "<!--/fl:late-->"
_LATE = re.compile(re.escape(LATE_START) + "(.*?)" + re.escape(LATE_END), re.S)
_MARKER = "<!--fl:late:{}-->"


def wrap(body: str) -> str:
    """A generated page as a virtual Markdown file: one raw HTML block (`markdown="0"`), no
    blank lines, so that even if Python-Markdown were to read it, it would pass it through.
    Every text in body is escaped, so nothing in it can close the block."""
    body = _BLANK_LINES.sub("\n", body.strip())
    return f"{RAW_START}\n{body}\n{RAW_END}\n"


def unwrap(content: str) -> str:
    """The HTML of a generated page, as `wrap` wrapped it, without the Markdown marker."""
    return '<div class="fl-page">' + content[len(RAW_START) :]


def lift_late(html: str) -> tuple[str, list[str]]:
    """The page with its late parts replaced by numbered markers, and those parts."""
    parts: list[str] = []

    def lift(match: re.Match[str]) -> str:
        parts.append(match.group(1))
        return _MARKER.format(len(parts) - 1)

    return _LATE.sub(lift, html), parts


def restore_late(output: str, parts: list[str]) -> str:
    """The finished page with its late parts back in place of their markers."""
    for n, part in enumerate(parts):
        output = output.replace(_MARKER.format(n), part, 1)
    return output
