"""The council a document is about: the most, and most prominently, named council that is not
a reviewer's home. Abbreviations count for the council they stand for, whether the text
defines them ("Herefordshire Council (HC)") or uses a named council's initials ("HCC")."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..register import Reference
from .units import Evidence, FieldWarning, Unit, council_index

TEAM_SENTENCE = re.compile(
    r"\b(led by|led the|team (?:was|were|comprised|included|consisted)|"
    r"other members (?:of the (?:peer |review )?team )?(?:were|was|included|comprised|are)|"
    r"the others were|also included|was joined by|were joined by|"
    r"members? of the (?:\w+ )?team|joined by|reviewers? (?:were|from|was)|"
    r"colleagues? from|(?:peer|review) team (?:was|were|included|comprised)|"
    r"the peers? (?:were|was|included)|(?:lead|member|officer) peer|"
    r"co-?ordinated (?:the (?:peer )?(?:challenge|review)|by)|"
    r"managed the (?:peer )?(?:challenge|review)|"
    r"(?:challenge|review|visit) was (?:carried out|undertaken|conducted|managed|co-?ordinated|"
    r"supported|facilitated) by|and I (?:spent|visited|returned|met|were|have|carried)|"
    r"(?:peers|reviewers|peer team|review team|team members)\b[^:.;]{0,50}:)",
    re.I,
)
ROLE_BEFORE = re.compile(
    r"\b(director|DASS|head of|principal social worker|PSW|councillor|cllr|cabinet member|"
    r"portfolio holder|manager|officer|lead|chief executive|peer|from|at|of)\b[^.;]{0,70}$",
    re.I,
)
SUBJECT_CUE = re.compile(
    r"(peer challenge|peer review|review|challenge|visit|inviting|hosting|thank(?:s| you))"
    r"\b[^.;]{0,50}\b(?:of|at|to|for|with|in|by)\s+(?:the\s+)?$|\bdear\b[^.]{0,80}$",
    re.I,
)
DEFINED_ABBREVIATION = re.compile(
    r"\(\s*(?:the\s+)?[\"“‘']?(?P<abbr>[A-Z][A-Za-z&]{1,7})[\"”’']?\s*\)"
)
ACRONYM = re.compile(r"\b[A-Z][A-Za-z]?[A-Z]{1,5}\b")
_SMALL_WORDS = {"of", "and", "the", "&", "upon", "on"}


@dataclass
class AuthorityFinding:
    slug: str | None = None
    evidence: Evidence | None = None
    mentions: int = 0  # how many times the text names it (or its abbreviation)
    warnings: list[FieldWarning] = field(default_factory=list)


def initials(name: str) -> set[str]:
    """The abbreviations a council's name is written as: "Hertfordshire County Council" →
    HCC; "Dudley Metropolitan Borough Council" → DMBC and DBC; "City of Wolverhampton
    Council" → CWC and CoWC."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    plain = "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS)
    with_of = "".join(w[0] if w.lower() not in _SMALL_WORDS else w.lower() for w in words)
    no_metropolitan = "".join(
        w[0] for w in words if w.lower() not in _SMALL_WORDS and w.lower() != "metropolitan"
    )
    return {a.upper() for a in (plain, no_metropolitan) if len(a) >= 2} | (
        {with_of} if "of" in with_of else set()
    )


def find_authority(units: list[Unit], reference: Reference) -> AuthorityFinding:
    councils = council_index(reference)
    abbreviations: dict[str, str] = {}
    scores: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    first_seen: dict[str, Evidence] = {}
    total = len(units) or 1
    named: dict[str, list[tuple[Unit, int]]] = defaultdict(list)  # slug → where it is named
    for unit in units:
        text = unit.block.text
        for match in councils.find(text):
            defined = DEFINED_ABBREVIATION.match(text[match.end : match.end + 16])
            if defined and defined["abbr"] not in abbreviations:
                abbreviations[defined["abbr"]] = match.key
            named[match.key].append((unit, match.start))
            _score(unit, match.start, match.key, total, scores, first_seen, 2.0, counts)
    abbreviations.update(_initials_of_named(named, reference, abbreviations))
    if abbreviations:
        for unit in units:
            for found in ACRONYM.finditer(unit.block.text):
                slug = abbreviations.get(found.group())
                if slug:
                    _score(unit, found.start(), slug, total, scores, first_seen, 1.0, counts)
    finding = AuthorityFinding()
    if not scores:
        finding.warnings.append(
            FieldWarning(
                "authority",
                "no council is named as the subject of this text; give --authority SLUG",
            )
        )
        return finding
    ranked = sorted(scores.items(), key=lambda pair: -pair[1])
    (best, best_score), (runner_up, runner_up_score) = [*ranked[:2], ("", 0.0)][:2]
    finding.slug, finding.evidence, finding.mentions = best, first_seen.get(best), counts[best]
    if runner_up and runner_up_score >= 0.8 * best_score:
        finding.warnings.append(
            FieldWarning(
                "authority",
                f"the text names {reference.authorities[runner_up].name} nearly as often as "
                f"{reference.authorities[best].name}; check the authority",
            )
        )
    if counts[best] == 1:
        finding.warnings.append(
            FieldWarning(
                "authority",
                f"{reference.authorities[best].name} is named only once; check the authority",
            )
        )
    return finding


def _initials_of_named(
    named: dict[str, list[tuple[Unit, int]]], reference: Reference, defined: dict[str, str]
) -> dict[str, str]:
    """Initials of the councils the text names, where no two of them share initials."""
    owners: dict[str, set[str]] = defaultdict(set)
    for slug in named:
        for abbreviation in initials(reference.authorities[slug].name):
            owners[abbreviation].add(slug)
    return {
        abbreviation: next(iter(slugs))
        for abbreviation, slugs in owners.items()
        if len(slugs) == 1 and abbreviation not in defined
    }


def _score(
    unit: Unit,
    at: int,
    slug: str,
    total: int,
    scores: dict[str, float],
    first_seen: dict[str, Evidence],
    weight: float,
    counts: dict[str, int],
) -> None:
    if unit.kind == "team" or (unit.block.kind == "table-row" and unit.kind != "other"):
        return
    text = unit.block.text
    before = text[max(0, at - 90) : at]
    sentence = _sentence_at(unit, at)
    subject = SUBJECT_CUE.search(before)
    if TEAM_SENTENCE.search(sentence) and ROLE_BEFORE.search(before) and not subject:
        return  # a reviewer's home council
    position = unit.number / total
    if unit.block.kind == "heading" or position < 0.15:
        weight *= 3
    if subject:
        weight *= 2
    scores[slug] += weight
    counts[slug] += 1
    if slug not in first_seen:
        first_seen[slug] = unit.evidence(sentence)


def _sentence_at(unit: Unit, at: int) -> str:
    """The sentence of a unit's text that holds the character at `at`."""
    text, position = unit.block.text, 0
    for sentence in unit.sentences:
        position = text.find(sentence, position)
        if position <= at < position + len(sentence) + 1:
            return sentence
    return text
