"""letter.md → what the document says: authority, dates, team, sections, recommendations,
themes, and warnings wherever a field rests on weak evidence.

One module per field (authority, dates, team, sections, recommendations, themes) over the units
of `units`. Every finding carries its evidence: the sentence and where it stands. Pure
functions of the Markdown body and the reference data; nothing here reads or writes files
except the analyser's own vocabulary (roles.yml, organisations.yml, words.yml).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..lettermd import read_blocks
from ..register import Reference
from .authority import find_authority
from .dates import FoundDate, find_dates, find_range, read_dates
from .recommendations import FoundRecommendation, find_recommendations
from .sections import SECTION_KINDS, Section, section_kind
from .team import TeamFinding, find_team
from .themes import (
    THRESHOLD_MAX,
    THRESHOLD_MIN,
    ThemeScore,
    find_themes,
    theme_scores,
    theme_warnings,
    themes_in,
    threshold,
)
from .units import Evidence, FieldWarning, PhraseIndex, Unit, sentences, units_of

__all__ = [
    "SECTION_KINDS",
    "THRESHOLD_MAX",
    "THRESHOLD_MIN",
    "Analysis",
    "Evidence",
    "FieldWarning",
    "FoundDate",
    "FoundRecommendation",
    "PhraseIndex",
    "Section",
    "TeamFinding",
    "ThemeScore",
    "Unit",
    "analyse",
    "find_dates",
    "find_range",
    "section_kind",
    "sentences",
    "theme_scores",
    "themes_in",
    "threshold",
    "units_of",
]


@dataclass
class Analysis:
    authority: str | None = None
    authority_evidence: Evidence | None = None
    authority_mentions: int = 0  # how often the text names it
    visit_start: dt.date | None = None
    visit_end: dt.date | None = None
    visit_month: str | None = None  # "2024-03" when only the visit's month is given
    letter_date: dt.date | None = None
    letter_month: str | None = None  # "2024-03": the document's own date, by month
    year: int | None = None  # the challenge's year, from the best-supported date
    year_evidence: Evidence | None = None
    year_rule: str = ""  # what the year rests on: visit, letter, report, meeting, first year
    dates: list[FoundDate] = field(default_factory=list)
    team: list[TeamFinding] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    recommendations: list[FoundRecommendation] = field(default_factory=list)
    themes: list[ThemeScore] = field(default_factory=list)
    warnings: list[FieldWarning] = field(default_factory=list)

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    @property
    def date_evidence(self) -> list[Evidence]:
        """The sentences the visit, the document's date and the year were read from."""
        return [d.evidence for d in self.dates if d.role in ("visit", "letter", "report")]

    def warnings_for(self, name: str) -> list[str]:
        return [w.message for w in self.warnings if w.field == name]


def analyse(body: str, reference: Reference, today: dt.date | None = None) -> Analysis:
    """Read one document's Markdown body."""
    units = units_of(read_blocks(body))
    analysis = Analysis()
    analysis.sections = [
        Section(u.block.text, u.kind, u.where) for u in units if u.block.kind == "heading"
    ]
    authority = find_authority(units, reference)
    analysis.authority, analysis.authority_evidence = authority.slug, authority.evidence
    analysis.authority_mentions = authority.mentions
    dates = read_dates(units, today)
    if dates.visit:
        analysis.visit_start, analysis.visit_end = dates.visit
    analysis.visit_month, analysis.letter_date = dates.visit_month, dates.letter_date
    analysis.letter_month, analysis.dates = dates.letter_month, dates.found
    analysis.year, analysis.year_evidence, analysis.year_rule = (
        dates.year,
        dates.year_evidence,
        dates.year_rule,
    )
    analysis.team, team_warnings = find_team(units, reference, authority.slug)
    analysis.recommendations = find_recommendations(units, reference)
    analysis.themes = find_themes(units, reference)
    analysis.warnings = [
        *authority.warnings,
        *dates.warnings,
        *team_warnings,
        *theme_warnings(analysis.themes),
    ]
    if not units:
        analysis.warnings.append(FieldWarning("text", "the document has no text"))
    return analysis
