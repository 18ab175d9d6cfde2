"""Alerts of reviews falling due: an Atom feed and an iCalendar file, for the region and for
each council, so that a Director hears of a review without visiting the site.

Made from clock.falling_due on the build date. The feed carries what is overdue or due soon;
the calendar every due date still open, overdue ones included. Nothing comes from the machine's
clock: an entry is updated on the day it entered its state, the calendar's events are stamped
with that day or the letter's own date, so that builds for one date write the same bytes.
feedgen and icalendar escape all text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import icalendar
from feedgen.feed import FeedGenerator

from ..catalogue import Letter
from ..clock import STATE_LABELS, Due, State
from . import render

AUTHOR = {"name": "West Midlands ADASS peer challenge coordinators"}
PRODUCT = "-//West Midlands ADASS//Final Letters//EN"
IN_FEED = (State.OVERDUE, State.DUE_SOON)  # what a reader needs to act on


@dataclass(frozen=True, slots=True)
class Alert:
    """One letter's due date as the feed and the calendar say it."""

    key: str  # stable: "<letter id>/<due date>"
    council: str
    url: str  # the letter's page, absolute
    title: str
    summary: str
    due: dt.date
    state: State
    updated: dt.date  # the day it entered its state, else the letter's own date


def alerts(
    due: Iterable[Due[Letter]],
    label: Callable[[Letter], str],
    url: Callable[[Letter], str],
    dated: Callable[[Letter], dt.date],
) -> list[Alert]:
    """What falls due, said in words: `label` names a letter ("Walsall, June 2023"), `url`
    gives its page's address and `dated` its own last date."""
    out = []
    for item in due:
        letter = item.letter
        what = "Progress review" if item.review else "Recommendations"
        when = (
            f"overdue since {render.long_date(item.since)}"
            if item.state is State.OVERDUE and item.since
            else f"due on {render.long_date(item.due)}"
        )
        parts = [
            f"{what} of the peer challenge of {letter.authority.name} ({label(letter)}): {when}."
        ]
        if item.review:
            parts.append(f"The progress review was due on {render.long_date(item.due)}.")
        if item.clocks:
            listed = "; ".join(
                f"{c.recommendation.id} ({render.clean(c.status.value).replace('-', ' ')})"
                for c in item.clocks
            )
            parts.append(f"Recommendations due that day and not done: {listed}.")
        out.append(
            Alert(
                key=f"{letter.id}/{item.due.isoformat()}",
                council=letter.authority.slug,
                url=url(letter),
                title=f"{STATE_LABELS[item.state]}: {what.lower()} of {label(letter)}",
                summary=" ".join(parts),
                due=item.due,
                state=item.state,
                updated=item.since or dated(letter),
            )
        )
    return out


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def atom(
    items: Iterable[Alert],
    *,
    feed_url: str,
    page_url: str,
    title: str,
    subtitle: str,
    empty_updated: dt.date,
) -> bytes:
    """The Atom feed of what is overdue or due soon, the longest overdue first."""
    chosen = sorted(
        (a for a in items if a.state in IN_FEED),
        key=lambda a: (IN_FEED.index(a.state), a.due, a.key),
    )
    fg = FeedGenerator()
    fg.id(feed_url)
    fg.title(render.clean(title))
    fg.subtitle(render.clean(subtitle))
    fg.author(AUTHOR)
    fg.link(href=page_url, rel="alternate", type="text/html")
    fg.link(href=feed_url, rel="self", type="application/atom+xml")
    fg.language("en-GB")
    fg.rights("Open Government Licence v3.0")
    fg.updated(_when(max((a.updated for a in chosen), default=empty_updated)))
    for alert in chosen:
        entry = fg.add_entry(order="append")
        entry.id(f"{alert.url}#due-{alert.due.isoformat()}")
        entry.title(render.clean(alert.title))
        entry.link(href=alert.url, rel="alternate", type="text/html")
        entry.summary(render.clean(alert.summary))
        entry.updated(_when(alert.updated))
        entry.category(term=alert.state.value, label=STATE_LABELS[alert.state])
    return fg.atom_str(pretty=True)


def calendar(items: Iterable[Alert], *, name: str, description: str, host: str) -> bytes:
    """An iCalendar file with an all-day event on every open due date."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", render.clean(name))
    cal.add("x-wr-caldesc", render.clean(description))
    for alert in sorted(items, key=lambda a: (a.due, a.key)):
        event = icalendar.Event()
        event.add("uid", f"{alert.key}@{host}")
        event.add("dtstamp", _when(alert.updated))
        event.add("dtstart", alert.due)
        event.add("dtend", alert.due + dt.timedelta(days=1))
        event.add("summary", render.clean(alert.title))
        event.add("description", render.clean(alert.summary))
        event.add("url", alert.url)
        event.add("categories", [STATE_LABELS[alert.state]])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
