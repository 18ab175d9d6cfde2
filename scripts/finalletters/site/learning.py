"""Regional learning: the letters read together rather than one at a time.

`/learning/` shows, as a heat map with the numbers in it and as a table, how many councils'
letters raised each theme in each year; then the themes each council's challenges raised as
areas for development more than once (`/learning/recurring/` sets the first and the latest
passage side by side); then, year by year, what the evaluation behind this repository asked
for: the share of challenges whose team included each role it named, and the share whose
follow-up review came within twelve months (regional.evaluation, as of the build date).
`/learning/<yyyy>/` gathers a year's letters by theme: a summary in words true for that year's
numbers, a bar chart, and for each theme the councils that raised it, what the teams
recommended and passages of the letters that show it, folded away so that the page stays
short. The wording holds for a year of one letter as of twenty: no heading promises a theme
"raised with more than one council" when none was.

Every letter is read once, in `years`; other page kinds may share those groups
(`years(site)`). Only the reviews' share depends on the day the site is built (`Site.today`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from markupsafe import Markup

from .. import regional
from ..analyse import Evidence
from ..catalogue import Letter
from ..model import ROLE_LABELS, Recommendation, Theme
from . import charts, council_memory, render, urls
from .context import Site
from .letter_page import Link
from .passages import Passage, passage
from .plumbing import Generated, Heading, PageInfo, generate, toc

PASSAGES_PER_LETTER = 2  # passages quoted per letter and theme; the theme page has more
# Which passages to quote first: findings before the scene-setting of an introduction.
PASSAGE_ORDER = ("strengths", "development", "cqc-theme", "recommendations", "other")
NAMED = 5  # themes named in a summary sentence before "and N more"
COUNCILS_NAMED = 3  # councils named beside a theme; more are listed in its folded part
RECURRING_NAMED = 3  # recurring themes named for each year on /learning/


@dataclass
class Raised:
    """One letter raising a theme in its year, with its recommendations on that theme."""

    letter: Letter
    recommendations: list[Recommendation] = field(default_factory=list)


@dataclass
class Year:
    """A year's letters, and for each theme the letters that raised it, in one pass."""

    year: int
    letters: list[Letter]  # newest first
    themes: dict[str, list[Raised]] = field(default_factory=dict)
    unthemed: list[tuple[Letter, Recommendation]] = field(default_factory=list)

    def councils(self, raised: list[Raised] | None = None) -> int:
        """How many councils were visited, or raised a theme, this year."""
        chosen = self.letters if raised is None else [r.letter for r in raised]
        return len({letter.authority.slug for letter in chosen})

    def ranked(self, site: Site) -> list[tuple[Theme, list[Raised]]]:
        """The year's themes, raised with the most councils first, then in taxonomy order."""
        order = sorted(
            self.themes, key=lambda t: (-self.councils(self.themes[t]), site.theme_order[t])
        )
        return [(site.reference.themes[t], self.themes[t]) for t in order]


def years(site: Site) -> dict[int, Year]:
    """The letters grouped by year and, within a year, by theme: made once per build. A letter
    raises a theme when its letter.yml lists the theme for the letter or for one of its
    recommendations."""
    return site.once("learning.years", lambda: _years(site))


def _years(site: Site) -> dict[int, Year]:
    found: dict[int, Year] = {}
    for year, letters in sorted(site.by_year.items()):
        grouped = Year(year, letters)
        for letter in letters:
            raised = {t: Raised(letter) for t in letter.meta.themes}
            for recommendation in letter.meta.recommendations:
                for t in recommendation.themes:
                    raised.setdefault(t, Raised(letter)).recommendations.append(recommendation)
                if not recommendation.themes:
                    grouped.unthemed.append((letter, recommendation))
            for t, entry in raised.items():
                grouped.themes.setdefault(t, []).append(entry)
        found[year] = grouped
    return found


def pages(site: Site) -> Iterator[Generated]:
    """The learning index, the themes raised again, and one page per year."""
    grouped = years(site)
    yield learning_index(site, grouped)
    yield recurring_page(site)
    for year in grouped.values():
        yield learning_year(site, year)


def files(site: Site) -> dict[str, str | bytes]:
    return {}


# ---------------------------------------------------------------------------------------------
# Words that are true for the numbers


def councils_phrase(n: int) -> str:
    return render.plural(n, "council")


def year_summary(year: Year, ranked: Sequence[tuple[Theme, int]]) -> str:
    """What a year's letters raised, in sentences true for its numbers: one letter or many,
    themes that recur or none that do. ranked: (theme, councils), most councils first."""
    visited = year.councils()
    if visited == 1:
        council = year.letters[0].authority.short_name
        if not ranked:
            return f"In {year.year} one council was visited, {council}; no theme is recorded."
        labels = [theme.label for theme, _ in ranked]
        return (
            f"In {year.year} one council was visited, {council}. Its "
            f"{'letter' if len(year.letters) == 1 else 'letters'} raised "
            f"{render.plural(len(labels), 'theme')}: {_named(labels)}."
        )
    opening = f"In {year.year}, {councils_phrase(visited)} were visited."
    if not ranked:
        return f"{opening} No theme is recorded for their letters yet."
    recurring = [(theme, n) for theme, n in ranked if n > 1]
    once = len(ranked) - len(recurring)
    if not recurring:
        return (
            f"{opening} No theme was raised with more than one of them: their letters raised "
            f"{render.plural(once, 'theme')} between them."
        )
    parts = []
    for k, (theme, n) in enumerate(recurring[:NAMED]):
        share = ("both" if n == 2 else f"all {n}") if n == visited else str(n)
        parts.append(f"{theme.label} was raised with {share} councils" if k == 0 else
                     f"{theme.label} with {share}")  # fmt: skip
    more = len(recurring) - NAMED
    if more > 0:
        parts.append(f"{render.plural(more, 'more theme')} with more than one")
    sentence = f"{opening} {_joined(parts)}."
    if once == 1:
        sentence += " One other theme was raised with one council."
    elif once:
        sentence += f" {once} other themes were raised with one council each."
    return sentence


def _named(labels: list[str]) -> str:
    shown = labels[:NAMED]
    if len(labels) > NAMED:
        shown.append(f"{len(labels) - NAMED} more")
    return _joined(shown)


def _joined_and(parts: list[str]) -> str:
    """A, B and C."""
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _joined(parts: list[str]) -> str:
    """A, B and C; A; or A and B."""
    if len(parts) < 3:
        return " and ".join(parts)
    return "; ".join(parts[:-1]) + " and " + parts[-1]


def across_summary(first: int, last: int, visits: int, ranked: Sequence[tuple[str, int]]) -> str:
    """The themes raised most often over all the years. ranked: (label, councils)."""
    span = str(first) if first == last else f"{first} to {last}"
    opening = f"From {span}, {render.plural(visits, 'peer challenge')}"
    if not ranked:
        return f"{opening}: no theme is recorded yet."
    top, n = ranked[0]
    sentence = f"{opening}. {top} was raised most often, with {councils_phrase(n)}"
    rest = [f"{label} ({count})" for label, count in ranked[1:4]]
    if rest:
        sentence += "; then " + _joined_and(rest)
    return sentence + "."


# ---------------------------------------------------------------------------------------------
# /learning/<yyyy>/


@dataclass(frozen=True, slots=True)
class RecommendationItem:
    text: str
    id: str
    council: str  # the council, or "Walsall, June 2023" when it had two letters that year
    url: str
    status: str


@dataclass(frozen=True, slots=True)
class ThemeSection:
    theme: Theme
    anchor: str
    url: str
    councils: int
    letters: tuple[Link, ...]
    recommendations: tuple[RecommendationItem, ...]
    passages: tuple[Passage, ...]

    @property
    def fold_label(self) -> str:
        """What the theme's folded part holds: "the 12 councils, 4 recommendations and 9
        passages"."""
        parts = []
        if len(self.letters) > COUNCILS_NAMED:
            parts.append(f"the {len(self.letters)} councils")
        if self.recommendations:
            parts.append(render.plural(len(self.recommendations), "recommendation"))
        if self.passages:
            parts.append(render.plural(len(self.passages), "passage"))
        text = _joined_and(parts)
        return text[0].upper() + text[1:]


@dataclass(frozen=True, slots=True)
class LearningYearView:
    template: ClassVar[str] = "learning_year.html"

    year: int
    councils: int
    letters: tuple[Link, ...]
    summary: str
    chart: Markup
    recurring: tuple[ThemeSection, ...]
    once: tuple[ThemeSection, ...]  # all the themes, when none recurs
    unthemed: tuple[RecommendationItem, ...]

    @property
    def themes_heading(self) -> str:
        """The heading over the themes raised with one council: only "with one council" when
        some other theme was raised with more."""
        if self.recurring:
            return "Themes raised with one council"
        return "Themes raised in the letter" if len(self.letters) == 1 else "Themes raised"


def learning_year(site: Site, year: Year) -> Generated:
    url = urls.learning(year.year)
    # Two letters to one council in a year are told apart by their month.
    names = Counter(letter.authority.slug for letter in year.letters)

    def name(letter: Letter) -> str:
        return letter.label if names[letter.authority.slug] > 1 else letter.authority.short_name

    def item(letter: Letter, r: Recommendation) -> RecommendationItem:
        return RecommendationItem(
            r.text, r.id, name(letter), f"{letter.url}#{r.id.lower()}", letter.status_label(r)
        )

    def section(theme: Theme, raised: list[Raised]) -> ThemeSection:
        entries = sorted(raised, key=lambda r: (r.letter.authority.short_name, r.letter.id))
        found = []
        for entry in entries:
            score = next((s for s in entry.letter.theme_scores if s.id == theme.id), None)
            found += [
                passage(site, entry.letter, e) for e in findings(score.evidence if score else ())
            ]
        return ThemeSection(
            theme=theme,
            anchor=f"theme-{theme.id}",
            url=urls.theme(theme.id),
            councils=year.councils(raised),
            letters=tuple(Link(name(e.letter), e.letter.url) for e in entries),
            recommendations=tuple(item(e.letter, r) for e in entries for r in e.recommendations),
            passages=tuple(found),
        )

    ranked = year.ranked(site)
    sections = [section(theme, raised) for theme, raised in ranked]
    counted = [(s.theme, s.councils) for s in sections]
    visited = year.councils()
    chart = charts.bar_chart(
        f"chart-{year.year}",
        f"Councils whose letters raised each theme in {year.year}",
        f"A bar for each theme raised in {year.year}, as long as the number of councils, of "
        f"the {councils_phrase(visited)} visited, whose letters raised it. "
        + "; ".join(f"{theme.label}: {n}" for theme, n in counted),
        [charts.Bar(theme.label, n) for theme, n in counted],
        visited,
    )
    view = LearningYearView(
        year=year.year,
        councils=visited,
        letters=tuple(Link(x.label, x.url) for x in year.letters),
        summary=year_summary(year, counted),
        chart=chart,
        recurring=tuple(s for s in sections if s.councils > 1),
        once=tuple(s for s in sections if s.councils == 1),
        unthemed=tuple(item(x, r) for x, r in year.unthemed),
    )
    title = f"Regional learning from {year.year}"
    headings = list(toc(title, ("letters", "Letters")))
    for key, heading, chosen in (
        ("recurring", "Themes raised with more than one council", view.recurring),
        ("once", view.themes_heading, view.once),
    ):
        if chosen:
            headings.append(Heading(2, key, heading))
            headings += [Heading(3, s.anchor, s.theme.label) for s in chosen]
    if view.unthemed:
        headings.append(Heading(2, "unthemed", "Recommendations without a theme"))
    info = PageInfo(
        title,
        max(x.updated for x in year.letters),
        f"What the peer challenges of {year.year} found across the West Midlands, by theme.",
        toc=tuple(headings),
    )
    return generate(url, view, info)


def findings(evidence: Sequence[Evidence]) -> list[Evidence]:
    """The passages to quote from one letter: those in its strengths and areas for development
    first (by the kind of section they stand in), then the rest in the letter's order."""
    rank = {kind: n for n, kind in enumerate(PASSAGE_ORDER)}
    return sorted(evidence, key=lambda e: rank.get(e.kind, len(rank)))[:PASSAGES_PER_LETTER]


# ---------------------------------------------------------------------------------------------
# /learning/


@dataclass(frozen=True, slots=True)
class YearLine:
    year: int
    url: str
    letters: int
    councils: int
    recurring: tuple[tuple[str, int], ...]  # (theme, councils) raised with more than one

    @property
    def widest(self) -> str:
        """The recurring themes raised with the most councils: "Workforce (18), Carers (12)
        and Housing (10), and 15 more"."""
        shown = [f"{label} ({n})" for label, n in self.recurring[:RECURRING_NAMED]]
        more = len(self.recurring) - len(shown)
        return _joined_and(shown) + (f", and {more} more" if more > 0 else "")


@dataclass(frozen=True, slots=True)
class MatrixRow:
    theme: Theme
    url: str
    counts: tuple[int, ...]  # councils, year by year, oldest first
    total: int


@dataclass(frozen=True, slots=True)
class AsksRow:
    """One year against the evaluation's asks, each share in words: "3 of 5 (60%)"."""

    year: int
    url: str
    challenges: int
    team_recorded: int
    roles: tuple[str, ...]  # in EVALUATION_ROLES' order
    reviewed: str
    note: str  # what the reviews' share leaves out


def share_words(share: regional.Share) -> str:
    return f"{share.count} of {share.of} ({share.percent}%)" if share.of else "–"


def _asks(site: Site) -> tuple[tuple[AsksRow, ...], Markup]:
    """The evaluation's asks per year, as a table's rows and a chart of the same figures."""
    found = regional.evaluation(site.letters, site.today)
    rows = []
    for y in found:
        left = []
        if y.review_not_yet_due:
            left.append(f"{y.review_not_yet_due} not yet twelve months after the visit")
        if y.review_unknown:
            left.append(f"{y.review_unknown} without visit dates")
        rows.append(
            AsksRow(
                year=y.year,
                url=urls.learning(y.year),
                challenges=y.challenges,
                team_recorded=y.team_recorded,
                roles=tuple(share_words(y.roles[role]) for role in regional.EVALUATION_ROLES),
                reviewed=share_words(y.reviewed_in_time),
                note="; ".join(left),
            )
        )
    labels = [ROLE_LABELS[r] for r in regional.EVALUATION_ROLES]
    labels.append("Review within 12 months")
    percents = [[y.roles[r].percent for y in found] for r in regional.EVALUATION_ROLES]
    percents.append([y.reviewed_in_time.percent for y in found])
    chart = charts.share_grid(
        "asks-chart",
        "What the evaluation asked for, by year",
        "A column for each year of visit. A row for each role the evaluation asked review "
        "teams to include, with the share of challenges whose team included it (of those "
        "whose team is recorded); and a row with the share whose follow-up review came within "
        "twelve months of the visit (of those whose twelve months have passed). A dash means "
        "there was nothing to count. The table below gives the same figures with their counts.",
        labels,
        [str(y.year) for y in found],
        percents,
    )
    return tuple(rows), chart


@dataclass(frozen=True, slots=True)
class LearningView:
    template: ClassVar[str] = "learning.html"

    summary: str
    heat_map: Markup
    years: tuple[YearLine, ...]  # newest first
    columns: tuple[tuple[int, str, int], ...]  # (year, url, councils visited), oldest first
    rows: tuple[MatrixRow, ...]
    never: tuple[str, ...]
    visits: int
    # each West Midlands council's themes raised again, councils A to Z
    recurring: tuple[tuple[str, tuple[council_memory.RecurringView, ...]], ...]
    recurring_url: str
    roles: tuple[str, ...]  # the roles the evaluation asked for, as the table's columns say
    asks: tuple[AsksRow, ...]  # oldest year first
    asks_chart: Markup
    today: dt.date


def learning_index(site: Site, grouped: dict[int, Year]) -> Generated:
    order = sorted(grouped)  # oldest first: a trend reads from left to right
    counts = {
        (theme_id, y): grouped[y].councils(raised)
        for y in order
        for theme_id, raised in grouped[y].themes.items()
    }
    totals = Counter({t: 0 for t in site.reference.themes})
    for (theme_id, _), n in counts.items():
        totals[theme_id] += n
    raised = sorted(
        (t for t in totals if totals[t]), key=lambda t: (-totals[t], site.theme_order[t])
    )
    rows = tuple(
        MatrixRow(
            site.reference.themes[t],
            urls.theme(t),
            tuple(counts.get((t, y), 0) for y in order),
            totals[t],
        )
        for t in raised
    )
    visited = [grouped[y].councils() for y in order]
    asks, asks_chart = _asks(site)
    heat = charts.heat_map(
        "heat-map",
        "Councils whose letters raised each theme, by year",
        "A matrix of themes by year of visit. Each cell gives the number of councils whose "
        "letters raised the theme that year, shaded darker the larger its share of the "
        "councils visited; a blank cell means none did. The table below gives the same "
        "figures.",
        [row.theme.label for row in rows],
        [str(y) for y in order],
        [row.counts for row in rows],
        visited,
    )
    view = LearningView(
        summary=across_summary(
            order[0] if order else 0,
            order[-1] if order else 0,
            sum(visited),
            [(row.theme.label, row.total) for row in rows],
        )
        if order
        else "No letters have been published yet.",
        heat_map=heat,
        years=tuple(
            YearLine(
                y,
                urls.learning(y),
                len(grouped[y].letters),
                grouped[y].councils(),
                tuple(
                    (theme.label, grouped[y].councils(entries))
                    for theme, entries in grouped[y].ranked(site)
                    if grouped[y].councils(entries) > 1
                ),
            )
            for y in reversed(order)
        ),
        columns=tuple((y, urls.learning(y), grouped[y].councils()) for y in order),
        rows=rows,
        never=tuple(theme.label for theme in site.themes if not totals[theme.id]),
        visits=sum(visited),
        recurring=tuple((name, views) for _, name, views in _recurring_by_name(site)),
        recurring_url=urls.RECURRING,
        roles=tuple(ROLE_LABELS[r] for r in regional.EVALUATION_ROLES),
        asks=asks,
        asks_chart=asks_chart,
        today=site.today,
    )
    title = "Regional learning"
    sections = [
        ("across-the-years", "Across the years"),
        ("recurring", "Raised again"),
        ("evaluation", "What the evaluation asked for"),
        ("years", "Learning by year"),
    ]
    description = "What the peer challenges found across the West Midlands, theme by theme."
    info = PageInfo(title, site.newest, description, toc=toc(title, *sections))
    return generate(urls.LEARNING, view, info)


# ---------------------------------------------------------------------------------------------
# /learning/recurring/


@dataclass(frozen=True, slots=True)
class RecurringView:
    template: ClassVar[str] = "recurring.html"

    councils: tuple[tuple[str, str, tuple[council_memory.RecurringView, ...]], ...]
    total: int


def _recurring_by_name(
    site: Site,
) -> list[tuple[str, str, tuple[council_memory.RecurringView, ...]]]:
    """(slug, short name, views) of each West Midlands council with themes raised again, A to
    Z: the region's own memory, at most one entry per council and theme (every council's page
    has its own)."""
    found = council_memory.recurring(site)
    return [(a.slug, a.short_name, found[a.slug]) for a in site.west_midlands() if a.slug in found]


def recurring_page(site: Site) -> Generated:
    """The West Midlands councils' themes raised again, the first and the latest passage side
    by side: at most one entry per council and theme, whatever the number of letters."""
    chosen = _recurring_by_name(site)
    view = RecurringView(
        councils=tuple((name, f"council-{slug}", views) for slug, name, views in chosen),
        total=sum(len(views) for _, _, views in chosen),
    )
    title = "Raised again"
    sections = [(anchor, name) for name, anchor, _ in view.councils]
    description = (
        "Themes raised as areas for development in more than one of a West Midlands council's "
        "peer challenges, with the first and the latest passage side by side."
    )
    info = PageInfo(title, site.newest, description, toc=toc(title, *sections))
    return generate(urls.RECURRING, view, info)
