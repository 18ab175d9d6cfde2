"""A letter's text as HTML: the blocks of letter.md → headings, paragraphs, lists and tables.

The n-th block (1-based) has the id "b<n>": theme evidence, finder results and citations link
to it. Where letter.md records the PDF's pages, the block a page starts at carries "Page 2 of
the PDF", so that a citation's page can be found in the HTML as well as in the PDF. Every piece
of text is escaped here; the result is the only HTML from a letter that is marked safe.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup

from ..lettermd import Block
from .plumbing import Heading
from .render import escape


def inline(text: str) -> str:
    """One piece of letter.md text as escaped HTML."""
    return escape(text.replace("\n", " ").strip())


def _no_page(block: int) -> int | None:
    return None


def page_marks(count: int, page_of: Callable[[int], int | None]) -> dict[int, int]:
    """The blocks (1-based) that start a new page of the PDF, and the page: every page but the
    first, when the text starts on it."""
    marks, previous = {}, 1
    for n in range(1, count + 1):
        page = page_of(n)
        if page and page != previous:
            marks[n] = page
        previous = page or previous
    return marks


def _page(page: int, tag: str = "span") -> str:
    """The mark of a page's start; the finder does not index it (an excerpt is the letter's)."""
    return f'<{tag} class="fl-pdf-page" data-pagefind-ignore>Page {page} of the PDF</{tag}>'


def letter_body(
    blocks: Sequence[Block], top: int = 3, page_of: Callable[[int], int | None] = _no_page
) -> tuple[Markup, list[Heading]]:
    """The letter as HTML, and its headings. Headings are demoted so that the letter's first
    level becomes `top` and no level is skipped; they are kept out of the header search
    (`data-search-exclude`). `page_of(n)` is the PDF page of block n, when known."""
    marks = page_marks(len(blocks), page_of)
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    out: list[str] = []
    headings: list[Heading] = []
    previous = top - 1
    tables = 0
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if i + 1 in marks and block.kind in ("heading", "paragraph"):
            out.append(_page(marks[i + 1], "p"))
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
            out.append(_list(blocks, i, end, marks))
            i = end
        elif block.kind == "table-row":
            end = _run_end(blocks, i, "table-row")
            tables += 1
            out.append(_table(blocks, i, end, tables, marks))
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


def _list(blocks: Sequence[Block], start: int, end: int, marks: dict[int, int]) -> str:
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
        out.append(_item(item, k + 1, marks.get(k + 1)))
    while stack:
        out.append(f"</li></{stack.pop()[:2]}>")
    return "".join(out)


def _kind(item: Block) -> str:
    if not item.ordered:
        return "ul"
    return "ol" if _numeric(item.number) or not item.number else "ol-marked"


def _numeric(number: str) -> bool:
    return number.rstrip(".)").isdigit()


def _item(item: Block, n: int, page: int | None) -> str:
    text = (_page(page) if page else "") + inline(item.text)
    if not item.ordered or not item.number:
        return f'<li id="b{n}">{text}'
    if _numeric(item.number):
        return f'<li id="b{n}" value="{int(item.number.rstrip(".)"))}">{text}'
    return f'<li id="b{n}"><span class="fl-marker">{escape(item.number)}</span>{text}'


def _table(
    blocks: Sequence[Block], start: int, end: int, number: int, marks: dict[int, int]
) -> str:
    """Consecutive table rows → a table, the first row its header as in Markdown, in a
    labelled region that scrolls sideways on a narrow screen (WCAG 1.4.10) and that a keyboard
    can scroll (tabindex). Its caption is the site's, so the finder does not index it."""
    rows = []
    for k in range(start, end):
        cells = [inline(c) for c in blocks[k].cells]
        if k + 1 in marks and cells:
            cells[0] = _page(marks[k + 1]) + cells[0]
        if k == start:
            # Cells on lines of their own: their text is then words apart, in the finder too.
            th = "\n".join(f'<th scope="col">{c}</th>' for c in cells)
            rows.append(f'<thead><tr id="b{k + 1}">{th}</tr></thead><tbody>')
        else:
            rows.append(f'<tr id="b{k + 1}">' + "\n".join(f"<td>{c}</td>" for c in cells))
            rows[-1] += "</tr>"
    caption = f"b{start + 1}-caption"
    return (
        f'<div class="fl-scroll" role="region" aria-labelledby="{caption}" tabindex="0">'
        f'<table><caption id="{caption}" data-pagefind-ignore>Table {number} in the letter'
        f"</caption>{''.join(rows)}</tbody></table></div>"
    )
