"""Regional memory: the letters read together, across councils and years.

- the council × theme matrix: for each council and theme, the letters raising the theme, and of
  those, which say it is a strength, an area for development or the subject of a recommendation;
- recurring findings: themes raised as areas for development in two or more of one council's
  challenges, with the first and the latest passage;
- the evaluation's asks, measured per year: who was on the review teams, and whether the
  follow-up review came within twelve months;
- a council's peer challenge passages by CQC quality statement, to stand beside CQC's scores.

Pure functions of the letters and the reference data; nothing here reads files or the clock (the
build date is an argument). What a passage says comes from the kind of section it stands in
(`Evidence.kind`, see analyse.SECTION_KINDS). A letter raises a theme when its letter.yml lists
the theme, as on the theme pages and in the finder.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from dateutil.relativedelta import relativedelta

from .analyse import Evidence, ThemeScore
from .model import LetterMeta, Role


class Stance(StrEnum):
    """What a passage says of its theme, from the section it stands in."""

    STRENGTH = "strength"
    DEVELOPMENT = "development"
    RECOMMENDATION = "recommendation"


STANCE_LABELS: dict[Stance, str] = {
    Stance.STRENGTH: "Strength",
    Stance.DEVELOPMENT: "Area for development",
    Stance.RECOMMENDATION: "Recommendation",
}
# Section kinds (analyse.SECTION_KINDS) that say something about a theme; a passage in any other
# section (a CQC theme's heading, the background, anything else) mentions it without a stance.
SECTION_STANCES: dict[str, Stance] = {
    "strengths": Stance.STRENGTH,
    "development": Stance.DEVELOPMENT,
    "recommendations": Stance.RECOMMENDATION,
}
# The roles the evaluation behind this repository asked every review team to include.
EVALUATION_ROLES: tuple[Role, ...] = (
    Role.LIVED_EXPERIENCE,
    Role.ELECTED_MEMBER,
    Role.OCCUPATIONAL_THERAPIST,
    Role.DATA_SPECIALIST,
    Role.PRINCIPAL_SOCIAL_WORKER,
)
REVIEW_WITHIN = relativedelta(months=12)  # the evaluation asked for a return within a year
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # as in site/data.py: never a formula in CSV


class LetterFacts(Protocol):
    """What this module reads of a letter (catalogue.Letter has all of it)."""

    @property
    def id(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def meta(self) -> LetterMeta: ...
    @property
    def theme_scores(self) -> Sequence[ThemeScore]: ...


L = TypeVar("L", bound=LetterFacts)


def stance_of(passage: Evidence) -> Stance | None:
    return SECTION_STANCES.get(passage.kind)


def passages(letter: LetterFacts, theme: str) -> tuple[Evidence, ...]:
    """The passages the analyser quotes for one theme of a letter, in the letter's order."""
    for score in letter.theme_scores:
        if score.id == theme:
            return score.evidence
    return ()


def stances(letter: LetterFacts) -> dict[str, frozenset[Stance]]:
    """For each theme the letter raises, what its passages say: {theme: {strength, …}}."""
    return {
        theme: frozenset(s for p in passages(letter, theme) if (s := stance_of(p)))
        for theme in letter.meta.themes
    }


# ---------------------------------------------------------------------------------------------
# The council × theme matrix


@dataclass(frozen=True, slots=True)
class Raised(Generic[L]):
    """One letter raising a theme: what its passages say, and the passages."""

    letter: L
    stances: frozenset[Stance]
    passages: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Cell(Generic[L]):
    """The letters of one council raising one theme, oldest first."""

    council: str
    theme: str
    raised: tuple[Raised[L], ...] = ()

    @property
    def letters(self) -> int:
        return len(self.raised)

    def count(self, stance: Stance) -> int:
        """How many of the letters say this of the theme (a letter may say several things)."""
        return sum(stance in r.stances for r in self.raised)

    @property
    def strengths(self) -> int:
        return self.count(Stance.STRENGTH)

    @property
    def development(self) -> int:
        return self.count(Stance.DEVELOPMENT)

    @property
    def recommendations(self) -> int:
        return self.count(Stance.RECOMMENDATION)


@dataclass(frozen=True)
class Matrix(Generic[L]):
    """Councils (rows) by themes (columns), in the orders given."""

    councils: tuple[str, ...]
    themes: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell[L]]

    def cell(self, council: str, theme: str) -> Cell[L]:
        return self.cells.get((council, theme)) or Cell(council, theme)

    def row(self, council: str) -> list[Cell[L]]:
        return [self.cell(council, theme) for theme in self.themes]

    def column(self, theme: str) -> list[Cell[L]]:
        return [self.cell(council, theme) for council in self.councils]

    def theme_total(self, theme: str) -> int:
        """Letters raising the theme, across the matrix's councils."""
        return sum(c.letters for c in self.column(theme))

    def council_letters(self, council: str) -> int:
        """Letters of the council raising any theme."""
        return len({r.letter.id for c in self.row(council) for r in c.raised})


def matrix(letters: Iterable[L], councils: Sequence[str], themes: Sequence[str]) -> Matrix[L]:
    """The council × theme matrix over the given councils and themes; letters of other councils,
    and themes outside the list, are left out. One pass over the letters."""
    wanted_councils, wanted_themes = set(councils), set(themes)
    found: dict[tuple[str, str], list[Raised[L]]] = defaultdict(list)
    for letter in sorted(letters, key=lambda x: (x.year, x.id)):
        council = letter.meta.authority
        if council not in wanted_councils:
            continue
        for theme, said in stances(letter).items():
            if theme in wanted_themes:
                found[council, theme].append(Raised(letter, said, passages(letter, theme)))
    cells = {key: Cell(key[0], key[1], tuple(raised)) for key, raised in found.items()}
    return Matrix(tuple(councils), tuple(themes), cells)


MATRIX_COLUMNS: tuple[tuple[str, str], ...] = (
    ("council", "The council's id on this site."),
    ("council_name", "The council's official name."),
    ("theme", "The theme's id (see /themes/)."),
    ("theme_label", "The theme's name."),
    ("letters", "Letters of the council raising the theme."),
    ("strength", "Of those, letters quoting it among the council's strengths."),
    ("development", "Of those, letters quoting it among the areas for development."),
    ("recommendation", "Of those, letters quoting it among the recommendations."),
)


def matrix_csv(m: Matrix, council_names: Mapping[str, str], theme_labels: Mapping[str, str]) -> str:
    """The matrix as a tidy CSV: one row per council and theme, zeros included, so that a
    spreadsheet can pivot it any way."""
    rows = [
        [
            cell.council,
            council_names[cell.council],
            cell.theme,
            theme_labels[cell.theme],
            cell.letters,
            cell.strengths,
            cell.development,
            cell.recommendations,
        ]
        for council in m.councils
        for cell in m.row(council)
    ]
    return _csv([name for name, _ in MATRIX_COLUMNS], rows)


def matrix_wide_csv(
    m: Matrix, council_names: Mapping[str, str], theme_labels: Mapping[str, str]
) -> str:
    """The matrix as the page shows it: a row per council, a column per theme, each cell the
    number of letters raising the theme."""
    header = ["council", "council_name", *(theme_labels[t] for t in m.themes)]
    rows = [
        [council, council_names[council], *(c.letters for c in m.row(council))]
        for council in m.councils
    ]
    return _csv(header, rows)


def _csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(v) for v in header])
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# ---------------------------------------------------------------------------------------------
# Recurring findings


@dataclass(frozen=True, slots=True)
class Finding(Generic[L]):
    """A letter raising a theme as an area for development, and its first such passage."""

    letter: L
    passage: Evidence


@dataclass(frozen=True, slots=True)
class Recurring(Generic[L]):
    """A theme raised as an area for development in two or more of one council's challenges."""

    council: str
    theme: str
    findings: tuple[Finding[L], ...]  # oldest first

    @property
    def first(self) -> Finding[L]:
        return self.findings[0]

    @property
    def latest(self) -> Finding[L]:
        return self.findings[-1]

    @property
    def first_year(self) -> int:
        return self.first.letter.year

    @property
    def latest_year(self) -> int:
        return self.latest.letter.year

    @property
    def challenges(self) -> int:
        return len(self.findings)


def recurring(
    letters: Iterable[L], theme_order: Mapping[str, int]
) -> dict[str, list[Recurring[L]]]:
    """For each council, the themes its challenges raised as areas for development more than
    once: most challenges first, then the most recently raised, then in the taxonomy's order."""
    found: dict[tuple[str, str], list[Finding[L]]] = defaultdict(list)
    for letter in sorted(letters, key=lambda x: (x.year, x.id)):
        for theme in letter.meta.themes:
            passage = next(
                (p for p in passages(letter, theme) if stance_of(p) is Stance.DEVELOPMENT), None
            )
            if passage is not None:
                found[letter.meta.authority, theme].append(Finding(letter, passage))
    by_council: dict[str, list[Recurring[L]]] = defaultdict(list)
    for (council, theme), findings in found.items():
        if len(findings) >= 2:
            by_council[council].append(Recurring(council, theme, tuple(findings)))
    for items in by_council.values():
        items.sort(
            key=lambda r: (
                -r.challenges,
                -r.latest_year,
                theme_order.get(r.theme, len(theme_order)),
            )
        )
    return dict(sorted(by_council.items()))


# ---------------------------------------------------------------------------------------------
# The evaluation's asks, per year


@dataclass(frozen=True, slots=True)
class Share:
    """`count` of `of`; the percentage is rounded half up, None when there is nothing to count."""

    count: int
    of: int

    @property
    def percent(self) -> int | None:
        return (200 * self.count + self.of) // (2 * self.of) if self.of else None


@dataclass(frozen=True)
class YearAsks:
    """One year's challenges measured against what the evaluation asked for."""

    year: int
    challenges: int
    team_recorded: int  # challenges whose letter.yml lists the review team
    roles: dict[Role, Share] = field(default_factory=dict)  # of challenges with a team recorded
    reviewed_in_time: Share = Share(0, 0)  # of challenges whose twelve months have passed
    review_not_yet_due: int = 0  # twelve months not yet over, and no review yet
    review_unknown: int = 0  # no visit dates to count the twelve months from


def review_deadline(meta: LetterMeta) -> dt.date | None:
    """Twelve months after the end of the visit, when the follow-up review should have come."""
    return meta.visit.end + REVIEW_WITHIN if meta.visit else None


def evaluation(letters: Iterable[LetterFacts], today: dt.date) -> list[YearAsks]:
    """Per year, oldest first: the share of challenges whose team included each role the
    evaluation asked for, and the share whose follow-up review came within twelve months of
    the visit, as of `today` (the build date)."""
    by_year: dict[int, list[LetterFacts]] = defaultdict(list)
    for letter in letters:
        by_year[letter.year].append(letter)
    out = []
    for year, group in sorted(by_year.items()):
        teams = [{m.role for m in x.meta.team} for x in group if x.meta.team]
        in_time = due = not_yet = unknown = 0
        for letter in group:
            deadline = review_deadline(letter.meta)
            follow = letter.meta.follow_up
            reviewed = follow.review_date if follow else None
            if deadline is None:
                unknown += 1
            elif reviewed is not None and reviewed <= deadline:
                in_time += 1
                due += 1
            elif reviewed is not None or deadline < today:
                due += 1
            else:
                not_yet += 1
        out.append(
            YearAsks(
                year=year,
                challenges=len(group),
                team_recorded=len(teams),
                roles={
                    role: Share(sum(role in team for team in teams), len(teams))
                    for role in EVALUATION_ROLES
                },
                reviewed_in_time=Share(in_time, due),
                review_not_yet_due=not_yet,
                review_unknown=unknown,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Peer challenge passages beside CQC's quality statements


@dataclass(frozen=True, slots=True)
class StatementPassage(Generic[L]):
    letter: L
    theme: str
    passage: Evidence

    @property
    def stance(self) -> Stance | None:
        return stance_of(self.passage)


def by_quality_statement(
    letters: Iterable[L], statements_of_theme: Mapping[str, Sequence[str]]
) -> dict[str, list[StatementPassage[L]]]:
    """A council's passages grouped by the CQC quality statements their themes map to (a theme
    may map to several), newest letter first, each letter's passages in its order. Passages
    that say nothing of strength, development or recommendation are left out: a statement's
    score is set beside what the peer team found, not beside background."""
    found: dict[str, list[StatementPassage[L]]] = defaultdict(list)
    seen: set[tuple[str, str, str, str]] = set()  # one sentence may stand for two themes
    for letter in sorted(letters, key=lambda x: (-x.year, x.id)):
        for theme in letter.meta.themes:
            for passage in passages(letter, theme):
                if stance_of(passage) is None:
                    continue
                for statement in statements_of_theme.get(theme, ()):
                    key = (statement, letter.id, passage.anchor, passage.text)
                    if key not in seen:
                        seen.add(key)
                        found[statement].append(StatementPassage(letter, theme, passage))
    return dict(found)
