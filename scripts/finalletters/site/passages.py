"""Passages: the sentences of a letter that show a theme, each with a place a reader can find.

A passage is cited as the letter's own structure gives it, in words that match what a reader
sees on the letter's page and in the PDF: "paragraph 4 of ‘Strengths’", "point 3 of
‘Recommendations’" (the number the letter prints), "row 2 of table 1", and ", page 2 of the
PDF" when letter.md records the page. Theme pages, regional learning and the passages files
on /data/ all cite passages this way, and say what each passage says of its theme (a
strength, an area for development, a recommendation) from the section it stands in.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import regional
from ..analyse import Evidence
from ..catalogue import Letter
from .context import Site


@dataclass(frozen=True, slots=True)
class Place:
    """Where a block stands in a letter."""

    section: str  # the heading it comes under, as the letter words it; "" before any heading
    what: str  # "paragraph", "point", "bullet point", "row", "heading"
    number: str  # its number within the section ("2.1": under the second bullet point, the
    # first), or the number the letter prints
    table: int = 0  # for a row: the table's number in the letter
    page: int | None = None  # its page in the PDF, when letter.md records it

    def __str__(self) -> str:
        if self.what == "heading":
            where = f"the heading ‘{self.section}’"
        else:
            where = f"{self.what} {self.number}"
            if self.what == "row":
                where += f" of table {self.table}"
            if self.section:
                where += f"{' under' if self.what == 'row' else ' of'} ‘{self.section}’"
            else:
                where += " of the letter"
        return where + (f", page {self.page} of the PDF" if self.page else "")


@dataclass(frozen=True, slots=True)
class Passage:
    """One passage of a letter on a theme."""

    letter: Letter
    text: str
    kind: str  # the kind of section it stands in: strengths, development, recommendations, …
    place: Place | None
    anchor: str  # the block's id on the letter's page: "b12"

    @property
    def url(self) -> str:
        return self.letter.url + (f"#{self.anchor}" if self.anchor else "")

    @property
    def stance(self) -> regional.Stance | None:
        """What the passage says of its theme, from the section it stands in; None when it
        stands elsewhere (an introduction, a CQC theme's heading)."""
        return regional.SECTION_STANCES.get(self.kind)

    @property
    def says(self) -> str:
        """What it says in words: "Strength", "Area for development", "Recommendation", or
        nothing."""
        return regional.STANCE_LABELS[self.stance] if self.stance else ""

    @property
    def where(self) -> str:
        """paragraph 4 of ‘Strengths’, page 2 of the PDF"""
        return str(self.place) if self.place else "the letter"

    @property
    def citation(self) -> str:
        """Walsall, June 2023: paragraph 4 of ‘Strengths’, page 2 of the PDF"""
        return f"{self.letter.label}: {self.where}"


def places(letter: Letter) -> list[Place]:
    """The place of every block of the letter, in order: one pass over its blocks."""
    found: list[Place] = []
    section = ""
    paragraphs = tables = rows = 0
    bullets: list[int] = []  # the count at each depth of the bullet list now open
    previous = ""
    for n, block in enumerate(letter.blocks, start=1):
        page = letter.pdf_page(n)
        if block.kind == "heading":
            section = " ".join(block.text.split())
            paragraphs = 0
            bullets = []
            found.append(Place(section, "heading", "", page=page))
        elif block.kind == "list-item":
            if block.ordered and block.number:
                found.append(Place(section, "point", block.number.rstrip(".)"), page=page))
            else:
                depth = block.level + 1
                del bullets[depth:]
                bullets += [0] * (depth - len(bullets))
                bullets[-1] += 1
                # 2, or 2.1 for the first point under the second
                label = ".".join(str(n) for n in bullets)
                found.append(Place(section, "bullet point", label, page=page))
        elif block.kind == "table-row":
            if previous != "table-row":
                tables += 1
                rows = -1  # the first row is the table's header
            rows += 1
            label = str(rows) if rows else "header"
            found.append(Place(section, "row", label, table=tables, page=page))
        else:
            paragraphs += 1
            found.append(Place(section, "paragraph", str(paragraphs), page=page))
        previous = block.kind
    return found


def of_theme(site: Site, letter: Letter, theme_id: str) -> list[Passage]:
    """The letter's passages on a theme, in the letter's order."""
    score = next((s for s in letter.theme_scores if s.id == theme_id), None)
    if score is None:
        return []
    return [passage(site, letter, item) for item in score.evidence]


def passage(site: Site, letter: Letter, item: Evidence) -> Passage:
    """One piece of evidence as a citable passage."""
    known = site.once("passages.places", dict)
    if letter.id not in known:
        known[letter.id] = places(letter)
    found: list[Place] = known[letter.id]
    block = int(item.anchor[1:]) if item.anchor[1:].isdigit() else 0
    place = found[block - 1] if 1 <= block <= len(found) else None
    return Passage(letter, item.text, item.kind, place, item.anchor)
