"""From facts to safe HTML: escaping, dates and sizes, the letter's text, the templates.

Nothing a letter contains is trusted. Templates autoescape; the few HTML fragments built here
escape every piece of text themselves and are the only places marked safe. No generated HTML
goes through Markdown: `page` wraps it in one raw block that Python-Markdown leaves alone.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..lettermd import Block

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
_BLANK_LINES = re.compile(r"\n\s*\n")


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
    # Safe: a date's ISO form and its English words; nothing from a letter.
    return Markup(f'<time datetime="{value.isoformat()}">{long_date(value)}</time>')  # noqa: S704


# ---------------------------------------------------------------------------------------------
# The letter's text: blocks from letter.md → HTML


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading on a generated page, for its table of contents. title is plain text."""

    level: int
    id: str
    title: str


def inline(text: str) -> str:
    """One piece of letter.md text as escaped HTML."""
    return escape(text.replace("\n", " ").strip())


def letter_body(blocks: Sequence[Block], top: int = 3) -> tuple[Markup, list[Heading]]:
    """The letter as HTML: the n-th block (1-based) has id "b<n>", the anchor theme evidence
    links to. Headings are demoted so that the letter's first level becomes `top` and no level
    is skipped; they are kept out of the header search (`data-search-exclude`)."""
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    out: list[str] = []
    headings: list[Heading] = []
    previous = top - 1
    tables = 0
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "heading":
            level = min(top + levels.index(block.level), previous + 1, 6)
            previous = level
            anchor = f"b{i + 1}"
            text = inline(block.text)
            out.append(f'<h{level} id="{anchor}" data-search-exclude>{text}</h{level}>')
            headings.append(Heading(level, anchor, block.text.strip()))
            i += 1
        elif block.kind == "list-item":
            end = _run_end(blocks, i, "list-item")
            out.append(_list(blocks, i, end))
            i = end
        elif block.kind == "table-row":
            end = _run_end(blocks, i, "table-row")
            tables += 1
            out.append(_table(blocks, i, end, tables))
            i = end
        else:
            out.append(f'<p id="b{i + 1}">{inline(block.text)}</p>')
            i += 1
    return Markup("\n".join(out)), headings  # noqa: S704 (every text above went through inline)


def _run_end(blocks: Sequence[Block], start: int, kind: str) -> int:
    end = start
    while end < len(blocks) and blocks[end].kind == kind:
        end += 1
    return end


def _list(blocks: Sequence[Block], start: int, end: int) -> str:
    """Consecutive list items → nested <ul>/<ol>, by their depth. Items numbered with letters
    or roman numerals ("b", "iv") get their own list, which shows their marker as printed."""
    base = min(blocks[k].level for k in range(start, end))
    out: list[str] = []
    stack: list[str] = []  # the kinds of the lists now open, outermost first
    for k in range(start, end):
        item = blocks[k]
        kind = _kind(item)
        depth = max(0, min(item.level - base, len(stack)))
        while len(stack) > depth + 1:
            out.append(f"</li></{stack.pop()[:2]}>")
        if len(stack) == depth + 1:
            if stack[-1] == kind:
                out.append("</li>")
            else:
                out.append(f"</li></{stack.pop()[:2]}>")
        if len(stack) == depth:
            out.append('<ol class="fl-marked">' if kind == "ol-marked" else f"<{kind}>")
            stack.append(kind)
        out.append(_item(item, k + 1))
    while stack:
        out.append(f"</li></{stack.pop()[:2]}>")
    return "".join(out)


def _kind(item: Block) -> str:
    if not item.ordered:
        return "ul"
    return "ol" if _numeric(item.number) or not item.number else "ol-marked"


def _numeric(number: str) -> bool:
    return number.rstrip(".)").isdigit()


def _item(item: Block, n: int) -> str:
    text = inline(item.text)
    if not item.ordered or not item.number:
        return f'<li id="b{n}">{text}'
    if _numeric(item.number):
        return f'<li id="b{n}" value="{int(item.number.rstrip(".)"))}">{text}'
    return f'<li id="b{n}"><span class="fl-marker">{escape(item.number)}</span>{text}'


def _table(blocks: Sequence[Block], start: int, end: int, number: int) -> str:
    """Consecutive table rows → a table; the first row is its header, as in Markdown."""
    rows = []
    for k in range(start, end):
        cells = blocks[k].cells
        if k == start:
            th = "".join(f'<th scope="col">{inline(c)}</th>' for c in cells)
            rows.append(f'<thead><tr id="b{k + 1}">{th}</tr></thead><tbody>')
        else:
            rows.append(f'<tr id="b{k + 1}">' + "".join(f"<td>{inline(c)}</td>" for c in cells))
            rows[-1] += "</tr>"
    return f"<table><caption>Table {number} in the letter</caption>{''.join(rows)}</tbody></table>"


# ---------------------------------------------------------------------------------------------
# Templates

TEMPLATES = Path(__file__).with_name("templates")


@cache
def environment() -> Environment:
    """One template environment per process: autoescaping, no silent undefined names."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        date=long_date,
        month_year=month_year,
        size=file_size,
        time=time,
    )
    env.globals.update(plural=plural, date_range=date_range)
    return env


def template(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)


RAW_START = '<div class="fl-page" markdown="0">'
RAW_END = "</div>"
# Parts of a generated page that the header search must not index (a letter's text, the long
# lists of letters): the templates wrap them in these comments; pages.apply_content lifts them
# out before Material's search plugin reads the page, and pages.insert_late puts them back in
# the finished page. Every text from a letter is escaped, so no letter can contain them.
LATE_START = "<!--fl:late-->"
LATE_END = "<!--/fl:late-->"
_LATE = re.compile(re.escape(LATE_START) + "(.*?)" + re.escape(LATE_END), re.S)
_MARKER = "<!--fl:late:{}-->"


def lift_late(html: str) -> tuple[str, list[str]]:
    """The page with its late parts replaced by numbered markers, and those parts."""
    parts: list[str] = []

    def lift(match: re.Match[str]) -> str:
        parts.append(match.group(1))
        return _MARKER.format(len(parts) - 1)

    return _LATE.sub(lift, html), parts


def restore_late(output: str, parts: list[str]) -> str:
    """The finished page with its late parts back in place of their markers."""
    for n, part in enumerate(parts):
        output = output.replace(_MARKER.format(n), part, 1)
    return output


def page(body: str) -> str:
    """A generated page as a virtual Markdown file: one raw HTML block (`markdown="0"`), no
    blank lines, so that even if Python-Markdown were to read it, it would pass it through.
    Every text in body is escaped, so nothing in it can close the block."""
    body = _BLANK_LINES.sub("\n", body.strip())
    return f"{RAW_START}\n{body}\n{RAW_END}\n"


def unwrap(content: str) -> str:
    """The HTML of a generated page, as `page` wrapped it, without the Markdown marker."""
    return '<div class="fl-page">' + content[len(RAW_START) :]
