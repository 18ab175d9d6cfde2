"""From facts to safe text: escaping, dates, sizes and plurals, and the template environment.

Nothing a letter contains is trusted. Templates autoescape; the few HTML fragments built in
Python (letter_text.py, charts.py) escape every piece of text themselves and are the only
places marked safe.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..model import LetterMeta

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Characters that are not allowed in HTML or XML text, and Python-Markdown's placeholder marks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: object) -> str:
    """Text as it may appear in HTML, XML, JSON or CSV: control characters removed."""
    return _CONTROL.sub("", str(text))


def escape(text: object) -> str:
    """Escape text for HTML content and attribute values alike."""
    return html.escape(clean(text), quote=True)


def long_date(value: dt.date | None) -> str:
    """GOV.UK style: 13 June 2023."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def month_year(value: dt.date) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


def month(value: str) -> str:
    """A month as letter.yml records it (2023-06) in words: June 2023."""
    return f"{MONTHS[int(value[5:7]) - 1]} {value[:4]}"


def visit(meta: LetterMeta) -> str:
    """The visit as a reader reads it: its days (13 to 15 June 2023), else its month (June
    2023) when the letter gives only that; "" when neither is recorded."""
    if meta.visit:
        return date_range(meta.visit.start, meta.visit.end)
    return month(meta.visit_month) if meta.visit_month else ""


def visit_time(meta: LetterMeta) -> Markup:
    """The visit as a <time> element (its first day, or its month), or nothing."""
    if meta.visit:
        return _time(meta.visit.start.isoformat(), visit(meta))
    return _time(meta.visit_month, visit(meta)) if meta.visit_month else Markup("")


def letter_date(meta: LetterMeta) -> str:
    """The letter's date in words (20 July 2023), else its month (July 2023); else ""."""
    if meta.letter_date:
        return long_date(meta.letter_date)
    return month(meta.letter_month) if meta.letter_month else ""


def letter_time(meta: LetterMeta) -> Markup:
    """The letter's date, or its month, as a <time> element, or nothing."""
    if meta.letter_date:
        return time(meta.letter_date)
    return _time(meta.letter_month, letter_date(meta)) if meta.letter_month else Markup("")


def _time(machine: str, words: str) -> Markup:
    # Safe: an ISO date or month (checked by the schema) and English words made from it.
    return Markup(f'<time datetime="{escape(machine)}">{escape(words)}</time>')  # noqa: S704


def date_range(start: dt.date, end: dt.date) -> str:
    """13 to 15 June 2023; 30 June to 2 July 2023; 30 December 2023 to 2 January 2024."""
    if start == end:
        return long_date(start)
    if start.year != end.year:
        return f"{long_date(start)} to {long_date(end)}"
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]} to {long_date(end)}"
    return f"{start.day} to {long_date(end)}"


def file_size(size: int) -> str:
    """245 KB, 1.2 MB: as GOV.UK describes attachments."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def time(value: dt.date | None) -> Markup:
    """A date as a <time> element, or nothing."""
    if value is None:
        return Markup("")
    return _time(value.isoformat(), long_date(value))


# ---------------------------------------------------------------------------------------------
# Templates

TEMPLATES = Path(__file__).with_name("templates")


@cache
def environment() -> Environment:
    """One template environment per build (context.load clears it): autoescaping, no silent
    undefined names, and templates read once, not checked on disk at every page."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        auto_reload=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        date=long_date,
        month_year=month_year,
        month=month,
        size=file_size,
        time=time,
    )
    env.globals.update(
        plural=plural,
        date_range=date_range,
        visit=visit,
        visit_time=visit_time,
        letter_date=letter_date,
        letter_time=letter_time,
    )
    return env


def template(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
