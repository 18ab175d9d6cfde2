"""Themes: which themes a document has findings or recommendations about, each explained by
its passages and by the rule it passed.

A sentence is evidence of a theme when it contains one of the theme's phrases (letters/
themes.yml, matched by concept: "recruiting", "recruited" and "recruitment" are one word), or
one of its context phrases beside one of their `near` words. Its weight comes from where it
stands (a strength, an area for development, a recommendation, background) and whether it
gives advice; boilerplate about the challenge itself counts for nothing. A theme passes when
its evidence reaches a bar set by the document's length: one clear finding is enough in a
300-word summary, while a ten-page letter needs a few.
"""

from __future__ import annotations

import re
from bisect import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..lettermd import Block
from ..register import Reference
from .units import WORD, Evidence, FieldWarning, PhraseIndex, Unit, stem, units_of, words

FINDING_WEIGHT = {
    "strengths": 1.0,
    "development": 1.0,
    "findings": 1.0,
    "recommendations": 1.5,
    "cqc-theme": 1.0,
    "other": 0.8,
    "background": 0.25,
    "team": 0.0,
}
ADVICE_BOOST = 1.5
# The bar a theme's score must reach: WORDS_PER_POINT words of text per point, between
# THRESHOLD_MIN (one finding in a short text) and THRESHOLD_MAX (a long letter).
THRESHOLD_MIN = 0.8
THRESHOLD_MAX = 2.0
WORDS_PER_POINT = 600
HEADING_WORDS = (
    6  # a longer heading is a headline ("Peers say Bradford's front door…"), not a topic
)
MIN_SENTENCE_CHARS = 30  # shorter sentences are headings or fragments, unless list items
MAX_EVIDENCE = 5
MEMO_SIZE = 4096  # sentences whose themes are remembered (a letter's, read by several fields)


class Cued:
    """Patterns each tried only when its cue (a word it cannot match without) is in the text:
    a sentence is tested against a few short patterns rather than one long alternation."""

    def __init__(self, branches: list[tuple[str, str]]) -> None:
        self.branches = [(cue, re.compile(pattern, re.I)) for cue, pattern in branches]

    def search(self, text: str) -> bool:
        lower = text.lower()
        for cue, pattern in self.branches:  # noqa: SIM110 (a loop: faster than any() here)
            if cue in lower and pattern.search(text):
                return True
        return False


_VERBS = (
    r"(?:develop|review|strengthen|improve|ensure|consider|address|clarify|agree|establish|"
    r"reduce|increase|continue|embed|prioriti[sz]e?|focus|build|make|look|work|understand|set|"
    r"take|put|refresh|invest|expand|extend|grow|explore|seek|use|share|involve)"
)
ADVICE = Cued(
    [
        ("wish", r"\b(?:may|might) wish to"),
        ("want", r"\bmay want to"),
        (
            "consider",
            r"\b(?:should|could|might|may) (?:also |wish to |want to )?consider|"
            r"\bconsider (?:how|whether|ways|developing|reviewing|establishing|the)\b|"
            r"\bconsideration (?:should|could|might) be given\b",
        ),
        (
            "recommend",
            r"\brecommend(?:s|ed)? that|\b(?:is|are) recommended|"
            r"\b(?:we|the team|the review team|the peer team|peers|reviewers?) "
            r"(?:would )?recommend",
        ),
        (
            "suggest",
            r"\b(?:we|the team|the review team|the peer team|peers|reviewers?) (?:would )?"
            r"(?:also |therefore |strongly )?suggest",
        ),
        ("encourag", r"\bwould (?:also |strongly )?encourage|\b(?:we|the team|peers) encourage"),
        (
            "ask",
            r"\b(?:we|the team|peers) would (?:also )?ask (?:that|the council|you)\b|"
            r"\bthe (?:one )?thing we would ask\b",
        ),
        ("urge", r"\b(?:we|the team|peers) (?:would )?urge"),
        (
            "advi",
            r"\b(?:we|the team|peers) (?:would )?advise|\b(?:had |has |have )?advised "
            r"(?:that|an?|the)\b|\b(?:team|peers)['’]s? advice is",
        ),
        ("benefit", r"\bwould benefit from|\bcould benefit"),
        ("would be", r"\bwould be (?:helpful|beneficial)"),
        (
            "opportunit",
            r"\b(?:there is|there are|there's|there remains|there may be|has|have|"
            r"would be|remains?) (?:an? |the |real |clear |significant |further |good |some )*"
            r"opportunit(?:y|ies) (?:to|for)",
        ),
        ("there is", r"\bthere is (?:scope|room|potential) (?:to|for)"),
        (
            "need",
            r"\bneeds? to (?:be )?" + _VERBS + r"|\b(?:council|authority|service|department|"
            r"directorate|it|you|(?-i:[A-Z]{2,5})) (?:still |now )?needs? to",
        ),
        ("should", r"\bshould (?:be )?" + _VERBS),
        ("important", r"\bit (?:is|will be|would be) important (?:that|to)"),
        (
            "it ",
            r"\bit (?:is|will be|would be) (?:essential|vital|crucial|key) (?:that|to)|"
            r"\bit (?:may|might|would|will) be worth",
        ),
        ("must", r"\bmust (?:ensure|address|improve|continue)"),
        ("could", r"\bcould (?:usefully|further|do more)"),
        ("next step", r"\bthe next steps? (?:is|are|should be|would be)"),
        (
            "s ",
            r"\b(?:suggests?|suggested|recommends?|recommended|advises?|advised|urges?|urged|"
            r"encourages?|encouraged) (?:that )?(?:the |your )?(?:council|authority|department|"
            r"service|directorate|county|city|borough|you|these|this|it|(?-i:[A-Z]{2,5})\b)",
        ),
    ]
)
# Sentences about the challenge itself, whatever else they name.
BOILERPLATE = Cued(
    [
        (
            "challenge",
            r"peer challenges? (?:is|are|was|were) (?:a |an |not |designed|intended|"
            r"delivered|improvement|based|about|undertaken by)|peer challenge process|"
            r"scope of the (?:peer challenge|challenge)",
        ),
        ("process", r"\breview process"),
        ("enquiry", r"key lines of enquiry"),
        ("reference", r"terms of reference"),
        ("scope", r"scope of the review|(?:not|outside) (?:been )?(?:part of )?(?:the )?scope"),
        (
            "the following",
            r"(?:challenge|review|team|peers|we) (?:focused|focussed|considered|"
            r"covered|looked at|explored|was asked to (?:look|focus|consider)|were asked to "
            r"(?:look|focus|consider))\b[^.]{0,20}\b(?:on |at )?the following",
        ),
        (
            "areas",
            r"(?:focused|focussed|considered|covered|looked at|explored)\b[^.]{0,20}\b"
            r"(?:on |at )?(?:these|four|three|five|six|two) (?:areas|themes|questions)",
        ),
        (
            "to ",
            r"(?:asked|invited) (?:the )?(?:peer )?(?:team|peers|us|the LGA) to (?:focus|look|"
            r"consider|explore|review)",
        ),
        (
            "this ",
            r"this (?:letter|report|summary|document) (?:sets out|summarises|confirms|"
            r"provides|presents|outlines|describes|is)",
        ),
        (
            "the ",
            r"\bthe (?:letter|report|summary|document) (?:sets out|summarises|confirms|"
            r"provides|presents|outlines)",
        ),
        ("read", r"(?:the team|peers|we) read (?:a range of|over|more than|\d)"),
        ("reviewed", r"(?:the team|peers|we) reviewed (?:a range of|over|more than|\d)"),
        (
            "hundred",
            r"\b(?:spoke|met|talked|heard from|interviewed)\b(?: to| with)?\s+(?:over |"
            r"more than |around |about |some |nearly |almost )?(?:a |one |two |\w+ )?hundreds?",
        ),
        (
            "more than",
            r"\b(?:spoke|met|talked|heard from|interviewed)\b(?: to| with)?\s+"
            r"(?:over |more than |around |about |some )?\d+",
        ),
        ("thank", r"(?:the team|peers|we) (?:would like to )?thank|\bthanks go to"),
        ("led by", r"\b(?:team|review|challenge)(?: was| were)? led by\b"),
        (
            "peer",
            r"\b(?:lead|member|officer) peer\b|\bpeer team:|\bpeers (?:were|was|included)\b|"
            r"\bpeer team (?:was|were|also included|included|comprised)\b",
        ),
        ("members of", r"\bmembers of the (?:\w+ )?team\b"),
        ("welcomed", r"\bthe chair welcomed\b"),
        (
            "opportunit",
            r"\b(?:visit|challenge|review|process|day|session)s? (?:also )?(?:provided|was|gave|"
            r"offered) (?:an? |the )?(?:valuable |useful |real |good )?opportunit",
        ),
        ("scope", r"\b(?:its|the) scope\b[^.]{0,80}\b(?:covered|included|was)\b"),
        ("implications", r"\bno (?:other |further )?(?:financial|legal|equalit\w*) implications"),
        ("inspection", r"not an inspection"),
        ("asked", r"\basked (?:about|whether|how|when|what|if|for)\b"),
        ("based on", r"based on (?:what|the evidence)"),
        ("drew on", r"drew on (?:what|the evidence)"),
        ("framework", r"(?:used|using) the (?:LGA|ADASS)['’]?s? (?:framework|approach)"),
        ("self-assessment", r"self-assessment (?:was|which was) (?:shared|provided|submitted)"),
    ]
)


# A person's job title or office is no finding about what it names: "Head of Quality and
# Practice", "Cabinet Member for Adult Social Care and Housing", "Director of Adults and Health".
JOB_TITLE = re.compile(
    r"\b(?:Head|(?:(?:Assistant|Deputy|Executive|Strategic|Corporate|Service|Interim) )?"
    r"Director|Cabinet Member|Portfolio Holder|Lead Member|Executive Member|Manager|Lead|"
    r"Officer|Commissioner|Chair|Spokesperson) (?:of|for) (?:the )?"
    r"[A-Z][\w'’-]*(?:,? (?:[A-Z][\w'’-]*|and|&|of|the)(?= [A-Z&]|[ ,.;:)]|$))*"
)


# A paragraph that quotes the team: "Dr Ruth Adebisi, who led the team, said: '…'".
TEAM_SPEAKS = re.compile(
    r"\b(?:who )?led the (?:peer |review )?(?:team|challenge|review)\b|\blead (?:peer|reviewer)\b|"
    r"\b(?:the )?(?:peers|reviewers)\b[^.]{0,30}\bsaid\b",
    re.I,
)


ATTRIBUTION = re.compile(r"^[^“\"]{0,160}?\b(?:said|says|added|told [\w ]+):?\s*[“\"]")


def unquoted(text: str) -> str:
    """The words of a paragraph outside its quotation marks: who is speaking."""
    return re.sub(r"[“\"][^”\"]*[”\"]?", " ", text)


# What the team found, said in so many words: "The peer team had found…", "The team was
# concerned about…", "Reviewers praised…".
FOUND = Cued(
    [
        (
            "team",
            r"\bthe (?:peer |review )?team (?:had |has |also )?(?:found|noted|saw|heard|"
            r"observed|identified|highlighted|praised|"
            r"(?:was|were|had been) (?:concerned|impressed|struck))\b",
        ),
        (
            "peers",
            r"\b(?:the )?peers (?:had |have |also )?(?:found|noted|saw|heard|observed|identified|"
            r"highlighted|praised|(?:were|had been) (?:concerned|impressed|struck))\b",
        ),
        (
            "review",
            r"\b(?:the )?review(?:ers)? (?:had |has |have |also )?(?:found|noted|identified|"
            r"highlighted|praised)\b",
        ),
    ]
)


def host_speaks(text: str) -> bool:
    """A paragraph that quotes someone other than the team ("Cllr Pattinson said: '…'"):
    the council's view of itself, not the team's finding."""
    return bool(ATTRIBUTION.match(text)) and not TEAM_SPEAKS.search(unquoted(text))


def is_advice(text: str) -> bool:
    return ADVICE.search(text)


def is_boilerplate(text: str) -> bool:
    return BOILERPLATE.search(text)


@dataclass(frozen=True, slots=True)
class ThemeScore:
    id: str
    score: float
    evidence: tuple[Evidence, ...]
    reason: str = ""  # why it passed: its sentences, their score and the bar for this text
    sentences: int = 0  # how many sentences are evidence of it


class ThemeMatcher:
    """The taxonomy's phrases in one index: a theme's own phrases, its context phrases (each
    found with the `near` words it needs) and the phrases that are evidence of nothing."""

    def __init__(self, reference: Reference) -> None:
        phrases: dict[str, list[str]] = defaultdict(list)
        near: dict[str, list[str]] = {}
        for theme in reference.themes.values():
            phrases[theme.id] += theme.phrases
            for n, rule in enumerate(theme.context):
                key = f"{theme.id}?{n}"
                phrases[key] += rule.phrases
                near[key] = rule.near
        phrases[""] = list(reference.ignored_phrases)
        self.index = PhraseIndex(dict(phrases), folding=stem)
        self._seen: dict[
            tuple[str, str], dict[str, tuple[int, ...]]
        ] = {}  # a sentence is read by several fields
        # each rule's near words as stems: one word (most) in a set, longer ones as tuples
        self.near = {
            key: (
                {stem(w) for p in words if len(p.split()) == 1 for w in WORD.findall(p)},
                [tuple(stem(w) for w in WORD.findall(p)) for p in words if len(p.split()) > 1],
            )
            for key, words in near.items()
        }

    def themes_in(self, text: str, context: str = "") -> list[str]:
        """Theme ids whose phrases occur in the text, sorted; a context phrase counts when one
        of its `near` words is in the text or in the given context (a list's lead-in)."""
        return sorted(self.themes_at(text, context))

    def themes_at(self, text: str, context: str = "") -> dict[str, tuple[int, ...]]:
        """Each theme the text names, with where its phrases start (character offsets)."""
        key = (text, context)
        if key not in self._seen:
            if len(self._seen) >= MEMO_SIZE:
                self._seen.clear()
            self._seen[key] = self._themes_at(text, context)
        return self._seen[key]

    def _themes_at(self, text: str, context: str) -> dict[str, tuple[int, ...]]:
        if " of " in text or " for " in text:
            text = JOB_TITLE.sub(lambda m: " " * len(m.group()), text)  # offsets kept
        matches = self.index.find(text)
        if text.count(",") >= 2 and len(_OTHERS.findall(text)) >= 2:  # a list of people
            matches = [m for m in matches if not _listed_among_others(text, m.start, m.end)]
        found: dict[str, list[int]] = defaultdict(list)
        for match in matches:
            if "?" not in match.key:
                found[match.key].append(match.start)
        context_matches = [match for match in matches if "?" in match.key]
        if context_matches:
            full = f"{text} {context}" if context else text
            words = [(m.start(), stem(m.group())) for m in WORD.finditer(full)]
            for match in context_matches:
                # the phrase's own words are not its context ("visible" is not near "visible")
                terms = [t for at, t in words if not match.start <= at < match.end]
                if self._near(match.key, terms, set(terms)):
                    found[match.key.split("?", 1)[0]].append(match.start)
        return {tid: tuple(sorted(at)) for tid, at in found.items()}

    def _near(self, key: str, terms: list[str], present: set[str]) -> bool:
        singles, longer = self.near[key]
        if not singles.isdisjoint(present):
            return True
        return any(
            terms[i : i + len(phrase)] == list(phrase)
            for phrase in longer
            for i in range(len(terms) - len(phrase) + 1)
        )


# The people a report lists as those it met: a phrase in a list of them ("staff, carers,
# providers and partners") is a passing mention, not a finding.
_OTHERS = re.compile(
    r"(?:^|,|\band|\bor)\s+(?:the |their |local |our |frontline |front-line |elected )?"
    r"(?:people|staff|residents|partners|providers|families|councillors|members|managers|"
    r"practitioners|volunteers|officers|colleagues|commissioners|users|leaders|groups|carers|"
    r"partners in the nhs|health partners|the nhs|the voluntary sector|voluntary sector|"
    r"people who draw on care and support|people who use services|social workers|"
    r"the leadership team|leadership team)\s*(?=,|\band\b|\bor\b|$|\.)",
    re.I,
)
LIST_WINDOW = 70  # characters either side of a phrase in which a list of people is looked for


def _listed_among_others(text: str, start: int, end: int) -> bool:
    """Whether a phrase stands in a list of the people a team met, beside two of them."""
    window = text[max(0, start - LIST_WINDOW) : start] + " , " + text[end : end + LIST_WINDOW]
    return len(_OTHERS.findall(window)) >= 2


@cache
def matcher(reference: Reference) -> ThemeMatcher:
    return ThemeMatcher(reference)


def themes_in(text: str, reference: Reference) -> list[str]:
    """Theme ids whose phrases occur in a text."""
    return matcher(reference).themes_in(text)


def shared(themes: int) -> float:
    """How many ways a sentence's weight is shared among the themes it names: a sentence about
    one theme is strong evidence of it; one that names six is a list (the power 0.3, so that a
    sentence about two themes still counts 0.8 for each, about four 0.66)."""
    return max(1.0, themes**0.3)


def threshold(word_count: int) -> float:
    """The score a theme needs in a text of this many words."""
    return round(min(THRESHOLD_MAX, max(THRESHOLD_MIN, word_count / WORDS_PER_POINT)), 2)


def _heading_themes(units: list[Unit], reference: Reference) -> dict[str, list[str]]:
    """Themes that each section's heading names ("Data and performance" → data-performance)."""
    found = matcher(reference)
    return {
        u.section: found.themes_in(u.section)
        for u in units
        if u.block.kind == "heading"
        and u.section == u.block.text
        and words(u.section) <= HEADING_WORDS
    }


def _label_themes(unit: Unit, found: ThemeMatcher) -> list[str]:
    """The themes a paragraph's run-in label names ("Leadership. The Cabinet Member…"), which
    stands for a heading over the paragraph."""
    first = unit.sentences[0] if len(unit.sentences) > 1 else ""
    if unit.block.kind != "paragraph" or not first or words(first) > 4:
        return []
    return found.themes_in(first) if first.rstrip().endswith((".", ":")) else []


def find_themes(units: list[Unit], reference: Reference) -> list[ThemeScore]:
    """A score per theme from the sentences that are findings or recommendations about it.

    A sentence scores for the themes whose phrases it contains, weighted by the kind of section
    it stands in; a sentence under a heading that names a theme scores for that theme too, at
    half weight. Headings alone, the team list and boilerplate are not evidence.
    """
    found = matcher(reference)
    by_heading = _heading_themes(units, reference)
    scores: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    total_words = 0
    for unit in units:
        total_words += words(unit.block.text)
        if unit.block.kind == "heading" or unit.kind == "team":
            continue
        section_themes = [*by_heading.get(unit.section, ()), *_label_themes(unit, found)]
        row = unit.block.kind == "table-row"
        host = None  # whether the paragraph quotes the council's own people, once asked
        for sentence in unit.sentences:
            if len(sentence) < MIN_SENTENCE_CHARS and not (unit.is_item and words(sentence) >= 2):
                continue
            parts = [
                (clause, found.themes_at(clause, unit.lead)) for clause in clauses(sentence, row)
            ]
            if not (section_themes or any(places for _, places in parts)):
                continue  # most sentences name no theme: nothing more to ask of them
            if is_boilerplate(sentence):
                continue
            if host is None:
                host = host_speaks(unit.block.text)
            # a paragraph quoting the council's own people weighs as background; a sentence
            # that says what the team found is a finding wherever it stands
            kind = "background" if host else unit.kind
            if kind in ("other", "background") and FOUND.search(sentence):
                kind = "findings"
            weight = FINDING_WEIGHT.get(kind, 0.8)
            if is_advice(sentence):
                weight *= ADVICE_BOOST
            proof = unit.evidence(sentence)
            for clause, places in parts:
                _score(clause, places, proof, weight, section_themes, scores, counts, evidence)
    bar = threshold(total_words)
    return sorted(
        (
            ThemeScore(
                tid,
                round(score, 2),
                tuple(evidence[tid]),
                f"{counts[tid]} {'sentence' if counts[tid] == 1 else 'sentences'} scored "
                f"{score:.2f}; {bar:.2f} needed in a text of {total_words} words",
                counts[tid],
            )
            for tid, score in scores.items()
            if score >= bar
        ),
        key=lambda theme: (-theme.score, theme.id),
    )


CLAUSE_WORDS = 4  # a clause this long, between semicolons, is a finding of its own
# A table cell that names one of CQC's four themes classifies a row; it is no finding.
CQC_CELL = re.compile(
    r"^(?:working with people|providing support|ensuring safety|leadership|theme \d+)$", re.I
)


def clauses(sentence: str, row: bool = False) -> list[str]:
    """The parts of a sentence that are findings of their own: the clauses between its
    semicolons ("…waiting for an assessment; the way the council uses data; …") and, in a
    table row, its cells (a cell naming a CQC theme left out)."""
    parts = (
        [p for p in sentence.split(" | ") if not CQC_CELL.match(p.strip())] if row else [sentence]
    )
    if ";" in sentence:
        split = [c for p in parts for c in p.split(";")]
        if all(words(c) >= CLAUSE_WORDS for c in split):
            parts = split
    return [p.strip() for p in parts if p.strip()]


def _score(
    clause: str,
    places: dict[str, tuple[int, ...]],
    proof: Evidence,
    base: float,
    section_themes: list[str],
    scores: dict[str, float],
    counts: dict[str, int],
    evidence: dict[str, list[Evidence]],
) -> None:
    """Add one clause's weight to the themes it names, and half of it to its section's."""
    matched = sorted(places)
    if not (matched or section_themes):
        return
    weight = base / shared(len(matched))
    sharing = _sharing(clause, places)
    for tid in matched:
        scores[tid] += base / shared(sharing.get(tid, len(matched)))
        counts[tid] += 1
        if len(evidence[tid]) < MAX_EVIDENCE and proof not in evidence[tid]:
            evidence[tid].append(proof)
    for tid in section_themes:
        if tid not in matched:
            scores[tid] += weight / 2
            counts[tid] += 1
            if len(evidence[tid]) < 2 and proof not in evidence[tid]:
                evidence[tid].append(proof)


def _sharing(clause: str, places: dict[str, tuple[int, ...]]) -> dict[str, int]:
    """How many themes each theme shares its words with: those named in the same part of a
    list of findings ("…a strong grip on its budget, good relationships with providers, and
    staff who feel valued" names three themes, one to a part), else all the clause names."""
    if len(places) < 2 or ", " not in clause:
        return {}
    cuts = [m.start() for m in re.finditer(", ", clause)]
    parts: dict[int, set[str]] = defaultdict(set)
    for tid, starts in places.items():
        for at in starts:
            parts[bisect(cuts, at)].add(tid)
    return {tid: min(len(names) for names in parts.values() if tid in names) for tid in places}


def theme_warnings(themes: list[ThemeScore]) -> list[FieldWarning]:
    return [
        FieldWarning(
            "themes", f"{theme.id} rests on one sentence: '{theme.evidence[0].text[:100]}'"
        )
        for theme in themes
        if theme.sentences <= 1 and theme.evidence
    ]


def theme_scores(blocks: Sequence[Block], reference: Reference) -> list[ThemeScore]:
    """Only the themes and their evidence: what the site recomputes for every letter."""
    return find_themes(units_of(blocks), reference)
