"""What every field's reader shares: the letter as units (a block with its place, section and
sentences), evidence, warnings, and an index that finds many phrases in one pass over a text."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from lunr.stemmer import porter_stemmer

from .. import yamlio
from ..lettermd import Block
from ..model import AnalyserWords
from ..register import Reference
from .sections import WEAK_KINDS, lead_in_kind, section_kind

WORDS = AnalyserWords.model_validate(yamlio.load(Path(__file__).with_name("words.yml")))


@dataclass(frozen=True, slots=True)
class Evidence:
    text: str  # the sentence, as written
    where: str  # "paragraph 12" or "'Strengths', paragraph 12"
    anchor: str = ""  # id of the block on the letter page: "b12" for the 12th block
    kind: str = "other"  # the kind of section it stands in (see sections.SECTION_KINDS)


@dataclass(frozen=True, slots=True)
class FieldWarning:
    """A field that rests on weak evidence, said so that a person checks it."""

    field: str  # the letter.yml field it concerns: authority, visit, year, team, themes…
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class Unit:
    number: int  # 1-based position among the blocks: the page anchor is f"b{number}"
    block: Block
    section: str  # the nearest heading above, "" before the first
    kind: str  # that section's kind, or the kind its lead-in sentence gives a list item
    sentences: tuple[str, ...]
    lead: str = ""  # for a list item or table row: the sentence that introduced the list

    @property
    def where(self) -> str:
        kind = {"list-item": "list item", "table-row": "table row"}.get(
            self.block.kind, self.block.kind
        )
        place = f"{kind} {self.number}"
        return f"'{self.section}', {place}" if self.section else place

    @property
    def is_item(self) -> bool:
        return self.block.kind in ("list-item", "table-row")

    def evidence(self, text: str) -> Evidence:
        return Evidence(text=text, where=self.where, anchor=f"b{self.number}", kind=self.kind)


def units_of(blocks: Sequence[Block]) -> list[Unit]:
    """Each block with its number, section and sentences. A list's items also carry the
    sentence that introduced them ("The team found:") and the kind of list it makes; so do the
    short paragraphs after such a sentence, which are a list whose bullets were lost."""
    units: list[Unit] = []
    section, kind, lead, lead_kind = "", "other", "", ""
    team_level = 0  # the level of the team section's heading, while in one
    listed = False  # the list under the lead-in has had items set as items
    for number, block in enumerate(blocks, start=1):
        text = block.text.rstrip()
        item = block.kind in ("list-item", "table-row")
        if block.kind == "heading" and team_level and _sub_heading(block, team_level):
            lead, lead_kind = "", ""  # "### Lead peer" under "## The peer team": still the team
        elif block.kind == "heading":
            section, kind, lead, lead_kind = block.text, section_kind(block.text), "", ""
            team_level, listed = (block.level if kind == "team" else 0), False
        elif block.kind == "paragraph" and _team_heading(text):
            section, kind, lead, lead_kind = block.text, "team", "", ""
        elif block.kind == "paragraph":
            if lead and not listed and not text.endswith(":") and _continues_list(text):
                item = True  # an item of the list, set as a paragraph
            else:
                # the sentence that ends in ":" leads the list ("…concerns. The team found:")
                lead = (sentences(text) or [""])[-1] if text.endswith(":") else ""
                lead_kind = lead_in_kind(lead) if lead else ""
                listed = False
        elif item:
            listed = True  # a list with its bullets: a paragraph after it ends it
        own = kind
        if item and lead_kind and (lead_kind != "findings" or kind in WEAK_KINDS):
            own = lead_kind
        units.append(
            Unit(number, block, section, own, tuple(sentences(block.text)), lead if item else "")
        )
    return units


def _sub_heading(block: Block, team_level: int) -> bool:
    """A short heading below a team section's own level that names no section of its own:
    a role label set as a heading ("Lead peer", "Member peer")."""
    return (
        block.level > team_level
        and len(block.text.split()) <= 6
        and section_kind(block.text) in ("other", "team")
    )


def _team_heading(text: str) -> bool:
    """A short line that heads a team list though it was not set as a heading ("The peer
    team"), as happens where a PDF's headings are in body type."""
    return (
        len(text.split()) <= 6
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", ":", "!", "?"))
        and bool(TEAM_WORDS.search(text))
        and section_kind(text) == "team"
    )


TEAM_WORDS = re.compile(r"team|peer|reviewer|membership", re.I)


def _continues_list(text: str) -> bool:
    """A paragraph short enough, or unfinished enough, to be an item of the list above."""
    return len(text.split()) <= LIST_ITEM_WORDS or not text.endswith((".", "!", "?"))


LIST_ITEM_WORDS = 15


_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[A-Z“\"‘(\d])")
_NOT_AN_END = re.compile(r"(?:\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|Cllr|No|St|Prof)\.)$")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, not after abbreviations such as "e.g." or "Cllr."."""
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if _NOT_AN_END.search(text, max(0, match.start() - 6), match.start() + 1):
            continue
        found.append(text[start : match.end()].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [sentence for sentence in found if sentence]


def words(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------------------------------------
# Phrases

WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?|&")


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Fold case, '&', plurals and possessives: "Carers’" and "carer's" → "carer". For names."""
    word = word.lower().replace("’", "'").removesuffix("'s").removesuffix("'")
    if word == "&":
        return "and"
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"  # "communities" → "community"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A word's concept: case, '&' and possessives folded, then Porter-stemmed, so that
    "recruiting", "recruited" and "recruitment" are all "recruit". For themes. A person's
    noun in -er keeps it ("providers" → "provider", not "provid" as "provide" is)."""
    folded = fold(word)
    if (folded.endswith(("er", "or")) and len(folded) > 4) or folded in UNSTEMMED:
        return folded
    return porter_stemmer.stem(folded)


# Words whose stem would make them another word: "hospitality" is not "hospital".
UNSTEMMED = frozenset({"hospitality"})


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    start: int  # character offsets in the text
    end: int


class PhraseIndex:
    """Finds many phrases in one pass over a text's words, however many phrases there are.

    A regular expression per phrase list costs a scan of the text per list, and a long
    alternation is tried at every character; an index from each phrase's first word costs one
    look-up per word. With `proper=True` a match must start with a capital letter, as the
    names of councils do ("Bury", not "bury"). A phrase written in capitals ("IT", "S75")
    matches only capitals: "IT" is not "it". The longest phrase starting at a word wins and
    hides the shorter ones inside it; phrases of that length with different keys are all
    found ("mental health trust" may belong to two themes). A phrase whose key is "" hides
    the phrases inside it ("in-house" hides "house") but is not reported.
    """

    def __init__(
        self,
        phrases: dict[str, list[str]],
        proper: bool = False,
        folding: Callable[[str], str] = fold,
    ) -> None:
        self.proper = proper
        self.folding = folding
        # by first word: the phrases of one word; by first two words: the longer ones
        self._first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self._pairs: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for key, texts in phrases.items():
            for text in texts:
                terms = tuple(self._term(w, exact=_capitals(w)) for w in WORD.findall(text))
                if len(terms) == 1:
                    self._first[terms[0]].append((terms, key))
                elif terms:
                    self._first.setdefault(terms[0], [])
                    self._pairs[terms[0], terms[1]].append((terms, key))
        for entries in [*self._first.values(), *self._pairs.values()]:
            entries.sort(key=lambda entry: -len(entry[0]))  # longest first

    def _term(self, word: str, exact: bool) -> str:
        return f"={word}" if exact else self.folding(word)

    def find(self, text: str) -> list[Match]:
        """Every phrase in the text, longest first where two start at the same word."""
        found_words = WORD.findall(text)
        folding, first, pairs = self.folding, self._first, self._pairs
        folded = [folding(word) for word in found_words]
        exact = [_exact(word) if word[:1].isupper() else "" for word in found_words]
        if first.keys().isdisjoint(folded) and first.keys().isdisjoint(exact):
            return []  # most sentences hold no phrase at all: one look-up a word
        spans = [m.span() for m in WORD.finditer(text)]
        found: list[Match] = []
        skip_to, last = 0, len(folded) - 1
        for i, term in enumerate(folded):
            if i < skip_to:
                continue
            ex = exact[i]
            if term not in first and not (ex and ex in first):
                continue
            if self.proper and not text[spans[i][0]].isupper():
                continue
            candidates = list(first.get(term, ()))
            if ex:
                candidates += first.get(ex, ())
            if i < last:
                for head in (term, ex) if ex else (term,):
                    candidates += pairs.get((head, folded[i + 1]), ())
                    if exact[i + 1]:
                        candidates += pairs.get((head, exact[i + 1]), ())
            if not candidates:
                continue
            if len(candidates) > 1:
                candidates.sort(key=lambda entry: -len(entry[0]))
            longest, keys = 0, []
            for phrase, key in candidates:
                if len(phrase) < longest:
                    break
                if len(phrase) <= 2 or _matches(phrase, folded, exact, i):
                    longest = len(phrase)
                    keys.append(key)
            if longest:
                end = spans[i + longest - 1][1]
                if "" not in keys:  # an ignored phrase hides every phrase it covers
                    found += [Match(key, spans[i][0], end) for key in dict.fromkeys(keys)]
                skip_to = i + longest
        return found

    def keys_in(self, text: str) -> list[str]:
        """The distinct keys whose phrases occur in the text, sorted."""
        return sorted({match.key for match in self.find(text)})


def _capitals(word: str) -> bool:
    """An acronym written in capitals, which must be matched as written ("IT", "S75")."""
    return len(word) >= 2 and word.isupper()


def _exact(word: str) -> str:
    """The term an acronym in a text is matched by: "=OT" for "OT" and "OTs"; else ""."""
    bare = word[:-1] if word.endswith("s") else word
    return f"={bare}" if _capitals(bare) else ""


def _matches(phrase: tuple[str, ...], folded: list[str], exact: list[str], at: int) -> bool:
    if at + len(phrase) > len(folded):
        return False
    for k, term in enumerate(phrase):
        if term != (exact[at + k] if term[0] == "=" else folded[at + k]):
            return False
    return True


@cache
def council_index(reference: Reference) -> PhraseIndex:
    """Every council's official name, short name and aliases, found as proper names."""
    return PhraseIndex(
        {a.slug: [a.name, a.short_name, *a.aliases] for a in reference.authorities.values()},
        proper=True,
    )
