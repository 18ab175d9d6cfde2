"""PDF builders for tests: every fixture is made by code, with a fixed date so bytes are stable.

fpdf2's core fonts (Helvetica) are Latin-1 only, so `letter_pdf` text must be Latin-1; for any
other character (ligatures, bullet glyphs, private-use symbols) use `raw_pdf`, which writes a
content stream with a ToUnicode map and needs no font file. Units are points; A4 is 595 x 842.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO

from fpdf import FPDF
from pypdf import PdfWriter

from finalletters.tools.synthetic import assemble_pdf

FIXED_DATE = datetime(2020, 1, 1, tzinfo=UTC)
MARGIN = 72.0
BODY_SIZE = 11.0
LINE = 15.0  # baseline to baseline in body text
SIZES = {"title": 20.0, "h2": 15.0, "h3": BODY_SIZE}

LOREM = (
    "The peer team met people who draw on care and support, carers, staff, partners and "
    "elected members, and read the council's self-assessment before the visit. "
)


class _Letter(FPDF):
    """An A4 page in points with an optional running header and footer."""

    running_header = ""
    running_footer = ""

    def header(self) -> None:
        if self.running_header:
            self.set_font("Helvetica", "", 9)
            self.set_xy(MARGIN, 24)
            self.cell(0, 12, self.running_header)
            self.set_xy(MARGIN, MARGIN)

    def footer(self) -> None:
        if self.running_footer:
            self.set_font("Helvetica", "", 9)
            self.set_xy(MARGIN, -40)
            self.cell(300, 12, self.running_footer)
            self.cell(0, 12, f"Page {self.page_no()} of {{nb}}", align="R")


def new_pdf(header: str = "", footer: str = "") -> FPDF:
    pdf = _Letter(unit="pt", format="A4")
    pdf.running_header, pdf.running_footer = header, footer
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_page()
    return pdf


def output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def _item(pdf: FPDF, marker: str, text: str, indent: float) -> None:
    pdf.set_font("Helvetica", "", BODY_SIZE)
    pdf.set_x(MARGIN + indent)
    pdf.cell(18, LINE, marker)
    pdf.multi_cell(0, LINE, text, new_x="LMARGIN", new_y="NEXT")


def add_items(pdf: FPDF, items: Sequence[tuple[str, str]]) -> None:
    """Write (kind, text) items: title, h2, h3 (bold body size), p, bullet, sub-bullet, number."""
    number = 0
    for kind, text in items:
        if kind in SIZES:
            pdf.ln(6)
            pdf.set_font("Helvetica", "B", SIZES[kind])
            pdf.multi_cell(0, SIZES[kind] * 1.3, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif kind == "p":
            pdf.set_font("Helvetica", "", BODY_SIZE)
            pdf.multi_cell(0, LINE, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(8)
        elif kind in ("bullet", "sub-bullet"):
            _item(pdf, "-", text, 0 if kind == "bullet" else 18)
        elif kind == "number":
            number += 1
            _item(pdf, f"{number}.", text, 0)
        else:
            raise ValueError(f"unknown item kind {kind!r}")
        if kind not in ("bullet", "sub-bullet", "number"):
            number = 0


def letter_pdf(items: Sequence[tuple[str, str]], header: str = "", footer: str = "") -> bytes:
    """A letter from (kind, text) items; see add_items for the kinds. Text must be Latin-1."""
    pdf = new_pdf(header, footer)
    add_items(pdf, items)
    return output(pdf)


def simple_letter() -> bytes:
    """A title, two section headings, paragraphs, bullets (one nested) and numbered items."""
    return letter_pdf(
        [
            ("title", "Adult Social Care Peer Challenge"),
            ("p", "Dear Chief Executive, thank you for inviting the peer team. " + LOREM),
            ("h2", "Key strengths"),
            ("p", LOREM * 2),
            ("bullet", "Strong and visible leadership across the directorate."),
            ("sub-bullet", "Staff said leaders are approachable."),
            ("bullet", "A committed and caring workforce who know their communities well."),
            ("h2", "Recommendations"),
            ("number", "Develop a workforce strategy with partners."),
            ("number", "Reduce waiting lists for assessments and reviews " + LOREM),
            ("number", "Strengthen the voice of carers."),
            ("h3", "Next steps"),
            ("p", "The team would be pleased to return within twelve months."),
        ]
    )


def running_headers_letter(pages: int = 3) -> bytes:
    """Body text over several pages under a running header and a footer with page numbers."""
    pdf = new_pdf("Walsall Council - Adult Social Care Peer Challenge", "Final letter, June 2023")
    pdf.alias_nb_pages()
    for page in range(1, pages + 1):
        if page > 1:
            pdf.add_page()
        add_items(pdf, [("h2", f"Section {page}"), ("p", LOREM * 4), ("p", LOREM * 3)])
    return output(pdf)


def long_letter(pages: int = 20) -> bytes:
    """A letter of about the given number of pages, for timing."""
    pdf = new_pdf("Adult Social Care Peer Challenge", "Final letter")
    pdf.alias_nb_pages()
    add_items(pdf, [("title", "Adult Social Care Peer Challenge: Final Letter")])
    section = 0
    while pdf.page_no() < pages:
        section += 1
        add_items(
            pdf,
            [
                ("h2", f"Section {section}: what the team found"),
                ("p", LOREM * 5),
                ("bullet", "Leadership is visible and valued by staff."),
                ("bullet", "Partners describe a mature relationship with the council."),
                ("p", LOREM * 3),
                ("number", "Review the approach to waiting lists."),
                ("number", "Co-produce the carers' strategy."),
            ],
        )
    return output(pdf)


HYPHENATED_LINES = (
    "The peer team made several recom-",
    "mendations about the support for the well-",
    "being of unpaid carers and about a long-",
    "term plan for person-",
    "centred care during the COVID-",
    "19 recovery period in the bor-",
    "ough.",
)


def hyphenated_letter() -> bytes:
    """Justified lines that end in hyphens, some splitting words and some in real compounds."""
    pdf = new_pdf()
    pdf.set_font("Helvetica", "", BODY_SIZE)
    for line in HYPHENATED_LINES:
        pdf.cell(0, LINE, line, new_x="LMARGIN", new_y="NEXT")
    return output(pdf)


LEFT_COLUMN = (
    "Left column opens here. The council has a clear vision for adult social care. " * 4,
    "Left column second paragraph about the front door and early help services. " * 3,
)
RIGHT_COLUMN = (
    "Right column opens here. Partners told the team about strong joint working. " * 4,
    "Right column second paragraph about carers, housing and hospital discharge. " * 3,
)


def two_column_letter() -> bytes:
    """A full-width heading over two columns of text that share baselines."""
    pdf = new_pdf()
    add_items(pdf, [("h2", "What the team found")])
    top, width = pdf.get_y(), 215.0
    for x, paragraphs in ((MARGIN, LEFT_COLUMN), (MARGIN + width + 21, RIGHT_COLUMN)):
        pdf.set_xy(x, top)
        pdf.set_font("Helvetica", "", BODY_SIZE)
        for text in paragraphs:
            pdf.set_x(x)
            pdf.multi_cell(width, LINE, text, new_x="LEFT", new_y="NEXT")
            pdf.ln(8)
    return output(pdf)


TABLE_ROWS = (
    ("Role", "Name", "Organisation"),
    ("Lead DASS", "Jane Smith", "Sandwell Council"),
    ("Elected member", "Cllr Ahmed Khan", "Dudley Council"),
    ("Coordinator", "Sam Lee", "WM ADASS"),
)


def table_letter(
    rows: Sequence[Sequence[str]] = TABLE_ROWS, v_align: str = "MIDDLE", before: int = 1
) -> bytes:
    """Paragraphs, a bordered table (header repeated on each page), and a closing paragraph.

    fpdf2 centres cells vertically by default, so a wrapped cell's lines sit above and below the
    row's other cells; v_align="TOP" lines them up with the first line instead.
    """
    pdf = new_pdf()
    add_items(pdf, [("p", LOREM)] * (before - 1) + [("p", "The peer team was:")])
    pdf.set_font("Helvetica", "", BODY_SIZE)
    with pdf.table(
        col_widths=(120, 150, 180), width=450, align="LEFT", v_align=v_align, text_align="LEFT"
    ) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(10)
    add_items(pdf, [("p", "The team thanks everyone who took part.")])
    return output(pdf)


WRAPPED_ROWS = (
    ("Area", "View", "In brief"),
    ("Leadership", "Strong", "Clear vision and a stable team; good grip of the improvement plan"),
    ("Prevention and early help in the community", "Good", "Networks work well"),
    ("Practice", "Developing", "Strengths-based conversations in most files we read"),
)


def image_only_pdf() -> bytes:
    """A page of filled rectangles: what a scan without OCR looks like to a text extractor."""
    pdf = new_pdf()
    pdf.set_fill_color(40, 40, 40)
    for row in range(20):
        pdf.rect(MARGIN, MARGIN + row * 20, 400 - row * 7, 9, style="F")
    return output(pdf)


def encrypted_pdf(user_password: str = "secret") -> bytes:  # noqa: S107 (a fixture's password)
    pdf = new_pdf()
    add_items(pdf, [("p", LOREM)])
    pdf.set_encryption(owner_password="owner", user_password=user_password)  # noqa: S106 (fixture)
    return output(pdf)


def no_pages_pdf() -> bytes:
    buffer = BytesIO()
    PdfWriter().write(buffer)
    return buffer.getvalue()


def corrupt_pdf() -> bytes:
    """The first half of a valid PDF followed by noise."""
    good = simple_letter()
    return good[: len(good) // 2] + b"\x00garbled\xff" * 20


def wrong_xref_pdf() -> bytes:
    """A readable letter whose cross-reference offset is wrong: pypdf repairs it, with warnings."""
    good = simple_letter()
    return good[: good.rindex(b"startxref")] + b"startxref\n12345\n%%EOF\n"


def not_a_pdf() -> bytes:
    return b"PK\x03\x04\x14\x00\x06\x00word/document.xml" + b"\x00" * 64


def raw_pdf(pieces: Sequence[tuple[float, float, str]], size: float = BODY_SIZE) -> bytes:
    """One A4 page with each (x, y, text) piece drawn in Helvetica; any Unicode text.

    Characters outside ASCII get codes from 128 up, mapped back by a ToUnicode CMap, so an
    extractor sees exactly the given characters (e.g. "ﬁ", U+F0B7, no-break spaces).
    """
    chars = sorted({char for _, _, text in pieces for char in text})
    extra = [char for char in chars if not 32 <= ord(char) < 127]
    codes = {char: ord(char) for char in chars if 32 <= ord(char) < 127}
    codes.update((char, 128 + index) for index, char in enumerate(extra))
    if max(codes.values(), default=0) > 255:
        raise ValueError("raw_pdf supports at most 128 distinct non-ASCII characters")
    content = b"".join(
        b"BT /F1 %.2f Tf %.2f %.2f Td <%s> Tj ET\n"
        % (size, x, y, bytes(codes[c] for c in text).hex().encode())
        for x, y, text in pieces
    )
    cmap = _to_unicode(codes)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
    ]
    return assemble_pdf(objects)


def _to_unicode(codes: dict[str, int]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CMapName /Test def /CMapType 2 def",
        b"1 begincodespacerange <00> <FF> endcodespacerange",
        b"%d beginbfchar" % len(codes),
        *(
            b"<%02X> <%s>" % (code, char.encode("utf-16-be").hex().encode())
            for char, code in codes.items()
        ),
        b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end",
    ]
    return b"\n".join(lines)


def symbol_font_pdf(lines: Sequence[tuple[int, str]], font: str = "Wingdings-Regular") -> bytes:
    """One A4 page of list lines, each a bullet drawn as one byte of a picture font that has no
    ToUnicode map (as Word writes Wingdings and Symbol bullets), then Helvetica text.

    pypdf reads such a byte through the font's encoding, so the bullet comes out as whatever
    character that code is in WinAnsi: 0xA7 is "§", 0xD8 "Ø", 0xFC "ü", 0xB7 "·".
    """
    content = b"BT /F1 11 Tf 72 780 Td (The team heard that:) Tj ET\n"
    for k, (code, text) in enumerate(lines):
        y = 760 - 15 * k
        content += b"BT /F2 11 Tf 72 %d Td <%02X> Tj ET\n" % (y, code)
        content += b"BT /F1 11 Tf 90 %d Td (%s) Tj ET\n" % (y, text.encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /%s /Encoding /WinAnsiEncoding >>"
        % font.encode(),
    ]
    return assemble_pdf(objects)


# --- Hostile files: small on disk, costly to read (the budget tests) ---------------------------


def page_objects(content: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>") -> list[bytes]:
    """Catalogue, page tree, one page, Helvetica, and the page's (compressed) content stream."""
    stream = zlib.compress(content, 9)
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 5 0 R >>"
        % resources,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]


def crawl_pdf(operators: int = 400_000) -> bytes:
    """One page of a few hundred thousand text operators, compressed to a few kilobytes."""
    content = b"BT /F1 11 Tf 72 700 Td " + b"(crawl) Tj 0 -0.01 Td " * operators + b"ET"
    return assemble_pdf(page_objects(content))


def xobject_chain_pdf(depth: int = 16, fanout: int = 8) -> bytes:
    """A page that draws form 1, which draws form 2 `fanout` times, which draws form 3, and so
    on, `depth` forms deep: fanout**depth forms drawn from a file of a few kilobytes."""
    first = 6
    objects = page_objects(
        b"/X0 Do", b"<< /Font << /F1 4 0 R >> /XObject << /X0 %d 0 R >> >>" % first
    )
    for level in range(depth):
        last = level == depth - 1
        body = b"BT /F1 11 Tf 72 700 Td (deep) Tj ET" if last else b" ".join([b"/X0 Do"] * fanout)
        inner = b"" if last else b"/XObject << /X0 %d 0 R >>" % (first + level + 1)
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> %s >> /Length %d >>\nstream\n%s\nendstream"
            % (inner, len(body), body)
        )
    return assemble_pdf(objects)


def page_references_pdf(fanout: int = 10, levels: int = 5, count: int | None = None) -> bytes:
    """A page tree of `levels` nodes, each naming the next `fanout` times: fanout**levels page
    references (100,000 by default) to one page, in a file of about one kilobyte. `count` is
    the /Count the root claims (default: the truth)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        kids = b" ".join([b"%d 0 R" % (level + 3)] * fanout)
        claimed = count if (level == 0 and count is not None) else fanout ** (levels - level)
        objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, claimed))
    content = b"BT /F1 11 Tf 72 700 Td (One page, referenced many times over.) Tj ET"
    objects.append(
        b"<< /Type /Page /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
        b"/Contents %d 0 R >>" % (levels + 3, levels + 4)
    )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    return assemble_pdf(objects)


def surrogate_pdf() -> bytes:
    """A readable letter whose font maps one code to half a UTF-16 surrogate pair."""
    text = "A letter whose font maps a code to a lone surrogate: X, and more words after it."
    data = raw_pdf([(72, 700, text)])
    return data.replace(b"<58> <0058>", b"<58> <D800>")
