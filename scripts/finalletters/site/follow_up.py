"""/follow-up/: every letter's follow-up clock on the build date, overdue first, and the alerts
of reviews falling due (Atom and iCalendar, for the region and for each council).

The build date is `Site.today` (SOURCE_DATE_EPOCH, else today: see clock.build_date), so two
builds for the same date write the same bytes. Each letter has a small stacked bar of its
recommendations by state, drawn as SVG (no inline style: the Content-Security-Policy refuses
it), with the numbers beside it as text.
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
from ..clock import STATE_LABELS, STATE_ORDER, State
from . import alerts, render, urls
from .context import EPOCH, Site
from .plumbing import Generated, PageInfo, generate, toc

COLOURS = {  # the shades of memory.css's .fl-stack, each at least 3:1 against white
    State.OVERDUE: "#a8200d",
    State.DUE_SOON: "#b35a00",
    State.NOT_YET_DUE: "#3f65a8",
    State.NO_DATE: "#6f777b",
    State.DONE: "#005a30",
    State.DROPPED: "#505a5f",
}


@dataclass(frozen=True, slots=True)
class Attachment:
    url: str
    size: str


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
    recommendations: int
    counts: tuple[tuple[int, str], ...]  # (how many, state), zeros left out
    bar: Markup


@dataclass(frozen=True, slots=True)
class FollowUpView:
    template: ClassVar[str] = "follow_up.html"

    today: dt.date
    soon_days: int
    rows: tuple[FollowUpRow, ...]
    totals: tuple[tuple[int, str], ...]  # every state, zeros included
    overdue_reviews: int
    letters_overdue: int
    feed: str
    calendar: str


def _follow_ups(site: Site) -> list[clock.LetterFollowUp[Letter]]:
    return site.once("follow-ups", lambda: clock.follow_ups(site.letters, site.today))


def pages(site: Site) -> Iterator[Generated]:
    yield follow_up(site)


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
        return "No date: the visit is not recorded"
    if state is State.OVERDUE:
        return f"Overdue since {render.long_date(due + dt.timedelta(days=1))}"
    if state is State.DUE_SOON:
        return f"Due soon, on {render.long_date(due)}"
    return f"Due on {render.long_date(due)}"


def stacked_bar(counts: dict[State, int], label: str) -> Markup:
    """A bar 120 wide split by state; its name says every number, which the page also prints."""
    total = sum(counts.values())
    words = ", ".join(f"{n} {STATE_LABELS[s].lower()}" for s, n in counts.items() if n)
    name = render.escape(f"{label}: {words or 'no recommendations'}")
    parts, x, width = [], 0.0, 120.0
    for state, n in counts.items():
        if not n:
            continue
        w = width * n / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="12" fill="{COLOURS[state]}"/>'
        )
        x += w
    if not parts:
        parts.append('<rect x="0" y="0" width="120" height="12" fill="#f3f2f1"/>')
    svg = (
        f'<svg class="fl-stack-svg" role="img" aria-label="{name}" width="122" height="14" '
        'viewBox="-1 -1 122 14" xmlns="http://www.w3.org/2000/svg">'
        + "".join(parts)
        + '<rect x="0" y="0" width="120" height="12" fill="none" stroke="#0b0c0c"/></svg>'
    )
    return Markup(svg)  # noqa: S704 (the name is escaped; everything else is numbers)


def _row(item: clock.LetterFollowUp[Letter]) -> FollowUpRow:
    letter = item.letter
    follow = letter.meta.follow_up
    counts = item.counts
    return FollowUpRow(
        label=letter.label,
        url=letter.url,
        sample=letter.meta.sample,
        state=STATE_LABELS[item.state],
        overdue=item.state is State.OVERDUE,
        review=_review(item),
        plan=_attachment(letter, follow.action_plan if follow else None),
        progress_review=_attachment(letter, follow.progress_review if follow else None),
        recommendations=len(item.clocks),
        counts=tuple((n, STATE_LABELS[s].lower()) for s, n in counts.items() if n),
        bar=stacked_bar(counts, f"Recommendations of {letter.label}"),
    )


def follow_up(site: Site) -> Generated:
    items = _follow_ups(site)
    totals = clock.totals(items)
    view = FollowUpView(
        today=site.today,
        soon_days=clock.DUE_SOON.days,
        rows=tuple(_row(item) for item in items),
        totals=tuple((totals[s], STATE_LABELS[s].lower()) for s in STATE_ORDER),
        overdue_reviews=sum(1 for f in items if f.review_state is State.OVERDUE),
        letters_overdue=sum(1 for f in items if f.state is State.OVERDUE),
        feed=urls.reviews_feed(),
        calendar=urls.reviews_calendar(),
    )
    title = "Following up action plans"
    sections = [
        ("today", f"On {render.long_date(site.today)}"),
        ("letters", "Every letter, overdue first"),
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


def files(site: Site) -> dict[str, str | bytes]:
    """The alerts: the region's feed and calendar, and each council's."""
    items = alerts.alerts(
        clock.falling_due(_follow_ups(site)),
        label=lambda x: x.label,
        url=lambda x: site.url(x.url),
        dated=lambda x: x.updated,
    )
    host = urlsplit(site.url("")).hostname or "final-letters"
    out: dict[str, str | bytes] = {}
    groups: list[tuple[str | None, str, list[alerts.Alert]]] = [(None, "the West Midlands", items)]
    for council in sorted(site.by_authority):
        mine = [a for a in items if a.council == council]
        groups.append((council, site.authority(council).short_name, mine))
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
