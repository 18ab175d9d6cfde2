"""Recommendations in every shape a document gives them, each marked as listed (the document
lists it: an item or row under a recommendations heading or a lead-in such as "We recommend
that the council:") or drawn from advice in the prose ("the council may wish to…"), with the
number it is printed with."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..register import Reference
from .themes import ATTRIBUTION, TEAM_SPEAKS, is_advice, is_boilerplate, matcher, unquoted
from .units import WORDS, Unit, sentences, words

# How a recommendation written as an instruction begins ("Agree a plan…", "To review…").
IMPERATIVE_VERBS = WORDS.imperative_verbs
# A short item that names what is wanted: "A refreshed carers strategy", "Greater use of…".
NOUN_PHRASE = re.compile(
    r"^(?:an?|more|greater|better|clearer|stronger|improved|increased|further|new|"
    r"refreshed|renewed|updated|revised|wider|closer|consistent|continued|additional|"
    r"enhanced|sustained|single|joint|shared|clear|robust|explicit|full|fuller|earlier|quicker|"
    r"faster|fewer|less|wider|stronger|simpler|regular|dedicated|agreed|targeted)\s",
    re.I,
)
# Sentences that describe rather than advise, however they are worded.
DESCRIPTIVE = re.compile(
    r"\b(?:provided|gave|offered|was|were|has been|have been)\b[^.]{0,30}\bopportunit|"
    r"\bthat (?:the |your )?(?:council|authority) needs? to\b|"
    r"\b(?:committee|board|panel|cabinet|members?)\s+(?:may|might|would|should|could)\b|"
    r"^(?:\(?[\d.]+\)?\s*)?that (?:the )?[\w ]{0,60}?\b(?:note|notes|noted|endorse|endorses|"
    r"approve|approves|receive|receives)\b|\bbe (?:noted|received|endorsed|approved)\b|"
    r"\b(?:following|below|these|our|the team['’]s|the peers['’]) recommendations\b|"
    r"\brecommendations? (?:is|are) (?:set out|listed|below|as follows)|"
    r"\baction plan\b|\b(?:return|come back|revisit)\b[^.]{0,40}\b(?:months?|year)\b|"
    r"\b(?:happy|pleased|glad) to\b|"
    r"\b(?:areas?|things|what) (?:it|the council|they|you) (?:still )?needs? to\b|"
    r"\brecommend\b[^.]{0,20}\bto others\b|"
    r"^(?:\(?[\w.]{1,4}\)\s*)?(?:notes?|endorses?|approves?|receives?|comments? on) the\b",
    re.I,
)
# Sentences that say what a document does: descriptive unless they instruct ("Set out…").
SETS_OUT = re.compile(r"\bset out (?:where|what|how)\b", re.I)
HEADER_CELLS = re.compile(
    r"^(?:no\.?|number|ref\.?|#|recommendations?|theme|area|priority|action|timescales?|"
    r"owner|lead|by when|status|rag|rating|what|why|how)$",
    re.I,
)
HEADER_WORD = re.compile(r"^(?:Recommendations?|Actions?) (?=[A-Z][a-z])")
NUMBERS_CELL = re.compile(r"^(?:no\.?\s*)?\d{1,2}(?:\s+\d{1,2})+$", re.I)
NUMBERS = re.compile(r"\d{1,2}")
NUMBER_CELL = re.compile(r"^(?:R|Rec\.?\s*)?\d{1,2}[a-z]?\.?$", re.I)
SIMILAR = 0.7  # share of words two recommendations must share to be one
ENDS = (".", "!", "?", ";")


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


def _tables(units: list[Unit]) -> dict[int, list[tuple[str, str | None]]]:
    """The recommendations in each table that holds them, by the number of its first unit.

    A table holds recommendations when it stands under a recommendations heading or lead-in,
    or when a header cell says so ("Recommendation", "Action"). Its text is the column so
    headed, else the column with the most text; its number the cells like "3" or "R3". A row
    with no number that starts in lower case carries on the row above (a wrapped cell), and a
    number alone on its row belongs to the text beside it.
    """
    found: dict[int, list[tuple[str, str | None]]] = {}
    for table in _runs_of_rows(units):
        rows = [[c.strip() for c in u.block.cells] for u in table]
        header = next((k for k, row in enumerate(rows) if _is_header(row)), None)
        named = header is not None and any(
            re.search(r"recommend|action", c, re.I) for c in rows[header]
        )
        if not (named or any(u.kind == "recommendations" for u in table)):
            continue
        body = rows[header + 1 :] if header is not None else rows
        column = _text_column(rows[header] if header is not None else [], body)
        records: list[list[str | None]] = []  # [text, number]
        for row in body:
            text = row[column] if column < len(row) else ""
            text = HEADER_WORD.sub("", text)  # "Recommendation Agree a…": a header run in
            numbers = next((NUMBERS.findall(c) for c in row if NUMBERS_CELL.match(c)), [])
            parts = sentences(text)
            if len(numbers) > 1 and len(parts) == len(numbers):
                # rows that ran together: "5 6 7 | Make… Publish… Give…"
                records += [[part, number] for part, number in zip(parts, numbers, strict=True)]
                continue
            number = next((c.rstrip(".") for c in row if NUMBER_CELL.match(c)), None)
            last = records[-1] if records else None
            if number and not text and last is not None and last[1] is None:
                last[1] = number  # the number of the text above, set beside its middle line
            elif text and last is not None and text[:1].islower() and not (number and last[1]):
                last[0] = f"{last[0]} {text}".strip()  # a wrapped cell, its number beside it
                last[1] = last[1] or number
            elif text or number:
                records.append([text, number])
        found[table[0].number] = [
            (str(text), number) for text, number in records if text and words(str(text)) >= 3
        ]
    return found


def _runs_of_rows(units: list[Unit]) -> list[list[Unit]]:
    runs: list[list[Unit]] = []
    for unit in units:
        if unit.block.kind != "table-row":
            continue
        if runs and runs[-1][-1].number == unit.number - 1:
            runs[-1].append(unit)
        else:
            runs.append([unit])
    return runs


def _is_header(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(HEADER_CELLS.match(c) for c in filled)


def _text_column(header: list[str], rows: list[list[str]]) -> int:
    """The column of the recommendations: the one its header names, else the one whose cells
    most often begin as advice does ("Reduce…", "A plan…"), else the one with the most text
    (a council's responses beside them may be longer)."""
    for k, cell in enumerate(header):
        if re.search(r"recommend|action|what", cell, re.I):
            return k
    width = max((len(row) for row in rows), default=0)
    totals = [sum(len(row[k]) for row in rows if k < len(row)) for k in range(width)]
    advice = [
        sum(1 for row in rows if k < len(row) and (is_imperative(row[k]) or _noun_item(row[k])))
        for k in range(width)
    ]
    return max(range(width), key=lambda k: (advice[k], totals[k])) if width else 0


def _noun_item(text: str) -> bool:
    return bool(NOUN_PHRASE.match(text)) and words(text) >= 3


def find_recommendations(units: list[Unit], reference: Reference) -> list[FoundRecommendation]:
    """Items and rows under a recommendations heading or lead-in, instructions and short
    noun-phrase items in a recommendations section, and advice anywhere else; each once."""
    found: list[FoundRecommendation] = []
    themes = matcher(reference)
    tables = _tables(units)
    for unit in _rejoined(units):
        block = unit.block
        if block.kind == "heading" or unit.kind in ("team", "background"):
            continue
        if block.kind == "table-row":
            candidates = [(text, True, number) for text, number in tables.get(unit.number, [])]
        else:
            candidates = _candidates(unit)
        for text, listed, number in candidates:
            last = found[-1] if found else None
            cut = block.kind == "paragraph" and text[:1].islower()
            if last and last.listed and cut and not last.text.endswith(ENDS):
                # the rest of an item cut by a page or column break
                found[-1] = replace(last, text=f"{last.text} {text}")
                continue
            if text.rstrip().endswith(":") or DESCRIPTIVE.search(text) or is_boilerplate(text):
                continue
            if SETS_OUT.search(text) and not is_imperative(text):
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


FOOTER_WORDS = 12  # a line this short, with no full stop, between two halves is a page's footer


def _rejoined(units: list[Unit]) -> list[Unit]:
    """Paragraphs a page break cut in two ("…and launch the" / a running footer / "retention
    offer for social workers…") joined again, so that the advice across the break is read
    whole."""
    out: list[Unit] = []
    skip: set[int] = set()
    for k, unit in enumerate(units):
        if k in skip:
            continue
        text = unit.block.text.rstrip()
        if unit.block.kind == "paragraph" and text and not text.endswith((*ENDS, ":")):
            for j in range(k + 1, min(k + 3, len(units))):
                after = units[j].block
                if after.kind != "paragraph":
                    break
                if after.text[:1].islower():
                    joined = f"{text} {after.text.strip()}"
                    block = replace(unit.block, text=joined)
                    unit = replace(unit, block=block, sentences=tuple(sentences(joined)))
                    skip.update(range(k + 1, j + 1))
                    break
                if words(after.text) > FOOTER_WORDS or after.text.rstrip().endswith(ENDS):
                    break
        out.append(unit)
    return out


def _candidates(unit: Unit) -> list[tuple[str, bool, str | None]]:
    """(text, listed, number) for each recommendation a list item or paragraph may hold."""
    block = unit.block
    in_section = unit.kind == "recommendations"
    if unit.is_item or (unit.lead and block.kind == "paragraph"):
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
        if unit.kind == "development" and _deliverable(text):
            return [(text, True, number)]  # "Areas to consider: 2. A recruitment plan for…"
        return []
    picked: list[tuple[str, bool, str | None]] = []
    for sentence in unit.sentences:
        if len(sentence) < 25 or sentence.rstrip().endswith(":"):
            continue
        if _quoted(block.text, sentence) or ATTRIBUTION.match(sentence):
            if not TEAM_SPEAKS.search(unquoted(block.text)):
                continue  # someone else's words, not the team's advice
            sentence = ATTRIBUTION.sub("", sentence).strip('”" ')  # the team's own words
        if in_section and (
            is_advice(sentence)
            or is_imperative(sentence)
            or (NOUN_PHRASE.match(sentence) and words(sentence) <= 20)
        ):
            picked.append((sentence, True, None))
        elif is_advice(sentence):
            picked += [(part, False, None) for part in split_advice(sentence)]
    return picked


# What a recommendation written as a noun phrase asks for ("A recruitment and retention plan
# for…", "Earlier involvement of adult services in…"), as against a finding written as one
# ("A lack of respite…").
DELIVERABLE = re.compile(
    r"^(?:\S+\s+){0,5}?(?:plan|strategy|offer|approach|review|framework|protocol|programme|"
    r"dashboard|charter|target|standard|policy|pathway|rota|agreement|model|campaign|group|"
    r"panel|report|process|bank|involvement|use|focus|role|forum|scheme|register|audit|"
    r"training|conversation|discussion|look)s?\b",
    re.I,
)
FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|can|cannot|does|do|did|remains?|lacks?|means?|"
    r"wait|waits|need|needs)\b",
    re.I,
)


def _deliverable(text: str) -> bool:
    """A short noun phrase that names something to be done, with no verb of its own."""
    head = re.split(r"\b(?:who|that|which|where|so that|because)\b", text, maxsplit=1)[0]
    return (
        bool(NOUN_PHRASE.match(text))
        and 4 <= words(text) <= 30
        and bool(DELIVERABLE.match(text))
        and not FINITE_VERB.search(head)
    )


def _quoted(text: str, sentence: str) -> bool:
    """Whether a sentence stands inside quotation marks: someone's words ("…we need to do
    better…", said the Cabinet Member), not the team's advice."""
    before = text[: max(0, text.find(sentence))] + sentence[:1]
    opened = before.count("“") - before.count("”") + before.count('"') % 2
    return opened > 0 or sentence.lstrip().startswith(("“", '"'))


_AND_VERB = re.compile(
    r"(?:,|;)\s*(?:and\s+)?(?:then\s+)?(?:(?:should|must|could|would)\s+)?(?:to\s+)?([a-z-]+)\b"
)


def split_advice(sentence: str) -> list[str]:
    """Advice that asks for two things ("…commissions X, and completes Y") as two: split where
    ", and" is followed by a verb of instruction."""
    parts, start = [], 0
    for match in _AND_VERB.finditer(sentence):
        verb = match.group(1)
        bare = next((v for v in (verb, verb[:-1], verb[:-2]) if v in IMPERATIVE_VERBS), None)
        if bare and "and" in match.group(0) and words(sentence[start : match.start()]) >= 4:
            parts.append(sentence[start : match.start()].strip())
            start = match.start(1)
    parts.append(sentence[start:].strip())
    return [p for p in parts if words(p) >= 3]


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
