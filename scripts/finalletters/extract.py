"""PDF → blocks: the text of a Final Letter, faithfully and deterministically.

Pure: bytes in, data out; nothing here reads or writes files. One pypdf pass per page, with a
text visitor, gives runs of text with their position, size and weight. Lines, columns, running
headers and footers, headings, lists and tables are inferred from those runs. The blocks are
written as letter.md by `lettermd`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from io import BytesIO
from itertools import pairwise, repeat
from math import ceil
from typing import Any

from pypdf import PdfReader

from .errors import LetterError
from .lettermd import Block, BlockKind, Extracted
from .lettermd import sha256 as sha256  # callers hash the PDF they extract

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 300  # a Final Letter has a few dozen at most; see pdfworker for the time budget
MIN_TEXT_CHARS = 20  # fewer characters than this over all pages: a scan without OCR
BAND = 0.08  # share of the page height at the top and bottom where headers and footers live
HEADING_RATIO = 1.15  # a line this much larger than the body text can be a heading

OCR_TIP = (
    "run OCR first, e.g. `ocrmypdf --language eng letter.pdf letter-ocr.pdf`, "
    "then add the OCR'd file"
)
REREAD_TIP = "download the letter again, or export it again from the original document as PDF"

# --- Characters -------------------------------------------------------------------------------

_CHAR_MAP = {
    **{ord(k): v for k, v in {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"}.items()},
    **{ord(k): "st" for k in "ﬅﬆ"},
    **{ord(k): " " for k in "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"},
    **{ord(k): " " for k in "\u2007\u2008\u2009\u200a\u202f\u205f\u3000"},
    **{ord(k): None for k in "\u200b\u2060\ufeff\x00"},
    0x7F: "\u2022",  # DEL: what some PDFs' maps give for a Symbol font's bullet
}
_CONTROL = re.compile(r"[\x01-\x1f]")

# Bullets as PDFs write them: typographic glyphs, and the private-use code points that Symbol
# and Wingdings bullets come out as (U+F0B7, U+F0A7, U+F0D8, U+F0FC…).
_BULLET_GLYPHS = "•●▪▫◦‣∙·■□◆◇♦❖➢➤►▸▶○✓✔✗⁃\ue000-\uf8ff"
# A font whose glyphs are pictures, not letters: a lone glyph of it before text is a bullet,
# whatever character it maps to ("§", "Ø", "ü" from Wingdings without a map).
_SYMBOL_FONT = re.compile(r"symbol|wingding|webding|dingbat", re.I)
_BULLET = re.compile(rf"^([{_BULLET_GLYPHS}])\s*(.*)$|^([-–—*o])\s+(.+)$")
_NUMBER = re.compile(
    r"^\((?P<p>\d{1,3}|[A-Za-z]|[ivxlc]{1,6}|[IVXLC]{1,6})\)\s+(?P<pt>\S.*)$"
    r"|^(?P<d>\d{1,3}(?:\.\d{1,3})+)\.?\s+(?P<dt>[A-Z(“\"'].*)$"
    r"|^(?P<n>\d{1,3}|[a-z]|[ivxlc]{2,6}|[IVX]{1,5})[.)]\s+(?P<nt>\S.*)$"
    r"|^(?P<u>[A-Z])\)\s+(?P<ut>\S.*)$"
)
_TERMINAL = (".", "!", "?", ":", ";", "”", '"', ")")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*\|?\s*)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
# A line-end hyphen is kept (a compound, not a split word) after these or before these.
_KEEP_BEFORE = frozenset({"co", "self", "well", "long", "short", "cross", "multi", "non", "pre"})
_KEEP_BEFORE |= {"post", "anti", "inter", "semi", "ex", "cost", "high", "low", "full", "part"}
_KEEP_BEFORE |= {"half", "step", "front"}
_KEEP_AFTER = frozenset({"based", "centred", "centered", "led", "making", "term", "wide", "being"})
_KEEP_AFTER |= {"focused", "specific", "related", "level", "owned", "funded", "facing", "up"}
_KEEP_AFTER |= {"down", "out", "to", "date"}


def _clean(text: str) -> str:
    """Ligatures expanded, odd spaces made plain, NFC, whitespace collapsed."""
    text = _CONTROL.sub(" ", text.translate(_CHAR_MAP))
    return " ".join(unicodedata.normalize("NFC", text).split())


def _join(before: str, after: str) -> str:
    """Join two lines of one block, re-joining words split by a line-end hyphen."""
    if before.endswith("\u00ad"):
        return before[:-1] + after
    if len(before) < 2 or before[-1] not in "-\u2010" or not before[-2].isalnum():
        return f"{before} {after}"
    if not (before[-2].islower() and after[:1].islower()):
        return before + after  # "COVID-" + "19": a real hyphen
    head = re.search(r"(\w+)\W$", before)
    tail = re.match(r"\w+", after)
    word_before = head.group(1).lower() if head else ""
    word_after = tail.group(0).lower() if tail else ""
    if word_before in _KEEP_BEFORE or word_after in _KEEP_AFTER:
        return before + after
    return before[:-1] + after


# --- Fonts ------------------------------------------------------------------------------------

# Helvetica advance widths for ASCII 32..126: the fallback when a font gives no usable widths.
# fmt: off
_HELVETICA_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)
# fmt: on
_HELVETICA = dict(zip(map(chr, range(32, 127)), map(float, _HELVETICA_WIDTHS), strict=True))
_HELVETICA_MEDIAN = sorted(_HELVETICA.values())[len(_HELVETICA) // 2]
_BOLD_NAME = re.compile(r"bold|black|heavy|demi", re.I)


@dataclass(frozen=True, slots=True)
class _Font:
    bold: bool = False
    widths: dict[str, float] = field(default_factory=lambda: dict(_HELVETICA))
    default: float = 556.0
    symbolic: bool = False  # a picture font: Symbol, Wingdings, Dingbats

    def width(self, text: str) -> float:
        """Advance width of the text in thousandths of an em."""
        return sum(map(self.widths.get, text, repeat(self.default, len(text))))


def _value(obj: Any) -> Any:
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _font_info(font: Any) -> _Font:
    """Weight, advance widths and whether it is a picture font, of a pypdf font dictionary;
    guesses when the font is odd."""
    info = _metrics(font)
    name = str(font.get("/BaseFont", "")) if hasattr(font, "get") else ""
    return replace(info, symbolic=True) if _SYMBOL_FONT.search(name) else info


def _metrics(font: Any) -> _Font:
    if font is None:
        return _Font()
    try:
        name = str(font.get("/BaseFont", ""))
        descendants = _value(font.get("/DescendantFonts")) or [font]
        inner = _value(descendants[0])
        descriptor = _value(inner.get("/FontDescriptor")) or {}
        weight = float(_value(descriptor.get("/FontWeight", 400)))
        flags = int(_value(descriptor.get("/Flags", 0)))
        bold = (
            bool(_BOLD_NAME.search(name.split("+")[-1])) or weight >= 600 or bool(flags >> 18 & 1)
        )
        if "/Widths" in font:
            widths = _simple_widths(font)
            return _Font(bold, widths, sum(widths.values()) / max(len(widths), 1))
        if "courier" in name.lower() or "mono" in name.lower():
            return _Font(bold, {}, 600.0)
        scale = _cid_scale(inner)
        return _Font(bold, {k: v * scale for k, v in _HELVETICA.items()}, 556.0 * scale)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return _Font()


def _simple_widths(font: Any) -> dict[str, float]:
    """Widths of a simple font by the Unicode character of each code (WinAnsi or MacRoman)."""
    encoding = _value(font.get("/Encoding"))
    if hasattr(encoding, "get"):
        encoding = encoding.get("/BaseEncoding", "")
    codec = "mac_roman" if "MacRoman" in str(encoding) else "cp1252"
    first = int(_value(font.get("/FirstChar", 0)))
    widths: dict[str, float] = {}
    for code, width in enumerate(_value(font["/Widths"]), start=first):
        char = bytes([code]).decode(codec, errors="ignore") if 0 <= code < 256 else ""
        if char and float(_value(width)) > 0:
            widths[char] = float(_value(width))
    return widths or dict(_HELVETICA)


def _cid_scale(inner: Any) -> float:
    """How much wider than Helvetica a composite font's glyphs are (median of its /W widths)."""
    values: list[float] = []
    items = list(_value(inner.get("/W")) or [])
    i = 0
    while i + 1 < len(items):
        nxt = _value(items[i + 1])
        if isinstance(nxt, list):
            values.extend(float(_value(v)) for v in nxt)
            i += 2
        else:
            values.append(float(_value(items[i + 2])) if i + 2 < len(items) else 0.0)
            i += 3
    values = sorted(v for v in values if v > 0)
    return values[len(values) // 2] / _HELVETICA_MEDIAN if values else 1.0


# --- Runs and lines ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    text: str
    x: float
    x1: float
    y: float
    size: float
    bold: bool
    em: float  # points per thousandth of an em, horizontally
    font: _Font


@dataclass(slots=True)
class _Line:
    runs: list[_Run]
    page: int
    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    right: float = 0.0  # right edge of the column the line is in
    table: bool = False  # part of a table; the table's first line carries all its rows
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(slots=True)
class _Page:
    number: int
    box: tuple[float, float, float, float]
    lines: list[_Line]


def _read_runs(page: Any, fonts: dict[int, tuple[Any, _Font]]) -> list[_Run]:
    """Every upright run of text on the page, in content-stream order (one pypdf pass)."""
    runs: list[_Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        text = text.rstrip("\n")
        if not text or text.isspace():
            return
        a = tm[0] * cm[0] + tm[1] * cm[2]
        b = tm[0] * cm[1] + tm[1] * cm[3]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        if a <= 0 or d <= 0 or abs(b) > 0.05 * a:
            return  # rotated or mirrored text: watermarks, margin notes
        cached = fonts.get(id(font))
        if cached is None:
            cached = fonts[id(font)] = (font, _font_info(font))
        info = cached[1]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        em = size * a / 1000
        runs.append(
            _Run(text, x, x + info.width(text) * em, y, round(size * d, 1), info.bold, em, info)
        )

    page.extract_text(orientations=(0,), visitor_text=visit)
    return runs


def _line_text(runs: Sequence[_Run]) -> str:
    """The runs' text with a space wherever the runs are apart."""
    parts: list[str] = []
    for prev, run in zip([None, *runs[:-1]], runs, strict=True):
        if prev and run.x - prev.x1 > 0.15 * run.size and not prev.text[-1:].isspace():
            parts.append(" ")
        parts.append(run.text)
    raw = "".join(parts)
    text = _clean(raw.replace("\u00ad", ""))
    return text + "\u00ad" if raw.rstrip().endswith("\u00ad") and text else text


def _make_line(runs: list[_Run], page: int) -> _Line | None:
    text = _line_text(runs)
    if not text:
        return None
    main = max(runs, key=lambda r: len(r.text.strip()))
    worded = [r for r in runs if any(c.isalnum() for c in r.text)]
    bold = bool(worded) and all(r.bold for r in worded)
    x1 = max(r.x1 for r in runs)
    return _Line(runs, page, text, runs[0].x, x1, main.y, main.size, bold)


def _symbol_bullet(group: list[_Run]) -> None:
    """A line that opens with one glyph of a picture font, then text: that glyph is a bullet."""
    first = group[0]
    if first.font.symbolic and len(first.text.strip()) == 1 and len(group) > 1:
        first.text = "\u2022"


def _stream_lines(runs: list[_Run], page: int) -> list[_Line]:
    """Consecutive runs on one baseline make a line (in content-stream order)."""
    groups: list[list[_Run]] = []
    for run in runs:
        prev = groups[-1][-1] if groups else None
        if prev is None or abs(run.y - prev.y) > 0.4 * max(run.size, prev.size):
            groups.append([run])
            continue
        if run.x < prev.x1 - 0.5 * run.size:
            # pypdf reports the line's start for a run that follows a font change: place it after.
            width = run.x1 - run.x
            run.x, run.x1 = prev.x1, prev.x1 + width
        groups[-1].append(run)
    for group in groups:
        _symbol_bullet(group)
    return [line for group in groups if (line := _make_line(group, page))]


# --- Running headers and footers --------------------------------------------------------------


def _in_band(line: _Line, box: tuple[float, float, float, float]) -> bool:
    band = BAND * (box[3] - box[1])
    return line.y >= box[3] - band or line.y <= box[1] + band


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _drop_furniture(pages: list[_Page]) -> None:
    """Drop page numbers, and lines repeated (digits aside) at the top or bottom of most pages."""
    seen = Counter(
        key
        for page in pages
        for key in {_furniture_key(line.text) for line in page.lines if _in_band(line, page.box)}
    )
    needed = max(2, ceil(len(pages) / 2))
    for page in pages:
        page.lines = [
            line
            for line in page.lines
            if not _in_band(line, page.box)
            or not (_PAGE_NUMBER.match(line.text) or seen[_furniture_key(line.text)] >= needed)
        ]


# --- Reading order ----------------------------------------------------------------------------


def _reading_order(page: _Page) -> list[_Line]:
    """Lines top to bottom; on a two-column page the left column before the right."""
    lines = page.lines
    if not lines:
        return []
    gutter = _find_gutter(lines, page.box)
    if gutter is None:
        return _merge_rows(lines, max(line.x1 for line in lines))
    ordered: list[_Line] = []
    left: list[_Line] = []
    right: list[_Line] = []
    full = max(line.x1 for line in lines)

    def flush(before_full_width: bool) -> None:
        tail = _full_width_tail(left, right) if before_full_width else []
        ordered.extend(
            _merge_rows(left[: len(left) - len(tail)], max((ln.x1 for ln in left), default=full))
        )
        ordered.extend(_merge_rows(right, full))
        ordered.extend(_merge_rows(tail, full))
        left.clear()
        right.clear()

    for line in sorted(lines, key=lambda ln: (-ln.y, ln.x0)):
        if line.x1 <= gutter:
            left.append(line)
        elif line.x0 >= gutter - 1:
            right.append(line)
        else:
            flush(before_full_width=True)
            ordered.extend(_merge_rows([line], full))
    flush(before_full_width=False)
    return ordered


def _full_width_tail(left: list[_Line], right: list[_Line]) -> list[_Line]:
    """The short lines at the foot of the left column that open the full-width text below the
    columns (a heading, a lead-in sentence): below the right column's last line and set off
    from the left column by a heading's gap or style. They are read after both columns."""
    if not (left and right):
        return []
    bottom = min(ln.y for ln in right)
    for k in range(1, len(left)):
        line, prev = left[k], left[k - 1]
        if line.y >= bottom - 0.5 * line.size:
            continue
        gap = prev.y - line.y > 1.8 * line.size
        if gap or line.size > prev.size + 0.5 or (line.bold and not prev.bold):
            return left[k:]
    return []


def _find_gutter(lines: list[_Line], box: tuple[float, float, float, float]) -> float | None:
    """The x of a vertical gap between two columns of text, if the page has one."""
    width = box[2] - box[0]
    starts = sorted({round(ln.x0, 1) for ln in lines if 0.3 * width < ln.x0 - box[0] < 0.7 * width})
    best: tuple[int, float] | None = None
    for gutter in starts[:40]:
        right = sum(ln.x0 >= gutter - 1 for ln in lines)
        if (best is None or right > best[0]) and _is_gutter(lines, gutter):
            best = (right, gutter)
    return best[1] if best else None


def _is_gutter(lines: list[_Line], gutter: float) -> bool:
    """Three or more lines each side, none across it beside them, each side written in one go."""
    sides = [(-1 if ln.x1 <= gutter else 1 if ln.x0 >= gutter - 1 else 0, ln) for ln in lines]
    left = [ln.y for side, ln in sides if side < 0]
    right = [ln.y for side, ln in sides if side > 0]
    if len(left) < 3 or len(right) < 3:
        return False
    low, high = max(min(left), min(right)), min(max(left), max(right))
    if low >= high or any(side == 0 and low <= ln.y <= high for side, ln in sides):
        return False
    order = [side for side, _ in sides if side]
    return sum(a != b for a, b in pairwise(order)) <= 2


def _merge_rows(lines: list[_Line], right: float) -> list[_Line]:
    """Sort lines top to bottom, merging lines that share a baseline into one (left to right)."""
    merged: list[_Line] = []
    group: list[_Line] = []
    for line in sorted(lines, key=lambda ln: (-ln.y, ln.x0)):
        if group and abs(group[0].y - line.y) > 0.3 * max(line.size, group[0].size):
            merged.append(_merge(group))
            group = []
        group.append(line)
    if group:
        merged.append(_merge(group))
    for line in merged:
        line.right = right
    return merged


def _merge(group: list[_Line]) -> _Line:
    if len(group) == 1:
        return group[0]
    runs = [run for line in sorted(group, key=lambda ln: ln.x0) for run in line.runs]
    return _make_line(runs, group[0].page) or group[0]


# --- Document statistics ----------------------------------------------------------------------


def _half(value: float) -> float:
    return round(value * 2) / 2


def _body_stats(lines: list[_Line]) -> tuple[float, float]:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[_half(line.size)] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 11.0
    gaps: Counter[float] = Counter()
    for prev, line in pairwise(lines):
        in_body = abs(prev.size - body) < 0.6 and abs(line.size - body) < 0.6
        if in_body and prev.page == line.page and 0.9 * body <= prev.y - line.y <= 1.8 * body:
            gaps[_half(prev.y - line.y)] += 1
    spacing = gaps.most_common(1)[0][0] if gaps else 1.2 * body
    return body, spacing


# --- Tables -----------------------------------------------------------------------------------

_Segment = tuple[float, float, str]


def _segments(line: _Line) -> list[_Segment]:
    """Parts of a line separated by gaps wider than an em (a list marker is not a part)."""
    runs = line.runs
    if len(runs) > 1 and _bare_marker(runs[0].text):
        runs = runs[1:]
    groups: list[list[_Run]] = []
    for run in runs:
        if groups and run.x - groups[-1][-1].x1 <= 1.2 * run.size:
            groups[-1].append(run)
        else:
            groups.append([run])
    if len(groups) == 1 and runs is line.runs:
        return [(line.x0, line.x1, line.text)]
    return [(g[0].x, max(r.x1 for r in g), _line_text(g)) for g in groups]


def _aligned(parts: list[_Segment], starts: list[float], ref: list[_Segment], tol: float) -> bool:
    """Two or more parts start where columns start, or end where the parts of a row above end."""
    hits = sum(
        any(abs(x0 - s) <= tol for s in starts) or any(abs(x1 - t[1]) <= tol for t in ref)
        for x0, x1, _ in parts
    )
    return hits >= 2


def _mark_tables(lines: list[_Line]) -> None:
    """Find tables: two or more lines whose parts sit in the same columns, and their rows."""
    segs = [_segments(line) for line in lines]
    i = 0
    while i < len(lines):
        end = _table_end(lines, segs, i)
        if sum(len(parts) > 1 for parts in segs[i:end]) >= 2:
            for line in lines[i:end]:
                line.table = True
            lines[i].rows = _rows(lines[i:end], segs[i:end])
            i = end
        else:
            i += 1


def _table_end(lines: list[_Line], segs: list[list[_Segment]], start: int) -> int:
    """The end of a table starting at a line of two or more parts (start + 1 if none does)."""
    if len(segs[start]) < 2:
        return start + 1
    ref, end = segs[start], start + 1
    starts = sorted(t[0] for t in ref)  # where the table's columns start
    while end < len(lines):
        prev, line, parts = lines[end - 1], lines[end], segs[end]
        if prev.page != line.page or not 0 < prev.y - line.y <= 3.5 * line.size:
            break
        if len(parts) > 1 and _aligned(parts, starts, ref, line.size):
            ref = parts
            starts = sorted({*starts, *(t[0] for t in parts)})
        elif not (len(parts) == 1 and _in_column(parts[0], starts, line.size)):
            break  # neither a row nor a wrapped cell
        end += 1
    return end


def _in_column(part: _Segment, starts: list[float], tol: float) -> bool:
    """Whether a part starts where a column does and ends before the next column starts."""
    x0, x1, _ = part
    if not any(abs(x0 - s) <= tol for s in starts):
        return False
    after = [s for s in starts if s > x0 + tol]
    return not after or x1 <= after[0] + tol


def _rows(lines: list[_Line], segs: list[list[_Segment]]) -> tuple[tuple[str, ...], ...]:
    """The cells of each row of a table, each cell's lines joined in reading order."""
    template = max(segs, key=len)
    placed = [[(_column(template, x0, x1), text) for x0, x1, text in parts] for parts in segs]
    owners = _row_owners(lines, placed)
    cells = {k: [""] * len(template) for k in sorted(set(owners))}
    for k, parts in enumerate(placed):
        row = cells[owners[k]]
        for col, text in parts:
            row[col] = _join(row[col], text) if row[col] else text
    return tuple(tuple(row) for row in cells.values())


def _row_owners(lines: list[_Line], placed: list[list[tuple[int, str]]]) -> list[int]:
    """The line that starts the row each line belongs to.

    Cells are centred vertically when a one-part line sits half a line away from a row: then
    a line belongs to the nearest row. Otherwise rows are top-aligned: a row starts with a line
    that has a first-column part, and the lines below it belong to it.
    """
    multi = [k for k, parts in enumerate(placed) if len(parts) > 1]
    pitch = _cell_pitch(lines, placed)
    centred = pitch > 0 and any(
        0.3 * pitch < min(abs(line.y - lines[m].y) for m in multi) < 0.7 * pitch
        for k, line in enumerate(lines)
        if len(placed[k]) == 1
    )
    if centred:
        return [min(multi, key=lambda m: abs(lines[m].y - line.y)) for line in lines]
    starts = [k for k in multi if any(col == 0 for col, _ in placed[k])] or [0]
    return [max([s for s in starts if s <= k] or starts[:1]) for k in range(len(lines))]


def _cell_pitch(lines: list[_Line], placed: list[list[tuple[int, str]]]) -> float:
    """The distance between the lines of a wrapped cell: the least between two in one column."""
    last: dict[int, float] = {}
    pitch = 0.0
    for line, parts in zip(lines, placed, strict=True):
        for col, _ in parts:
            if col in last and (pitch == 0 or last[col] - line.y < pitch):
                pitch = last[col] - line.y
            last[col] = line.y
    return pitch


def _column(template: list[_Segment], x0: float, x1: float) -> int:
    overlaps = [min(x1, t[1]) - max(x0, t[0]) for t in template]
    best = max(range(len(template)), key=lambda k: overlaps[k])
    if overlaps[best] > 0:
        return best
    return min(range(len(template)), key=lambda k: abs(template[k][0] - x0))


# --- Headings ---------------------------------------------------------------------------------


def _groups(lines: list[_Line], start: int, same: Any, max_gap: float) -> int:
    """The end of the group of lines from start that share a style and follow each other."""
    end = start + 1
    while end < len(lines):
        prev, line = lines[end - 1], lines[end]
        close = prev.page == line.page and 0 < prev.y - line.y <= max_gap * line.size
        if not (close and same(lines[start], line) and not line.table):
            break
        end += 1
    return end


def _headings(lines: list[_Line], body: float, spacing: float) -> dict[int, tuple[int, int]]:
    """Heading level and group (the index of its first line) for every heading line.

    Larger sizes rank first (level 1 for the largest); short bold lines at body size come next.
    """
    large = HEADING_RATIO * body
    found: dict[int, tuple[float | None, int]] = {}  # line → (size, or None for bold; group)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.table:
            i += 1
            continue
        if line.size >= large:
            end = _groups(lines, i, lambda a, b: abs(a.size - b.size) < 0.6, 2.0)
            key: float | None = _half(line.size)
            limit, ending = 30, tuple[str, ...]()
        elif line.bold and not _BULLET.match(line.text):
            end = _groups(lines, i, lambda a, b: b.bold and b.size < large, spacing * 1.3 / body)
            key, limit, ending = None, 15, (".", ",", ";")
        else:
            i += 1
            continue
        text = " ".join(ln.text for ln in lines[i:end])
        if len(text.split()) <= limit and not text.endswith(ending):
            found.update((k, (key, i)) for k in range(i, end))
        i = end
    sizes = tuple(sorted({k for k, _ in found.values() if k is not None}, reverse=True))
    levels = {size: min(rank + 1, 3) for rank, size in enumerate(sizes)}
    bold_level = min(len(sizes) + 1, 3)
    return {k: (bold_level if s is None else levels[s], g) for k, (s, g) in found.items()}


# --- Lists ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Marker:
    glyph: bool  # a bullet glyph (always a list item) rather than a dash, number or letter
    ordered: bool
    number: str
    text: str
    length: int  # characters of the line taken by the marker


def _marker(text: str) -> _Marker | None:
    match = _BULLET.match(text)
    if match:
        glyph = match.group(1) is not None
        rest = match.group(2) if glyph else match.group(4)
        return _Marker(glyph, False, "", rest, len(text) - len(rest))
    match = _NUMBER.match(text)
    if match:
        groups = match.groupdict()
        number = next(groups[k] for k in "pdnu" if groups[k])
        rest = next(groups[k + "t"] for k in "pdnu" if groups[k])
        return _Marker(False, True, number, rest, len(text) - len(rest))
    return None


def _bare_marker(text: str) -> bool:
    """Whether the text is a list marker alone, e.g. a run of its own before a tab."""
    marker = _marker(f"{text.strip()} X")
    return marker is not None and marker.text == "X"


# --- Blocks -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    kind: BlockKind
    text: str
    last: _Line
    level: int = 0
    ordered: bool = False
    number: str = ""
    group: int = -1  # heading group
    left: float = 0.0  # left edge of a paragraph's lines after its first
    lines: int = 1
    marker_x: float = 0.0
    text_x: float = 0.0
    cells: list[str] = field(default_factory=list)
    page: int = 0


class _Builder:
    """Turns lines in reading order into blocks."""

    def __init__(self, spacing: float, headings: dict[int, tuple[int, int]]) -> None:
        self.spacing = spacing
        self.headings = headings
        self.blocks: list[Block] = []
        self.draft: _Draft | None = None
        self.list_xs: list[float] = []

    def add(self, index: int, line: _Line) -> None:
        heading = self.headings.get(index)
        marker = _marker(line.text)
        if line.table:
            self._table(line)
        elif heading:
            self._heading(line, *heading)
        elif marker and not self._marker_is_text(line, marker):
            self._item(line, marker)
        elif self._continues(line):
            self._append(line)
        else:
            self._start(_Draft("paragraph", line.text, line, left=line.x0, page=line.page))
            if self.list_xs and line.x0 <= self.list_xs[0] + line.size:
                self.list_xs.clear()

    def finish(self) -> tuple[Block, ...]:
        self._flush()
        return tuple(self.blocks)

    def _start(self, draft: _Draft) -> None:
        self._flush()
        self.draft = draft

    def _flush(self) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            return
        text = _clean(draft.text.replace("\u00ad", ""))
        if draft.kind == "table-row":
            cells = tuple(_clean(c) for c in draft.cells)
            self.blocks.append(Block("table-row", " | ".join(cells), draft.page, cells=cells))
        elif text:
            self.blocks.append(
                Block(draft.kind, text, draft.page, draft.level, draft.ordered, draft.number)
            )

    def _table(self, line: _Line) -> None:
        """The table's first line adds all its rows; its other lines are in them already."""
        self.list_xs.clear()
        self._flush()
        rows = list(line.rows)
        header = self._table_header()
        if header and rows and tuple(_clean(c) for c in rows[0]) == header:
            rows = rows[1:]  # a table continued on a new page repeats its header row
        for cells in rows:
            self._start(_Draft("table-row", "", line, cells=list(cells), page=line.page))
        self._flush()

    def _table_header(self) -> tuple[str, ...] | None:
        """The first row of the table the blocks end with, if they end with one."""
        header = None
        for block in reversed(self.blocks):
            if block.kind != "table-row":
                break
            header = block.cells
        return header

    def _heading(self, line: _Line, level: int, group: int) -> None:
        self.list_xs.clear()
        draft = self.draft
        if draft and draft.kind == "heading" and draft.group == group:
            draft.text, draft.last = _join(draft.text, line.text), line
            return
        self._start(_Draft("heading", line.text, line, level=level, group=group, page=line.page))

    def _item(self, line: _Line, marker: _Marker) -> None:
        first = line.runs[0]
        if len(line.runs) > 1 and _bare_marker(first.text):
            text_x = line.runs[1].x
        else:
            text_x = first.x + first.font.width(line.text[: marker.length]) * first.em
        draft = _Draft(
            "list-item",
            marker.text,
            line,
            level=self._depth(line.x0, line.size),
            ordered=marker.ordered,
            number=marker.number,
            marker_x=line.x0,
            text_x=text_x,
            left=text_x,
            page=line.page,
        )
        self._start(draft)

    def _depth(self, x: float, size: float) -> int:
        xs = [v for v in self.list_xs if v <= x + 0.5 * size]
        if not xs or x - xs[-1] > 0.5 * size:
            xs.append(x)
        self.list_xs = xs
        return len(xs) - 1

    def _follows(self, line: _Line) -> bool | None:
        """Whether the line follows on from the draft by position: None if it jumped columns."""
        draft = self.draft
        if draft is None or draft.kind not in ("paragraph", "list-item"):
            return False
        prev = draft.last
        if abs(prev.size - line.size) > 0.6 or prev.bold != line.bold:
            return False
        if line.page != prev.page or line.y >= prev.y:
            return None
        return prev.y - line.y <= self.spacing * 1.2 + 0.5

    def _continues(self, line: _Line) -> bool:
        follows = self._follows(line)
        draft = self.draft
        if follows is None:
            return draft is not None and not draft.text.endswith(_TERMINAL)
        if not follows or draft is None:
            return False
        prev = draft.last
        if prev.x1 < prev.right - 10 * prev.size and line.text[:1].isupper():
            return False  # a short line ends a paragraph (or a line of an address)
        if draft.kind == "list-item":
            if draft.ordered:
                return line.x0 >= draft.marker_x - 0.5 * line.size
            return line.x0 >= draft.text_x - 0.5 * line.size
        return line.x0 <= draft.left + line.size

    def _marker_is_text(self, line: _Line, marker: _Marker) -> bool:
        """A number or dash at the start of a wrapped line, e.g. "1.5 million", is not a list."""
        if marker.glyph or not self._continues(line):
            return False
        prev = self.draft.last if self.draft else line
        full = prev.x1 >= prev.right - 5 * prev.size
        return full and not prev.text.endswith(_TERMINAL)

    def _append(self, line: _Line) -> None:
        draft = self.draft
        if draft is None:
            return
        if draft.kind == "paragraph":
            jumped = line.page != draft.last.page or line.y >= draft.last.y
            draft.left = line.x0 if jumped or draft.lines == 1 else min(draft.left, line.x0)
        draft.text, draft.last, draft.lines = _join(draft.text, line.text), line, draft.lines + 1


# --- extract ----------------------------------------------------------------------------------


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Keep pypdf's warnings about odd files off stderr while we read one."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive, e.g. a Word .docx file",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file, e.g. a Word .doc file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"{\\rtf": "an RTF document",
}


SIZE_TIP = (
    "compress it, e.g. `ocrmypdf --optimize 3 --skip-text letter.pdf smaller.pdf` or "
    "`qpdf --recompress-flate --object-streams=generate letter.pdf smaller.pdf`, "
    "or split it with `qpdf --split-pages`"
)


def check_bytes(data: bytes, name: str) -> None:
    """What can be told of a PDF without parsing it: its size, its header and its end.

    Cheap enough for every file of every build; `extract` and `count_pages` read the rest.
    """
    if len(data) > MAX_BYTES:
        raise LetterError(
            name,
            f"is {len(data) / 1024 / 1024:.1f} MB, over the {MAX_BYTES / 1024 / 1024:.0f} MB limit",
            SIZE_TIP,
        )
    if b"%PDF-" not in data[:1024]:
        kind = next((v for k, v in _SIGNATURES.items() if data.startswith(k)), None)
        if kind is None and data[:1024].lstrip().lower().startswith((b"<!doctype", b"<html")):
            kind = "an HTML page, e.g. a web page saved instead of the PDF it links to"
        start = (
            f"it is {kind}" if kind else f"it starts with {data[:16]!r}" if data else "it is empty"
        )
        raise LetterError(
            name,
            f"is not a PDF ({start})",
            "export the letter from the original document as PDF (in Word: File > Save As > PDF) "
            "and add that file",
        )
    if b"%%EOF" not in data[-1024:]:
        raise LetterError(
            name, "could not be read as a PDF: it is cut short (no %%EOF at its end)", REREAD_TIP
        )


def _open(data: bytes, name: str) -> PdfReader:
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # a damaged file can make pypdf raise almost anything
        raise LetterError(name, f"could not be read as a PDF: {exc}", REREAD_TIP) from exc
    if encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # e.g. AES without a crypto library: still a locked file to us
            opened = False
        if not opened:
            raise LetterError(
                name,
                "is encrypted with a password",
                "ask the council for a copy without a password, or remove it with "
                "`qpdf --decrypt --password=PASSWORD letter.pdf letter-open.pdf`",
            )
    return reader


def _page_count(reader: PdfReader, name: str, max_pages: int) -> int:
    """The number of pages, refusing more than max_pages before the page tree is walked (the
    tree's own /Count), and after (in case the count lied)."""
    try:
        declared = int(reader.trailer["/Root"]["/Pages"]["/Count"])  # type: ignore[index]
    except Exception:  # no usable count: walking the tree will tell
        declared = 0
    _within(declared, name, max_pages)
    try:
        count = len(reader.pages)
    except Exception as exc:  # a broken page tree
        raise LetterError(name, f"could not be read as a PDF: {exc}", REREAD_TIP) from exc
    _within(count, name, max_pages)
    if count == 0:
        raise LetterError(name, "has no pages", REREAD_TIP)
    return count


def _within(count: int, name: str, max_pages: int) -> None:
    if count > max_pages:
        raise LetterError(
            name,
            f"has {count:,} pages, more than the {max_pages:,} a letter may have; "
            "is it a real letter?",
            "add the letter itself, without appendices; "
            "the limit is FINAL_LETTERS_PDF_PAGES (see README.md)",
        )


_SURROGATES = re.compile(r"[\ud800-\udfff]")


def _read_pages(reader: PdfReader, name: str, max_pages: int) -> list[_Page]:
    count = _page_count(reader, name, max_pages)
    fonts: dict[int, tuple[Any, _Font]] = {}
    pages: list[_Page] = []
    problem: Exception | None = None
    for number in range(1, count + 1):
        try:
            page = reader.pages[number - 1]
            runs = _read_runs(page, fonts)
            box = tuple(float(v) for v in page.cropbox)
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:  # one damaged page: keep the others
            problem = problem or exc
            continue
        for run in runs:  # a font's map can yield half a UTF-16 pair, which no file can hold
            if not run.text.isascii():
                run.text = _SURROGATES.sub("\ufffd", run.text)
        pages.append(_Page(number, (box[0], box[1], box[2], box[3]), _stream_lines(runs, number)))
    if not pages:
        raise LetterError(name, f"could not be read as a PDF: {problem}", REREAD_TIP)
    return pages


def count_pages(data: bytes, name: str, max_pages: int = MAX_PAGES) -> int:
    """Open a PDF (an attachment) and count its pages, without reading its text."""
    check_bytes(data, name)
    with _quiet_pypdf():
        return _page_count(_open(data, name), name, max_pages)


def extract(data: bytes, name: str, max_pages: int = MAX_PAGES) -> Extracted:
    """Read a letter PDF into blocks of text; LetterError says what is wrong with a bad file.

    No time or memory limit here: commands read PDFs through `pdfworker`, which runs this in a
    worker process within a budget.
    """
    check_bytes(data, name)
    with _quiet_pypdf():
        reader = _open(data, name)
        pages = _read_pages(reader, name, max_pages)
        count = len(reader.pages)
    if sum(len(line.text) for page in pages for line in page.lines) < MIN_TEXT_CHARS:
        raise LetterError(name, "has no text layer: it looks scanned", OCR_TIP)
    _drop_furniture(pages)
    lines = [line for page in pages for line in _reading_order(page)]
    return Extracted(_blocks(lines), count)


def _blocks(lines: list[_Line]) -> tuple[Block, ...]:
    _mark_tables(lines)
    body, spacing = _body_stats([line for line in lines if not line.table])
    builder = _Builder(spacing, _headings(lines, body, spacing))
    for index, line in enumerate(lines):
        builder.add(index, line)
    return builder.finish()
