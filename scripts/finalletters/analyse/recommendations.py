"""Recommendations in every shape a document gives them, each marked as listed (the document
lists it: an item or row under a recommendations heading or a lead-in such as "We recommend
that the council:") or drawn from advice in the prose ("the council may wish to…"), with the
number it is printed with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..register import Reference
from .themes import is_advice, is_boilerplate, matcher
from .units import Unit, words

# How a recommendation written as an instruction begins ("Agree a plan…", "To review…").
IMPERATIVE_VERBS = frozenset(
    [
        "accelerate",
        "address",
        "adopt",
        "agree",
        "align",
        "articulate",
        "assure",
        "audit",
        "bring",
        "build",
        "capitalise",
        "celebrate",
        "challenge",
        "clarify",
        "co-produce",
        "coproduce",
        "commission",
        "communicate",
        "complete",
        "confirm",
        "consider",
        "consolidate",
        "continue",
        "coordinate",
        "create",
        "define",
        "deliver",
        "demonstrate",
        "design",
        "develop",
        "drive",
        "embed",
        "empower",
        "encourage",
        "engage",
        "enhance",
        "ensure",
        "establish",
        "evaluate",
        "expand",
        "explore",
        "extend",
        "focus",
        "formalise",
        "further",
        "give",
        "grow",
        "harness",
        "identify",
        "implement",
        "improve",
        "increase",
        "introduce",
        "invest",
        "involve",
        "join",
        "keep",
        "learn",
        "link",
        "listen",
        "look",
        "maintain",
        "make",
        "manage",
        "map",
        "maximise",
        "monitor",
        "move",
        "optimise",
        "plan",
        "prepare",
        "prioritise",
        "prioritize",
        "progress",
        "promote",
        "provide",
        "publish",
        "pursue",
        "put",
        "raise",
        "realise",
        "rebalance",
        "reconsider",
        "recruit",
        "reduce",
        "refine",
        "refocus",
        "refresh",
        "reinforce",
        "rethink",
        "review",
        "revisit",
        "scope",
        "secure",
        "seek",
        "set",
        "share",
        "simplify",
        "speed",
        "standardise",
        "strengthen",
        "streamline",
        "support",
        "sustain",
        "tackle",
        "take",
        "target",
        "test",
        "track",
        "train",
        "transform",
        "undertake",
        "understand",
        "update",
        "use",
        "work",
    ]
)
# A short item that names what is wanted: "A refreshed carers strategy", "Greater use of…".
NOUN_PHRASE = re.compile(
    r"^(?:an?|the|more|greater|better|clearer|stronger|improved|increased|further|new|"
    r"refreshed|renewed|updated|revised|wider|closer|consistent|continued|additional|"
    r"enhanced|sustained|single|joint|shared|clear|robust|explicit|full|fuller)\s",
    re.I,
)
# Sentences that describe rather than advise, however they are worded.
DESCRIPTIVE = re.compile(
    r"\b(?:provided|gave|offered|was|were|has been|have been)\b[^.]{0,30}\bopportunit|"
    r"\b(?:following|below|these|our|the team['’]s|the peers['’]) recommendations\b|"
    r"\brecommendations? (?:is|are) (?:set out|listed|below|as follows)|"
    r"\baction plan\b|\b(?:return|come back|revisit)\b[^.]{0,40}\b(?:months?|year)\b|"
    r"\b(?:happy|pleased|glad) to\b",
    re.I,
)
HEADER_CELLS = re.compile(
    r"^(?:no\.?|number|ref\.?|#|recommendations?|theme|area|priority|action|timescales?|"
    r"owner|lead|by when|status|rag|rating|what|why|how)$",
    re.I,
)
NUMBER_CELL = re.compile(r"^(?:R|Rec\.?\s*)?\d{1,2}[a-z]?\.?$", re.I)
SIMILAR = 0.7  # share of words two recommendations must share to be one


@dataclass(frozen=True, slots=True)
class FoundRecommendation:
    text: str
    themes: tuple[str, ...]
    where: str
    listed: bool  # the document lists it; False: drawn from advice in its prose
    number: str | None = None  # its number as printed ("8", "3.2", "b", "R4")
    anchor: str = ""


def is_imperative(text: str) -> bool:
    first = re.match(r"^(?:to\s+)?([A-Za-z-]+)", text.strip(), re.I)
    return first is not None and first.group(1).lower() in IMPERATIVE_VERBS


def _row(unit: Unit) -> tuple[str, str | None] | None:
    """A table row's recommendation and its number, or None for a header row."""
    cells = [c.strip() for c in unit.block.cells if c.strip()]
    if not cells or all(HEADER_CELLS.match(c) or len(c) < 3 for c in cells):
        return None
    number = next((c.rstrip(".") for c in cells if NUMBER_CELL.match(c)), None)
    text = max(cells, key=len)
    return (text, number) if words(text) >= 3 else None


def find_recommendations(units: list[Unit], reference: Reference) -> list[FoundRecommendation]:
    """Items and rows under a recommendations heading or lead-in, instructions and short
    noun-phrase items in a recommendations section, and advice anywhere else; each once."""
    found: list[FoundRecommendation] = []
    themes = matcher(reference)
    for unit in units:
        block = unit.block
        if block.kind == "heading" or unit.kind in ("team", "background"):
            continue
        for text, listed, number in _candidates(unit):
            if DESCRIPTIVE.search(text) or is_boilerplate(text):
                continue
            if _seen(text, found, listed):
                continue
            found.append(
                FoundRecommendation(
                    text,
                    tuple(themes.themes_in(text, unit.lead)),
                    unit.where,
                    listed,
                    number,
                    f"b{unit.number}",
                )
            )
    return found


def _candidates(unit: Unit) -> list[tuple[str, bool, str | None]]:
    """(text, listed, number) for each recommendation a unit may hold."""
    block = unit.block
    in_section = unit.kind == "recommendations"
    if block.kind == "table-row":
        row = _row(unit) if in_section else None
        return [(row[0], True, row[1])] if row else []
    if block.kind == "list-item":
        text = block.text
        number = block.number or None
        if in_section and words(text) >= 3 and not text.rstrip().endswith(":"):
            return [(text, True, number)]
        if (
            unit.kind != "strengths"
            and words(text) >= 4
            and (is_advice(text) or is_imperative(text))
        ):
            return [(text, True, number)]
        return []
    picked: list[tuple[str, bool, str | None]] = []
    for sentence in unit.sentences:
        if len(sentence) < 25 or sentence.rstrip().endswith(":"):
            continue
        if in_section and (
            is_advice(sentence)
            or is_imperative(sentence)
            or (NOUN_PHRASE.match(sentence) and words(sentence) <= 20)
        ):
            picked.append((sentence, True, None))
        elif is_advice(sentence):
            picked.append((sentence, False, None))
    return picked


def _key(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def _seen(text: str, found: list[FoundRecommendation], listed: bool) -> bool:
    """Whether the text restates a recommendation already found (a listed one repeated in
    the summary, or advice in a paragraph that a listed item says again)."""
    key = _key(text)
    for other in found:
        shared = key & _key(other.text)
        if key and shared and len(shared) / min(len(key), len(_key(other.text))) >= SIMILAR:
            if listed and not other.listed:
                found.remove(other)  # the list's wording wins over the prose's
                return False
            return True
    return False
