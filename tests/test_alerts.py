"""Alerts of reviews falling due: the Atom feed parses as Atom, the calendar as iCalendar, and
both say what falls due on a fixed build date, worked out by hand from tests/corpus.py."""

from __future__ import annotations

import datetime as dt

import feedparser
import icalendar
import pytest

from finalletters import catalogue, clock
from finalletters.site import alerts
from tests import corpus

BUILT = dt.date(2023, 3, 1)  # due soon: up to 30 May 2023
SITE = "https://example.org/final-letters/"


@pytest.fixture(scope="module")
def items(tmp_path_factory: pytest.TempPathFactory) -> list[alerts.Alert]:
    root = tmp_path_factory.mktemp("alerts")
    corpus.write(root)
    letters = catalogue.load(root).letters
    due = clock.falling_due(clock.follow_ups(letters, BUILT))
    return alerts.alerts(
        due,
        label=lambda x: f"{x.authority.short_name}, {x.month}",
        url=lambda x: SITE + x.url,
        dated=lambda x: x.date,
    )


def region_feed(items: list[alerts.Alert]) -> bytes:
    return alerts.atom(
        items,
        feed_url=SITE + "follow-up/reviews.xml",
        page_url=SITE + "follow-up/",
        title="Final Letters: reviews falling due",
        subtitle="Progress reviews and recommendations overdue or due in the next 90 days.",
        empty_updated=dt.date(2015, 1, 1),
    )


def test_the_feed_is_atom_and_lists_overdue_first_then_due_soon(items) -> None:
    parsed = feedparser.parse(region_feed(items))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    # walsall/2019-03 due 7 March 2020, dudley/2021-10 due 2 November 2022 and
    # leicestershire/2022-02 due 10 February 2023 are overdue on 1 March 2023; coventry/2022-05,
    # due 12 May 2023, is due soon. walsall/2023-06 (due June 2024) is not in the feed.
    assert [e.link.removeprefix(SITE) for e in parsed.entries] == [
        "letters/walsall/2019-03/",
        "letters/dudley/2021-10/",
        "letters/leicestershire/2022-02/",
        "letters/coventry/2022-05/",
    ]
    assert [e.tags[0].term for e in parsed.entries] == ["overdue"] * 3 + ["due-soon"]
    assert parsed.entries[0].title == "Overdue: progress review of Walsall, 2019-03"
    assert "overdue since 8 March 2020" in parsed.entries[0].summary


def test_an_entry_is_updated_on_the_day_it_entered_its_state(items) -> None:
    parsed = feedparser.parse(region_feed(items))
    updated = {e.link.removeprefix(SITE): e.updated[:10] for e in parsed.entries}
    assert updated["letters/dudley/2021-10/"] == "2022-11-03"  # the day after it was due
    assert updated["letters/coventry/2022-05/"] == "2023-02-11"  # 90 days before 12 May
    assert parsed.feed.updated[:10] == "2023-02-11"


def test_a_councils_feed_holds_its_letters_only(items) -> None:
    walsall = [a for a in items if a.council == "walsall"]
    parsed = feedparser.parse(
        alerts.atom(walsall, feed_url=SITE + "w.xml", page_url=SITE, title="Walsall",
                    subtitle="Walsall", empty_updated=dt.date(2015, 1, 1))
    )  # fmt: skip
    assert [e.link.removeprefix(SITE) for e in parsed.entries] == ["letters/walsall/2019-03/"]


def test_a_feed_with_nothing_due_is_still_valid_atom(items) -> None:
    parsed = feedparser.parse(
        alerts.atom([], feed_url=SITE + "x.xml", page_url=SITE, title="Nothing",
                    subtitle="Nothing due", empty_updated=dt.date(2015, 1, 1))
    )  # fmt: skip
    assert parsed.bozo == 0 and parsed.entries == []
    assert parsed.feed.updated[:10] == "2015-01-01"


def test_the_calendar_parses_and_has_an_event_on_every_open_due_date(items) -> None:
    data = alerts.calendar(items, name="Reviews", description="Due dates", host="example.org")
    cal = icalendar.Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert [(str(e["uid"]), e.decoded("dtstart")) for e in events] == [
        ("walsall/2019-03/2020-03-07@example.org", dt.date(2020, 3, 7)),
        ("dudley/2021-10/2022-11-02@example.org", dt.date(2022, 11, 2)),
        ("leicestershire/2022-02/2023-02-10@example.org", dt.date(2023, 2, 10)),
        ("coventry/2022-05/2023-05-12@example.org", dt.date(2023, 5, 12)),
        ("walsall/2023-06/2024-06-15@example.org", dt.date(2024, 6, 15)),  # R2, R3 not yet due
    ]
    last = events[-1]
    assert last.decoded("dtend") == dt.date(2024, 6, 16)
    assert "R2 (in progress); R3 (open)" in str(last["description"])


def test_hostile_text_stays_text_in_the_feed_and_the_calendar(items) -> None:
    feed = region_feed(items)
    assert b"<script" not in feed
    data = alerts.calendar(items, name="Reviews", description="x", host="example.org")
    [coventry] = [
        e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
        if str(e["uid"]).startswith("coventry")
    ]  # fmt: skip
    assert "R1 (open)" in str(coventry["description"])


def test_the_same_build_date_gives_the_same_bytes(items) -> None:
    assert region_feed(items) == region_feed(list(items))
    one = alerts.calendar(items, name="R", description="d", host="example.org")
    assert one == alerts.calendar(
        list(reversed(items)), name="R", description="d", host="example.org"
    )
