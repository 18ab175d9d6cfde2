"""The follow-up clock on a fixed build date: states, counts, order and what falls due, checked
against dates worked out by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from finalletters import clock
from finalletters.clock import State
from finalletters.errors import LetterError
from finalletters.model import LetterMeta

BUILT = dt.date(2024, 7, 1)  # +90 days: 29 September 2024


@dataclass
class Fake:
    id: str
    meta: LetterMeta


def letter(lid: str, visit_end: dt.date | None, statuses: list[str], reviewed=None) -> Fake:
    council, month = lid.split("/")
    start = dt.date(int(month[:4]), int(month[5:]), 1)
    meta = LetterMeta.model_validate(
        {
            "authority": council,
            "visit": {"start": start, "end": visit_end} if visit_end else None,
            "letter_date": start,
            "recommendations": [
                {"id": f"R{n}", "text": f"Recommendation {n}.", "status": status}
                for n, status in enumerate(statuses, start=1)
            ],
            "follow_up": {"review_date": reviewed} if reviewed else None,
        }
    )
    return Fake(lid, meta)


# Review due twelve months after the visit ends (letter.yml sets no other date).
REVIEWED = letter(
    "walsall/2023-06",
    dt.date(2023, 6, 15),
    ["done", "in-progress", "open"],
    reviewed=dt.date(2024, 6, 20),
)  # due 2024-06-15: R2 and R3 overdue
SOON = letter("dudley/2023-09", dt.date(2023, 9, 20), ["open", "dropped"])  # due 2024-09-20
LATER = letter("sandwell/2024-05", dt.date(2024, 5, 10), ["open"])  # due 2025-05-10
OLD = letter("coventry/2016-10", dt.date(2016, 10, 5), [])  # review due 2017-10-05, never held
UNDATED = letter("solihull/2020-01", None, ["open"])  # no visit dates: no due date
LETTERS = [LATER, UNDATED, REVIEWED, OLD, SOON]  # fmt: skip


def test_the_build_date_is_source_date_epoch_in_utc() -> None:
    # 1719791999 is 2024-06-30 23:59:59 UTC; a second later it is 1 July.
    assert clock.build_date({"SOURCE_DATE_EPOCH": "1719791999"}) == dt.date(2024, 6, 30)
    assert clock.build_date({"SOURCE_DATE_EPOCH": "1719792000"}) == BUILT


def test_a_source_date_epoch_that_is_not_a_number_says_what_to_do() -> None:
    with pytest.raises(LetterError) as caught:
        clock.build_date({"SOURCE_DATE_EPOCH": "yesterday"})
    assert caught.value.detail.file == "SOURCE_DATE_EPOCH"
    assert "date +%s" in caught.value.detail.tip


def test_each_recommendation_stands_in_one_state_on_the_build_date() -> None:
    counts = {f.letter.id: f.counts for f in clock.follow_ups(LETTERS, BUILT)}
    assert counts["walsall/2023-06"][State.OVERDUE] == 2
    assert counts["walsall/2023-06"][State.DONE] == 1
    assert counts["dudley/2023-09"][State.DUE_SOON] == 1
    assert counts["dudley/2023-09"][State.DROPPED] == 1
    assert counts["sandwell/2024-05"][State.NOT_YET_DUE] == 1
    assert counts["solihull/2020-01"][State.NO_DATE] == 1
    assert sum(counts["coventry/2016-10"].values()) == 0


def test_the_region_counts_every_recommendation_once() -> None:
    totals = clock.totals(clock.follow_ups(LETTERS, BUILT))
    assert totals == {
        State.OVERDUE: 2,
        State.DUE_SOON: 1,
        State.NOT_YET_DUE: 1,
        State.NO_DATE: 1,
        State.DONE: 1,
        State.DROPPED: 1,
    }


def test_overdue_letters_come_first_the_longest_overdue_first() -> None:
    order = [f.letter.id for f in clock.follow_ups(LETTERS, BUILT)]
    assert order == [
        "coventry/2016-10",  # its review overdue since 6 October 2017
        "walsall/2023-06",  # reviewed, but two recommendations overdue since 16 June 2024
        "dudley/2023-09",  # due soon
        "sandwell/2024-05",  # not yet due
        "solihull/2020-01",  # no due date
    ]


def test_a_review_that_was_held_is_done_and_one_never_held_is_overdue() -> None:
    by_id = {f.letter.id: f for f in clock.follow_ups(LETTERS, BUILT)}
    assert by_id["walsall/2023-06"].review_state is State.DONE
    assert by_id["coventry/2016-10"].review_state is State.OVERDUE
    assert by_id["dudley/2023-09"].review_state is State.DUE_SOON


def test_due_soon_means_from_the_build_date_to_ninety_days_after() -> None:
    assert clock.state_on(dt.date(2024, 6, 30), BUILT) is State.OVERDUE
    assert clock.state_on(BUILT, BUILT) is State.DUE_SOON
    assert clock.state_on(dt.date(2024, 9, 29), BUILT) is State.DUE_SOON
    assert clock.state_on(dt.date(2024, 9, 30), BUILT) is State.NOT_YET_DUE


def test_what_falls_due_is_listed_once_per_letter_and_day_soonest_first() -> None:
    due = clock.falling_due(clock.follow_ups(LETTERS, BUILT))
    assert [(d.letter.id, d.due, d.state, d.review, [c.recommendation.id for c in d.clocks])
            for d in due] == [
        ("coventry/2016-10", dt.date(2017, 10, 5), State.OVERDUE, True, []),
        ("walsall/2023-06", dt.date(2024, 6, 15), State.OVERDUE, False, ["R2", "R3"]),
        ("dudley/2023-09", dt.date(2024, 9, 20), State.DUE_SOON, True, ["R1"]),
        ("sandwell/2024-05", dt.date(2025, 5, 10), State.NOT_YET_DUE, True, ["R1"]),
    ]  # fmt: skip


def test_an_entry_is_dated_by_the_day_it_entered_its_state_not_by_the_build() -> None:
    due = {d.letter.id: d for d in clock.falling_due(clock.follow_ups(LETTERS, BUILT))}
    assert due["walsall/2023-06"].since == dt.date(2024, 6, 16)  # the day after it was due
    assert due["dudley/2023-09"].since == dt.date(2024, 6, 22)  # 90 days before 20 September
    assert due["sandwell/2024-05"].since is None
    later = {
        d.letter.id: d for d in clock.falling_due(clock.follow_ups(LETTERS, dt.date(2024, 8, 1)))
    }
    assert later["walsall/2023-06"].since == dt.date(2024, 6, 16)


def test_a_clock_reads_the_recorded_history_and_a_revised_due_date() -> None:
    meta = LetterMeta.model_validate(
        {
            "authority": "walsall",
            "visit": {"start": dt.date(2023, 6, 13), "end": dt.date(2023, 6, 15)},
            "recommendations": [
                {
                    "id": "R1",
                    "text": "Recommendation 1.",
                    "status": "in-progress",
                    "due": dt.date(2024, 9, 29),
                    "due_reason": "Moved by the action plan",
                    "history": [
                        {"date": dt.date(2023, 9, 1), "status": "in-progress",
                         "source": "action-plan", "note": "Started"},
                    ],
                },
                {"id": "R2", "text": "Recommendation 2.", "status": "open"},
            ],
        }
    )  # fmt: skip
    revised, default = clock.clocks(meta)
    assert (revised.due, revised.due_reason) == (dt.date(2024, 9, 29), "Moved by the action plan")
    assert revised.latest == clock.Change(
        dt.date(2023, 9, 1), meta.recommendations[0].status, "action-plan", "Started"
    )
    assert revised.state(BUILT) is State.DUE_SOON  # 29 September is the 90th day after 1 July
    assert default.due == dt.date(2024, 6, 15)  # the letter's review date
    assert default.state(BUILT) is State.OVERDUE
