"""lettermd: letter.md's front matter and body, written and read back."""

from __future__ import annotations

import pytest

from finalletters.errors import LetterError
from finalletters.extract import extract
from finalletters.lettermd import (
    Block,
    Extracted,
    letter_md,
    page_starts,
    read_letter_md,
    sha256,
    to_markdown,
)
from tests import pdfs

NAME = "letters/walsall/2023-06/letter.pdf"


def test_letter_md_has_front_matter_in_a_fixed_order() -> None:
    data = pdfs.simple_letter()
    extracted = extract(data, NAME)
    text = letter_md(extracted, sha256(data))
    body = to_markdown(extracted.blocks)
    assert text == (
        "---\n"
        "source: letter.pdf\n"
        f"source_sha256: {sha256(data)}\n"
        "pages: 1\n"
        "page_starts: [1]\n"
        f"text_sha256: {sha256(body.encode())}\n"
        "edited: false\n"
        "---\n" + body
    )


def test_read_letter_md_round_trips() -> None:
    extracted = Extracted(
        (Block("heading", "Title", 1, level=1), Block("paragraph", "Text.", 2)), 2
    )
    front, body = read_letter_md(letter_md(extracted, "a" * 64), "letter.md")
    assert front.model_dump(exclude_none=True) == {
        "source": "letter.pdf",
        "source_sha256": "a" * 64,
        "pages": 2,
        "page_starts": [1, 2],
        "text_sha256": sha256(b"# Title\n\nText.\n"),
        "edited": False,
    }
    assert body == "# Title\n\nText.\n"


def test_read_letter_md_accepts_windows_line_ends() -> None:
    text = letter_md(Extracted((Block("paragraph", "Text.", 1),), 1), "b" * 64)
    front, body = read_letter_md(text.replace("\n", "\r\n"), "letter.md")
    assert front.pages == 1 and body == "Text.\n"


def test_page_starts_give_each_page_its_first_block_and_an_empty_page_the_next_pages():
    blocks = (
        Block("heading", "Title", 1, level=1),
        Block("paragraph", "One.", 1),
        Block("paragraph", "Three.", 3),
        Block("list-item", "Still three.", 3),
    )
    body = to_markdown(blocks)
    assert page_starts(blocks, 5, body) == [1, 3, 3, 5, 5]
    front, _ = read_letter_md(letter_md(Extracted(blocks, 5), "c" * 64), "letter.md")
    assert front.page_starts == [1, 3, 3, 5, 5]


def test_no_page_starts_are_written_when_the_text_does_not_read_back_block_for_block():
    out_of_order = (Block("paragraph", "Two.", 2), Block("paragraph", "One.", 1))
    assert page_starts(out_of_order, 2, to_markdown(out_of_order)) is None
    # Two paragraphs that Markdown reads back as one list item's text: no blocks to count on.
    merged = (Block("list-item", "Item", 1), Block("paragraph", "  more", 2))
    assert page_starts(merged, 2, "- Item\n  more\n") is None
    text = letter_md(Extracted(out_of_order, 2), "d" * 64)
    assert "page_starts" not in text
    assert read_letter_md(text, "letter.md")[0].page_starts is None


GOOD_FRONT = f"source: letter.pdf\nsource_sha256: {'a' * 64}\npages: 1\ntext_sha256: {'b' * 64}\n"


@pytest.mark.parametrize(
    ("text", "problem", "field"),
    [
        ("# Title\n", "does not start with front matter", ""),
        (f"---\n{GOOD_FRONT}edited: false\n# Title\n", "does not start with front matter", ""),
        ("---\nsource: [letter.pdf\n---\nText\n", "is not valid YAML", ""),
        ("---\n- a list\n---\nText\n", "not a set of 'key: value' lines", ""),
        (f"---\n{GOOD_FRONT}---\nText\n", "is missing", "edited"),
        (f"---\n{GOOD_FRONT}edited: maybe\n---\nText\n", "'maybe' is not true or false", "edited"),
        (
            f"---\n{GOOD_FRONT.replace('pages: 1', 'pages: two')}edited: false\n---\n",
            "not a whole number",
            "pages",
        ),
        (
            f"---\n{GOOD_FRONT.replace('a' * 64, 'abc')}edited: false\n---\n",
            "not 64 hexadecimal digits",
            "source_sha256",
        ),
        (
            f"---\n{GOOD_FRONT}page_starts: [1, 4]\nedited: false\n---\n",
            "[1, 4] is not a list with the block each page starts at, one for each page",
            "page_starts",
        ),
        (
            f"---\n{GOOD_FRONT.replace('pages: 1', 'pages: 2')}page_starts: [3, 1]\n"
            "edited: false\n---\n",
            "never going back",
            "page_starts",
        ),
    ],
)
def test_read_letter_md_rejects_malformed_front_matter(text: str, problem: str, field: str) -> None:
    with pytest.raises(LetterError) as caught:
        read_letter_md(text, "letters/walsall/2023-06/letter.md")
    detail = caught.value.detail
    assert detail.file == "letters/walsall/2023-06/letter.md"
    assert problem in detail.problem
    assert detail.field == field
    assert "extract it again" in detail.tip
