"""Render the demonstration Final Letters from scripts/samples/letters/<id>.yml.

    python -m finalletters.tools.samples [--only ID]
    python -m finalletters.tools.samples --documents [--only ID]   (see tools/documents.py)

Each source holds three things: `meta`, the truth, written to letter.yml; `letter`, the text as a
list of blocks; and `template`, the name of the function below that lays the text out. Every
letter is invented: the people, the findings and the recommendations are fictional.

Output goes to letters/<authority>/<yyyy-mm>/ (the month of the visit's first day): letter.pdf,
letter.yml and, for a few, action-plan.pdf and progress-review.pdf. The bytes are reproducible:
the fonts are in scripts/samples/fonts, and creation dates and document metadata are fixed.

Blocks, one key each (plus options):
    {h: text}  {h2: text}  {p: text}  {np: text} (numbered paragraph)  {ul: [..]}  {ol: [..]}
    {recs: [R1, R2], style: ol|ul|np|alpha}  (renders those recommendations' text from meta)
    {table: [[..], ..], widths: [..], header: true}  {columns: [blocks]}  {pagebreak: true}
    {space: mm}  {lines: [..]} (lines without gaps: a team list, an address)  {small: text}
Options: {ul: .., bullet: "▪", indent: mm}  {ol: .., labels: ["a)", "b)"]}  {np: .., n: "3.2"}
Inline **bold** is allowed in p, np and list items. A recommendation marked `soft: true` is
advice written inside a paragraph; it must not appear in a recs block.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from .. import yamlio
from ..errors import LetterError
from ..model import FollowUp, LetterMeta

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "scripts" / "samples"
SOURCES = SAMPLES / "letters"
FONTS = SAMPLES / "fonts"
OUT = ROOT / "letters"

HEADER_COMMENT = "# Sample letter written for demonstration; not a real Final Letter.\n"
AUTHOR = "West Midlands ADASS peer challenge (sample)"
TTF = {
    "sans": {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"},
    "serif": {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"},
}
# The core fonts (Helvetica, Times) draw Windows-1252 only: stand-ins for a few other characters.
CP1252_FALLBACK = str.maketrans({"≥": ">=", "≤": "<=", "→": "->", "✓": "Yes", "\u2212": "-"})


# ----------------------------------------------------------------------------- the document


class Doc(FPDF):
    """An A4 page with optional running header and footer drawn by the template."""

    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.core_fonts_encoding = "windows-1252"
        self.on_header: Callable[[Doc], None] | None = None
        self.on_footer: Callable[[Doc], None] | None = None

    def set_font(self, family: str | None = None, style: Any = "", size: float = 0) -> None:
        """Register our TTF families on first use: parsing a font costs a tenth of a second."""
        if family in TTF and family not in self.fonts:
            for variant, filename in TTF[family].items():
                self.add_font(family, variant, str(FONTS / filename))
        super().set_font(family, style, size)

    def header(self) -> None:
        if self.on_header:
            self.on_header(self)

    def footer(self) -> None:
        if self.on_footer:
            self.on_footer(self)

    def normalize_text(self, text: str) -> str:
        if not self.is_ttf_font:
            text = text.translate(CP1252_FALLBACK)
        return super().normalize_text(text)


def new_doc(title: str, created: dt.date) -> Doc:
    doc = Doc()
    doc.set_title(title)
    doc.set_author(AUTHOR)
    doc.set_subject("Sample Final Letter written for demonstration; not a real Final Letter")
    # The creator the sample PDFs were first published with: changing it changes their bytes.
    doc.set_creator("Final Letters: scripts/samples/render.py")
    doc.set_lang("en-GB")
    doc.set_creation_date(dt.datetime(created.year, created.month, created.day, 9, tzinfo=dt.UTC))
    return doc


@dataclass
class Style:
    """How a template sets its blocks."""

    family: str = "helvetica"
    size: float = 11
    leading: float = 5.5
    align: str = "L"
    gap: float = 3
    heading_size: float = 12.5
    heading_colour: tuple[int, int, int] = (0, 0, 0)
    heading_rule: bool = False
    heading_numbers: bool = False
    subheading_size: float = 11
    subheading_colour: tuple[int, int, int] = (0, 0, 0)
    bullet: str = "•"
    indent: float = 6
    number_width: float = 10
    hyphenate: bool = False
    table_fill: tuple[int, int, int] = (230, 230, 230)


# ----------------------------------------------------------------------------- hyphenation

_SUFFIXES = (
    "isation", "ation", "ition", "tion", "sion", "ments", "ment", "ness", "ships", "ship",
    "ities", "ity", "ing", "ful", "able", "ible", "ally", "ively",
)  # fmt: skip
_DIGRAPHS = {"ch", "sh", "th", "ph", "ck", "ng", "gh", "wh", "qu"}
_VOWELS = set("aeiouy")
_WORD = re.compile(r"(?<![\w*])[a-z]{8,}(?![\w*])")


def _hyphenate_word(word: str) -> str:
    """Soft hyphens at plausible points: before common suffixes, between two consonants
    (sup-port) and before a single consonant between vowels (pro-vid-ers)."""
    cuts: set[int] = set()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            cut = len(word) - len(suffix)
            doubled = suffix == "ing" and word[cut - 1] == word[cut - 2] not in _VOWELS
            cuts.add(cut - 1 if doubled else cut)  # slip-ping, not slipp-ing
            break
    for i in range(3, len(word) - 3):
        a, b, c, d = word[i - 2], word[i - 1], word[i], word[i + 1]
        vccv = a in _VOWELS and b not in _VOWELS and c not in _VOWELS and d in _VOWELS
        vcv = b in _VOWELS and c not in _VOWELS and d in _VOWELS and d != "e" and c not in "xwy"
        if (vccv and b + c not in _DIGRAPHS) or (vcv and i + 1 < len(word) - 3):
            cuts.add(i)
    kept: list[int] = []
    for cut in sorted(cuts, reverse=True):  # suffix cuts first; no part under three letters
        if len(word) - cut >= 3 and cut >= 3 and (not kept or kept[-1] - cut >= 3):
            kept.append(cut)
    return "".join(("\u00ad" if i in kept else "") + ch for i, ch in enumerate(word))


def hyphenate(text: str) -> str:
    return _WORD.sub(lambda m: _hyphenate_word(m.group(0)), text)


# ----------------------------------------------------------------------------- blocks


@dataclass
class Writer:
    """Sets a list of blocks on a Doc in one Style."""

    doc: Doc
    style: Style
    recs: dict[str, dict[str, Any]]
    rendered: list[str] = field(default_factory=list)
    printed: dict[str, str] = field(default_factory=dict)  # recommendation id → its number
    number: int = 0
    section: int = 0

    def text(self, text: str) -> str:
        text = " ".join(str(text).split())
        return hyphenate(text) if self.style.hyphenate else text

    def font(self, style: str = "", size: float | None = None) -> None:
        self.doc.set_font(self.style.family, style, size or self.style.size)

    def keep(self, lines: int) -> None:
        """Start a new page unless `lines` more lines fit on this one."""
        if self.doc.will_page_break(lines * self.style.leading):
            self.doc.add_page()

    def write(self, blocks: list[dict[str, Any]]) -> None:
        for block in blocks:
            kind = next(iter(block))
            method = getattr(self, f"b_{kind}", None)
            if method is None:
                raise ValueError(f"unknown block {kind!r}: use one of {BLOCK_KINDS}")
            method(block[kind], block)

    def b_h(self, text: str, _: dict) -> None:
        s, doc = self.style, self.doc
        self.keep(4)
        doc.ln(s.gap)
        if s.heading_numbers:
            self.section += 1
            text = f"{self.section}. {text}"
        doc.set_text_color(*s.heading_colour)
        self.font("B", s.heading_size)
        doc.multi_cell(0, s.heading_size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if s.heading_rule:
            doc.set_draw_color(*s.heading_colour)
            doc.line(doc.l_margin, doc.get_y() + 0.8, doc.w - doc.r_margin, doc.get_y() + 0.8)
            doc.ln(1.5)
        doc.set_text_color(0, 0, 0)
        doc.ln(1.5)

    def b_h2(self, text: str, _: dict) -> None:
        s, doc = self.style, self.doc
        self.keep(3)
        doc.ln(1)
        doc.set_text_color(*s.subheading_colour)
        self.font("B", s.subheading_size)
        doc.multi_cell(0, s.leading, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.set_text_color(0, 0, 0)
        doc.ln(1)

    def b_p(self, text: str, _: dict) -> None:
        self.font()
        self.doc.multi_cell(
            0, self.style.leading, self.text(text), align=self.style.align, markdown=True,
            new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )  # fmt: skip
        self.doc.ln(self.style.gap)

    def hanging(self, label: str, text: str, indent: float, width: float) -> None:
        """A label (number or bullet) in the margin and the text indented beside it."""
        s, doc = self.style, self.doc
        self.keep(2)
        self.font()
        doc.set_x(doc.l_margin + indent)
        doc.cell(width, s.leading, label)
        doc.multi_cell(
            doc.epw - indent - width, s.leading, self.text(text), align=s.align, markdown=True,
            new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )  # fmt: skip

    def b_np(self, text: str, block: dict) -> None:
        """A numbered paragraph: the next number, or the one given as `n` ("3.2")."""
        if "n" in block:
            label = str(block["n"])
        else:
            self.number += 1
            label = f"{self.number}."
        self.hanging(label, text, 0, self.style.number_width)
        self.doc.ln(self.style.gap)

    def items(self, items: list[str], labels: list[str], indent: float | None = None) -> None:
        s = self.style
        width = s.indent if all(len(x) == 1 for x in labels) else s.number_width
        for label, item in zip(labels, items, strict=True):
            self.hanging(label, item, s.indent * 0.5 if indent is None else indent, width)
            self.doc.ln(1.2)
        self.doc.ln(s.gap - 1.2)

    def b_ul(self, items: list[str], block: dict) -> None:
        bullet = block.get("bullet", self.style.bullet)
        self.items(items, [bullet] * len(items), block.get("indent"))

    def b_ol(self, items: list[str], block: dict) -> None:
        """Numbered items; `labels` gives the printed labels ("a)", "R1") instead of 1., 2., …"""
        labels = block.get("labels") or [f"{i}." for i in range(1, len(items) + 1)]
        self.items(items, [str(label) for label in labels], block.get("indent"))

    def b_lines(self, texts: list[str], block: dict) -> None:
        """Short lines set one under another (a team list, an address, who was present)."""
        self.keep(min(len(texts), 4))
        self.font(size=block.get("size"))
        for text in texts:
            self.doc.multi_cell(
                0, self.style.leading, self.text(text) or " ", markdown=True,
                new_x=XPos.LMARGIN, new_y=YPos.NEXT,
            )  # fmt: skip
        self.doc.ln(self.style.gap)

    def b_small(self, text: str, _: dict) -> None:
        """Small print: a note under a table, a footnote, a line saying it is a sample."""
        self.font("I", self.style.size - 2)
        self.doc.multi_cell(
            0, self.style.leading * 0.8, self.text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.font()
        self.doc.ln(self.style.gap)

    def rec_texts(self, ids: list[str]) -> list[str]:
        """The text of listed recommendations, each noted as printed."""
        for rid in ids:
            if rid not in self.recs:
                raise ValueError(f"recs block names {rid}, which is not in meta.recommendations")
            if self.recs[rid].get("soft"):
                raise ValueError(f"{rid} is soft advice and must not be listed in a recs block")
        self.rendered += ids
        return [self.recs[rid]["text"] for rid in ids]

    def b_recs(self, ids: list[str], block: dict) -> None:
        texts = self.rec_texts(ids)
        style = block.get("style", "ol")
        if style == "np":
            for rid, text in zip(ids, texts, strict=True):
                self.b_np(text, {})
                self.printed[rid] = str(self.number)
        elif style == "ul":
            self.b_ul(texts, {})
        elif style == "alpha":
            labels = [f"({chr(97 + i)})" for i in range(len(texts))]
            self.items(texts, labels, indent=self.style.number_width)
            self.printed.update((rid, chr(97 + i)) for i, rid in enumerate(ids))
        else:
            self.b_ol(texts, {})
            self.printed.update((rid, str(i)) for i, rid in enumerate(ids, start=1))

    def b_table(self, rows: list[list[str]], block: dict) -> None:
        s, doc = self.style, self.doc
        self.font(size=s.size - 1)
        header = block.get("header", True)
        doc.set_fill_color(255, 255, 255)  # a template's letterhead may have left a colour set
        with doc.table(
            col_widths=block.get("widths"),
            text_align="LEFT",
            first_row_as_headings=header,
            headings_style=FontFace(emphasis="BOLD", fill_color=s.table_fill),
            line_height=(s.size - 1) * 0.5,
            padding=1.5,
            borders_layout=TableBordersLayout.ALL,
            markdown=True,
        ) as table:
            for cells in rows:
                row = table.row()
                for cell in cells:
                    row.cell(self.text(cell))
        doc.ln(s.gap + 1)

    def b_columns(self, blocks: list[dict[str, Any]], _: dict) -> None:
        """Blocks set in two balanced columns (headings, paragraphs, lists)."""
        s, doc = self.style, self.doc
        plain = lambda t: self.text(t).replace("**", "")  # noqa: E731 (columns take no markdown)
        with doc.text_columns(
            ncols=2, gutter=7, text_align=s.align, balance=True, line_height=1.15
        ) as cols:
            for block in blocks:
                kind, value = next(iter(block.items()))
                if kind in ("h", "h2"):
                    self.font("B", s.heading_size if kind == "h" else s.subheading_size)
                    with cols.paragraph(text_align=Align.L, top_margin=2, bottom_margin=1.5) as par:
                        par.write(value)
                elif kind == "p":
                    self.font()
                    with cols.paragraph(bottom_margin=s.gap) as par:
                        par.write(plain(value))
                elif kind in ("ul", "ol", "recs"):
                    if kind == "recs":
                        value = self.rec_texts(value)
                    self.font()
                    for i, item in enumerate(value, 1):
                        label = block.get("bullet", s.bullet) if kind == "ul" else f"{i}."
                        with cols.paragraph(
                            indent=s.indent, bullet_string=label, bottom_margin=1.2
                        ) as par:
                            par.write(plain(item))
                else:
                    raise ValueError(f"block {kind!r} cannot be set in columns")
        self.font()
        doc.ln(s.gap)

    def b_pagebreak(self, _: Any, __: dict) -> None:
        self.doc.add_page()

    def b_space(self, mm: float, _: dict) -> None:
        self.doc.ln(float(mm))


BLOCK_KINDS = sorted(name[2:] for name in dir(Writer) if name.startswith("b_"))


def lines(doc: Doc, texts: list[str], height: float, align: str = "L") -> None:
    for text in texts:
        text = str(text) or " "
        doc.multi_cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


# ----------------------------------------------------------------------------- templates
# Each template takes (doc, letter, writer) and lays out one letter. `letter` is the source's
# `letter` mapping: date, to (address lines), salutation, subject, title, council, blocks, closing.


def formal(doc: Doc, letter: dict, w: Writer) -> None:
    """Formal letter: letterhead, address block, reference and date, numbered paragraphs."""
    w.style = Style(family="helvetica", size=10.5, leading=5.2, heading_size=11)

    def footer(d: Doc) -> None:
        d.set_y(-14)
        d.set_font("helvetica", "", 8)
        d.cell(0, 5, f"Page {d.page_no()}", align="C")

    doc.on_footer = footer
    doc.set_margins(25, 20, 22)
    doc.add_page()
    doc.set_font("helvetica", "B", 13)
    doc.cell(0, 6, "West Midlands ADASS", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font("helvetica", "", 8.5)
    doc.cell(
        0, 4, "Association of Directors of Adult Social Services, West Midlands Branch",
        align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )  # fmt: skip
    doc.ln(12)
    doc.set_font("helvetica", "", 10.5)
    lines(doc, letter.get("to", []), 5)
    doc.ln(6)
    if letter.get("ref"):
        lines(doc, [letter["ref"]], 5)
    lines(doc, [letter["date"]], 5)
    doc.ln(6)
    lines(doc, [letter.get("salutation", "")], 5)
    doc.ln(3)
    if letter.get("subject"):
        doc.set_font("helvetica", "B", 10.5)
        lines(doc, [letter["subject"]], 5.2)
        doc.ln(3)
    w.write(letter["blocks"])
    signoff(doc, letter, w)


def classic(doc: Doc, letter: dict, w: Writer) -> None:
    """An older plain letter in Times: centred letterhead, key findings and recommendations."""
    w.style = Style(family="times", size=12, leading=5.6, heading_size=12.5, indent=8)

    def footer(d: Doc) -> None:
        if d.page_no() > 1:
            d.set_y(-15)
            d.set_font("times", "", 10)
            d.cell(0, 5, f"- {d.page_no()} -", align="C")

    doc.on_footer = footer
    doc.set_margins(25, 18, 25)
    doc.add_page()
    doc.set_font("times", "B", 10.5)
    lines(doc, ["WEST MIDLANDS ASSOCIATION OF DIRECTORS OF ADULT SOCIAL SERVICES"], 6, "C")
    doc.set_font("times", "I", 10)
    lines(doc, ["Regional Peer Challenge Programme"], 5, "C")
    doc.line(25, doc.get_y() + 2, doc.w - 25, doc.get_y() + 2)
    doc.ln(8)
    doc.set_font("times", "", 12)
    lines(doc, [letter["date"]], 5.6, "R")
    doc.ln(4)
    lines(doc, letter.get("to", []), 5.6)
    doc.ln(6)
    lines(doc, [letter.get("salutation", "")], 5.6)
    doc.ln(3)
    if letter.get("subject"):
        doc.set_font("times", "BU", 12)
        lines(doc, [letter["subject"]], 5.6)
        doc.ln(3)
    w.write(letter["blocks"])
    signoff(doc, letter, w)


def cqc(doc: Doc, letter: dict, w: Writer) -> None:
    """Report style on the CQC themes: title band, running header, 'Page X of Y' footer."""
    teal = (0, 94, 110)
    w.style = Style(
        family="sans", size=9.5, leading=4.9, heading_size=13, heading_colour=teal,
        heading_rule=True, subheading_size=10, subheading_colour=(60, 60, 60), gap=2.6,
        table_fill=(214, 234, 237),
    )  # fmt: skip
    council = letter["council"]

    def header(d: Doc) -> None:
        if d.page_no() == 1:
            return
        d.set_font("sans", "", 7.5)
        d.set_text_color(90, 90, 90)
        d.set_y(9)
        d.cell(0, 4, "OFFICIAL", align="L")
        d.set_x(d.l_margin)
        d.cell(0, 4, f"{council}: adult social care peer challenge", align="R")
        d.set_text_color(0, 0, 0)
        d.set_y(20)

    def footer(d: Doc) -> None:
        d.set_y(-13)
        d.set_font("sans", "", 7.5)
        d.set_text_color(90, 90, 90)
        d.cell(0, 4, "West Midlands ADASS", align="L")
        d.set_x(d.l_margin)
        d.cell(0, 4, f"Page {d.page_no()} of {{nb}}", align="R")
        d.set_text_color(0, 0, 0)

    doc.on_header, doc.on_footer = header, footer
    doc.set_margins(20, 20, 20)
    doc.set_auto_page_break(True, 20)
    doc.add_page()
    doc.set_fill_color(*teal)
    doc.rect(0, 0, doc.w, 42, style="F")
    doc.set_text_color(255, 255, 255)
    doc.set_xy(20, 11)
    doc.set_font("sans", "B", 18)
    doc.cell(0, 9, letter["title"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font("sans", "", 11)
    doc.cell(0, 7, letter.get("subtitle", ""), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_text_color(0, 0, 0)
    doc.set_y(50)
    doc.set_font("sans", "", 9.5)
    lines(doc, [letter["date"], *letter.get("to", [])], 5)
    doc.ln(4)
    if letter.get("salutation"):
        lines(doc, [letter["salutation"]], 5)
        doc.ln(2)
    w.write(letter["blocks"])
    signoff(doc, letter, w)


def twocol(doc: Doc, letter: dict, w: Writer) -> None:
    """Serif newsletter style: full-width title, body in two columns."""
    w.style = Style(
        family="serif", size=9.5, leading=4.6, align="J", heading_size=11, gap=2.5, hyphenate=True
    )
    place = letter["council"]

    def footer(d: Doc) -> None:
        d.set_y(-14)
        d.set_font("serif", "I", 8)
        d.cell(0, 5, f"{place} peer challenge — {d.page_no()}", align="C")

    doc.on_footer = footer
    doc.set_margins(18, 18, 18)
    doc.add_page()
    doc.set_font("serif", "B", 17)
    lines(doc, [letter["title"]], 8)
    doc.set_font("serif", "I", 10.5)
    lines(doc, [letter.get("subtitle", ""), letter["date"]], 5.5)
    doc.set_line_width(0.6)
    doc.line(18, doc.get_y() + 2, doc.w - 18, doc.get_y() + 2)
    doc.set_line_width(0.2)
    doc.ln(6)
    doc.set_font("serif", "", 9.5)
    lines(doc, letter.get("to", []), 4.6)
    doc.ln(3)
    if letter.get("salutation"):
        lines(doc, [letter["salutation"]], 4.6)
        doc.ln(2)
    w.write(letter["blocks"])
    signoff(doc, letter, w)


def tabular(doc: Doc, letter: dict, w: Writer) -> None:
    """Letter with tables (team, ratings); footer with council, month and page."""
    w.style = Style(
        family="sans", size=9.5, leading=4.8, heading_size=11.5, heading_colour=(40, 40, 90),
        table_fill=(220, 222, 235), gap=2.6,
    )  # fmt: skip
    running = letter["council"]

    def footer(d: Doc) -> None:
        d.set_y(-13)
        d.set_font("sans", "", 7.5)
        d.cell(0, 4, f"{running} | Page {d.page_no()}", align="C")

    doc.on_footer = footer
    doc.set_margins(22, 18, 22)
    doc.add_page()
    doc.set_fill_color(40, 40, 90)
    doc.rect(22, 16, doc.epw, 1.2, style="F")
    doc.set_y(20)
    doc.set_font("sans", "B", 10)
    lines(doc, ["West Midlands Association of Directors of Adult Social Services"], 5)
    doc.set_font("sans", "", 8.5)
    lines(doc, ["Peer Challenge Programme"], 4.5)
    doc.ln(8)
    doc.set_font("sans", "", 9.5)
    lines(doc, [*letter.get("to", []), "", letter["date"], ""], 4.8)
    lines(doc, [letter.get("salutation", "")], 4.8)
    doc.ln(2)
    if letter.get("subject"):
        doc.set_font("sans", "B", 10.5)
        lines(doc, [letter["subject"]], 5.2)
        doc.ln(2)
    w.write(letter["blocks"])
    signoff(doc, letter, w)


def justified(doc: Doc, letter: dict, w: Writer) -> None:
    """Justified serif text with hyphenated line ends; OFFICIAL headers; 'Page X of Y'."""
    w.style = Style(family="serif", size=10.5, leading=5.3, align="J", hyphenate=True, indent=7)
    council = letter["council"]

    def header(d: Doc) -> None:
        d.set_y(8)
        d.set_font("sans", "B", 8)
        d.cell(0, 4, "OFFICIAL", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if d.page_no() > 1:
            d.set_font("serif", "I", 8)
            d.cell(0, 4, council, align="L")
            d.set_x(d.l_margin)
            d.cell(0, 4, f"Page {d.page_no()} of {{nb}}", align="R")
        d.set_y(22)

    def footer(d: Doc) -> None:
        d.set_y(-12)
        d.set_font("sans", "B", 8)
        d.cell(0, 4, "OFFICIAL", align="C")

    doc.on_header, doc.on_footer = header, footer
    doc.set_margins(24, 22, 24)
    doc.set_auto_page_break(True, 20)
    doc.add_page()
    doc.set_font("serif", "B", 12)
    lines(doc, ["Adult Social Care Peer Challenge"], 6)
    doc.set_font("serif", "", 10.5)
    lines(doc, [letter["date"], "", *letter.get("to", [])], 5.3)
    doc.ln(5)
    lines(doc, [letter.get("salutation", "")], 5.3)
    doc.ln(2)
    if letter.get("subject"):
        doc.set_font("serif", "B", 10.5)
        lines(doc, [letter["subject"]], 5.3)
        doc.ln(2)
    w.write(letter["blocks"])
    signoff(doc, letter, w)


def report(doc: Doc, letter: dict, w: Writer) -> None:
    """Feedback report: cover page, contents line, numbered section headings."""
    w.style = Style(
        family="helvetica", size=10.5, leading=5.3, heading_size=13, heading_numbers=True,
        heading_colour=(120, 20, 60), subheading_colour=(120, 20, 60), bullet="–",
    )  # fmt: skip

    def footer(d: Doc) -> None:
        if d.page_no() == 1:
            return
        d.set_y(-14)
        d.set_font("helvetica", "", 8)
        d.cell(0, 5, f"{letter['council']} | {letter['date']}", align="L")
        d.set_x(d.l_margin)
        d.cell(0, 5, f"Page {d.page_no()} of {{nb}}", align="R")

    doc.on_footer = footer
    doc.set_margins(22, 20, 22)
    doc.add_page()
    doc.set_y(70)
    doc.set_text_color(120, 20, 60)
    doc.set_font("helvetica", "B", 24)
    lines(doc, [letter["title"]], 11)
    doc.set_text_color(0, 0, 0)
    doc.ln(4)
    doc.set_font("helvetica", "", 14)
    lines(doc, [letter.get("subtitle", ""), "", letter["date"]], 7)
    doc.set_y(230)
    doc.set_font("helvetica", "", 9)
    lines(doc, letter.get("cover_note", []), 4.5)
    doc.add_page()
    headings = [b["h"] for b in letter["blocks"] if "h" in b]
    doc.set_font("helvetica", "B", 11)
    lines(doc, ["Contents"], 6)
    doc.set_font("helvetica", "", 10)
    lines(doc, [f"{i}. {h}" for i, h in enumerate(headings, 1)], 5.3)
    doc.ln(4)
    if letter.get("salutation"):
        lines(doc, [*letter.get("to", []), "", letter["salutation"]], 5.3)
        doc.ln(2)
    w.write(letter["blocks"])
    signoff(doc, letter, w)


def attachment(doc: Doc, letter: dict, w: Writer) -> None:
    """Action plans and progress reviews: a title, a subtitle and blocks."""
    w.style = Style(family="sans", size=9, leading=4.6, heading_size=11, table_fill=(225, 225, 225))

    def footer(d: Doc) -> None:
        d.set_y(-12)
        d.set_font("sans", "", 7)
        d.cell(0, 4, f"{letter['council']} | {letter['date']} | Page {d.page_no()}", align="C")

    doc.on_footer = footer
    doc.set_margins(18, 16, 18)
    doc.add_page()
    doc.set_font("sans", "B", 14)
    lines(doc, [letter["title"]], 7)
    doc.set_font("sans", "", 9.5)
    lines(doc, [letter.get("subtitle", ""), letter["date"]], 5)
    doc.ln(4)
    w.write(letter["blocks"])


def signoff(doc: Doc, letter: dict, w: Writer) -> None:
    """The closing lines, kept together on one page."""
    closing = letter.get("closing") or []
    if not closing:
        return
    w.keep(len(closing) + 1)
    w.font()
    doc.ln(2)
    for i, text in enumerate(closing):
        if i == 2 and len(closing) > 2:  # the name after "Yours sincerely" and a blank line
            w.font("B")
        doc.multi_cell(0, w.style.leading, text or " ", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        w.font()


TEMPLATES: dict[str, Callable[[Doc, dict, Writer], None]] = {
    f.__name__: f for f in (formal, classic, cqc, twocol, tabular, justified, report)
}


# ----------------------------------------------------------------------------- one source


@dataclass
class Rendered:
    folder: str
    template: str
    pages: int
    words: int
    files: list[str]


def folder_of(meta: LetterMeta) -> str:
    if not meta.visit:
        raise ValueError("meta.visit is required: the folder is named by the visit's month")
    return f"{meta.authority}/{meta.visit.start:%Y-%m}"


def plain(value: Any) -> Any:
    """Pydantic's python dump with enums as their values, ready for the safe YAML dumper."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def load_meta(source: dict, name: str) -> tuple[LetterMeta, dict[str, dict]]:
    raw = dict(source["meta"])
    recs = {r["id"]: r for r in raw.get("recommendations", [])}
    raw["recommendations"] = [{k: v for k, v in r.items() if k != "soft"} for r in recs.values()]
    raw.update(sample=True, source_url=None)
    meta = LetterMeta.model_validate(raw)
    for rec in meta.recommendations:
        unknown = set(rec.themes) - set(meta.themes)
        if unknown:
            raise ValueError(f"{name}: {rec.id} has themes {sorted(unknown)} not in meta.themes")
    return meta, recs


def word_count(blocks: list[dict], recs: dict[str, dict]) -> int:
    """Words in the body (recommendations included), as a reader would count them."""
    count = 0
    for block in blocks:
        for kind, value in block.items():
            if kind == "columns":
                count += word_count(value, recs)
            elif kind == "recs":
                count += sum(len(recs[rid]["text"].split()) for rid in value)
            elif kind in ("style", "widths", "header"):
                continue
            elif isinstance(value, str):
                count += len(value.split())
            elif isinstance(value, list):  # list items, or table rows
                cells = [c for v in value for c in (v if isinstance(v, list) else [v])]
                count += sum(len(str(c).split()) for c in cells)
    return count


def render_letter(
    source: dict, meta: LetterMeta, recs: dict[str, dict], target: Path
) -> tuple[Doc, dict[str, str]]:
    """letter.pdf, checking that every listed recommendation is printed once; with the number
    each listed recommendation is printed with."""
    template = TEMPLATES.get(source["template"])
    if template is None:
        raise ValueError(f"template {source['template']!r} is not one of {list(TEMPLATES)}")
    doc = new_doc(meta.title or f"Peer challenge: {meta.authority}", created_on(meta))
    writer = Writer(doc, Style(), recs)
    template(doc, source["letter"], writer)
    listed = [rid for rid, rec in recs.items() if not rec.get("soft")]
    if sorted(writer.rendered) != sorted(listed):
        raise ValueError(f"recs blocks print {writer.rendered}; the listed ones are {listed}")
    doc.output(str(target / "letter.pdf"))
    return doc, writer.printed


def render_attachments(source: dict, meta: LetterMeta, target: Path) -> list[str]:
    """action-plan.pdf and progress-review.pdf: rendered when the source has them, and they
    must be the files that meta.follow_up names."""
    files = []
    for extra in ("action-plan", "progress-review"):
        if extra in source:
            part = {"council": source["letter"]["council"], **source[extra]}
            doc = new_doc(f"{part['title']}, {part['council']}", created_on(meta))
            attachment(doc, part, Writer(doc, Style(), {}))
            doc.output(str(target / f"{extra}.pdf"))
            files.append(f"{extra}.pdf")
    follow_up = meta.follow_up or FollowUp()
    named = sorted(f for f in (follow_up.action_plan, follow_up.progress_review) if f)
    if named != sorted(files):
        raise ValueError(f"meta.follow_up names {named}, but the source renders {files}")
    return files


def created_on(meta: LetterMeta) -> dt.date:
    return meta.letter_date or (meta.visit.end if meta.visit else dt.date(2000, 1, 1))


def write_meta(
    meta: LetterMeta, recs: dict[str, dict], printed: dict[str, str], target: Path
) -> None:
    """letter.yml: the truth, with each recommendation marked as listed by the letter (and its
    printed number) or drawn from advice in its prose (`soft: true` in the source)."""
    meta = meta.model_copy(
        update={
            "recommendations": [
                r.model_copy(
                    update={"listed": not recs[r.id].get("soft"), "number": printed.get(r.id)}
                )
                for r in meta.recommendations
            ]
        }
    )
    data = plain(meta.model_dump(exclude={"inferred"}))
    for name in ("follow_up", "visit_month", "letter_month", "proposed_themes"):
        if data.get(name) is None:
            data.pop(name, None)  # fields a sample does not use stay out of its letter.yml
    (target / "letter.yml").write_text(HEADER_COMMENT + yamlio.dump(data), encoding="utf-8")


def render_one(path: Path) -> Rendered:
    source = yamlio.load(path)
    meta, recs = load_meta(source, path.stem)
    folder = folder_of(meta)
    if path.stem != folder.replace("/", "-"):
        raise ValueError(f"rename the file {folder.replace('/', '-')}.yml to match meta")
    target = OUT / folder
    target.mkdir(parents=True, exist_ok=True)
    doc, printed = render_letter(source, meta, recs, target)
    files = ["letter.pdf", *render_attachments(source, meta, target), "letter.yml"]
    write_meta(meta, recs, printed, target)
    words = word_count(source["letter"]["blocks"], recs)
    return Rendered(folder, source["template"], doc.pages_count, words, files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="ID", help="render one source, e.g. walsall-2023-06")
    parser.add_argument(
        "--documents", action="store_true",
        help="render the sample documents (scripts/samples/documents) instead of the letters",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.documents:
        from . import documents  # imported here: documents builds on this module

        return documents.main(["--only", args.only] if args.only else [])
    return render_all(
        sorted(SOURCES.glob("*.yml")),
        args.only,
        SOURCES,
        render_one,
        lambda done: (
            f"{done.folder:32} {done.template:9} {done.pages} pages "
            f"{done.words:5} words  {', '.join(done.files)}"
        ),
        "letters",
    )


def render_all(
    paths: list[Path],
    only: str | None,
    sources: Path,
    render: Callable[[Path], Any],
    describe: Callable[[Any], str],
    noun: str,
) -> int:
    """Render each source (or only the one named), a line each; stop at the first fault, with
    a message naming the source. The exit status."""
    if only:
        paths = [p for p in paths if p.stem == only]
        if not paths:
            print(f"error: no source {sources / only}.yml", file=sys.stderr)
            return 1
    started = time.perf_counter()
    for path in paths:
        try:
            done = render(path)
        except LetterError as exc:
            print(exc, file=sys.stderr)
            return 1
        except (ValueError, KeyError, TypeError) as exc:  # pydantic's errors are ValueErrors
            print(f"error: {path.relative_to(ROOT)}: {exc}", file=sys.stderr)
            return 1
        print(describe(done))
    print(f"{len(paths)} {noun} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
