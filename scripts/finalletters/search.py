"""`letters search`: find passages inside the letters from the command line.

For coordinators preparing regional summaries. It runs on demand over the catalogue with the
Python `lunr` package; the site's letter finder uses Pagefind instead. Never ship an index made
here to the browser: lunr.py's stemmer differs from lunr.js's ("key" becomes "kei").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache

import click
from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.index import Index
from lunr.query import QueryPresence
from lunr.stemmer import porter_stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS

from . import catalogue as catalogue_module
from .catalogue import Catalogue, Letter
from .errors import LetterError, did_you_mean
from .paths import find_root

# What each field is worth: a word in the title says more than the same word in the body.
FIELDS: dict[str, int] = {"title": 10, "council": 8, "themes": 5, "recommendations": 3, "body": 1}
SNIPPETS = 3  # passages shown per letter
WINDOW = 36  # words in a passage cut from a long paragraph
WORD = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Hit:
    """One letter that matches, with the passages that say so."""

    letter_id: str  # "walsall/2015-11"
    title: str
    council: str  # the slug, as --council takes it
    council_name: str  # "Walsall"
    year: int
    score: float
    snippets: list[str]  # the matching passages, in the order the letter has them
    anchors: list[str]  # the element id of each passage on the letter page ("b12"), or ""
    url: str  # the letter page, relative to the site root


# --- words and terms ------------------------------------------------------------------------


@cache
def term(word: str) -> str:
    """The index term for a lowercase word: possessives dropped, stop words removed (""),
    Porter-stemmed ("carers'" and "carer's" both become "carer")."""
    word = word.replace("’", "'")
    word = word[:-2] if word.endswith("'s") else word
    if word in STOP_WORDS:
        return ""
    return porter_stemmer.stem(word)


def terms(text: str) -> list[str]:
    """Every term of a text, in order (stop words left out)."""
    return [t for t in map(term, WORD.findall(text.lower())) if t]


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query, in the order typed."""
    return list(dict.fromkeys(terms(query)))


# --- the index ------------------------------------------------------------------------------


class CompactBuilder(Builder):
    """A lunr Builder fed with term counts rather than text.

    lunr scores a document by the dot product of the query's vector with the document's field
    vectors, divided by the query's magnitude (`Vector.similarity`): only the query's own terms
    of a field vector count. Each entry needs the term's true frequency, the field's true length
    and the term's document frequency. So an index that holds, for every document, just the
    query's terms with those numbers scores exactly as a full index does, without the cost of
    one (a full lunr.py index of 500 letters takes about 10 s and 1 GB).
    """

    def add_counts(self, ref: str, fields: Mapping[str, tuple[Mapping[str, int], int]]) -> None:
        """Add one document: for each field, (term → frequency, the field's length in terms)."""
        self._documents[ref] = {}
        self.document_count += 1
        for name in self._fields:
            counts, length = fields[name]
            field_ref = str(FieldRef(ref, name))
            self.field_term_frequencies[field_ref] = dict(counts)
            self.field_lengths[field_ref] = length
            for key in counts:
                posting = self.inverted_index.get(key)
                if posting is None:
                    posting = {field: {} for field in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[key] = posting
                posting[name][ref] = {}


@dataclass(frozen=True, slots=True)
class Document:
    """A letter as the index sees it: each field's term counts and length."""

    letter: Letter
    counts: dict[str, Counter[str]]
    lengths: dict[str, int]

    @classmethod
    def of(cls, letter: Letter) -> Document:
        counts: dict[str, Counter[str]] = {}
        lengths: dict[str, int] = {}
        for name, text in fields_of(letter).items():
            found = terms(text)
            counts[name], lengths[name] = Counter(found), len(found)
        return cls(letter, counts, lengths)


def fields_of(letter: Letter) -> dict[str, str]:
    """The text of each indexed field of a letter."""
    themes = letter.reference.themes
    labels = [themes[t].label for t in letter.meta.themes if t in themes]
    return {
        "title": letter.title,
        "council": f"{letter.authority.short_name} {letter.authority.name}",
        "themes": " ".join(labels),
        "recommendations": "\n".join(r.text for r in letter.meta.recommendations),
        "body": letter.body,
    }


def index(documents: Iterable[Document], keys: list[str]) -> Index:
    """A lunr index of the documents that holds only the given query terms."""
    builder = CompactBuilder()
    builder.ref("id")
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost)
    for document in documents:
        builder.add_counts(
            document.letter.id,
            {
                name: ({k: counts[k] for k in keys if k in counts}, document.lengths[name])
                for name, counts in document.counts.items()
            },
        )
    return builder.build()


def ranked(documents: list[Document], keys: list[str]) -> list[tuple[Document, float]]:
    """The documents holding every term, best first; ties newest first, then by id."""
    if not keys or not documents:
        return []
    lunr_index = index(documents, keys)

    def every_term(query) -> None:
        for key in keys:
            query.term(key, use_pipeline=False, presence=QueryPresence.REQUIRED)

    scores = {match["ref"]: match["score"] for match in lunr_index.query(callback=every_term)}
    found = [(d, round(scores[d.letter.id], 6)) for d in documents if d.letter.id in scores]
    found.sort(key=lambda pair: (-pair[1], -pair[0].letter.date.toordinal(), pair[0].letter.id))
    return found


# --- passages -------------------------------------------------------------------------------


def passages(letter: Letter, keys: list[str], limit: int = SNIPPETS) -> list[tuple[str, str]]:
    """Up to `limit` (passage, element id) pairs that hold the most query terms, in reading
    order; paragraphs before headings, and a long paragraph cut to a window around its first
    match."""
    wanted = set(keys)
    scored = []
    for number, block in enumerate(letter.blocks, start=1):
        found = terms(block.text)
        matched = wanted.intersection(found)
        if matched:
            hits = sum(1 for t in found if t in wanted)
            text = block.kind != "heading"  # a heading alone says little
            scored.append((text, len(matched), hits, -number, block.text, f"b{number}"))
    best = sorted(scored, reverse=True)[:limit]
    chosen = [(window(text, wanted), anchor) for *_, text, anchor in sorted(best, key=_reading)]
    if chosen:
        return chosen
    # The words are in the title, themes or recommendations, not in the body's text.
    for recommendation in letter.meta.recommendations:
        if wanted.intersection(terms(recommendation.text)):
            chosen.append((f"{recommendation.id}: {recommendation.text}", ""))
    return chosen[:limit]


def _reading(entry: tuple) -> int:
    return -entry[3]


def window(text: str, wanted: set[str], size: int = WINDOW) -> str:
    """The text, or the `size` words of it that hold the most query terms, starting a few
    words before a match."""
    spans = [(m.start(), m.end(), term(m.group())) for m in WORD.finditer(text.lower())]
    if len(spans) <= size:
        return text
    starts = sorted(
        {max(0, min(i - 6, len(spans) - size)) for i, (*_, t) in enumerate(spans) if t in wanted}
    ) or [0]

    def held(begin: int) -> tuple[int, int]:
        inside = [t for *_, t in spans[begin : begin + size] if t in wanted]
        return len(set(inside)), len(inside)

    start = max(starts, key=lambda begin: (*held(begin), -begin))
    end = min(len(spans), start + size)
    cut = text[spans[start][0] : spans[end - 1][1]]
    return ("… " if start else "") + cut + (" …" if end < len(spans) else "")


def highlight(text: str, keys: Iterable[str], mark: Callable[[str], str]) -> str:
    """The text with every word that matches a query term passed through `mark`."""
    wanted = set(keys)

    def replace(match: re.Match[str]) -> str:
        word = match.group()
        return mark(word) if term(word.lower()) in wanted else word

    return re.sub(r"[A-Za-z0-9]+(?:['’][A-Za-z0-9]+)*", replace, text)


# --- the search -----------------------------------------------------------------------------


def search(
    catalogue: Catalogue,
    query: str,
    council: str | None = None,
    theme: str | None = None,
    year: int | None = None,
    limit: int = 20,
) -> list[Hit]:
    """The letters that hold every word of the query (stop words aside), best first.

    council is a slug and theme an id; an unknown one raises LetterError with a suggestion.
    """
    keys = query_terms(query)
    if not keys:
        raise LetterError(
            "QUERY",
            f"'{query}' has no words to search for",
            'give words that letters use, e.g. letters search "hospital discharge"',
        )
    # Every letter the filters allow is indexed, not only those that match, so that a rare
    # word weighs more than a common one.
    documents = [Document.of(letter) for letter in select(catalogue, council, theme, year)]
    return [hit(d.letter, score, keys) for d, score in ranked(documents, keys)[:limit]]


def select(
    catalogue: Catalogue, council: str | None, theme: str | None, year: int | None
) -> list[Letter]:
    """The letters that the filters allow; an unknown council or theme is an error."""
    reference = catalogue.reference
    if council is not None and council not in reference.authorities:
        raise LetterError(
            "--council",
            f"'{council}' is not in letters/authorities.yml"
            f"{did_you_mean(council, set(reference.authorities))}",
            "give a council's slug, e.g. --council walsall",
        )
    if theme is not None and theme not in reference.themes:
        raise LetterError(
            "--theme",
            f"'{theme}' is not in letters/themes.yml{did_you_mean(theme, set(reference.themes))}",
            "give a theme's id, e.g. --theme carers",
        )
    return [
        letter
        for letter in catalogue.letters
        if (council is None or letter.authority.slug == council)
        and (theme is None or theme in letter.meta.themes)
        and (year is None or letter.year == year)
    ]


def hit(letter: Letter, score: float, keys: list[str]) -> Hit:
    found = passages(letter, keys)
    return Hit(
        letter_id=letter.id,
        title=letter.title,
        council=letter.authority.slug,
        council_name=letter.authority.short_name,
        year=letter.year,
        score=round(score, 3),
        snippets=[text for text, _ in found],
        anchors=[anchor for _, anchor in found],
        url=letter.url,
    )


# --- the command ----------------------------------------------------------------------------


@click.command(name="search")
@click.argument("query", nargs=-1, required=True)
@click.option("--council", metavar="SLUG", help="Only letters about this council (its slug).")
@click.option("--theme", metavar="ID", help="Only letters with this theme (its id).")
@click.option("--year", type=int, metavar="YYYY", help="Only letters of this year.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    metavar="N",
    help="At most N letters.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@click.pass_context
def search_command(
    ctx: click.Context,
    query: tuple[str, ...],
    council: str | None,
    theme: str | None,
    year: int | None,
    limit: int,
    as_json: bool,
) -> None:
    """Find the letters and passages that use every word of QUERY.

    \b
    letters search "hospital discharge"
    letters search carers --year 2016 --json
    """
    text = " ".join(query)
    loaded = catalogue_module.load(find_root(ctx.obj), draft=True)  # drafts are searched too
    if loaded.errors:
        unread = len({p.file.rsplit("/", 1)[0] for p in loaded.errors})
        click.echo(
            f"warning: {unread} letters could not be read and are not searched; "
            "run `letters check` to see why",
            err=True,
        )
    hits = search(loaded, text, council=council, theme=theme, year=year, limit=limit)
    if as_json:
        click.echo(json.dumps([asdict(h) for h in hits], indent=2, ensure_ascii=False))
    else:
        click.echo(table(hits, query_terms(text)), nl=False)
    if hits:
        councils = len({h.council for h in hits})
        click.echo(
            f"{len(hits)} letters from {councils} councils match '{text}'"
            f" (of {len(select(loaded, council, theme, year))} searched)",
            err=True,
        )
    else:
        click.echo(f"no letters match '{text}'; try fewer or other words, or no filters", err=True)


def table(hits: list[Hit], keys: list[str]) -> str:
    """The hits as a table, each followed by its passages with the matching words in bold."""
    if not hits:
        return ""
    rows = [("LETTER", "COUNCIL", "YEAR", "SCORE", "TITLE")]
    rows += [(h.letter_id, h.council_name, str(h.year), f"{h.score:.2f}", h.title) for h in hits]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[i].rjust(w) if i == 3 else row[i].ljust(w) for i, w in enumerate(widths)]
        lines.append("  ".join([*cells, row[4]]))
        if n == 0:
            continue
        hit_ = hits[n - 1]
        for snippet, anchor in zip(hit_.snippets, hit_.anchors, strict=True):
            where = f" (#{anchor})" if anchor else ""
            marked = highlight(snippet, keys, lambda w: click.style(w, bold=True))
            lines.append(f"    “{marked}”{where}")
    return "\n".join(lines) + "\n"
