"""The review team: each reviewer's name, role and council, however the text lists them.

LGA and ADASS write teams as lists ("Lead peer: Jo Bloggs, Derbyshire County Council"), as
tables (name | role | organisation), as "Name, Role, Council" with or without commas, two to
a line, or in prose ("The team was led by…; the other members were…", "The peers were: …").
An entry is read as a run of names, role words (roles.yml) and councils; a new reviewer starts
at a second name, or at a role word used as a label ("Member peer:") once the reviewer before
has a name and something more. The host council's own people are never reviewers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .. import yamlio
from ..model import Role, TeamRoles
from ..register import Reference
from .authority import TEAM_SENTENCE
from .units import WORDS, FieldWarning, PhraseIndex, Unit, council_index, fold

ROLES_FILE = Path(__file__).with_name("roles.yml")
TITLE = r"(?:Cllr|Councillor|Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sir|Dame|Lord|Baroness)\.?"
NAME_WORD = r"(?:[A-Z][a-z]*(?:['’-][A-Z]?[a-z]+)*|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.)"
NAME_WORD_ONLY = re.compile(rf"^(?:{NAME_WORD}|de|van|von|der|den|la|le|da|di|du|bin|al|el)$")
TITLED = re.compile(rf"^{TITLE}\s", re.I)
# Capitalised words that are no part of a person's name in a team list.
NOT_NAME_WORDS = WORDS.not_name_words
LABEL_AFTER = re.compile(r"^\s*[:–—-]")
# A role word after "an", "two" or "and a" names a reviewer without their name: "…and
# included an elected member, two senior officers and an expert by experience".
NAMELESS_BEFORE = re.compile(
    r"\b(?:an?|one|two|three|four|five|several|and an?|including an?|included an?)\s+(?:\w+\s+)?$",
    re.I,
)
THANKS = re.compile(r"\bthank|\bgrateful|\bappreciat", re.I)


@dataclass(frozen=True, slots=True)
class TeamFinding:
    role: str
    name: str | None
    organisation: str | None  # a register slug when the organisation is a council


@dataclass(frozen=True, slots=True)
class _Span:
    kind: str  # "name" | "role" | "council"
    start: int
    end: int
    value: str  # the name as written, the role phrase's role, or the council's slug


@dataclass
class _Reviewer:
    start: int
    name: str | None = None
    council: str | None = None
    roles: int = 0  # role words seen
    councils: list[str] = field(default_factory=list)
    end: int = 0
    labelled: bool = False  # introduced by a role word used as a label ("Member peer: …")


@cache
def _roles() -> tuple[TeamRoles, PhraseIndex]:
    roles = TeamRoles.model_validate(yamlio.load(ROLES_FILE))
    phrases = {
        rule.role.value: [p for p in rule.phrases if isinstance(p, str)] for rule in roles.roles
    }
    return roles, PhraseIndex(phrases)


def role_of(text: str) -> Role | None:
    """The role an entry's words give, by the first matching rule in roles.yml."""
    roles, index = _roles()
    found = set(index.keys_in(text))
    words = {fold(w) for w in re.findall(r"[A-Za-z]+", text)}
    for rule in roles.roles:
        if rule.role.value in found:
            return rule.role
        if any(isinstance(p, list) and all(fold(w) in words for w in p) for p in rule.phrases):
            return rule.role
    return None


def _spans(text: str, reference: Reference) -> list[_Span]:
    councils = [
        m for m in council_index(reference).find(text) if not _surname(text, m.start, m.end)
    ]
    roles = _roles()[1].find(text)
    taken = [(m.start, m.end) for m in councils] + [(m.start, m.end) for m in roles]
    spans = [_Span("council", m.start, m.end, m.key) for m in councils]
    spans += [_Span("role", m.start, m.end, m.key) for m in roles]
    for start, end, name in _names_in(text, taken):
        spans.append(_Span("name", start, end, name))
    return sorted(spans, key=lambda s: (s.start, s.kind != "name"))


def _surname(text: str, start: int, end: int) -> bool:
    """A council's bare name that is the end of a person's name ("Oliver Kent"): one word,
    right after a capitalised word that is no role or title."""
    if " " in text[start:end]:
        return False
    before = re.search(r"([A-Z][a-z'’-]+) $", text[max(0, start - 30) : start])
    if before is None:
        return False
    word = before.group(1)
    return word.lower() not in NOT_NAME_WORDS and not TITLED.match(word + " ")


def _names_in(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The person names in a text: runs of two to four capitalised words (after an optional
    title such as "Cllr") that are not role words, council names or words no name has. A
    comma, colon, semicolon or bracket after a word ends its run."""
    found: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []

    def flush() -> None:
        while run and run[-1][2].rstrip(".").lower() in NOT_NAME_WORDS:
            run.pop()
        plain = [w for w in run if not TITLED.match(w[2] + " ")]
        titled = len(plain) < len(run)
        if plain and (len(plain) >= 2 or titled) and len(plain) <= 4:
            found.append((run[0][0], run[-1][1], " ".join(w[2] for w in run)))
        run.clear()

    for match in re.finditer(r"[^\s,;:()|]+", text):
        word, (start, end) = match.group(), match.span()
        if run and re.search(r"[,;:()|–—]", text[run[-1][1] : start]):
            flush()  # punctuation between two words ends a name
        if TITLED.match(word + " ") and not run:
            run.append((start, end, word))
        elif (
            any(a < end and start < b for a, b in taken)
            or word.rstrip(".").lower() in NOT_NAME_WORDS
            or not NAME_WORD_ONLY.match(word)
        ):
            flush()
            continue
        else:
            run.append((start, end, word))
    flush()
    return found


def read_entry(text: str, reference: Reference) -> list[tuple[_Reviewer, str]]:
    """The reviewers in one entry of a team list, each with the part of the text about them."""
    reviewers: list[_Reviewer] = []
    current: _Reviewer | None = None
    for span in _spans(text, reference):
        label = span.kind == "role" and bool(LABEL_AFTER.match(text[span.end :]))
        nameless = span.kind == "role" and bool(NAMELESS_BEFORE.search(text[: span.start]))
        if current is None or (
            current.name is not None
            and (span.kind == "name" or (label and (current.council or current.roles)) or nameless)
        ):
            if current:
                current.end = span.start
            current = _Reviewer(span.start, labelled=label)
            reviewers.append(current)
        if span.kind == "name":
            current.name = span.value
        elif span.kind == "council":
            current.councils.append(span.value)
            current.council = current.council or span.value
        elif span.kind == "role":
            current.roles += 1
    if current:
        current.end = len(text)
    parts = [text[r.start : r.end] for r in reviewers]
    for k in range(len(reviewers) - 1):
        alone, pair = reviewers[k], reviewers[k + 1]
        if alone.name and not (alone.council or alone.roles) and len(pair.councils) == 2:
            # "Gavin Roe and Kate Linden (Principal Social Workers, Wolverhampton and Warwickshire)"
            alone.council, pair.council = pair.councils
            parts[k] = f"{parts[k]} {parts[k + 1]}"
    return list(zip(reviewers, parts, strict=True))


CLOSING = re.compile(
    r"^(?:yours (?:sincerely|faithfully|truly)|kind regards|best wishes|with best wishes|"
    r"regards|with thanks),?$",
    re.I,
)
SIGNATURE_LINES = 4  # the name and role lines under a letter's closing


def _entries(units: list[Unit]) -> list[tuple[str, bool]]:
    """Texts that describe reviewers, each with whether it stands in a team list (where every
    entry is a reviewer) rather than in prose (where a sentence must introduce the team). The
    lines under a letter's closing ("Yours sincerely,") are one entry: the lead peer signs."""
    entries: list[tuple[str, bool]] = []
    for at, unit in enumerate(units):
        block = unit.block
        if CLOSING.match(block.text.strip()):
            entries.append((_signature(units[at + 1 : at + 1 + SIGNATURE_LINES]), True))
            continue
        if block.kind == "heading":
            continue
        if unit.kind == "team" and block.kind != "paragraph":
            entries.append((" | ".join(block.cells) if block.cells else block.text, True))
            continue
        for sentence in unit.sentences:
            if TEAM_SENTENCE.search(sentence):
                entries.append((sentence, False))
            elif unit.kind == "team" and not THANKS.search(sentence):
                entries += [(part, True) for part in sentence.split(";")]
    return entries


def _signature(units: list[Unit]) -> str:
    """The name and role lines of a signature, as one entry ("Alan Crewe, Director of Adult
    Social Services, Somerset Council, Lead peer")."""
    lines: list[str] = []
    for unit in units:
        text = unit.block.text.strip()
        if len(text) > 120 or text.lower().startswith("sample"):
            break
        lines.append(text)
    return ", ".join(lines)


def find_team(
    units: list[Unit], reference: Reference, host: str | None
) -> tuple[list[TeamFinding], list[FieldWarning]]:
    """Names, roles and councils of the review team; warnings for entries that lack some."""
    team: list[TeamFinding] = []
    explicit_lead: list[int] = []
    warnings: list[FieldWarning] = []
    seen: set[str] = set()
    for text, listed in _entries(units):
        if len(text) > 600:
            continue
        found = read_entry(text, reference)
        if listed and not any(r.name for r, _ in found) and team and team[-1].organisation is None:
            council = next((r.council for r, _ in found if r.council), None)
            if council and council != host:  # a council wrapped onto the line below its reviewer
                team[-1] = TeamFinding(team[-1].role, team[-1].name, council)
            continue
        for reviewer, part in found:
            role = role_of(part)
            if reviewer.council == host and host is not None:
                continue  # the host council's own people are not reviewers
            if reviewer.name is None and not (listed and role and reviewer.council):
                continue
            if role is None:
                if not (listed and reviewer.name and reviewer.council):
                    continue  # a name alone, with no role or council, may be anything
                role = Role.DIRECTOR
            key = fold(reviewer.name or f"{role}-{reviewer.council}")
            if key in seen:
                if role is Role.LEAD_DASS and re.search(r"\blead\b", part, re.I):
                    explicit_lead.extend(k for k, m in enumerate(team) if fold(m.name or "") == key)
                continue
            seen.add(key)
            if role is Role.LEAD_DASS and re.search(r"\blead\b", part, re.I):
                explicit_lead.append(len(team))
            team.append(TeamFinding(role.value, reviewer.name, reviewer.council))
    team = _one_lead(team, explicit_lead)
    for member in team:
        missing = [what for what, value in (("name", member.name),) if not value]
        if member.organisation is None and member.role != Role.LIVED_EXPERIENCE.value:
            missing.append("council")
        if missing:
            who = member.name or f"a reviewer ({member.role})"
            warnings.append(
                FieldWarning("team", f"{who}: the text gives no {' or '.join(missing)}")
            )
    return team, warnings


def _one_lead(team: list[TeamFinding], explicit: list[int]) -> list[TeamFinding]:
    """One lead per team: the one the text calls lead, else the first; the other Directors of
    Adult Social Services are directors."""
    leads = [k for k, m in enumerate(team) if m.role == Role.LEAD_DASS.value]
    keep = explicit[0] if explicit else (leads[0] if leads else -1)
    role = {k: Role.DIRECTOR.value for k in leads} | (
        {keep: Role.LEAD_DASS.value} if explicit else {}
    )
    return [
        TeamFinding(
            role.get(k, m.role) if k != keep or explicit else m.role, m.name, m.organisation
        )
        for k, m in enumerate(team)
    ]
