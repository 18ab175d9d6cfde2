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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..lettermd import Block
from ..register import Reference
from .units import Evidence, FieldWarning, PhraseIndex, Unit, stem, units_of, words

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
ITEM_BOOST = 1.25
FINDING_KINDS = frozenset({"strengths", "development", "findings", "recommendations", "cqc-theme"})
# The bar a theme's score must reach: WORDS_PER_POINT words of text per point, between
# THRESHOLD_MIN (one finding in a short text) and THRESHOLD_MAX (a long letter).
THRESHOLD_MIN = 0.8
THRESHOLD_MAX = 2.0
WORDS_PER_POINT = 600
MIN_SENTENCE_CHARS = 30  # shorter sentences are headings or fragments, unless list items
MAX_EVIDENCE = 5

ADVICE = re.compile(
    r"\b(may wish to|might wish to|may want to|should consider|could consider|"
    r"(?:we|the team|the review team|the peer team|peers|reviewers?) (?:would )?"
    r"(?:recommend|suggest|encourage|urge|advise)|"
    r"recommend(?:s|ed)? that|is recommended|are recommended|would encourage|would benefit from|"
    r"would be helpful|would be beneficial|"
    r"(?:there is|there are|there's|there remains|there may be|has|have|would be|remains?) "
    r"(?:an? |the |real |clear |significant |further |good |some )*opportunit(?:y|ies) (?:to|for)|"
    r"there is (?:scope|room|potential) (?:to|for)|"
    r"needs? to (?:be )?(?:develop|review|strengthen|improve|ensure|consider|address|clarify|"
    r"agree|establish|reduce|increase|continue|embed|prioriti[sz]e|focus|build|make|look|"
    r"work|understand|set|take|put|refresh|invest|expand|extend|grow)|"
    r"should (?:be )?(?:develop|review|strengthen|improve|ensure|prioriti[sz]|address|"
    r"establish|continue|embed|clarify|agree|reduce|increase|explore|consider|look|focus|"
    r"build|make|work|set|take|put|refresh|invest|expand|extend|seek|use|share|involve)|"
    r"consider (?:how|whether|ways|developing|reviewing|establishing|the)|"
    r"it (?:is|will be|would be) (?:important|essential|vital|crucial|key) (?:that|to)|"
    r"must (?:ensure|address|improve|continue)|could (?:usefully|further|do more|benefit)|"
    r"(?:suggests?|suggested|recommends?|recommended|advises?|advised|urges?|urged|encourages?|"
    r"encouraged) (?:that )?(?:the |your )?(?:council|authority|department|service|"
    r"directorate|county|city|borough|you|these|this|it|(?-i:[A-Z]{2,5})\b)|"
    r"(?:had |has |have )?advised (?:that|an?|the)\b|"
    r"(?:council|authority|service|department|directorate|it|you|(?-i:[A-Z]{2,5})) (?:still |now )?"
    r"needs? to|it (?:may|might|would|will) be worth|the next steps? (?:is|are|should be|"
    r"would be)|(?:team|peers)['’]s? advice is)",
    re.I,
)
# Sentences about the challenge itself, whatever else they name.
BOILERPLATE = re.compile(
    r"peer challenges? (?:is|are|was|were) (?:a |an |not |designed|intended|delivered|"
    r"improvement|based|about|undertaken by)|"
    r"(?:peer challenge|review) process|key lines of enquiry|terms of reference|"
    r"(?:the )?scope of the (?:peer challenge|challenge|review)|"
    r"(?:challenge|review|team|peers|we) (?:focused|focussed|considered|covered|looked at|"
    r"explored|was asked to (?:look|focus|consider)|were asked to (?:look|focus|consider))"
    r"\b[^.]{0,20}\b(?:on |at )?(?:the following|these|four|three|five|six|two) "
    r"(?:areas|themes|questions|headings|lines)|"
    r"(?:asked|invited) (?:the )?(?:peer )?(?:team|peers|us|the LGA) to (?:focus|look|consider|"
    r"explore|review)|"
    r"(?:this|the) (?:letter|report|summary|document) (?:sets out|summarises|confirms|"
    r"provides|presents|outlines|describes|is)|"
    r"(?:the team|peers|we) (?:read|reviewed|considered) (?:a range of|over|more than|\d)|"
    r"\b(?:spoke|met|talked|heard from|interviewed)\b(?: to| with)?\s+(?:over |more than |around |"
    r"about |some |nearly |almost )?(?:\d+|a hundred|one hundred|hundreds|\w+ hundred)|"
    r"(?:the team|peers|we) (?:would like to )?thank|"
    r"(?:not an inspection|is not an inspection)|"
    r"(?:not|outside) (?:been )?(?:part of )?(?:the )?scope|"
    r"\basked (?:whether|how|when|what|if)\b|"
    r"(?:based on|drew on) (?:what|the evidence)|(?:used|using) the (?:LGA|ADASS)['’]?s? "
    r"(?:framework|approach)|self-assessment (?:was|which was) (?:shared|provided|submitted)",
    re.I,
)
ADVICE_WORDS = (
    "wish", "want", "consider", "recommend", "suggest", "encourage", "urge", "advi", "benefit",
    "worth", "next step",
    "helpful", "opportunit", "scope", "room", "potential", "need", "should", "important",
    "essential", "vital", "crucial", "key", "must", "could",
)  # fmt: skip
BOILERPLATE_WORDS = (
    "challenge", "enquiry", "reference", "review", "scope", "letter", "report", "focus",
    "looked", "asked", "invited", "thank", "inspection", "read", "spoke", "met", "talked",
    "framework", "summar", "document", "self-assessment", "consider", "explored", "covered",
    "asked",
)  # fmt: skip


def may_match(text: str, keys: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
    """A cheap test for the words a pattern needs before the pattern itself."""
    lower = text.lower()
    return any(word in lower for word in keys) and pattern.search(text) is not None


def is_advice(text: str) -> bool:
    return may_match(text, ADVICE_WORDS, ADVICE)


def is_boilerplate(text: str) -> bool:
    return may_match(text, BOILERPLATE_WORDS, BOILERPLATE)


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
        self.near = PhraseIndex(near, folding=stem)

    def themes_in(self, text: str, context: str = "") -> list[str]:
        """Theme ids whose phrases occur in the text, sorted; a context phrase counts when one
        of its `near` words is in the text or in the given context (a list's lead-in)."""
        found = {match.key for match in self.index.find(text)}
        if any("?" in key for key in found):
            nearby = set(self.near.keys_in(f"{text} {context}" if context else text))
            found = {key for key in found if "?" not in key or key in nearby}
        return sorted({key.split("?", 1)[0] for key in found})


@cache
def matcher(reference: Reference) -> ThemeMatcher:
    return ThemeMatcher(reference)


def themes_in(text: str, reference: Reference) -> list[str]:
    """Theme ids whose phrases occur in a text."""
    return matcher(reference).themes_in(text)


def shared(themes: int) -> float:
    """How many ways a sentence's weight is shared among the themes it names: a sentence about
    one theme is strong evidence of it; one that names four is a list (the square root, so
    that a sentence about two themes still counts 0.7 for each)."""
    return max(1.0, themes**0.5)


def threshold(word_count: int) -> float:
    """The score a theme needs in a text of this many words."""
    return round(min(THRESHOLD_MAX, max(THRESHOLD_MIN, word_count / WORDS_PER_POINT)), 2)


def _heading_themes(units: list[Unit], reference: Reference) -> dict[str, list[str]]:
    """Themes that each section's heading names ("Data and performance" → data-performance)."""
    found = matcher(reference)
    return {
        u.section: found.themes_in(u.section)
        for u in units
        if u.block.kind == "heading" and u.section == u.block.text
    }


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
        section_themes = by_heading.get(unit.section, ())
        for sentence in unit.sentences:
            if len(sentence) < MIN_SENTENCE_CHARS and not (unit.is_item and words(sentence) >= 2):
                continue
            matched = found.themes_in(sentence, unit.lead)
            if not (matched or section_themes) or is_boilerplate(sentence):
                continue
            weight = FINDING_WEIGHT.get(unit.kind, 0.8) / shared(len(matched))
            if unit.is_item and unit.kind in FINDING_KINDS:
                weight *= ITEM_BOOST  # one item of a list of findings is one finding
            if is_advice(sentence):
                weight *= ADVICE_BOOST
            for tid in matched:
                scores[tid] += weight
                counts[tid] += 1
                if len(evidence[tid]) < MAX_EVIDENCE:
                    evidence[tid].append(unit.evidence(sentence))
            for tid in section_themes:
                if tid not in matched:
                    scores[tid] += weight / 2
                    counts[tid] += 1
                    if len(evidence[tid]) < 2:
                        evidence[tid].append(unit.evidence(sentence))
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
