"""letter.md: the text of a letter as Markdown under a front matter, written and read back.

The format every stage after extraction reads, without the PDF reader: `Block` (one heading,
paragraph, list item or table row), `to_markdown` and its inverse `read_blocks`, and the whole
file (`letter_md`, `read_letter_md`), whose front matter is `model.LetterMdFront`.
"""

from __future__ import annotations

import hashlib
import html
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Literal

import yaml
from pydantic import ValidationError

from . import yamlio
from .errors import LetterError, did_you_mean
from .model import LetterMdFront
from .yamlio import SAFE_LOADER

FRONT_TIP = "restore the lines between '---' from git, or delete letter.md and extract it again"

BlockKind = Literal["heading", "paragraph", "list-item", "table-row"]


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of the letter's text, in reading order."""

    kind: BlockKind
    text: str  # for table-row: cells joined by " | "
    page: int  # 1-based
    level: int = 0  # heading level 1..3 (1 = title); list nesting depth 0..
    ordered: bool = False  # numbered list item
    number: str = ""  # the item's own number or letter as printed ("3", "b", "2.1")
    cells: tuple[str, ...] = ()  # table rows only


@dataclass(frozen=True, slots=True)
class Extracted:
    blocks: tuple[Block, ...]
    pages: int


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Markdown ---------------------------------------------------------------------------------

_INLINE = re.compile(r"[\\`*_{}\[\]]")
_ENTITY = re.compile(r"&(?=#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)", re.I)
_BLOCK_START = re.compile(r"^(?:[#>+|-]|(\d+)(?=[.)]))")
_MD_NUMBER = re.compile(r"\((\d{1,3}(?:\.\d{1,3})*|[A-Za-z]|[ivxlcIVXLC]{1,6})\)\s+")


def _escape(text: str) -> str:
    """Text that Markdown shows as written: no emphasis, links, code or HTML from a PDF."""
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;")


def _escape_start(text: str) -> str:
    """Escape what would start a heading, quote, list or table at the start of a block."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    cut = match.end()
    return f"{text[:cut]}\\{text[cut:]}" if match.group(1) else f"\\{text}"


def _md_item(block: Block, depth: int) -> str:
    text = _escape_start(_escape(block.text))
    if block.ordered and block.number.isdigit():
        marker = f"{block.number}."
    elif block.ordered:
        marker = f"- ({_escape(block.number)})"
    else:
        marker = "-"
        text = f"\\{text}" if _MD_NUMBER.match(text) else text  # not read back as "- (b)"
    return f"{'    ' * depth}{marker} {text}"


def _md_list(items: list[Block]) -> str:
    lines, depth = [], -1
    for item in items:
        depth = min(item.level, depth + 1)
        lines.append(_md_item(item, depth))
    return "\n".join(lines)


def _md_table(rows: list[Block]) -> str:
    width = max(len(row.cells) for row in rows)

    def render(cells: Sequence[str]) -> str:
        padded = [_escape(c).replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(padded) + " |"

    lines = [render(rows[0].cells), "| " + " | ".join(["---"] * width) + " |"]
    return "\n".join(lines + [render(row.cells) for row in rows[1:]])


def _md_block(block: Block) -> str:
    if block.kind == "heading":
        text = _escape(block.text)
        text = text[:-1] + "\\#" if text.endswith("#") else text
        return f"{'#' * max(1, min(block.level, 6))} {text}"
    return _escape_start(_escape(block.text))


def to_markdown(blocks: Sequence[Block]) -> str:
    """The blocks as Markdown: one blank line between blocks, lists and tables kept together."""
    chunks: list[str] = []
    for kind, group in groupby(blocks, key=lambda b: b.kind):
        items = list(group)
        if kind == "list-item":
            chunks.append(_md_list(items))
        elif kind == "table-row":
            chunks.append(_md_table(items))
        else:
            chunks.extend(_md_block(b) for b in items)
    return "\n\n".join(chunks) + "\n" if chunks else ""


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])\s+(.*)$")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|(&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


def _unescape(text: str) -> str:
    """The text that escaped Markdown stands for: `\\[` → `[`, `&lt;` → `<`."""
    if "\\" not in text and "&" not in text:
        return text.strip()
    return _MD_UNESCAPE.sub(lambda m: m.group(1) or html.unescape(m.group(2)), text).strip()


def read_blocks(body: str) -> tuple[Block, ...]:
    """The blocks of a letter.md body (the inverse of to_markdown), with plain text.

    It also reads what a person may write when correcting the text: lines of a paragraph
    wrapped by hand, lists indented by two spaces, `*` bullets. Markdown keeps no page
    numbers, so every block has page 0.
    """
    reader = _BodyReader()
    for line in body.replace("\r\n", "\n").split("\n"):
        reader.add(line)
    return reader.finish()


class _BodyReader:
    """Reads letter.md line by line; a blank line ends a paragraph or a list."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lines: list[str] = []  # the paragraph or list item being read
        self.item: Block | None = None
        self.indents: list[int] = []

    def add(self, line: str) -> None:
        heading, item = _MD_HEADING.match(line), _MD_ITEM.match(line)
        if not line.strip():
            self._flush()
            self.indents = []
        elif heading:
            self._flush()
            text = _unescape(heading.group(2))
            self.blocks.append(Block("heading", text, 0, level=len(heading.group(1))))
        elif line.lstrip().startswith("|"):
            self._flush()
            self._row(line)
        elif item:
            self._flush()
            self._item(len(item.group(1)), item.group(2), item.group(3))
        else:
            self.lines.append(line.strip())

    def finish(self) -> tuple[Block, ...]:
        self._flush()
        return tuple(self.blocks)

    def _flush(self) -> None:
        text = _unescape(" ".join(self.lines))
        if self.item:
            self.blocks.append(replace(self.item, text=text))
        elif text:
            self.blocks.append(Block("paragraph", text, 0))
        self.lines, self.item = [], None

    def _row(self, line: str) -> None:
        if _MD_SEPARATOR.match(line.strip()):
            return
        inner = line.strip().removeprefix("|")
        inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
        cells = tuple(_unescape(cell) for cell in re.split(r"(?<!\\)\|", inner))
        self.blocks.append(Block("table-row", " | ".join(cells), 0, cells=cells))

    def _item(self, indent: int, marker: str, text: str) -> None:
        self.indents = [i for i in self.indents if i < indent]
        depth = len(self.indents)
        self.indents.append(indent)
        lettered = _MD_NUMBER.match(text) if marker in "-*+" else None
        if lettered:
            number, text = lettered.group(1), text[lettered.end() :]
        else:
            number = "" if marker in "-*+" else marker[:-1]
        self.item = Block("list-item", "", 0, level=depth, ordered=bool(number), number=number)
        self.lines = [text]


# --- letter.md --------------------------------------------------------------------------------

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*(?:\n|\Z)", re.S | re.M)
# How a person is told what a field of the front matter must look like.
_SHAPES = {
    "source": "the PDF's file name, e.g. letter.pdf",
    "source_sha256": "64 hexadecimal digits",
    "pages": "a whole number",
    "page_starts": "a list with the block each page starts at, one for each page, from 1 "
    "and never going back, e.g. [1, 14, 29]",
    "text_sha256": "64 hexadecimal digits",
    "edited": "true or false",
    "edited_on": "a date like 2024-05-31",
}


def letter_md(extracted: Extracted, pdf_sha256: str) -> str:
    """The whole letter.md: front matter in a fixed order, then the Markdown body."""
    body = to_markdown(extracted.blocks)
    starts = page_starts(extracted.blocks, extracted.pages, body)
    return letter_md_for(body, pdf_sha256, extracted.pages, starts)


def page_starts(blocks: Sequence[Block], pages: int, body: str) -> list[int] | None:
    """For each page of the PDF, the block (1-based) of letter.md's body it starts at: one
    more than the blocks on the pages before it. None when the body does not read back as
    these blocks one for one, or their pages are not in order: then no page is recorded."""
    numbers = [block.page for block in blocks]
    if any(not 1 <= n <= pages for n in numbers) or numbers != sorted(numbers):
        return None
    if len(read_blocks(body)) != len(blocks):
        return None
    return [1 + bisect_left(numbers, page) for page in range(1, pages + 1)]


def letter_md_for(
    body: str, pdf_sha256: str, pages: int, starts: Sequence[int] | None = None
) -> str:
    """letter.md for a Markdown body already made: the front matter, then the body. The page
    starts are written on one line (`page_starts: [1, 14, 29]`), outside `text_sha256`."""
    front = LetterMdFront(
        source="letter.pdf",
        source_sha256=pdf_sha256,
        pages=pages,
        page_starts=list(starts) if starts is not None else None,
        text_sha256=sha256(body.encode("utf-8")),
        edited=False,
    )
    fields = front.model_dump(mode="json", exclude_none=True)
    lines = []
    for key, value in fields.items():
        if key == "page_starts":
            lines.append(f"page_starts: [{', '.join(str(n) for n in value)}]\n")
        else:
            lines.append(yamlio.dump({key: value}))
    return f"---\n{''.join(lines)}---\n{body}"


def read_letter_md(text: str, name: str) -> tuple[LetterMdFront, str]:
    """The front matter and body of a letter.md; LetterError if the front matter is broken."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    match = _FRONT.match(text)
    if not match:
        raise LetterError(
            name, "does not start with front matter between two '---' lines", FRONT_TIP
        )
    try:
        front = yaml.load(match.group(1), Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise LetterError(
            name, f"has front matter that is not valid YAML: {exc}", FRONT_TIP
        ) from exc
    if not isinstance(front, dict):
        raise LetterError(
            name, "has front matter that is not a set of 'key: value' lines", FRONT_TIP
        )
    try:
        return LetterMdFront.model_validate(front), text[match.end() :]
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else ""
        if error["type"] == "missing":
            problem = "is missing"
        elif error["type"] == "extra_forbidden":
            problem = f"is not a key of letter.md's front matter{did_you_mean(key, set(_SHAPES))}"
        else:
            problem = f"{front.get(key)!r} is not {_SHAPES.get(key, error['msg'])}"
        raise LetterError(name, problem, FRONT_TIP, field=key) from None
