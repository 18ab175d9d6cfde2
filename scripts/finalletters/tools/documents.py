"""Render the sample documents from scripts/samples/documents/<id>.yml to pdf/<id>.pdf.

    python -m finalletters.tools.samples --documents [--only ID]

The sample documents are invented reports, letters, news releases, committee papers and minutes
about councils' adult social care peer challenges, written in the ways councils, the LGA and
ADASS write, to measure the analyser on text we did not tune it to. Their labels are written by
hand in scripts/samples/documents/labels.yml; nothing here reads or writes them.

A source holds `sample: true`, `template` (one of TEMPLATES below), `created` (the fixed creation
date written into the PDF), `title` (the PDF's title) and `document`: the fields the template
prints (council, date, title, header, footer, ...) and `blocks`, in the block vocabulary of
finalletters.tools.samples. `bullet` (in `document` or on a `ul` block) picks the glyph a list is
drawn with; the fonts map the private-use and control code points that real PDFs carry for
bullets (GLYPHS) to visible glyphs, so the extracted text holds those very code points.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from .. import yamlio
from .samples import SAMPLES, Doc, Style, Writer, lines, render_all, signoff, word_count

SOURCES = SAMPLES / "documents"
OUT = SOURCES / "pdf"
LABELS = SOURCES / "labels.yml"
AUTHOR = "Final Letters sample documents"
SUBJECT = "Sample document written for demonstration; not a real report or letter"
REQUIRED = ("sample", "template", "created", "title", "document")

# Code points that real PDFs write for bullets, drawn with the glyph of the character beside them:
# Symbol's bullet and Wingdings' square, arrowhead and tick as private-use characters, and DEL.
GLYPHS = {0xF0B7: 0x2022, 0xF0A7: 0x25AA, 0xF0D8: 0x25BA, 0xF0FC: 0x221A, 0x7F: 0x2022}


class GlyphDoc(Doc):
    """A Doc whose TTF fonts also draw the code points in GLYPHS."""

    def set_font(self, family: str | None = None, style: Any = "", size: float = 0) -> None:
        fresh = family is not None and family not in self.fonts
        super().set_font(family, style, size)
        if not fresh:
            return
        for key, font in self.fonts.items():
            if not key.startswith(str(family)) or not isinstance(font, TTFFont):
                continue
            for code, drawn_as in GLYPHS.items():
                font.cmap[code] = font.cmap[drawn_as]
                font.cw[code] = font.cw[drawn_as]
                font.glyph_ids[code] = font.glyph_ids[drawn_as]


def new_document(title: str, created: dt.date) -> GlyphDoc:
    doc = GlyphDoc()
    doc.set_title(title)
    doc.set_author(AUTHOR)
    doc.set_subject(SUBJECT)
    doc.set_creator("Final Letters: finalletters.tools.documents")
    doc.set_lang("en-GB")
    doc.set_creation_date(dt.datetime(created.year, created.month, created.day, 9, tzinfo=dt.UTC))
    return doc


def _running(text: str, page: int) -> str:
    return text.replace("{page}", str(page)).replace("{pages}", "{nb}")


def running(doc: Doc, d: dict, family: str, first_page: bool = True) -> None:
    """The document's running header and footer, if it has them: `header`, `footer` and
    `footer_right` ({page} and {pages} are replaced), drawn on every page or from page 2."""

    def header(p: Doc) -> None:
        if d.get("header") and (first_page or p.page_no() > 1):
            p.set_y(8)
            p.set_font(family, "", 7.5)
            p.set_text_color(90, 90, 90)
            p.cell(0, 4, _running(d["header"], p.page_no()), align=d.get("header_align", "R"))
            p.set_text_color(0, 0, 0)
            p.set_y(max(p.t_margin, 18))

    def footer(p: Doc) -> None:
        if not (first_page or p.page_no() > 1):
            return
        p.set_y(-13)
        p.set_font(family, "", 7.5)
        p.set_text_color(90, 90, 90)
        if d.get("footer"):
            p.cell(0, 4, _running(d["footer"], p.page_no()), align=d.get("footer_align", "C"))
        if d.get("footer_right"):
            p.set_x(p.l_margin)
            p.cell(0, 4, _running(d["footer_right"], p.page_no()), align="R")
        p.set_text_color(0, 0, 0)

    doc.on_header, doc.on_footer = header, footer


def style_of(d: dict, **defaults: Any) -> Style:
    """The template's defaults, overridden by the source's `family`, `size` and `bullet`."""
    chosen = {**defaults, **{k: d[k] for k in ("family", "size", "bullet", "align") if k in d}}
    if "size" in d and "leading" not in d:
        chosen["leading"] = float(d["size"]) * 0.5
    return Style(**chosen)


def heading_lines(doc: Doc, family: str, texts: list[tuple[str, str, float]], align: str) -> None:
    for style, text, size in texts:
        if text:
            doc.set_font(family, style, size)
            lines(doc, [text], size * 0.5, align)


# ----------------------------------------------------------------------------- templates
# Each takes (doc, document, writer); `document` is the source's `document` mapping.


def lga_report(doc: Doc, d: dict, w: Writer) -> None:
    """A report on the CQC themes: a cover page, then sections under a running header."""
    colour = tuple(d.get("colour", (0, 72, 120)))
    w.style = style_of(
        d, family="sans", size=10, leading=5, heading_size=14, heading_colour=colour,
        subheading_size=10.5, subheading_colour=colour, gap=2.6, table_fill=(220, 232, 240),
        heading_numbers=bool(d.get("numbered", False)),
    )  # fmt: skip
    family = w.style.family
    running(doc, d, family, first_page=False)
    doc.set_margins(20, 20, 20)
    doc.set_auto_page_break(True, 20)
    doc.add_page()
    doc.set_fill_color(*colour)
    doc.rect(0, 0, doc.w, 95, style="F")
    doc.set_text_color(255, 255, 255)
    doc.set_y(32)
    heading_lines(doc, family, [("", d.get("kicker", ""), 13), ("B", d["title"], 24)], "L")
    doc.ln(2)
    heading_lines(doc, family, [("", d.get("subtitle", ""), 14)], "L")
    doc.set_text_color(0, 0, 0)
    doc.set_y(110)
    heading_lines(doc, family, [("B", d.get("date", ""), 13)], "L")
    doc.set_y(235)
    doc.set_font(family, "", 8.5)
    lines(doc, d.get("cover_note", []), 4.3)
    doc.add_page()
    w.write(d["blocks"])
    signoff(doc, d, w)


def letter(doc: Doc, d: dict, w: Writer) -> None:
    """A letter: letterhead lines, the date, the addressee, 'Dear …', the body, a sign-off."""
    w.style = style_of(d, family="sans", size=10.5, leading=5.2, heading_size=11, gap=3)
    family = w.style.family
    running(doc, d, family, first_page=bool(d.get("footer_on_first", False)))
    doc.set_margins(24, 18, 22)
    doc.set_auto_page_break(True, 20)
    doc.add_page()
    head = d.get("letterhead", [])
    align = d.get("letterhead_align", "R")
    for i, text in enumerate(head):
        doc.set_font(family, "B" if i == 0 else "", 13 if i == 0 else 8.5)
        lines(doc, [text], 6 if i == 0 else 4.2, align)
    doc.ln(10)
    doc.set_font(family, "", w.style.size)
    before = [d["date"], ""] if d.get("date_first", True) and d.get("date") else []
    after = [] if before or not d.get("date") else ["", d["date"]]
    lines(doc, [*before, *d.get("to", []), *after], w.style.leading)
    doc.ln(5)
    if d.get("salutation"):
        lines(doc, [d["salutation"]], w.style.leading)
        doc.ln(2)
    if d.get("subject"):
        doc.set_font(family, "B", w.style.size)
        lines(doc, [d["subject"]], w.style.leading)
        doc.ln(2)
    w.write(d["blocks"])
    signoff(doc, d, w)


def news_release(doc: Doc, d: dict, w: Writer) -> None:
    """A council news release: masthead, 'News release', the date, a headline and the story."""
    colour = tuple(d.get("colour", (150, 20, 70)))
    w.style = style_of(d, family="sans", size=10.5, leading=5.4, heading_size=11, gap=3.2)
    family = w.style.family
    running(doc, d, family)
    doc.set_margins(22, 18, 22)
    doc.add_page()
    doc.set_text_color(*colour)
    heading_lines(doc, family, [("B", d["council"], 16)], "L")
    doc.set_fill_color(*colour)
    doc.rect(doc.l_margin, doc.get_y() + 1, doc.epw, 0.8, style="F")
    doc.ln(4)
    heading_lines(doc, family, [("B", d.get("kicker", "News release"), 11)], "L")
    doc.set_text_color(0, 0, 0)
    heading_lines(doc, family, [("", d.get("date", ""), 10)], "L")
    doc.ln(4)
    heading_lines(doc, family, [("B", d["title"], 15)], "L")
    doc.ln(3)
    w.write(d["blocks"])


def committee_report(doc: Doc, d: dict, w: Writer) -> None:
    """A report to a committee: the cover table (report to, date of meeting, ...), then the
    report in numbered paragraphs."""
    w.style = style_of(
        d, family="sans", size=10.5, leading=5.2, heading_size=11.5, number_width=12, gap=2.6,
        table_fill=(235, 235, 235),
    )  # fmt: skip
    family = w.style.family
    running(doc, d, family)
    doc.set_margins(22, 20, 22)
    doc.set_auto_page_break(True, 20)
    doc.add_page()
    heading_lines(
        doc, family, [("B", d["council"], 14), ("", d.get("kicker", ""), 10.5)], d.get("head", "L")
    )
    doc.ln(4)
    if d.get("cover"):
        w.b_table(d["cover"], {"header": False, "widths": d.get("cover_widths", [30, 70])})
    heading_lines(doc, family, [("B", d.get("title", ""), 13)], "L")
    doc.ln(2)
    w.write(d["blocks"])
    signoff(doc, d, w)


def minutes(doc: Doc, d: dict, w: Writer) -> None:
    """Minutes: centred title lines, who was present, numbered minute items."""
    w.style = style_of(d, family="serif", size=10.5, leading=5.2, heading_size=11, gap=2.6)
    family = w.style.family
    running(doc, d, family)
    doc.set_margins(24, 20, 24)
    doc.set_auto_page_break(True, 22)
    doc.add_page()
    heading_lines(doc, family, [("B", d["council"], 14)], "C")
    doc.ln(1)
    doc.set_font(family, "", 11)
    for text in d.get("heading", []):
        doc.multi_cell(0, 5.5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(5)
    w.write(d["blocks"])
    signoff(doc, d, w)


def summary(doc: Doc, d: dict, w: Writer) -> None:
    """A short summary on one or two pages: a title, a date line and paragraphs."""
    w.style = style_of(d, family="serif", size=10.5, leading=5.4, heading_size=11.5, gap=3.2)
    family = w.style.family
    running(doc, d, family)
    doc.set_margins(25, 22, 25)
    doc.add_page()
    heading_lines(
        doc, family, [("", d.get("kicker", ""), 10), ("B", d["title"], 16)], d.get("head", "L")
    )
    doc.ln(1)
    heading_lines(doc, family, [("I", d.get("date", ""), 10.5)], d.get("head", "L"))
    doc.ln(5)
    w.write(d["blocks"])
    signoff(doc, d, w)


TEMPLATES: dict[str, Callable[[Doc, dict, Writer], None]] = {
    f.__name__.replace("_", "-"): f
    for f in (lga_report, letter, news_release, committee_report, minutes, summary)
}


# ----------------------------------------------------------------------------- one source


@dataclass
class Rendered:
    id: str
    template: str
    pages: int
    words: int


def load_source(path: Path) -> dict[str, Any]:
    source = yamlio.load(path)
    if not isinstance(source, dict):
        raise ValueError("the source must be a mapping")
    for key in REQUIRED:
        if key not in source:
            raise ValueError(f"{key}: missing; every source needs {', '.join(REQUIRED)}")
    if source["sample"] is not True:
        raise ValueError("sample: must be true: every document here is written for demonstration")
    if source["template"] not in TEMPLATES:
        raise ValueError(f"template: {source['template']!r} is not one of {sorted(TEMPLATES)}")
    if not isinstance(source["created"], dt.date):
        raise ValueError("created: write the PDF's creation date as YYYY-MM-DD")
    return source


def render(path: Path, out: Path = OUT) -> Rendered:
    """Render one source to out/<id>.pdf."""
    source = load_source(path)
    doc = new_document(source["title"], source["created"])
    writer = Writer(doc, Style(), {})
    TEMPLATES[source["template"]](doc, source["document"], writer)
    out.mkdir(parents=True, exist_ok=True)
    doc.output(str(out / f"{path.stem}.pdf"))
    words = word_count(source["document"]["blocks"], {})
    return Rendered(path.stem, source["template"], doc.pages_count, words)


def sources() -> list[Path]:
    """Every document's source: the .yml files beside labels.yml."""
    return sorted(p for p in SOURCES.glob("*.yml") if p.name != LABELS.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="ID", help="render one source, e.g. summary-essex-2024")
    args = parser.parse_args(argv)
    return render_all(
        sources(),
        args.only,
        SOURCES,
        render,
        lambda done: f"{done.id:44} {done.template:16} {done.pages:2} pages {done.words:5} words",
        "documents",
    )


if __name__ == "__main__":
    sys.exit(main())
