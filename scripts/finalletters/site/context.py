"""The catalogue, loaded once per build, and everything the pages group by, grouped once.

The letters are read from FINAL_LETTERS_ROOT when it is set (the tests build from a corpus
of their own), else from the folder that holds mkdocs.yml.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from .. import catalogue as catalogue_module
from ..catalogue import Catalogue, Letter
from ..errors import LetterError
from ..model import CQC_QUALITY_STATEMENTS, ROLE_LABELS, WM_DOMAINS, Authority, Role, Theme
from . import urls

ROOT_VARIABLE = "FINAL_LETTERS_ROOT"
# The date pages carry when there is no letter to date them by: the first WM peer challenge year.
EPOCH = dt.date(2015, 1, 1)

log = logging.getLogger("mkdocs.plugins.finalletters")


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What a generated page needs besides its HTML: set on the mkdocs Page by the hooks."""

    title: str  # plain text; escaped when it is set on the page
    updated: dt.date
    description: str = ""
    feed: str = ""  # site path of the page's own Atom feed
    feed_title: str = ""
    toc: tuple = ()  # render.Heading, in page order
    search_text: str = ""  # when set, the header search indexes this summary, not the page


@dataclass
class Site:
    """One build's view of the catalogue."""

    catalogue: Catalogue
    site_url: str
    related: dict[str, list[tuple[Letter, list[str]]]] = field(default_factory=dict)
    pages: dict[str, PageInfo] = field(default_factory=dict)  # keyed by src_uri
    late: dict[str, list[str]] = field(default_factory=dict)  # see pages.insert_late

    def __post_init__(self) -> None:
        self.letters: list[Letter] = self.catalogue.letters  # newest first
        self.reference = self.catalogue.reference
        self.by_authority = self.catalogue.by_authority()
        self.by_theme = self.catalogue.by_theme()
        self.by_year = self.catalogue.by_year()
        # theme id → its place in the taxonomy, for ranking themes in its order on ties
        self.theme_order = {theme_id: n for n, theme_id in enumerate(self.reference.themes)}
        self.newest: dt.date = max((letter_updated(x) for x in self.letters), default=EPOCH)

    @property
    def themes(self) -> list[Theme]:
        """The taxonomy in its own order."""
        return list(self.reference.themes.values())

    def authority(self, slug: str) -> Authority:
        return self.reference.authorities[slug]

    def west_midlands(self) -> list[Authority]:
        return self.reference.west_midlands()

    def url(self, path: str) -> str:
        """The permanent address of a site path."""
        return urls.absolute(self.site_url, path)

    def organisation(self, value: str | None) -> str:
        """A team member's organisation: a council's name when it is a register slug."""
        if not value:
            return ""
        found = self.reference.authorities.get(value)
        return found.name if found else value


def in_order(keys: Iterable[str], labels: dict[str, str]) -> list[str]:
    """The labels of keys, in the order `labels` lists them (a framework's own order)."""
    wanted = set(keys)
    return [label for key, label in labels.items() if key in wanted]


def letter_themes(letter: Letter) -> list[Theme]:
    return [letter.reference.themes[t] for t in letter.meta.themes]


def letter_cqc(letter: Letter) -> list[str]:
    """The CQC quality statements a letter's themes relate to, in the framework's order."""
    return in_order((key for t in letter_themes(letter) for key in t.cqc), CQC_QUALITY_STATEMENTS)


def letter_wm(letter: Letter) -> list[str]:
    """The West Midlands self-assessment domains a letter's themes relate to."""
    return in_order((key for t in letter_themes(letter) for key in t.wm_domains), WM_DOMAINS)


def letter_roles(letter: Letter) -> list[str]:
    """The roles present in the review team, in the order the schema lists them."""
    present = {member.role for member in letter.meta.team}
    return [ROLE_LABELS[role] for role in Role if role in present]


def letter_updated(letter: Letter) -> dt.date:
    """The last date the record of a letter changed, as far as the letter itself says."""
    meta = letter.meta
    dates = [letter.date, meta.published]
    if meta.follow_up:
        dates.append(meta.follow_up.review_date)
    return max(d for d in dates if d)


def root(config: MkDocsConfig) -> Path:
    """The folder that holds letters/: FINAL_LETTERS_ROOT, else mkdocs.yml's folder."""
    chosen = os.environ.get(ROOT_VARIABLE)
    if chosen:
        return Path(chosen).resolve()
    return Path(config.config_file_path).resolve().parent


def load(config: MkDocsConfig) -> Site:
    """Load and check every letter, exactly as `letters check` does; any error stops the build."""
    where = root(config)
    try:
        catalogue = catalogue_module.load(where)
    except LetterError as exc:  # a broken register or taxonomy: the error says what to do
        raise PluginError(f"The letters in {where} could not be loaded:\n{exc}") from exc
    if catalogue.errors:
        problems = "\n".join(str(p) for p in catalogue.errors)
        raise PluginError(
            f"{len(catalogue.errors)} problem(s) in {where / 'letters'} stop the build:\n"
            f"{problems}\nRun `letters check` to see them again."
        )
    for problem in catalogue.warnings:
        log.info(str(problem))
    return Site(catalogue=catalogue, site_url=config.site_url or "/")
