"""/follow-up/: every letter with the date its progress review is due, its action plan and
what has become of its recommendations. No date here depends on the day the site is built: a
review is "due by" a date, never "overdue"."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from ..catalogue import Letter
from . import render, urls
from .context import Site
from .plumbing import Generated, PageInfo, generate, toc


@dataclass(frozen=True, slots=True)
class Attachment:
    url: str
    size: str


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    label: str
    url: str
    sample: bool
    visit_end: dt.date | None
    review_due: dt.date | None
    review_date: dt.date | None
    plan: Attachment | None
    review: Attachment | None
    recommendations: int
    counts: tuple[tuple[int, str], ...]  # (how many, status), empty while none is recorded


@dataclass(frozen=True, slots=True)
class FollowUpView:
    template: ClassVar[str] = "follow_up.html"

    rows: tuple[FollowUpRow, ...]
    plans: int
    reviewed: int
    tracked: int  # recommendations whose progress is recorded
    totals: tuple[tuple[int, str], ...]


def pages(site: Site) -> Iterator[Generated]:
    yield follow_up(site)


def files(site: Site) -> dict[str, str | bytes]:
    return {}


def _attachment(letter: Letter, name: str | None) -> Attachment | None:
    """A PDF beside the letter, as a link: its site path and size."""
    pdf = letter.attachments.get(name) if name else None
    if pdf is None:
        return None
    return Attachment(urls.letter_file(letter.id, pdf.name), render.file_size(pdf.size))


def _row(letter: Letter) -> FollowUpRow:
    meta, follow = letter.meta, letter.meta.follow_up
    return FollowUpRow(
        label=letter.label,
        url=letter.url,
        sample=meta.sample,
        visit_end=meta.visit.end if meta.visit else None,
        review_due=meta.review_due,
        review_date=follow.review_date if follow else None,
        plan=_attachment(letter, follow.action_plan if follow else None),
        review=_attachment(letter, follow.progress_review if follow else None),
        recommendations=len(meta.recommendations),
        counts=tuple(
            (n, Letter.STATUS_LABELS[s].lower()) for s, n in letter.status_counts().items()
        )
        if letter.statuses_known
        else (),
    )


def follow_up(site: Site) -> Generated:
    rows = sorted(
        (_row(letter) for letter in site.letters),
        key=lambda r: (r.review_due or dt.date.min, r.url),
        reverse=True,
    )
    known = [x for x in site.letters if x.statuses_known]
    totals = Counter(r.status for x in known for r in x.meta.recommendations)
    view = FollowUpView(
        rows=tuple(rows),
        plans=sum(1 for r in rows if r.plan),
        reviewed=sum(1 for r in rows if r.review_date or r.review),
        tracked=sum(totals.values()),
        totals=tuple((totals[s], Letter.STATUS_LABELS[s].lower()) for s in Letter.STATUS_ORDER),
    )
    title = "Following up action plans"
    sections = [
        ("why", "Why the team returns within a year"),
        ("dates", "How the dates are set"),
        ("letters", "Every letter and its review"),
    ]
    description = (
        "Every Final Letter with the date its progress review is due, the council's action "
        "plan and what has become of its recommendations."
    )
    info = PageInfo(title, site.newest, description, toc=toc(title, *sections))
    return generate(urls.FOLLOW_UP, view, info)
