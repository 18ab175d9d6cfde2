"""Regional learning and follow-up: the letters read together rather than one at a time.

`/learning/<yyyy>/` gathers a year's letters by theme: which themes came up with more than one
council, what the teams recommended on each, and the passages of the letters that show it.
`/learning/` counts the themes across the years. `/follow-up/` lists every letter with the date
its progress review is due, its action plan and what has become of its recommendations.

Every letter is read once, in `_years`, and the pages are built from those groups. No page
depends on the day it is built: a review is "due by" a date, never "overdue".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..analyse import Evidence
from ..catalogue import Letter
from ..model import Recommendation, Status, Theme
from . import pages, render, urls
from .context import PageInfo, Site, letter_updated

EVIDENCE_PER_LETTER = 2  # passages quoted per letter and theme; the theme page has more
# Which passages to quote first: findings before the scene-setting of an introduction.
EVIDENCE_ORDER = ("strengths", "development", "cqc-theme", "recommendations", "other")
STATUS_ORDER = (Status.OPEN, Status.IN_PROGRESS, Status.DONE, Status.DROPPED)


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


def all_pages(site: Site) -> Iterator[pages.Generated]:
    """Every page of this module: the learning index, one page per year, and follow-up."""
    years = _years(site)
    yield learning_index(site, years)
    for year in years.values():
        yield learning_year(site, year)
    yield follow_up(site)


def _years(site: Site) -> dict[int, Year]:
    """The letters grouped by year and, within a year, by theme. A letter raises a theme when
    its letter.yml lists the theme for the letter or for one of its recommendations."""
    years: dict[int, Year] = {}
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
        years[year] = grouped
    return years


def _ranked(site: Site, year: Year) -> list[tuple[Theme, list[Raised]]]:
    """A year's themes, raised with the most councils first, then in the taxonomy's order."""
    ranked = sorted(
        year.themes, key=lambda t: (-year.councils(year.themes[t]), site.theme_order[t])
    )
    return [(site.reference.themes[t], year.themes[t]) for t in ranked]


def letter_label(letter: Letter) -> str:
    """Walsall, June 2023: the council and the month of the letter's id."""
    month = dt.date(int(letter.month[:4]), int(letter.month[5:]), 1)
    return f"{letter.authority.short_name}, {render.month_year(month)}"


def statuses_known(letter: Letter) -> bool:
    """Whether anyone has recorded progress on the recommendations, as the letter page decides:
    until then every status is the default, open, and saying so would claim too much."""
    meta = letter.meta
    return any(r.status is not Status.OPEN for r in meta.recommendations) or bool(
        meta.follow_up and meta.follow_up.review_date
    )


def status_counts(letter: Letter) -> dict[Status, int]:
    counts = Counter(r.status for r in letter.meta.recommendations)
    return {status: counts[status] for status in STATUS_ORDER}


# ---------------------------------------------------------------------------------------------
# /learning/<yyyy>/


def learning_year(site: Site, year: Year) -> pages.Generated:
    url = urls.learning(year.year)
    u = pages._links(url)
    # Two letters to one council in a year are told apart by their month.
    names = Counter(letter.authority.slug for letter in year.letters)
    known = {letter.id: statuses_known(letter) for letter in year.letters}

    def name(letter: Letter) -> str:
        return (
            letter_label(letter)
            if names[letter.authority.slug] > 1
            else letter.authority.short_name
        )

    def theme_view(theme: Theme, raised: list[Raised]) -> dict:
        entries = sorted(raised, key=lambda r: (r.letter.authority.short_name, r.letter.id))
        evidence = []
        for entry in entries:
            score = next((s for s in entry.letter.theme_scores if s.id == theme.id), None)
            evidence += [
                {
                    "text": item.text,
                    "where": f"{letter_label(entry.letter)}: {item.where}",
                    "url": entry.letter.url + (f"#{item.anchor}" if item.anchor else ""),
                }
                for item in _findings(score.evidence if score else ())
            ]
        return {
            "theme": theme,
            "anchor": f"theme-{theme.id}",
            "url": urls.theme(theme.id),
            "councils": year.councils(raised),
            "letters": [(name(e.letter), e.letter.url) for e in entries],
            "recommendations": [
                _recommendation(e.letter, r, name(e.letter), known[e.letter.id])
                for e in entries
                for r in e.recommendations
            ],
            "evidence": evidence,
        }

    themes = [theme_view(theme, raised) for theme, raised in _ranked(site, year)]
    view: dict[str, Any] = {
        "year": year.year,
        "councils": year.councils(),
        "letters": [(letter_label(x), x.url) for x in year.letters],
        "recurring": [t for t in themes if t["councils"] > 1],
        "once": [t for t in themes if t["councils"] == 1],
        "unthemed": [_recommendation(x, r, name(x), known[x.id]) for x, r in year.unthemed],
        "year_url": urls.year(year.year),
    }
    title = f"Regional learning from {year.year}"
    toc = list(pages._toc(title, ("letters", "Letters")))
    for key, heading in (
        ("recurring", "Themes raised with more than one council"),
        ("once", "Themes raised with one council"),
    ):
        if view[key]:
            toc.append(render.Heading(2, key, heading))
            toc += [render.Heading(3, t["anchor"], t["theme"].label) for t in view[key]]
    if view["unthemed"]:
        toc.append(render.Heading(2, "unthemed", "Recommendations without a theme"))
    html = render.template("learning_year.html", u=u, v=view, title=title)
    info = PageInfo(
        title,
        max(letter_updated(x) for x in year.letters),
        f"What the peer challenges of {year.year} found across the West Midlands, by theme.",
        toc=tuple(toc),
    )
    return pages.Generated(url, html, info)


def _findings(evidence: tuple[Evidence, ...]) -> list[Evidence]:
    """The passages to quote from one letter: those in its strengths and areas for development
    first, then the rest in the letter's order."""
    rank = {kind: n for n, kind in enumerate(EVIDENCE_ORDER)}
    return sorted(evidence, key=lambda e: rank.get(e.kind, len(rank)))[:EVIDENCE_PER_LETTER]


def _recommendation(letter: Letter, r: Recommendation, council: str, known: bool) -> dict:
    return {
        "text": r.text,
        "id": r.id,
        "council": council,
        "url": f"{letter.url}#{r.id.lower()}",
        "status": pages.STATUS_LABELS[r.status] if known else "",
    }


# ---------------------------------------------------------------------------------------------
# /learning/


def learning_index(site: Site, years: dict[int, Year]) -> pages.Generated:
    url = urls.LEARNING
    order = sorted(years)  # oldest first: a trend reads from left to right
    counts = {
        (theme_id, y): years[y].councils(raised)
        for y in order
        for theme_id, raised in years[y].themes.items()
    }
    totals = Counter({t: 0 for t in site.reference.themes})
    for (theme_id, _), n in counts.items():
        totals[theme_id] += n
    raised = sorted(
        (t for t in totals if totals[t]), key=lambda t: (-totals[t], site.theme_order[t])
    )
    view = {
        "years": [
            {
                "year": y,
                "url": urls.learning(y),
                "letters": len(years[y].letters),
                "councils": years[y].councils(),
                "recurring": [
                    (theme.label, years[y].councils(entries))
                    for theme, entries in _ranked(site, years[y])
                    if years[y].councils(entries) > 1
                ],
            }
            for y in reversed(order)
        ],
        "columns": [(y, urls.learning(y), years[y].councils()) for y in order],
        "rows": [
            {
                "theme": site.reference.themes[t],
                "url": urls.theme(t),
                "counts": [counts.get((t, y), 0) for y in order],
                "total": totals[t],
            }
            for t in raised
        ],
        "never": [theme.label for theme in site.themes if not totals[theme.id]],
        "visits": sum(years[y].councils() for y in order),
    }
    title = "Regional learning"
    sections = [("years", "Learning by year"), ("across-the-years", "Across the years")]
    html = render.template("learning.html", u=pages._links(url), v=view, title=title)
    description = "What the peer challenges found across the West Midlands, theme by theme."
    info = PageInfo(title, site.newest, description, toc=pages._toc(title, *sections))
    return pages.Generated(url, html, info)


# ---------------------------------------------------------------------------------------------
# /follow-up/


def follow_up(site: Site) -> pages.Generated:
    url = urls.FOLLOW_UP
    rows = []
    for letter in site.letters:
        meta, follow = letter.meta, letter.meta.follow_up
        plan = follow.action_plan if follow else None
        review = follow.progress_review if follow else None
        known = statuses_known(letter)
        rows.append(
            {
                "label": letter_label(letter),
                "url": letter.url,
                "sample": meta.sample,
                "visit_end": meta.visit.end if meta.visit else None,
                "review_due": meta.review_due,
                "review_date": follow.review_date if follow else None,
                "plan": _attachment(letter, plan),
                "review": _attachment(letter, review),
                "recommendations": len(meta.recommendations),
                "counts": (
                    [(n, pages.STATUS_LABELS[s].lower()) for s, n in status_counts(letter).items()]
                    if known
                    else []
                ),
            }
        )
    rows.sort(key=lambda r: (r["review_due"] or dt.date.min, r["url"]), reverse=True)
    known_letters = [x for x in site.letters if statuses_known(x)]
    totals = Counter(r.status for x in known_letters for r in x.meta.recommendations)
    view = {
        "rows": rows,
        "letters": len(rows),
        "plans": sum(1 for r in rows if r["plan"]),
        "reviewed": sum(1 for r in rows if r["review_date"] or r["review"]),
        "tracked": sum(totals.values()),
        "totals": [(totals[s], pages.STATUS_LABELS[s].lower()) for s in STATUS_ORDER],
    }
    title = "Following up action plans"
    sections = [
        ("why", "Why the team returns within a year"),
        ("dates", "How the dates are set"),
        ("letters", "Every letter and its review"),
    ]
    html = render.template("follow_up.html", u=pages._links(url), v=view, title=title)
    description = (
        "Every Final Letter with the date its progress review is due, the council's action "
        "plan and what has become of its recommendations."
    )
    info = PageInfo(title, site.newest, description, toc=pages._toc(title, *sections))
    return pages.Generated(url, html, info)


def _attachment(letter: Letter, name: str | None) -> dict | None:
    """A PDF beside the letter, as a link: its site path and size."""
    pdf = letter.attachments.get(name) if name else None
    if pdf is None:
        return None
    return {"url": urls.letter_file(letter.id, pdf.name), "size": render.file_size(pdf.size)}
