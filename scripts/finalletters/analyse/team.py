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
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import yamlio
from ..model import Role, TeamRoles
from ..register import Reference
from .authority import TEAM_SENTENCE
from .units import FieldWarning, PhraseIndex, Unit, council_index, fold

ROLES_FILE = Path(__file__).with_name("roles.yml")
TITLE = r"(?:Cllr|Councillor|Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sir|Dame|Lord|Baroness)\.?"
NAME_WORD = r"(?:[A-Z][a-z]*(?:['’-][A-Z]?[a-z]+)*|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.)"
PERSON = re.compile(
    rf"\b(?:{TITLE}\s+)?{NAME_WORD}(?:\s+(?:(?:de|van|von|der|den|la|le|da|di|du|bin|al|el)\s+)?"
    rf"{NAME_WORD}){{1,3}}"
)
TITLED = re.compile(rf"^{TITLE}\s", re.I)
# Capitalised words that are no part of a person's name in a team list.
NOT_NAME_WORDS = frozenset(
    [
        "council",
        "county",
        "city",
        "borough",
        "metropolitan",
        "district",
        "royal",
        "london",
        "director",
        "directors",
        "assistant",
        "deputy",
        "head",
        "heads",
        "chief",
        "executive",
        "officer",
        "officers",
        "manager",
        "managers",
        "lead",
        "leads",
        "leader",
        "peer",
        "peers",
        "member",
        "members",
        "cabinet",
        "adult",
        "adults",
        "social",
        "services",
        "service",
        "care",
        "health",
        "public",
        "commissioning",
        "operational",
        "principal",
        "worker",
        "workers",
        "expert",
        "experts",
        "experience",
        "lived",
        "team",
        "teams",
        "challenge",
        "review",
        "reviewer",
        "reviewers",
        "lga",
        "adass",
        "local",
        "government",
        "association",
        "nhs",
        "trust",
        "integrated",
        "board",
        "partnership",
        "strategic",
        "programme",
        "project",
        "improvement",
        "adviser",
        "advisor",
        "associate",
        "senior",
        "interim",
        "corporate",
        "people",
        "wellbeing",
        "housing",
        "community",
        "communities",
        "directorate",
        "safeguarding",
        "portfolio",
        "holder",
        "practice",
        "quality",
        "performance",
        "data",
        "intelligence",
        "finance",
        "group",
        "region",
        "regional",
        "west",
        "east",
        "north",
        "south",
        "midlands",
        "england",
        "the",
        "other",
        "and",
        "with",
        "from",
        "of",
        "for",
        "at",
        "in",
        "on",
        "by",
        "to",
        "our",
        "we",
        "were",
        "was",
        "mental",
        "occupational",
        "therapist",
        "therapy",
        "shadow",
        "support",
        "transformation",
        "operations",
        "strategy",
        "policy",
        "commissioner",
        "joint",
        "mayor",
        "university",
        "name",
        "names",
        "role",
        "roles",
        "organisation",
        "organization",
        "what",
        "found",
        "strengths",
        "areas",
        "development",
        "recommendations",
        "summary",
        "introduction",
        "background",
        "thank",
        "thanks",
        "you",
        "dear",
        "yours",
        "sincerely",
        "key",
        "findings",
        "next",
        "steps",
        "also",
        "who",
        "this",
        "that",
        "these",
        "those",
        "professional",
        "standards",
        "safeguarding",
        "partnerships",
        "children",
        "families",
        "education",
        "learning",
        "disability",
        "disabilities",
        "autism",
        "intermediate",
        "hospital",
        "discharge",
        "unit",
        "department",
        "office",
        "national",
        "ceo",
        "coordinator",
        "co-ordinator",
        "analyst",
        "specialist",
        "insight",
        "principal-social-worker",
        "elected",
        "councillor's",
        "place",
        "system",
        "acute",
        "foundation",
        "primary",
        "medical",
        "clinical",
        "nurse",
        "nursing",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
LABEL_AFTER = re.compile(r"^\s*[:–—-]")
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
    councils = council_index(reference).find(text)
    roles = _roles()[1].find(text)
    taken = [(m.start, m.end) for m in councils] + [(m.start, m.end) for m in roles]
    spans = [_Span("council", m.start, m.end, m.key) for m in councils]
    spans += [_Span("role", m.start, m.end, m.key) for m in roles]
    for match in PERSON.finditer(text):
        for start, end, name in _names_in(match.group(), match.start(), taken):
            spans.append(_Span("name", start, end, name))
    return sorted(spans, key=lambda s: (s.start, s.kind != "name"))


def _names_in(text: str, offset: int, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The person names in a run of capitalised words: the longest parts of it that are not
    role words, council names or words no name has."""
    found: list[tuple[int, int, str]] = []
    run: list[re.Match[str]] = []
    words = list(re.finditer(r"\S+", text))

    def flush() -> None:
        while run and (run[-1].group().rstrip(".").lower() in NOT_NAME_WORDS):
            run.pop()
        titled = bool(run) and bool(TITLED.match(run[0].group() + " "))
        plain = [w for w in run if not TITLED.match(w.group() + " ")]
        if run and (len(plain) >= 2 or (titled and plain)) and len(plain) <= 4:
            start, end = offset + run[0].start(), offset + run[-1].end()
            found.append((start, end, " ".join(w.group() for w in run)))
        run.clear()

    for word in words:
        start, end = offset + word.start(), offset + word.end()
        inside = any(a < end and start < b for a, b in taken)
        bare = word.group().rstrip(".")
        if TITLED.match(word.group() + " ") and not run:
            run.append(word)
        elif inside or bare.lower() in NOT_NAME_WORDS:
            flush()
        else:
            run.append(word)
    flush()
    return found


def read_entry(text: str, reference: Reference) -> list[tuple[_Reviewer, str]]:
    """The reviewers in one entry of a team list, each with the part of the text about them."""
    reviewers: list[_Reviewer] = []
    current: _Reviewer | None = None
    for span in _spans(text, reference):
        label = span.kind == "role" and bool(LABEL_AFTER.match(text[span.end :]))
        starts = current is None or (
            (span.kind == "name" and current.name is not None)
            or (label and current.name is not None and (current.council or current.roles))
        )
        if starts:
            if current:
                current.end = span.start
            current = _Reviewer(span.start, labelled=label)
            reviewers.append(current)
        assert current is not None
        if span.kind == "name":
            current.name = span.value
        elif span.kind == "council" and current.council is None:
            current.council = span.value
        elif span.kind == "role":
            current.roles += 1
    if current:
        current.end = len(text)
    return [(r, text[r.start : r.end]) for r in reviewers]


def _entries(units: list[Unit]) -> list[tuple[str, bool]]:
    """Texts that describe reviewers, each with whether it stands in a team list (where every
    entry is a reviewer) rather than in prose (where a sentence must introduce the team)."""
    entries: list[tuple[str, bool]] = []
    for unit in units:
        block = unit.block
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
                if not (listed and reviewer.name):
                    continue
                role = Role.DIRECTOR
            key = fold(reviewer.name or f"{role}-{reviewer.council}")
            if key in seen:
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
    return [
        TeamFinding(Role.DIRECTOR.value, m.name, m.organisation)
        if m.role == Role.LEAD_DASS.value and k != keep
        else m
        for k, m in enumerate(team)
    ]
