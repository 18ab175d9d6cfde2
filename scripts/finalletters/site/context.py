"""One build's view of the catalogue: loaded once, everything the pages group by grouped once.

The letters are read from FINAL_LETTERS_ROOT when it is set (the tests build from a corpus
of their own), else from the folder that holds mkdocs.yml.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from .. import catalogue as catalogue_module
from .. import clock, cqc
from ..catalogue import Catalogue, Letter
from ..errors import LetterError
from ..model import Authority, Theme
from . import render, urls

if TYPE_CHECKING:
    from .plumbing import PageInfo

ROOT_VARIABLE = "FINAL_LETTERS_ROOT"
# The date pages carry when there is no letter to date them by: the first WM peer challenge year.
EPOCH = dt.date(2015, 1, 1)

log = logging.getLogger("mkdocs.plugins.finalletters")
T = TypeVar("T")


@dataclass
class Site:
    """One build's view of the catalogue."""

    catalogue: Catalogue
    site_url: str
    # The day the build is as of (SOURCE_DATE_EPOCH, else today): what is overdue or due soon.
    today: dt.date = field(default_factory=clock.build_date)
    cqc: cqc.Assessments = field(default_factory=cqc.Assessments)
    pages: dict[str, PageInfo] = field(default_factory=dict)  # keyed by src_uri
    late: dict[str, list[str]] = field(default_factory=dict)  # see plumbing.insert_late
    fragments: dict[str, str] = field(default_factory=dict)  # see pages.FRAGMENTS
    _made: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.letters: list[Letter] = self.catalogue.letters  # newest first
        self.reference = self.catalogue.reference
        self.by_authority = self.catalogue.by_authority()
        self.by_theme = self.catalogue.by_theme()
        self.by_year = self.catalogue.by_year()
        # theme id → its place in the taxonomy, for ranking themes in its order on ties
        self.theme_order = {theme_id: n for n, theme_id in enumerate(self.reference.themes)}
        self.newest: dt.date = max((x.updated for x in self.letters), default=EPOCH)

    def once(self, key: str, make: Callable[[], T]) -> T:
        """What `make` returns, made once per build and shared by every page kind that asks
        for `key` (e.g. the year groups that several learning pages read)."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

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


def root(config: MkDocsConfig) -> Path:
    """The folder that holds letters/: FINAL_LETTERS_ROOT, else mkdocs.yml's folder."""
    chosen = os.environ.get(ROOT_VARIABLE)
    if chosen:
        return Path(chosen).resolve()
    return Path(config.config_file_path).resolve().parent


def load(config: MkDocsConfig) -> Site:
    """Load and check every letter, exactly as `letters check` does; any error stops the build."""
    where = root(config)
    render.environment.cache_clear()  # `mkdocs serve` rebuilds after a template changes
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
    assessments = cqc.load(where / "letters", catalogue.reference.authorities)
    if assessments.problems:
        problems = "\n".join(str(p) for p in assessments.problems)
        raise PluginError(
            f"{len(assessments.problems)} problem(s) in {cqc.FILE} stop the build:\n{problems}"
        )
    try:
        today = clock.build_date()
    except LetterError as exc:
        raise PluginError(str(exc)) from exc
    return Site(catalogue=catalogue, site_url=config.site_url or "/", today=today, cqc=assessments)


def example_letter(config: MkDocsConfig, site: Site) -> None:
    """Give the theme's 404 page a letter address that works: the newest letter's, if any
    (`config.extra.example_letter`)."""
    if site.letters:
        newest = site.letters[0]
        config.extra["example_letter"] = {"url": newest.url, "title": newest.title}
