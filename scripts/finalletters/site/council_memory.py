"""What a council's page adds from the region's memory: CQC's assessment beside the peer
challenge's findings, and the themes raised as areas for development more than once (which
regional learning lists for every council too).

CQC's values come from letters/cqc-assessments.yml with their sources; a council with no entry
says "not recorded yet", never a guess. Each quality statement's score stands beside the
passages of the council's letters on the themes mapped to that statement (themes.yml `cqc`),
cited as everywhere else (passages.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import regional
from ..catalogue import Letter
from ..cqc import RATINGS, SCORES, SOURCE_KINDS, Assessment, Source, Sourced
from ..model import CQC_QUALITY_STATEMENTS
from . import render, urls
from .context import Site
from .passages import Passage, passage

PASSAGES_PER_STATEMENT = 3  # the council's letters have the rest


@dataclass(frozen=True, slots=True)
class SourceLink:
    title: str
    url: str
    kind: str  # "a CQC page", …


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str
    url: str  # for a link, else ""
    sources: tuple[SourceLink, ...]


@dataclass(frozen=True, slots=True)
class StatementRow:
    label: str
    score: str  # "2: some shortfalls", or "" when no source states it
    sources: tuple[SourceLink, ...]
    passages: tuple[Passage, ...]
    more: int


@dataclass(frozen=True, slots=True)
class CqcView:
    recorded: bool
    facts: tuple[Fact, ...] = ()
    pilot: bool = False
    statements: tuple[StatementRow, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class RecurringView:
    council: str  # short name
    council_url: str
    theme: str
    theme_url: str
    anchor: str  # its id on the council's page
    challenges: int
    first_year: int
    latest_year: int
    first: Passage
    latest: Passage

    @property
    def heading(self) -> str:
        """Waiting lists: raised again in 2023, first raised in 2021"""
        return (
            f"{self.theme}: raised again in {self.latest_year}, first raised in {self.first_year}"
        )


def _links(sources: list[Source]) -> tuple[SourceLink, ...]:
    return tuple(SourceLink(s.title, s.url, SOURCE_KINDS[s.kind]) for s in sources)


def _facts(a: Assessment) -> list[Fact]:
    def sourced(label: str, value: Sourced, shown: str, url: str = "") -> Fact:
        return Fact(label, shown, url, _links(a.sources_of(value)))

    facts = []
    if a.rating:
        facts.append(sourced("Overall rating", a.rating, RATINGS[a.rating.value]))
    if a.score_percent:
        facts.append(sourced("Overall score", a.score_percent, f"{a.score_percent.value}%"))
    if a.published:
        day: dt.date = a.published.value
        facts.append(sourced("Published", a.published, render.long_date(day)))
    if a.report_url:
        facts.append(sourced("CQC’s report", a.report_url, "CQC’s report", a.report_url.value))
    return facts


def cqc_view(site: Site, slug: str, letters: list[Letter]) -> CqcView:
    assessment = site.cqc.of(slug)
    if assessment is None:
        return CqcView(recorded=False)
    mapping = {t.id: t.cqc for t in site.themes}
    grouped = regional.by_quality_statement(letters, mapping)
    rows = []
    for key, label in CQC_QUALITY_STATEMENTS.items():
        score = assessment.statement(key)
        found = grouped.get(key, [])
        rows.append(
            StatementRow(
                label=label,
                score=f"{score.value}: {SCORES[score.value]}" if score else "",
                sources=_links(assessment.sources_of(score)) if score else (),
                passages=tuple(
                    passage(site, p.letter, p.passage) for p in found[:PASSAGES_PER_STATEMENT]
                ),
                more=max(0, len(found) - PASSAGES_PER_STATEMENT),
            )
        )
    return CqcView(
        recorded=True,
        facts=tuple(_facts(assessment)),
        pilot=bool(assessment.pilot and assessment.pilot.value),
        statements=tuple(rows),
        notes=assessment.notes or "",
    )


def recurring(site: Site) -> dict[str, tuple[RecurringView, ...]]:
    """Every council's recurring areas for development, made once per build: {slug: views}."""
    return site.once("recurring", lambda: _recurring(site))


def _recurring(site: Site) -> dict[str, tuple[RecurringView, ...]]:
    found = regional.recurring(site.letters, site.theme_order)
    out = {}
    for slug, items in found.items():
        authority = site.authority(slug)
        out[slug] = tuple(
            RecurringView(
                council=authority.short_name,
                council_url=urls.authority(slug),
                theme=site.reference.themes[r.theme].label,
                theme_url=urls.theme(r.theme),
                anchor=f"recurring-{slug}-{r.theme}",
                challenges=r.challenges,
                first_year=r.first_year,
                latest_year=r.latest_year,
                first=passage(site, r.first.letter, r.first.passage),
                latest=passage(site, r.latest.letter, r.latest.passage),
            )
            for r in items
        )
    return out
