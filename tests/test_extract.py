"""extract: PDF bytes → blocks (and their Markdown), on PDFs made by tests/pdfs.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from io import BytesIO

import markdown
import pytest
from pypdf import PdfReader

from finalletters import extract as extract_module
from finalletters.errors import LetterError
from finalletters.extract import extract
from finalletters.lettermd import Block, letter_md, read_blocks, sha256, to_markdown
from tests import pdfs

NAME = "letters/walsall/2023-06/letter.pdf"


def blocks_of(data: bytes) -> tuple[Block, ...]:
    return extract(data, NAME).blocks


def markdown_of(data: bytes) -> str:
    return to_markdown(blocks_of(data))


def html_of(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list"])


def texts(blocks: tuple[Block, ...], kind: str) -> list[str]:
    return [b.text for b in blocks if b.kind == kind]


# --- structure --------------------------------------------------------------------------------


def test_simple_letter_gives_headings_by_size_and_weight() -> None:
    blocks = blocks_of(pdfs.simple_letter())
    headings = [(b.text, b.level) for b in blocks if b.kind == "heading"]
    assert headings == [
        ("Adult Social Care Peer Challenge", 1),
        ("Key strengths", 2),
        ("Recommendations", 2),
        ("Next steps", 3),
    ]


def test_simple_letter_gives_paragraphs_joined_across_lines() -> None:
    paragraphs = texts(blocks_of(pdfs.simple_letter()), "paragraph")
    assert paragraphs[0].startswith("Dear Chief Executive, thank you for inviting the peer team.")
    assert paragraphs[0].endswith("self-assessment before the visit.")
    assert paragraphs[1] == (pdfs.LOREM * 2).strip()
    assert len(paragraphs) == 3


def test_bullets_and_numbered_items_become_list_items() -> None:
    items = [b for b in blocks_of(pdfs.simple_letter()) if b.kind == "list-item"]
    bullets = [(b.text, b.level) for b in items if not b.ordered]
    assert bullets == [
        ("Strong and visible leadership across the directorate.", 0),
        ("Staff said leaders are approachable.", 1),
        ("A committed and caring workforce who know their communities well.", 0),
    ]
    numbered = [(b.number, b.text) for b in items if b.ordered]
    assert [n for n, _ in numbered] == ["1", "2", "3"]
    assert (
        numbered[1][1] == "Reduce waiting lists for assessments and reviews " + pdfs.LOREM.strip()
    )


def test_markdown_of_simple_letter_is_plain_and_ends_with_one_newline() -> None:
    text = markdown_of(pdfs.simple_letter())
    assert text.startswith("# Adult Social Care Peer Challenge\n\nDear Chief Executive")
    assert "\n\n## Key strengths\n\n" in text
    assert "- Strong and visible leadership across the directorate.\n" in text
    assert "\n    - Staff said leaders are approachable.\n" in text
    assert "\n1. Develop a workforce strategy with partners.\n2. Reduce" in text
    assert "\n\n### Next steps\n\n" in text
    assert text.endswith("twelve months.\n") and not text.endswith("\n\n")


def test_running_headers_footers_and_page_numbers_are_dropped() -> None:
    text = markdown_of(pdfs.running_headers_letter(pages=3))
    assert text.count("Walsall Council") == 0
    assert text.count("Final letter, June 2023") == 0
    assert "Page" not in text
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        "# Section 1",
        "# Section 2",
        "# Section 3",
    ]


def test_paragraph_split_by_a_page_break_is_joined() -> None:
    data = pdfs.letter_pdf([("p", pdfs.LOREM * 14)] * 3, header="Header", footer="Footer")
    second_page = PdfReader(BytesIO(data)).pages[1].extract_text().splitlines()
    assert not second_page[1].startswith("The peer team")  # the fixture splits a paragraph
    paragraphs = texts(blocks_of(data), "paragraph")
    assert paragraphs == [(pdfs.LOREM * 14).strip()] * 3


def test_words_are_rejoined_across_line_end_hyphens() -> None:
    (paragraph,) = blocks_of(pdfs.hyphenated_letter())
    assert paragraph.text == (
        "The peer team made several recommendations about the support for the well-being of "
        "unpaid carers and about a long-term plan for person-centred care during the COVID-19 "
        "recovery period in the borough."
    )


def test_two_columns_are_read_left_column_first() -> None:
    blocks = blocks_of(pdfs.two_column_letter())
    assert blocks[0] == Block("heading", "What the team found", 1, level=1)
    paragraphs = [b.text for b in blocks[1:]]
    expected = [*pdfs.LEFT_COLUMN, *pdfs.RIGHT_COLUMN]
    assert paragraphs == [text.strip() for text in expected]


def test_full_width_text_after_two_columns_is_read_after_both_columns() -> None:
    left = [(72, 760 - 15 * k, f"Left column, line {k + 1} of four.") for k in range(4)]
    right = [(320, 760 - 15 * k, f"Right column, line {k + 1} of three.") for k in range(3)]
    tail = [
        (72, 680, "Recommendations"),
        (72, 665, "The team recommends that the council:"),
        (
            72,
            645,
            "\u2022 agrees a single plan to reduce waits for occupational therapy assessments.",
        ),
    ]
    texts_in_order = [b.text for b in blocks_of(pdfs.raw_pdf(left + right + tail))]
    assert texts_in_order[1].startswith("Right column"), texts_in_order
    assert texts_in_order[2:] == [
        "Recommendations",
        "The team recommends that the council:",
        "agrees a single plan to reduce waits for occupational therapy assessments.",
    ]


def test_a_left_column_longer_than_the_right_is_still_read_first() -> None:
    left = [(72, 760 - 15 * k, f"Left column, line {k + 1} of six.") for k in range(6)]
    right = [(320, 760 - 15 * k, f"Right column, line {k + 1} of three.") for k in range(3)]
    texts_in_order = " ".join(b.text for b in blocks_of(pdfs.raw_pdf(left + right)))
    assert texts_in_order.index("line 6 of six") < texts_in_order.index("line 1 of three")


def test_table_rows_keep_their_cells() -> None:
    blocks = blocks_of(pdfs.table_letter())
    rows = [b for b in blocks if b.kind == "table-row"]
    assert [b.cells for b in rows] == list(pdfs.TABLE_ROWS)
    assert rows[1].text == "Lead DASS | Jane Smith | Sandwell Council"
    assert texts(blocks, "paragraph") == [
        "The peer team was:",
        "The team thanks everyone who took part.",
    ]


def test_table_renders_as_a_pipe_table_with_a_header_row() -> None:
    text = markdown_of(pdfs.table_letter())
    assert "| Role | Name | Organisation |\n| --- | --- | --- |\n| Lead DASS |" in text
    assert "<table>" in html_of(text)


@pytest.mark.parametrize("v_align", ["MIDDLE", "TOP"])
def test_wrapped_cells_join_their_row(v_align: str) -> None:
    data = pdfs.table_letter(rows=pdfs.WRAPPED_ROWS, v_align=v_align)
    rows = [b.cells for b in blocks_of(data) if b.kind == "table-row"]
    assert rows == list(pdfs.WRAPPED_ROWS)


def test_a_table_over_a_page_break_keeps_one_header_row() -> None:
    body = [(f"Role {i}", f"Name {i}", f"Organisation {i}") for i in range(30)]
    data = pdfs.table_letter(rows=[pdfs.TABLE_ROWS[0], *body], before=9)
    extracted = extract(data, NAME)
    rows = [b for b in extracted.blocks if b.kind == "table-row"]
    assert extracted.pages == 2 and {b.page for b in rows} == {1, 2}
    assert [b.cells for b in rows] == [pdfs.TABLE_ROWS[0], *body]


def test_numbers_set_apart_by_a_tab_are_list_items_not_a_table() -> None:
    items = ["Agree a plan for the waiting list.", "Publish the community offer."]
    pieces = []
    for k, item in enumerate(items):  # the number, then the text at a tab stop well after it
        pieces += [(72, 760 - 15 * k, f"{k + 1}."), (110, 760 - 15 * k, item)]
    data = pdfs.raw_pdf(pieces)
    blocks = blocks_of(data)
    assert [(b.kind, b.number, b.text) for b in blocks] == [
        ("list-item", "1", items[0]),
        ("list-item", "2", items[1]),
    ]


def test_short_lines_such_as_an_address_are_separate_paragraphs() -> None:
    address = ["Corporate Director, Adult Social Care", "Walsall Council", "Civic Centre"]
    long = "Thank you for inviting the peer team to Walsall; the team met many people and partners"
    data = pdfs.raw_pdf(
        [(72, 760 - 14 * k, text) for k, text in enumerate(address)]
        + [(72, 700, long), (72, 686, "during the visit.")]
    )
    assert texts(blocks_of(data), "paragraph") == [*address, f"{long} during the visit."]


def test_ligatures_odd_spaces_and_soft_hyphens_are_normalised() -> None:
    data = pdfs.raw_pdf(
        [
            (
                72,
                760,
                "The o\ufb03ce found signi\ufb01cant \ufb02exibility at \u201cthe\u00a0front",
            ),
            (72, 745, "door\u201d and in the e\ufb00ect of care\u00ad"),
            (72, 730, "ful\u2003planning.\u200b Cafe\u0301 staff agreed."),
        ]
    )
    (paragraph,) = blocks_of(data)
    assert paragraph.text == (
        "The office found significant flexibility at \u201cthe front door\u201d and in the "
        "effect of careful planning. Caf\u00e9 staff agreed."
    )


def test_bullet_glyphs_including_private_use_ones_start_list_items() -> None:
    data = pdfs.raw_pdf(
        [
            (72, 760, "The team heard that:"),
            (72, 735, "\uf0b7"),
            (90, 735, "carers are valued and supported;"),
            (72, 720, "\u25cf"),
            (90, 720, "staff feel listened to;"),
            (72, 705, "\u2022 partners trust the council."),
        ]
    )
    blocks = blocks_of(data)
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "The team heard that:"),
        ("list-item", "carers are valued and supported;"),
        ("list-item", "staff feel listened to;"),
        ("list-item", "partners trust the council."),
    ]
    assert "\n- staff feel listened to;\n" in to_markdown(blocks)


ITEMS = (
    "carers are valued and supported;",
    "staff feel listened to;",
    "partners trust the council.",
)


@pytest.mark.parametrize(
    "glyph",
    ["\u2022", "\uf0b7", "\uf0a7", "\uf0d8", "\uf0fc", "\uf076", "\x7f", "\u25aa", "o", "\u27a2"],
    ids=["bullet", "F0B7", "F0A7", "F0D8", "F0FC", "F076", "DEL", "small-square", "o", "arrow"],
)
def test_each_bullet_glyph_real_pdfs_write_starts_its_own_list_item(glyph: str) -> None:
    pieces = [(72, 760, "The team heard that:")]
    for k, item in enumerate(ITEMS):
        pieces += [(72, 740 - 15 * k, glyph), (90, 740 - 15 * k, item)]
    blocks = blocks_of(pdfs.raw_pdf(pieces))
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "The team heard that:"),
        *(("list-item", item) for item in ITEMS),
    ]


@pytest.mark.parametrize("font", ["Wingdings-Regular", "Symbol"])
def test_a_picture_fonts_bullet_without_a_map_still_starts_a_list_item(font: str) -> None:
    data = pdfs.symbol_font_pdf([(0xA7, ITEMS[0]), (0xD8, ITEMS[1]), (0xFC, ITEMS[2])], font)
    raw = PdfReader(BytesIO(data)).pages[0].extract_text()
    assert "carers" in raw and not raw.startswith("\u2022"), "the fixture gives odd characters"
    blocks = blocks_of(data)
    assert [(b.kind, b.text) for b in blocks[1:]] == [("list-item", item) for item in ITEMS]


def test_a_glyph_inside_a_line_is_text_not_a_bullet() -> None:
    (paragraph,) = blocks_of(pdfs.raw_pdf([(72, 760, "Section 75 \u2022 pooled budgets")]))
    assert paragraph.kind == "paragraph"


def test_lettered_roman_and_dotted_numbers_are_kept_as_printed() -> None:
    data = pdfs.raw_pdf(
        [
            (72, 760, "(a) First lettered point."),
            (72, 745, "b) Second lettered point."),
            (72, 730, "ii. A roman numbered point."),
            (72, 715, "2.1 A dotted number point."),
        ]
    )
    blocks = blocks_of(data)
    assert [(b.kind, b.ordered, b.number) for b in blocks] == [
        ("list-item", True, "a"),
        ("list-item", True, "b"),
        ("list-item", True, "ii"),
        ("list-item", True, "2.1"),
    ]
    assert to_markdown(blocks) == (
        "- (a) First lettered point.\n- (b) Second lettered point.\n"
        "- (ii) A roman numbered point.\n- (2.1) A dotted number point.\n"
    )


def test_numbered_paragraphs_keep_lines_that_wrap_to_the_margin() -> None:
    long = "1. The council has a clear vision for adult social care which staff and partners share"
    data = pdfs.raw_pdf(
        [
            (72, 760, long),
            (72, 745, "and understand."),
            (72, 720, "2. Leaders are visible."),
        ]
    )
    blocks = blocks_of(data)
    assert [(b.number, b.text) for b in blocks] == [
        ("1", long[3:] + " and understand."),
        ("2", "Leaders are visible."),
    ]


def test_a_number_at_the_start_of_a_wrapped_line_is_not_a_list_item() -> None:
    first = "Across the region the number of people who draw on care and support is now about"
    data = pdfs.raw_pdf([(72, 760, first), (72, 745, "1.5 million and it is still rising.")])
    (paragraph,) = blocks_of(data)
    assert paragraph.kind == "paragraph"
    assert paragraph.text == f"{first} 1.5 million and it is still rising."


def test_a_paragraph_that_opens_with_a_decimal_is_not_a_list_item() -> None:
    data = pdfs.raw_pdf(
        [(72, 760, "Carers in the borough:"), (72, 730, "2.5 million hours a week.")]
    )
    assert [b.kind for b in blocks_of(data)] == ["paragraph", "paragraph"]


def test_extract_is_deterministic() -> None:
    data = pdfs.simple_letter()
    assert pdfs.simple_letter() == data
    assert extract(data, NAME) == extract(data, NAME)
    assert letter_md(extract(data, NAME), sha256(data)) == letter_md(
        extract(data, NAME), sha256(data)
    )


# --- Markdown safety --------------------------------------------------------------------------


def test_hostile_text_in_a_pdf_is_not_markup() -> None:
    data = pdfs.letter_pdf(
        [
            ("p", "Before <script>alert(1)</script> after."),
            ("p", "See [click](javascript:alert(1)) and <img src=x onerror=alert(1)>."),
            ("p", "Also *stars*, _underscores_, `code`, &amp; and {: onclick=alert(1) }"),
        ]
    )
    text = markdown_of(data)
    html = html_of(text)
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "onclick=" not in html.replace("{: onclick=alert(1) }", "")
    assert "<em>" not in html and "<code>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[click](javascript:alert(1))" in html


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("# not a heading", "<h1>"),
        ("> not a quote", "<blockquote>"),
        ("- not a bullet", "<ul>"),
        ("+ not a bullet", "<ul>"),
        ("12. not a list", "<ol>"),
        ("3) not a list", "<ol>"),
    ],
)
def test_paragraphs_that_look_like_markup_stay_paragraphs(text: str, tag: str) -> None:
    rendered = to_markdown([Block("paragraph", text, 1)])
    html = html_of(rendered)
    assert tag not in html
    assert html == f"<p>{text.replace('>', '&gt;')}</p>"


def test_table_cells_escape_pipes() -> None:
    rows = [
        Block("table-row", "a | b", 1, cells=("a", "b")),
        Block("table-row", "", 1, cells=("x|y", "z")),
    ]
    text = to_markdown(rows)
    assert text == "| a | b |\n| --- | --- |\n| x\\|y | z |\n"
    assert "<td>x|y</td>" in html_of(text)


def test_a_list_never_starts_indented() -> None:
    items = [Block("list-item", "deep", 1, level=2), Block("list-item", "deeper", 1, level=3)]
    assert to_markdown(items) == "- deep\n    - deeper\n"


def test_markdown_of_no_blocks_is_empty() -> None:
    assert to_markdown([]) == ""


# --- reading letter.md back --------------------------------------------------------------


HOSTILE_BLOCKS = (
    Block("heading", "Ends with #", 0, level=2),
    Block("paragraph", "<script>x</script> & &amp; \\ *a* _b_ [c](d) `e` {f}", 0),
    Block("list-item", "(b) is text, not a letter", 0),
    Block("list-item", "lettered", 0, ordered=True, number="b"),
    Block("list-item", "nested", 0, level=1),
    Block("list-item", "1. starts like a number", 0, ordered=True, number="12"),
    Block("table-row", "a|b | c", 0, cells=("a|b", "c")),
    Block("table-row", " | ", 0, cells=("", "")),
    *(Block("paragraph", text, 0) for text in ("- dash", "12. twelve", "> q", "+ plus", "| pipe")),
)


@pytest.mark.parametrize(
    "make",
    [pdfs.simple_letter, pdfs.table_letter, pdfs.two_column_letter, pdfs.running_headers_letter],
)
def test_read_blocks_gives_back_the_blocks_of_to_markdown(make: Callable[[], bytes]) -> None:
    blocks = blocks_of(make())
    assert read_blocks(to_markdown(blocks)) == tuple(replace(b, page=0) for b in blocks)


def test_read_blocks_gives_back_hostile_text_as_plain_text() -> None:
    assert read_blocks(to_markdown(HOSTILE_BLOCKS)) == HOSTILE_BLOCKS


def test_read_blocks_reads_text_corrected_by_hand() -> None:
    body = (
        "# Title ##\nA paragraph wrapped\nby hand.\n\n* a star bullet\n  - nested by two spaces\n"
        "  and continued\n3) third\n\n| Role | Name |\n|:--|--:|\n| Lead | Ann |\n"
    )
    assert read_blocks(body.replace("\n", "\r\n")) == (
        Block("heading", "Title", 0, level=1),
        Block("paragraph", "A paragraph wrapped by hand.", 0),
        Block("list-item", "a star bullet", 0),
        Block("list-item", "nested by two spaces and continued", 0, level=1),
        Block("list-item", "third", 0, ordered=True, number="3"),
        Block("table-row", "Role | Name", 0, cells=("Role", "Name")),
        Block("table-row", "Lead | Ann", 0, cells=("Lead", "Ann")),
    )


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "problem", "tip"),
    [
        (pdfs.not_a_pdf, "is not a PDF (it is a ZIP archive", "export the letter"),
        (lambda: b"Dear Chief Executive", "is not a PDF (it starts with b'Dear", "as PDF"),
        (pdfs.corrupt_pdf, "could not be read as a PDF", "download the letter again"),
        (pdfs.encrypted_pdf, "is encrypted with a password", "qpdf --decrypt"),
        (pdfs.no_pages_pdf, "has no pages", "export it again"),
        (pdfs.image_only_pdf, "has no text layer: it looks scanned", "ocrmypdf --language eng"),
    ],
)
def test_bad_input_raises_one_clear_error(
    make: Callable[[], bytes], problem: str, tip: str
) -> None:
    with pytest.raises(LetterError) as caught:
        extract(make(), NAME)
    detail = caught.value.detail
    assert detail.file == NAME
    assert problem in detail.problem
    assert tip in detail.tip
    assert str(caught.value).startswith(f"error: {NAME}: ")


def test_oversized_pdf_is_refused_with_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    data = pdfs.simple_letter()
    monkeypatch.setattr(extract_module, "MAX_BYTES", 1024 * 1024 // 10)
    data = data + b"%" * (1024 * 1024 // 5)
    with pytest.raises(LetterError) as caught:
        extract(data, NAME)
    assert "is 0.2 MB, over the 0 MB limit" in caught.value.detail.problem
    assert "ocrmypdf --optimize" in caught.value.detail.tip and "qpdf" in caught.value.detail.tip


def test_encrypted_pdf_with_an_empty_password_is_read() -> None:
    (paragraph,) = blocks_of(pdfs.encrypted_pdf(user_password=""))
    assert paragraph.text == pdfs.LOREM.strip()


def test_pypdf_warnings_stay_off_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    logging.basicConfig()  # a handler that would print pypdf's warnings if they got through
    level = logging.getLogger("pypdf").level
    blocks = blocks_of(pdfs.wrong_xref_pdf())
    assert blocks[0].text == "Adult Social Care Peer Challenge"
    assert capfd.readouterr().err == ""
    assert logging.getLogger("pypdf").level == level
