"""What a council page adds from the region's memory: CQC's assessment beside the peer
challenge's findings, and the themes raised as areas for development more than once.

CQC's values come from letters/cqc-assessments.yml with their sources; a council with no entry
says "not recorded yet", never a guess. Each quality statement's score stands beside the
passages of the council's letters on the themes mapped to that statement (themes.yml `cqc`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import regional
from ..analyse import Evidence
from ..catalogue import Letter
from ..cqc import RATINGS, SCORES, Assessment, Source, Sourced
from ..model import CQC_QUALITY_STATEMENTS
from . import render
from .context import Site

PASSAGES_PER_STATEMENT = 3


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str
    url: str  # for a link, else ""
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    stance: str
    url: str  # the passage on its letter's page
    letter: str  # "Walsall, June 2023"


@dataclass(frozen=True, slots=True)
class StatementRow:
    label: str
    score: str  # "2: some shortfalls", or "" when no source states it
    sources: tuple[Source, ...]
    quotes: tuple[Quote, ...]
    more: int


@dataclass(frozen=True, slots=True)
class CqcView:
    recorded: bool
    facts: tuple[Fact, ...] = ()
    pilot: bool = False
    statements: tuple[StatementRow, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class RecurringView:
    theme: str
    theme_url: str
    challenges: int
    first_year: int
    latest_year: int
    first: Quote
    latest: Quote


def _facts(a: Assessment) -> list[Fact]:
    def sources(value: Sourced) -> tuple[Source, ...]:
        return tuple(a.sources_of(value))

    facts = []
    if a.rating:
        facts.append(Fact("Overall rating", RATINGS[a.rating.value], "", sources(a.rating)))
    if a.score_percent:
        value = f"{a.score_percent.value}%"
        facts.append(Fact("Overall score", value, "", sources(a.score_percent)))
    if a.published:
        day: dt.date = a.published.value
        facts.append(Fact("Published", render.long_date(day), "", sources(a.published)))
    if a.report_url:
        facts.append(
            Fact("CQC's report", "CQC's report page", a.report_url.value, sources(a.report_url))
        )
    return facts


def quote(letter: Letter, passage: Evidence) -> Quote:
    stance = regional.stance_of(passage)
    return Quote(
        text=passage.text,
        stance=regional.STANCE_LABELS[stance] if stance else "",
        url=f"{letter.url}#{passage.anchor}" if passage.anchor else letter.url,
        letter=letter.label,
    )


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
                sources=tuple(assessment.sources_of(score)) if score else (),
                quotes=tuple(quote(p.letter, p.passage) for p in found[:PASSAGES_PER_STATEMENT]),
                more=max(0, len(found) - PASSAGES_PER_STATEMENT),
            )
        )
    return CqcView(
        recorded=True,
        facts=tuple(_facts(assessment)),
        pilot=bool(assessment.pilot and assessment.pilot.value),
        statements=tuple(rows),
        sources=tuple(assessment.sources.values()),
        notes=assessment.notes or "",
    )


def recurring_views(site: Site, slug: str) -> tuple[RecurringView, ...]:
    found = site.once("recurring", lambda: regional.recurring(site.letters, site.theme_order))
    return tuple(
        RecurringView(
            theme=site.reference.themes[r.theme].label,
            theme_url=f"themes/{r.theme}/",
            challenges=r.challenges,
            first_year=r.first_year,
            latest_year=r.latest_year,
            first=quote(r.first.letter, r.first.passage),
            latest=quote(r.latest.letter, r.latest.passage),
        )
        for r in found.get(slug, [])
    )
