"""The letter page, /letters/<council>/<yyyy-mm>/: the letter first, the facts about it after.

Title; a toolbar (open the PDF in the browser, a citation to paste, the finder on this
council's letters); any notice (a sample, template leftovers, a text corrected by hand); the
letter's text as HTML; its recommendations, once, numbered as the letter numbers them, those
drawn from its prose marked as such; then the review team, themes and framework links, the
other documents, follow-up and related letters in one compact block.

The finder (Pagefind) indexes the letter's own text only: everything the site adds is marked
`data-pagefind-ignore`, so that an excerpt is always the letter's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup

from .. import clock
from ..catalogue import Letter, PdfFile
from ..model import ROLE_LABELS
from . import follow_up, related, render, trust, urls
from .context import Site
from .letter_text import letter_body
from .plumbing import Generated, Heading, PageInfo, generate

KIND = "letter"


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str  # a site path


@dataclass(frozen=True, slots=True)
class Document:
    """A PDF beside the letter's page."""

    what: str  # "the original letter"
    facts: str  # "PDF, 245 KB, 3 pages"
    href: str  # relative to the letter's page: "letter.pdf"

    @property
    def label(self) -> str:
        return f"{self.what} ({self.facts})"


@dataclass(frozen=True, slots=True)
class Member:
    role: str
    name: str
    organisation: str


@dataclass(frozen=True, slots=True)
class RecommendationView:
    id: str
    anchor: str  # "r3": the address other pages link to
    number: str  # as the letter prints it; its place in the list when letter.yml lacks it
    text: str
    status: str  # with its date and source when recorded; "" while no progress is recorded
    due: str  # a revised due date with its reason; "" when it is the letter's review date
    themes: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class RelatedLetter:
    title: str
    url: str
    shared: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LetterView:
    template: ClassVar[str] = "letter.html"

    letter: Letter
    visit: str  # its days, else its month, else ""
    pdf: Document
    documents: tuple[Document, ...]  # action plan, progress review
    source_url: str  # the council's copy, https only; "" when none
    council_url: str
    council_search: str  # the finder, filtered to this council
    root: str  # the site's permanent address, for the addresses printed beside links
    permanent: str  # the page's permanent address
    citation: str  # plain text, as a reader pastes it
    placeholders: tuple[str, ...]
    body: Markup
    listed: tuple[RecommendationView, ...]
    prose: tuple[RecommendationView, ...]
    team: tuple[Member, ...]
    themes: tuple[Link, ...]
    tags: tuple[trust.Tag, ...]  # the themes again, each with where it comes from
    removed: tuple[trust.Tag, ...]  # themes the tool proposed and a person removed
    cqc: tuple[Link, ...]  # each opens the finder filtered to it
    wm: tuple[Link, ...]
    review_due: dt.date | None
    related: tuple[RelatedLetter, ...]


def pages(site: Site) -> Iterator[Generated]:
    found = site.once("related", lambda: related.related_letters(site.catalogue))
    for letter in site.letters:
        yield letter_page(site, letter, found.get(letter.id, []))


def files(site: Site) -> dict[str, str | bytes]:
    return {}


def _document(what: str, pdf: PdfFile) -> Document:
    facts = ["PDF", render.file_size(pdf.size)]
    if pdf.pages:
        facts.append(render.plural(pdf.pages, "page"))
    return Document(what, ", ".join(facts), pdf.name)


def _recommendations(letter: Letter, listed: bool) -> tuple[RecommendationView, ...]:
    chosen = letter.listed_recommendations if listed else letter.prose_recommendations
    clocks = {c.recommendation.id: c for c in clock.clocks(letter.meta)}
    return tuple(
        RecommendationView(
            id=r.id,
            anchor=r.id.lower(),
            number=_number(r.number or str(n)) if listed else "",
            text=r.text,
            status=follow_up.status_words(letter, clocks[r.id]) if letter.statuses_known else "",
            due=follow_up.due_words(clocks[r.id]) if r.due_reason else "",
            themes=tuple(Link(letter.reference.themes[t].label, urls.theme(t)) for t in r.themes),
        )
        for n, r in enumerate(chosen, start=1)
    )


def _number(printed: str) -> str:
    """A recommendation's number as a list shows it: "3." for 3; "3.2" and "b" as printed."""
    return f"{printed}." if printed.isdigit() else printed


def citation(site: Site, letter: Letter) -> str:
    """Harvard style, as a briefing paper cites a web page."""
    return (
        f"West Midlands ADASS ({letter.date.year}) {letter.title}. Final Letters. "
        f"Available at: {site.url(letter.url)}"
    )


def letter_page(
    site: Site, letter: Letter, related_to: list[tuple[Letter, list[str]]]
) -> Generated:
    meta = letter.meta
    body, body_headings = letter_body(letter.blocks, top=3, page_of=letter.pdf_page)
    follow = meta.follow_up
    documents = []
    for what, name in (
        ("the council’s action plan", follow.action_plan if follow else None),
        ("the progress review", follow.progress_review if follow else None),
    ):
        if name and name in letter.attachments:
            documents.append(_document(what, letter.attachments[name]))
    source = meta.source_url or ""
    tags, removed = trust.tags(letter)
    view = LetterView(
        letter=letter,
        visit=render.visit(meta),
        pdf=_document("the original letter", letter.pdf),
        documents=tuple(documents),
        source_url=source if source.startswith("https://") else "",
        council_url=urls.authority(letter.authority.slug),
        council_search=urls.find(council=letter.authority.short_name),
        root=site.url(""),
        permanent=site.url(letter.url),
        citation=citation(site, letter),
        placeholders=tuple(letter.placeholders),
        body=body,
        listed=_recommendations(letter, listed=True),
        prose=_recommendations(letter, listed=False),
        team=tuple(
            Member(
                role=ROLE_LABELS[member.role],
                name=member.name or "Name not given",
                organisation=site.organisation(member.organisation),
            )
            for member in meta.team
        ),
        themes=tuple(Link(t.label, urls.theme(t.id)) for t in letter.themes),
        tags=tags,
        removed=removed,
        cqc=tuple(Link(label, urls.find(cqc=label)) for label in letter.cqc_statements),
        wm=tuple(Link(label, urls.find(wm=label)) for label in letter.wm_domains),
        review_due=meta.review_due,
        related=tuple(
            RelatedLetter(other.title, other.url, tuple(shared)) for other, shared in related_to
        ),
    )
    toc = [Heading(1, "title", letter.title), Heading(2, "letter", "The letter")]
    toc += [h for h in body_headings if h.level == 3]
    if meta.recommendations:
        toc.append(Heading(2, "recommendations", "Recommendations"))
    toc.append(Heading(2, "about", "About this letter"))
    if view.related:
        toc.append(Heading(2, "related", "Related letters"))
    description = f"The Final Letter of the peer challenge of {letter.authority.name}" + (
        f", visited {view.visit}." if view.visit else "."
    )
    info = PageInfo(
        letter.title,
        letter.updated,
        description,
        kind=KIND,
        toc=tuple(toc),
        search_text=_summary(description, view),
    )
    return generate(letter.url, view, info)


def _summary(description: str, view: LetterView) -> str:
    """What the header search indexes for the letter: who, when, themes and team."""
    parts = [description]
    if view.themes:
        parts.append(f"Themes: {', '.join(t.label for t in view.themes)}.")
    members = "; ".join(f"{m.role}, {m.organisation}" for m in view.team if m.organisation)
    if members:
        parts.append(f"Review team: {members}.")
    return " ".join(parts)
