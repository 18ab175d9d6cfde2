"""The follow-up clock: for every recommendation, when it is due, what has become of it, and so
whether it is overdue, due soon or done on a given day.

The day is the build date (`build_date`): SOURCE_DATE_EPOCH when it is set, so that two builds
for the same date write the same bytes, else today. Everything else is a pure function of the
letters.

Each recommendation's clock comes from its letter.yml: its history of status changes (date,
status, source, note; recorded by `letters progress`), and its due date: a revised one with its
reason, else the letter's review date. The site's follow-up page, its alerts and `letters due`
all read the same clocks.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Generic, Protocol, TypeVar

from .errors import LetterError
from .model import LetterMeta, Recommendation, Status

DUE_SOON = dt.timedelta(days=90)  # "due soon": within the three months after the build date
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def build_date(environ: Mapping[str, str] | None = None) -> dt.date:
    """The day a build is as of: SOURCE_DATE_EPOCH (seconds since 1970, UTC), else today."""
    environ = os.environ if environ is None else environ
    value = environ.get(EPOCH_VARIABLE, "").strip()
    if not value:
        return dt.datetime.now(dt.UTC).date()
    try:
        seconds = int(value)
        return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise LetterError(
            EPOCH_VARIABLE,
            f"'{value}' is not a whole number of seconds since 1 January 1970",
            "unset it to build as of today, or set it with `date +%s` or `git log -1 --format=%ct`",
        ) from None


class State(StrEnum):
    """Where a recommendation stands on the build date."""

    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    NOT_YET_DUE = "not-yet-due"
    NO_DATE = "no-date"
    DONE = "done"
    DROPPED = "dropped"


STATE_LABELS: dict[State, str] = {
    State.OVERDUE: "Overdue",
    State.DUE_SOON: "Due soon",
    State.NOT_YET_DUE: "Not yet due",
    State.NO_DATE: "No due date",
    State.DONE: "Done",
    State.DROPPED: "Dropped",
}
STATE_ORDER: tuple[State, ...] = tuple(STATE_LABELS)  # the most pressing first
OPEN_STATES = (State.OVERDUE, State.DUE_SOON, State.NOT_YET_DUE)


def state_on(due: dt.date | None, today: dt.date, soon: dt.timedelta = DUE_SOON) -> State:
    """Where something still to be done and due on `due` stands on `today`."""
    if due is None:
        return State.NO_DATE
    if due < today:
        return State.OVERDUE
    return State.DUE_SOON if due <= today + soon else State.NOT_YET_DUE


def entered(state: State, due: dt.date, soon: dt.timedelta = DUE_SOON) -> dt.date | None:
    """The day something due on `due` entered its state: a feed's entry is updated then,
    never by the clock of the machine that builds it."""
    if state is State.OVERDUE:
        return due + dt.timedelta(days=1)
    if state is State.DUE_SOON:
        return due - soon
    return None


SOURCE_LABELS: dict[str, str] = {
    "progress-review": "progress review",
    "action-plan": "action plan",
    "coordinator": "coordinator",
}


@dataclass(frozen=True, slots=True)
class Change:
    """One recorded change of a recommendation's status."""

    date: dt.date | None
    status: Status
    source: str | None = None  # progress-review | action-plan | coordinator; None: not recorded
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Clock:
    """One recommendation's follow-up: its due date and its status with their history."""

    recommendation: Recommendation
    due: dt.date | None
    due_reason: str | None = None  # why the due date is not the letter's review date
    history: tuple[Change, ...] = ()  # oldest first; the last is the current status

    @property
    def status(self) -> Status:
        return self.history[-1].status if self.history else self.recommendation.status

    @property
    def latest(self) -> Change | None:
        return self.history[-1] if self.history else None

    def state(self, today: dt.date, soon: dt.timedelta = DUE_SOON) -> State:
        if self.status is Status.DONE:
            return State.DONE
        if self.status is Status.DROPPED:
            return State.DROPPED
        return state_on(self.due, today, soon)


def clocks(meta: LetterMeta) -> list[Clock]:
    """Each recommendation's clock from letter.yml: due on its own revised date (with the
    reason) or else the letter's review date, with its recorded history of status changes."""
    return [
        Clock(
            r,
            meta.due(r),
            r.due_reason,
            tuple(Change(c.date, c.status, c.source.value, c.note) for c in r.history),
        )
        for r in meta.recommendations
    ]


class LetterFacts(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def meta(self) -> LetterMeta: ...


L = TypeVar("L", bound=LetterFacts)


@dataclass(frozen=True)
class LetterFollowUp(Generic[L]):
    """A letter's clocks on one day, and its progress review (each fact worked out once)."""

    letter: L
    clocks: tuple[Clock, ...]
    today: dt.date
    soon: dt.timedelta = DUE_SOON

    @cached_property
    def counts(self) -> dict[State, int]:
        """How many recommendations stand in each state, in STATE_ORDER, zeros included."""
        found = Counter(c.state(self.today, self.soon) for c in self.clocks)
        return {state: found[state] for state in STATE_ORDER}

    @cached_property
    def review_due(self) -> dt.date | None:
        return self.letter.meta.review_due

    @cached_property
    def reviewed(self) -> dt.date | None:
        follow = self.letter.meta.follow_up
        return follow.review_date if follow else None

    @cached_property
    def review_state(self) -> State:
        """The progress review's own state: done once it has happened."""
        if self.reviewed:
            return State.DONE
        return state_on(self.review_due, self.today, self.soon)

    @cached_property
    def state(self) -> State:
        """The most pressing state among the review and the recommendations."""
        states = {self.review_state, *(c.state(self.today, self.soon) for c in self.clocks)}
        return min(states, key=STATE_ORDER.index)

    @cached_property
    def earliest_due(self) -> dt.date | None:
        """The earliest due date among what is still open (the review included)."""
        dates = [
            c.due for c in self.clocks if c.due and c.state(self.today, self.soon) in OPEN_STATES
        ]
        if self.review_state in OPEN_STATES and self.review_due:
            dates.append(self.review_due)
        return min(dates, default=None)


def follow_ups(
    letters: Iterable[L], today: dt.date, soon: dt.timedelta = DUE_SOON
) -> list[LetterFollowUp[L]]:
    """Every letter's follow-up on the day, the most pressing first: overdue before due soon
    before the rest, and within a state the longest overdue (earliest due) first."""
    found = [LetterFollowUp(x, tuple(clocks(x.meta)), today, soon) for x in letters]
    return sorted(
        found,
        key=lambda f: (
            STATE_ORDER.index(f.state),
            f.earliest_due or dt.date.max,
            f.letter.id,
        ),
    )


def totals(items: Iterable[LetterFollowUp]) -> dict[State, int]:
    """Recommendations in each state across letters, in STATE_ORDER."""
    found: Counter[State] = Counter()
    for item in items:
        found.update(item.counts)
    return {state: found[state] for state in STATE_ORDER}


@dataclass(frozen=True, slots=True)
class Due(Generic[L]):
    """Something falling due on one day for one letter: its progress review, and the
    recommendations still open that are due that day."""

    letter: L
    due: dt.date
    state: State  # overdue, due soon or not yet due
    since: dt.date | None  # the day it entered that state (see `entered`)
    review: bool  # the letter's progress review is due that day
    clocks: tuple[Clock, ...]


def falling_due(items: Iterable[LetterFollowUp[L]]) -> list[Due[L]]:
    """Every open due date, one per letter and day, soonest first: the entries of the alert
    feeds and the events of the calendars."""
    out = []
    for item in items:
        by_day: dict[dt.date, list[Clock]] = {}
        for clock in item.clocks:
            if clock.due and clock.state(item.today, item.soon) in OPEN_STATES:
                by_day.setdefault(clock.due, []).append(clock)
        review = item.review_due if item.review_state in OPEN_STATES else None
        if review:
            by_day.setdefault(review, [])
        for day, due_clocks in by_day.items():
            state = state_on(day, item.today, item.soon)
            since = entered(state, day, item.soon)
            out.append(Due(item.letter, day, state, since, day == review, tuple(due_clocks)))
    return sorted(out, key=lambda d: (d.due, d.letter.id))
