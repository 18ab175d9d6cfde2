"""Every page kind of the site, in one list, and how they are added to the build.

A page kind is a module with two functions:

    pages(site) -> Iterable[Generated]   its pages: each a typed view rendered by a template
    files(site) -> dict[path, content]   the files it publishes besides pages (data, feeds)

`KINDS` lists them; `add` puts every page and file of every kind into mkdocs' files, with the
PDFs beside the letters. site/__init__.py says how to add a kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from . import (
    browse,
    data,
    feeds,
    finder,
    follow_up,
    learning,
    letter_page,
    matrix,
    subscriptions,
    themes,
    trust,
    urls,
)
from .context import Site
from .files import checked_pdf
from .plumbing import Generated, add_file, add_page


class PageKind(Protocol):
    def pages(self, site: Site) -> Iterable[Generated]: ...

    def files(self, site: Site) -> Mapping[str, str | bytes]: ...


KINDS: tuple[PageKind, ...] = (
    browse,  # home, all letters, councils, a council, years, a year
    letter_page,  # a letter
    themes,  # themes, a theme
    learning,  # regional learning, a year's learning
    follow_up,  # following up action plans, and the alerts of reviews falling due (alerts.py)
    finder,  # the letter finder and its listing
    data,  # the open data page and files
    feeds,  # Atom feeds
    matrix,  # the council × theme matrix as CSV (the table is on /themes/)
    subscriptions,  # Atom feeds of the finder's filters
)


# Figures the build computes for hand-written pages: `<!--fl:insert NAME-->` on a line of its
# own in docs/*.md becomes FRAGMENTS[NAME](site), HTML made by a template (plumbing.py).
FRAGMENTS: dict[str, Callable[[Site], str]] = {
    "tag-precision": trust.fragment,  # /about/: the tool's precision and recall per theme
}


def add(files: Files, config: MkDocsConfig, site: Site) -> Files:
    """Every generated page and file, and every letter's PDFs, added to the build's files: only
    the PDFs the catalogue checked, copied without following a link (see files.py); and the
    fragments hand-written pages ask for."""
    site.fragments = {name: make(site) for name, make in FRAGMENTS.items()}
    for kind in KINDS:
        for page in kind.pages(site):
            add_page(files, config, site, page)
        for path, content in kind.files(site).items():
            add_file(files, config, path, content)
    for letter in site.letters:
        for pdf in (letter.pdf, *letter.attachments.values()):
            path = urls.letter_file(letter.id, pdf.name)
            files.append(checked_pdf(config, path, letter.folder / pdf.name, pdf.sha256))
    return files
