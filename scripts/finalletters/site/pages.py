"""The generated pages: every letter, council, theme and year, their indexes and the home page
(regional learning and follow-up are built by learning.py).

Each page is built once, as HTML from an autoescaping template, and added to the build as a
virtual file (`File.generated`) whose content is that HTML in one raw block; nothing is
written under docs/. Python-Markdown never reads it: `skip_markdown` hands mkdocs an empty
page and `apply_content` puts the HTML back. That keeps untrusted text away from Markdown and
saves the two HTML parses per page that Markdown's raw-HTML handling costs.

The parts of a page the header search must not index (a letter's own text, the long lists of
letters on the index pages) are lifted out in `apply_content`, before Material's search plugin
reads the page, and put back in the finished page by `insert_late`: the search index stays
small and the search plugin does not spend time parsing them. The finder at /find/ indexes
letters' full text from the built pages.

The facts a page needs besides its HTML (title, date, feed, table of contents) are kept in
`Site.pages` and set on the mkdocs Page by `apply_meta`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..catalogue import Letter, PdfFile
from ..model import CQC_QUALITY_STATEMENTS, ROLE_LABELS, WM_DOMAINS, Status, Theme
from . import finder, learning, render, urls
from .context import PageInfo, Site, in_order, letter_themes, letter_updated
from .files import checked_pdf

# Pages listed in mkdocs.yml's nav; every other generated page is reachable by links only.
IN_NAV = {
    urls.HOME,
    urls.LETTERS,
    urls.AUTHORITIES,
    urls.THEMES,
    urls.YEARS,
    urls.LEARNING,
    urls.FOLLOW_UP,
    urls.DATA,
}
STATUS_LABELS = {
    Status.OPEN: "Open",
    Status.IN_PROGRESS: "In progress",
    Status.DONE: "Done",
    Status.DROPPED: "Dropped",
}
EVIDENCE_SHOWN = 3  # passages quoted per letter on a theme page; the letter page has the rest
LATEST_SHOWN = 5  # letters on the home page


@dataclass(frozen=True, slots=True)
class Row:
    """One letter as the index pages list it, built once per build."""

    id: str
    url: str
    title: str
    authority: str  # short name
    authority_url: str
    visit: str
    letter_date: dt.date | None
    year: int
    recommendations: int
    sample: bool


@dataclass(frozen=True, slots=True)
class Generated:
    url: str
    html: str
    info: PageInfo


Links = Callable[[str], str]


# ---------------------------------------------------------------------------------------------
# Adding the pages to the build


def add(files: Files, config: MkDocsConfig, site: Site) -> Files:
    """Every generated page, and every letter's PDFs, added to the build's files: only the PDFs
    the catalogue checked, copied without following a link (see files.py)."""
    rows = {letter.id: _row(letter) for letter in site.letters}
    for page in _all_pages(site, rows):
        add_page(files, config, site, page)
    for letter in site.letters:
        for pdf in (letter.pdf, *letter.attachments.values()):
            path = urls.letter_file(letter.id, pdf.name)
            files.append(checked_pdf(config, path, letter.folder / pdf.name, pdf.sha256))
    return files


def add_page(files: Files, config: MkDocsConfig, site: Site, page: Generated) -> None:
    """Add one generated page, refusing to hide a hand-written page at the same address."""
    src = urls.source(page.url)
    if files.get_file_from_path(src) is not None:
        raise PluginError(
            f"docs/{src} would hide a generated page: remove it, or move its text into "
            "the page's template in scripts/finalletters/site/templates/"
        )
    inclusion = InclusionLevel.UNDEFINED if page.url in IN_NAV else InclusionLevel.NOT_IN_NAV
    files.append(File.generated(config, src, content=render.page(page.html), inclusion=inclusion))
    site.pages[src] = page.info


def add_file(files: Files, config: MkDocsConfig, path: str, content: str | bytes) -> None:
    """Add a generated file that is not a page (data, feeds) at site path `path`."""
    files.append(File.generated(config, path, content=content))


def _all_pages(site: Site, rows: dict[str, Row]) -> Iterable[Generated]:
    yield home(site, rows)
    yield letters_index(site, rows)
    for letter in site.letters:
        yield letter_page(site, letter)
    yield authorities_index(site, rows)
    for slug, letters in sorted(site.by_authority.items()):
        yield authority_page(site, slug, [rows[x.id] for x in letters], letters)
    yield themes_index(site)
    for theme in site.themes:
        yield theme_page(site, theme.id, site.by_theme.get(theme.id, []))
    yield years_index(site)
    for year, letters in sorted(site.by_year.items()):
        yield year_page(site, year, [rows[x.id] for x in letters], letters)
    yield from learning.all_pages(site)


def apply_meta(page: Page, site: Site) -> None:
    """Title, description, feed and date of a page, from what the build knows of it.

    The date (`update_date`, used by the sitemap) always comes from the letters, never from
    the clock, so that two builds of one commit are identical.
    """
    info = site.pages.get(page.file.src_uri)
    if info is None:  # a hand-written page: its own `updated:` date, else the newest letter's
        updated = page.meta.get("updated")
        page.update_date = (updated if isinstance(updated, dt.date) else site.newest).isoformat()
        return
    page.meta["title"] = render.escape(info.title)
    if info.search_text:  # one short entry instead of the whole page: see search_index.py
        page.meta["search"] = {"exclude": True}
    if info.description:
        page.meta["description"] = render.escape(info.description)
    if info.feed:
        page.meta["feed"] = info.feed
        page.meta["feed_title"] = render.escape(info.feed_title)
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
        return html
    entries: list[AnchorLink] = []
    open_: list[AnchorLink] = []  # the entries that a deeper heading would nest under
    for heading in info.toc:
        link = AnchorLink(render.escape(heading.title), heading.id, heading.level)
        while open_ and open_[-1].level >= heading.level:
            open_.pop()
        (open_[-1].children if open_ else entries).append(link)
        open_.append(link)
    page.toc = TableOfContents(entries)
    html, site.late[page.file.src_uri] = render.lift_late(render.unwrap(page.file.content_string))
    return html


def insert_late(output: str, page: Page, site: Site) -> str:
    """The finished page with the parts lifted out by apply_content back in place."""
    parts = site.late.pop(page.file.src_uri, None)
    return render.restore_late(output, parts) if parts else output


# ---------------------------------------------------------------------------------------------
# Views


def _row(letter: Letter) -> Row:
    visit = letter.meta.visit
    return Row(
        id=letter.id,
        url=letter.url,
        title=letter.title,
        authority=letter.authority.short_name,
        authority_url=urls.authority(letter.authority.slug),
        visit=render.date_range(visit.start, visit.end) if visit else "",
        letter_date=letter.meta.letter_date,
        year=letter.year,
        recommendations=len(letter.meta.recommendations),
        sample=letter.meta.sample,
    )


def _links(page_url: str) -> Links:
    return partial(urls.relative, page_url=page_url)


def _toc(title: str, *sections: tuple[str, str]) -> tuple[render.Heading, ...]:
    return (
        render.Heading(1, "title", title),
        *(render.Heading(2, anchor, text) for anchor, text in sections),
    )


def _theme_counts(site: Site, letters: Iterable[Letter]) -> list[tuple[Theme, int]]:
    """(theme, how many of the letters carry it), most frequent first, then taxonomy order."""
    counts = Counter(t for letter in letters for t in letter.meta.themes)
    ranked = sorted(counts, key=lambda t: (-counts[t], site.theme_order[t]))
    return [(site.reference.themes[t], counts[t]) for t in ranked]


def _pdf_label(what: str, pdf: PdfFile) -> str:
    """Download the original letter (PDF, 245 KB, 6 pages)."""
    facts = ["PDF", render.file_size(pdf.size)]
    if pdf.pages:
        facts.append(render.plural(pdf.pages, "page"))
    return f"Download {what} ({', '.join(facts)})"


# ---------------------------------------------------------------------------------------------
# The letter page


def letter_page(site: Site, letter: Letter) -> Generated:
    meta = letter.meta
    url = letter.url
    u = _links(url)
    body, body_headings = render.letter_body(letter.blocks, top=3)
    themes = letter_themes(letter)
    filters = finder.filter_values(letter)  # for Pagefind, as the finder's listing gives them
    team = [
        {
            "role": ROLE_LABELS[member.role],
            "name": member.name or "Name not given",
            "organisation": site.organisation(member.organisation),
        }
        for member in meta.team
    ]
    known = learning.statuses_known(letter)
    recommendations = [
        {
            "id": r.id,
            "anchor": r.id.lower(),
            "text": r.text,
            "themes": [(site.reference.themes[t].label, urls.theme(t)) for t in r.themes],
            "status": STATUS_LABELS[r.status] if known else "",
        }
        for r in meta.recommendations
    ]
    documents = [(_pdf_label("the original letter", letter.pdf), letter.pdf.name)]
    follow = meta.follow_up
    if follow and follow.action_plan and follow.action_plan in letter.attachments:
        pdf = letter.attachments[follow.action_plan]
        documents.append((_pdf_label("the council’s action plan", pdf), pdf.name))
    if follow and follow.progress_review and follow.progress_review in letter.attachments:
        pdf = letter.attachments[follow.progress_review]
        documents.append((_pdf_label("the progress review", pdf), pdf.name))
    related = [
        (other.title, other.url, shared) for other, shared in site.related.get(letter.id, [])
    ]
    view: dict[str, Any] = {
        "letter": letter,
        "meta": meta,
        "authority": letter.authority,
        "authority_url": urls.authority(letter.authority.slug),
        "visit": render.date_range(meta.visit.start, meta.visit.end) if meta.visit else "",
        "themes": [(t.label, urls.theme(t.id)) for t in themes],
        "cqc": filters["cqc"],
        "wm": filters["wm"],
        "filters": filters,
        "team": team,
        "recommendations": recommendations,
        "documents": documents,
        "review_due": meta.review_due,
        "follow": follow,
        "permanent": site.url(url),
        "related": related,
        "body": body,
        "year_url": urls.year(letter.year),
    }
    sections = [("summary", "Summary"), ("documents", "Documents"), ("letter", "The letter")]
    toc = list(_toc(letter.title, *sections))
    toc += [h for h in body_headings if h.level == 3]
    toc += [
        render.Heading(2, anchor, text)
        for anchor, text in (
            ("recommendations", "Recommendations"),
            ("follow-up", "Follow-up"),
            ("cite", "Cite this letter"),
            ("related", "Related letters"),
        )
        if anchor != "related" or related
    ]
    html = render.template("letter.html", u=u, v=view)
    description = f"The Final Letter of the peer challenge of {letter.authority.name}" + (
        f", visited {view['visit']}." if view["visit"] else "."
    )
    parts = [description]
    if themes:
        parts.append(f"Themes: {', '.join(label for label, _ in view['themes'])}.")
    if team:
        members = "; ".join(f"{m['role']}, {m['organisation']}" for m in team if m["organisation"])
        parts.append(f"Review team: {members}.")
    summary = " ".join(parts)
    info = PageInfo(
        letter.title, letter_updated(letter), description, toc=tuple(toc), search_text=summary
    )
    return Generated(url, html, info)


# ---------------------------------------------------------------------------------------------
# Index pages


def home(site: Site, rows: dict[str, Row]) -> Generated:
    url = urls.HOME
    wm = site.west_midlands()
    view = {
        "latest": [rows[x.id] for x in site.letters[:LATEST_SHOWN]],
        "letters": len(site.letters),
        "councils": len(site.by_authority),
        "recommendations": sum(len(x.meta.recommendations) for x in site.letters),
        "wm": [(a, len(site.by_authority.get(a.slug, []))) for a in wm],
        "themes": _theme_counts(site, site.letters),
        "all_themes": site.themes,
        "years": sorted(((y, len(ls)) for y, ls in site.by_year.items()), reverse=True),
    }
    title = "Final Letters"
    sections = [
        ("what-this-is", "What this is"),
        ("latest-letters", "Latest letters"),
        ("browse", "Browse the letters"),
        ("open-data", "Open data and feeds"),
    ]
    html = render.template("home.html", u=_links(url), v=view, title=title)
    return Generated(url, html, PageInfo(title, site.newest, toc=_toc(title, *sections)))


def letters_index(site: Site, rows: dict[str, Row]) -> Generated:
    url = urls.LETTERS
    title = "All letters"
    view = {"rows": [rows[x.id] for x in site.letters]}
    html = render.template("letters.html", u=_links(url), v=view, title=title)
    description = "Every Final Letter published on this site, newest first."
    info = PageInfo(title, site.newest, description, toc=_toc(title))
    return Generated(url, html, info)


def authorities_index(site: Site, rows: dict[str, Row]) -> Generated:
    url = urls.AUTHORITIES
    title = "Councils"
    wm = site.west_midlands()
    wm_slugs = {a.slug for a in wm}

    def entry(authority):
        letters = site.by_authority.get(authority.slug, [])
        latest = rows[letters[0].id] if letters else None
        return {"authority": authority, "count": len(letters), "latest": latest}

    others = [site.authority(slug) for slug in sorted(site.by_authority) if slug not in wm_slugs]
    view = {
        "wm": [entry(a) for a in wm],
        "others": [entry(a) for a in sorted(others, key=lambda a: a.short_name)],
        "without": sum(1 for a in wm if a.slug not in site.by_authority),
    }
    sections = [("west-midlands", "West Midlands councils")]
    if others:
        sections.append(("other-councils", "Other councils"))
    html = render.template("authorities.html", u=_links(url), v=view, title=title)
    description = "Final Letters by council: the 14 West Midlands councils and any others."
    info = PageInfo(title, site.newest, description, toc=_toc(title, *sections))
    return Generated(url, html, info)


def authority_page(site: Site, slug: str, rows: list[Row], letters: list[Letter]) -> Generated:
    authority = site.authority(slug)
    url = urls.authority(slug)
    title = authority.short_name
    view = {
        "authority": authority,
        "rows": rows,
        "themes": _theme_counts(site, letters),
        "feed": urls.authority_feed(slug),
        "recommendations": sum(len(x.meta.recommendations) for x in letters),
    }
    sections = [("letters", "Letters"), ("themes", "Themes"), ("follow", "Follow new letters")]
    html = render.template("authority.html", u=_links(url), v=view, title=title)
    info = PageInfo(
        title,
        max(letter_updated(x) for x in letters),
        f"Final Letters from peer challenges of {authority.name}.",
        feed=urls.authority_feed(slug),
        feed_title=f"Final Letters: {authority.short_name}",
        toc=_toc(title, *sections),
    )
    return Generated(url, html, info)


def themes_index(site: Site) -> Generated:
    url = urls.THEMES
    title = "Themes"
    view = {
        "themes": [
            {
                "theme": theme,
                "count": len(site.by_theme.get(theme.id, [])),
                "cqc": in_order(theme.cqc, CQC_QUALITY_STATEMENTS),
            }
            for theme in site.themes
        ]
    }
    html = render.template("themes.html", u=_links(url), v=view, title=title)
    description = "The themes Final Letters are indexed by, and how they relate to CQC's framework."
    info = PageInfo(title, site.newest, description, toc=_toc(title))
    return Generated(url, html, info)


def theme_page(site: Site, theme_id: str, letters: list[Letter]) -> Generated:
    theme = site.reference.themes[theme_id]
    url = urls.theme(theme_id)
    title = theme.label
    entries = []
    for letter in letters:
        score = next((s for s in letter.theme_scores if s.id == theme_id), None)
        evidence = list(score.evidence) if score else []
        entries.append(
            {
                "letter": letter,
                "label": learning.letter_label(letter),
                "url": letter.url,
                "visit": render.date_range(letter.meta.visit.start, letter.meta.visit.end)
                if letter.meta.visit
                else "",
                "evidence": [
                    {
                        "text": item.text,
                        "where": item.where,
                        "url": letter.url + (f"#{item.anchor}" if item.anchor else ""),
                    }
                    for item in evidence[:EVIDENCE_SHOWN]
                ],
                "more": max(0, len(evidence) - EVIDENCE_SHOWN),
                "recommendations": [r for r in letter.meta.recommendations if theme_id in r.themes],
            }
        )
    view = {
        "theme": theme,
        "cqc": [
            (label, urls.find(cqc=label)) for label in in_order(theme.cqc, CQC_QUALITY_STATEMENTS)
        ],
        "wm": [(label, urls.find(wm=label)) for label in in_order(theme.wm_domains, WM_DOMAINS)],
        "find": urls.find(theme=theme.label),
        "entries": entries,
        "feed": urls.theme_feed(theme_id),
    }
    sections = [
        ("frameworks", "Links to the assessment frameworks"),
        ("letters", "Letters"),
        ("follow", "Follow new letters"),
    ]
    html = render.template("theme.html", u=_links(url), v=view, title=title)
    info = PageInfo(
        title,
        max((letter_updated(x) for x in letters), default=site.newest),
        theme.description,
        feed=urls.theme_feed(theme_id),
        feed_title=f"Final Letters: {theme.label}",
        toc=_toc(title, *sections),
    )
    return Generated(url, html, info)


def years_index(site: Site) -> Generated:
    url = urls.YEARS
    title = "Years"
    view = {
        "years": [
            {
                "year": year,
                "count": len(letters),
                "councils": sorted({x.authority.short_name for x in letters}),
            }
            for year, letters in sorted(site.by_year.items(), reverse=True)
        ]
    }
    html = render.template("years.html", u=_links(url), v=view, title=title)
    description = "Final Letters by the year of the peer challenge visit."
    return Generated(url, html, PageInfo(title, site.newest, description, toc=_toc(title)))


def year_page(site: Site, year: int, rows: list[Row], letters: list[Letter]) -> Generated:
    url = urls.year(year)
    title = f"Peer challenges in {year}"
    view = {"year": year, "rows": rows, "themes": _theme_counts(site, letters)}
    sections = [("letters", "Letters"), ("themes", "Themes")]
    html = render.template("year.html", u=_links(url), v=view, title=title)
    info = PageInfo(
        title,
        max(letter_updated(x) for x in letters),
        f"Final Letters from peer challenges visited in {year}.",
        toc=_toc(title, *sections),
    )
    return Generated(url, html, info)


def data_page(site: Site, described: list[dict]) -> Generated:
    """The open data page: what each file holds, column by column (from data.py's schema)."""
    url = urls.DATA
    title = "Open data"
    view = {"files": described, "feeds": _feeds(site)}
    sections = [(f["anchor"], f["title"]) for f in described]
    sections += [("feeds", "Atom feeds"), ("licence", "Licence")]
    html = render.template("data.html", u=_links(url), v=view, title=title)
    description = "The letters as open data: JSON, CSV with CSVW metadata, and Atom feeds."
    info = PageInfo(title, site.newest, description, toc=_toc(title, *sections))
    return Generated(url, html, info)


def _feeds(site: Site) -> list[tuple[str, list[tuple[str, str]]]]:
    """The Atom feeds, grouped: (heading, [(label, site path)])."""
    councils = sorted(site.by_authority, key=lambda s: site.authority(s).short_name)
    return [
        ("By council", [(site.authority(s).short_name, urls.authority_feed(s)) for s in councils]),
        ("By theme", [(theme.label, urls.theme_feed(theme.id)) for theme in site.themes]),
    ]
