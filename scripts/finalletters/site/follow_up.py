"""/follow-up/: every letter's follow-up clock on the build date, overdue first, and the alerts
of reviews falling due (Atom and iCalendar, for the region and for each council).

The build date is `Site.today` (SOURCE_DATE_EPOCH, else today: see clock.build_date), so two
builds for the same date write the same bytes. The page counts what is overdue, due soon and
done, gives each council a line, and lists the most pressing letters (ROWS_SHOWN; each
council's page lists all of its own, `council_follow_up`): each with a small stacked bar of its
recommendations by state (charts.py) and the numbers beside it as text, and each
recommendation with its due date (a revised one with its reason) and its status with the date
and source of the change (progress review, action plan, coordinator) from letter.yml's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit

from markupsafe import Markup

from .. import clock
from ..catalogue import Letter
from ..clock import SOURCE_LABELS, STATE_LABELS, STATE_ORDER, Change, Clock, State
from . import alerts, charts, render, urls
from .context import EPOCH, Site
from .plumbing import Generated, PageInfo, generate, toc

ROWS_SHOWN = 100  # letters listed on /follow-up/, the most pressing first
FILLS = {  # each at least 3:1 against white and against its neighbours in STATE_ORDER
    State.OVERDUE: "#a8200d",
    State.DUE_SOON: "#f0a30a",
    State.NOT_YET_DUE: "#3f65a8",
    State.NO_DATE: "#c9cdd1",
    State.DONE: "#005a30",
    State.DROPPED: "#9aa0a6",
}


@dataclass(frozen=True, slots=True)
class Attachment:
    url: str
    size: str


@dataclass(frozen=True, slots=True)
class RecommendationLine:
    """One recommendation's clock in words."""

    id: str
    url: str  # the recommendation on its letter's page
    state: str  # "Overdue"
    overdue: bool
    due: str  # "Due 15 June 2024", "Due 30 June 2025, revised: …"
    status: str  # "Done on 20 June 2024, from the progress review"
    earlier: tuple[str, ...]  # the changes before the latest, oldest first


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    label: str
    url: str
    sample: bool
    state: str  # the most pressing state, in words
    overdue: bool
    review: str  # the review in words: "Overdue since 16 June 2024", "Held on 20 June 2024"
    plan: Attachment | None
    progress_review: Attachment | None
    recommendations: tuple[RecommendationLine, ...]
    counts: tuple[tuple[int, str], ...]  # (how many, state), zeros left out
    bar: Markup


@dataclass(frozen=True, slots=True)
class CouncilLine:
    council: str
    url: str  # the council's page, at its follow-up
    letters: int
    letters_overdue: int
    counts: tuple[tuple[int, str], ...]  # recommendations by state, zeros left out
    bar: Markup


@dataclass(frozen=True, slots=True)
class FollowUpView:
    template: ClassVar[str] = "follow_up.html"

    today: dt.date
    soon_days: int
    totals: tuple[tuple[int, str], ...]  # recommendations in every state, zeros included
    reviews: tuple[tuple[int, str], ...]  # progress reviews in every state, zeros included
    letters: int
    letters_overdue: int
    councils: tuple[CouncilLine, ...]
    rows: tuple[FollowUpRow, ...]
    more: int  # letters not listed here (on their councils' pages)
    feed: str
    calendar: str


@dataclass(frozen=True, slots=True)
class CouncilFollowUp:
    """A council's letters on its own page, as /follow-up/ shows them."""

    today: dt.date
    rows: tuple[FollowUpRow, ...]
    totals: tuple[tuple[int, str], ...]  # zeros left out
    feed: str
    calendar: str


def follow_ups(site: Site) -> list[clock.LetterFollowUp[Letter]]:
    """Every letter's follow-up on the build date, the most pressing first: made once."""
    return site.once("follow-ups", lambda: clock.follow_ups(site.letters, site.today))


def _by_council(site: Site) -> dict[str, list[clock.LetterFollowUp[Letter]]]:
    """The follow-ups of each council's letters, in the same order: made once."""

    def make() -> dict[str, list[clock.LetterFollowUp[Letter]]]:
        found: dict[str, list[clock.LetterFollowUp[Letter]]] = {s: [] for s in site.by_authority}
        for item in follow_ups(site):
            found[item.letter.authority.slug].append(item)
        return found

    return site.once("follow-ups.by-council", make)


def pages(site: Site) -> Iterator[Generated]:
    yield follow_up(site)


# ---------------------------------------------------------------------------------------------
# Words


def _attachment(letter: Letter, name: str | None) -> Attachment | None:
    """A PDF beside the letter, as a link: its site path and size."""
    pdf = letter.attachments.get(name) if name else None
    if pdf is None:
        return None
    return Attachment(urls.letter_file(letter.id, pdf.name), render.file_size(pdf.size))


def _review(item: clock.LetterFollowUp[Letter]) -> str:
    due, state = item.review_due, item.review_state
    if item.reviewed:
        return f"Held on {render.long_date(item.reviewed)}"
    if due is None:
        if item.letter.meta.visit_month:
            return "No date: only the visit’s month is recorded"
        return "No date: the visit is not recorded"
    if state is State.OVERDUE:
        return f"Overdue since {render.long_date(due + dt.timedelta(days=1))}"
    if state is State.DUE_SOON:
        return f"Due soon, on {render.long_date(due)}"
    return f"Due on {render.long_date(due)}"


def change_words(change: Change) -> str:
    """A status, its date and its source: "Done on 20 June 2024, from the progress review"."""
    words = Letter.STATUS_LABELS[change.status]
    if change.date:
        words += f" on {render.long_date(change.date)}"
    if change.source:
        words += f", from the {SOURCE_LABELS.get(change.source, change.source)}"
    if change.note:
        words += f" ({change.note})"
    return words


def status_words(letter: Letter, c: Clock) -> str:
    """A recommendation's status with its date and source, or what is not recorded."""
    if c.latest:
        return change_words(c.latest)
    if not letter.statuses_known:
        return "No progress recorded"
    label = Letter.STATUS_LABELS[c.status]
    return label if c.status is clock.Status.OPEN else f"{label} (date and source not recorded)"


def due_words(c: Clock) -> str:
    if c.due is None:
        return "No due date: the visit is not recorded"
    words = f"Due {render.long_date(c.due)}"
    return f"{words}, revised: {c.due_reason}" if c.due_reason else words


def _parts(counts: dict[State, int]) -> list[charts.Part]:
    return [charts.Part(STATE_LABELS[s], counts[s], FILLS[s]) for s in STATE_ORDER]


def _counted(counts: dict[State, int]) -> tuple[tuple[int, str], ...]:
    return tuple((n, STATE_LABELS[s].lower()) for s, n in counts.items() if n)


def row(item: clock.LetterFollowUp[Letter]) -> FollowUpRow:
    letter = item.letter
    follow = letter.meta.follow_up
    counts = item.counts
    lines = tuple(
        RecommendationLine(
            id=c.recommendation.id,
            url=f"{letter.url}#{c.recommendation.id.lower()}",
            state=STATE_LABELS[c.state(item.today, item.soon)],
            overdue=c.state(item.today, item.soon) is State.OVERDUE,
            due=due_words(c),
            status=status_words(letter, c),
            earlier=tuple(change_words(change) for change in c.history[:-1]),
        )
        for c in item.clocks
    )
    return FollowUpRow(
        label=letter.label,
        url=letter.url,
        sample=letter.meta.sample,
        state=STATE_LABELS[item.state],
        overdue=item.state is State.OVERDUE,
        review=_review(item),
        plan=_attachment(letter, follow.action_plan if follow else None),
        progress_review=_attachment(letter, follow.progress_review if follow else None),
        recommendations=lines,
        counts=_counted(counts),
        bar=charts.stacked_bar(
            f"bar-{letter.id.replace('/', '-')}",
            f"Recommendations of {letter.label} by where they stand",
            _parts(counts),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Pages


def follow_up(site: Site) -> Generated:
    items = follow_ups(site)
    totals = clock.totals(items)
    reviews = {s: 0 for s in STATE_ORDER}
    for item in items:
        reviews[item.review_state] += 1
    councils = []
    for slug in sorted(site.by_authority, key=lambda s: site.authority(s).short_name):
        mine = _by_council(site)[slug]
        counts = clock.totals(mine)
        name = site.authority(slug).short_name
        councils.append(
            CouncilLine(
                council=name,
                url=urls.authority(slug) + "#follow-up",
                letters=len(mine),
                letters_overdue=sum(1 for item in mine if item.state is State.OVERDUE),
                counts=_counted(counts),
                bar=charts.stacked_bar(
                    f"bar-council-{slug}",
                    f"Recommendations of {name}’s letters by where they stand",
                    _parts(counts),
                ),
            )
        )
    view = FollowUpView(
        today=site.today,
        soon_days=clock.DUE_SOON.days,
        totals=tuple((totals[s], STATE_LABELS[s].lower()) for s in STATE_ORDER),
        reviews=tuple(
            (reviews[s], STATE_LABELS[s].lower())
            for s in (State.OVERDUE, State.DUE_SOON, State.NOT_YET_DUE, State.DONE, State.NO_DATE)
        ),
        letters=len(items),
        letters_overdue=sum(1 for f in items if f.state is State.OVERDUE),
        councils=tuple(councils),
        rows=tuple(row(item) for item in items[:ROWS_SHOWN]),
        more=max(0, len(items) - ROWS_SHOWN),
        feed=urls.reviews_feed(),
        calendar=urls.reviews_calendar(),
    )
    title = "Following up action plans"
    sections = [
        ("today", f"On {render.long_date(site.today)}"),
        ("councils", "By council"),
        ("letters", "Letters, overdue first"),
        ("alerts", "Hear when a review falls due"),
        ("why", "Why the team returns within a year"),
        ("dates", "How the dates are set"),
    ]
    description = (
        "Every Final Letter's follow-up on the day the site was built: which reviews and "
        "recommendations are overdue, due soon or done."
    )
    info = PageInfo(title, site.today, description, toc=toc(title, *sections))
    return generate(urls.FOLLOW_UP, view, info)


def council_follow_up(site: Site, slug: str) -> CouncilFollowUp:
    """A council's letters on its page, the most pressing first."""
    mine = _by_council(site)[slug]
    return CouncilFollowUp(
        today=site.today,
        rows=tuple(row(item) for item in mine),
        totals=_counted(clock.totals(mine)),
        feed=urls.reviews_feed(slug),
        calendar=urls.reviews_calendar(slug),
    )


def files(site: Site) -> dict[str, str | bytes]:
    """The alerts: the region's feed and calendar, and each council's."""
    items = alerts.alerts(
        clock.falling_due(follow_ups(site)),
        label=lambda x: x.label,
        url=lambda x: site.url(x.url),
        dated=lambda x: x.updated,
    )
    host = urlsplit(site.url("")).hostname or "final-letters"
    out: dict[str, str | bytes] = {}
    by_council: dict[str, list[alerts.Alert]] = {s: [] for s in site.by_authority}
    for alert in items:
        by_council[alert.council].append(alert)
    groups: list[tuple[str | None, str, list[alerts.Alert]]] = [(None, "the West Midlands", items)]
    for council in sorted(site.by_authority):
        groups.append((council, site.authority(council).short_name, by_council[council]))
    for slug, where, chosen in groups:
        page = urls.authority(slug) if slug else urls.FOLLOW_UP
        out[urls.reviews_feed(slug)] = alerts.atom(
            chosen,
            feed_url=site.url(urls.reviews_feed(slug)),
            page_url=site.url(page),
            title=f"Final Letters: reviews falling due in {where}",
            subtitle=f"Progress reviews and recommendations overdue or due in the next "
            f"{clock.DUE_SOON.days} days, as of {render.long_date(site.today)}.",
            empty_updated=EPOCH,
        )
        out[urls.reviews_calendar(slug)] = alerts.calendar(
            chosen,
            name=f"Final Letters: reviews due in {where}",
            description="When each progress review and recommendation is due.",
            host=host,
        )
    return out
