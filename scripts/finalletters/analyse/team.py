"""The review team: each reviewer's name, role and council, read from the general shape of a
reviewer rather than from any one template.

A reviewer is a person's name (with a title such as "Cllr" or "Dr", post-nominals such as
"OBE", and names such as O'Neill, McAllister, Smith-Jones, van der Berg or J. Patel), role words
(roles.yml) and an organisation: a council of the register, or another body (organisations.yml:
the LGA, ADASS, the NHS), whose organisation is null. Texts that describe reviewers are the
lines of a team list (under a team heading or a lead-in such as "The peers were:", table rows,
the lines under a letter's closing) and sentences that introduce a team ("The team was led
by…", "Members of the team were…"). In a list, a line that holds no name is part of the
reviewer beside it: the role and council below a name, or a role label above it. The host
council's own people are never reviewers; a reviewer the text names only by role is a warning,
not an entry, unless a list gives their role and council.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from pathlib import Path

from .. import yamlio
from ..model import Role, Strict, TeamRoles
from ..register import Reference
from .authority import TEAM_SENTENCE
from .units import WORDS, FieldWarning, Match, PhraseIndex, Unit, council_index, fold


def word_set(words: str) -> frozenset[str]:
    """A word list written as words apart."""
    return frozenset(words.split())


ROLES_FILE = Path(__file__).with_name("roles.yml")
ORGANISATIONS_FILE = Path(__file__).with_name("organisations.yml")
TITLE = r"(?:Cllr|Councillor|Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sir|Dame|Lord|Baroness)\.?"
TITLED = re.compile(rf"^{TITLE}\s", re.I)
POST_NOMINALS = word_set(
    "OBE MBE CBE DBE KBE BEM QPM DL JP FRSA PhD MBA MSc FRCP FRCPsych MRCPsych RGN RMN"
)
PARTICLES = word_set("de van von der den la le da di du bin al el ter dos del")
# Capitalised words that are no part of a person's name in a team list.
NOT_NAME_WORDS = WORDS.not_name_words
LABEL_AFTER = re.compile(r"^\s*(?:[:–—]|-\s)")
# A role word after "an", "two" or "and a" names a reviewer without their name: "…and
# included an elected member, two senior officers and an expert by experience".
NAMELESS_BEFORE = re.compile(
    r"(?<!\bas )\b(?:an?|one|two|three|four|five|several|and an?|including an?|included an?)"
    r"\s+(?:\w+\s+)?$",
    re.I,
)
THANKS = re.compile(r"\bthank|\bgrateful|\bappreciat", re.I)
# The host's own people: "the Council's Director", "your Head of Service", "our staff".
HOST_MARK = re.compile(
    r"\b(?:the|your) (?:county |city |borough |district )?(?:council|authority)['’]s\b|"
    r"\byour\b|\bour own\b|\bhost(?:ed|ing)?\b",
    re.I,
)
# Words between a sentence's team words and a person that make the person someone the team
# met, thanked or was helped by, not a member of it.
NOT_INTRODUCING = re.compile(
    r"\b(?:met|meet|meeting|spoke|speak|talked|interviewed|thank|thanks|hosted|welcomed|"
    r"with the help of|said|says|told)\b",
    re.I,
)
# The sentence is about the team: it names it, or the lead speaks ("I was joined by").
TEAM_WORD = re.compile(
    r"\b(?:team|peers?|reviewers?|colleagues|other members)\b|"
    r"\b(?:I|we|she|he) (?:was|were) (?:also )?joined by\b",
    re.I,
)
LED_BY = re.compile(r"\bled by\s*$", re.I)
# "…and our peer challenge manager, Nicola Brack": a role word that belongs to the name after.
APPOSED_BEFORE = re.compile(r"(?:\band|\bwith|[,;])\s+(?:our|the|their)\s+$", re.I)
# The one the challenge "was managed by" or "supported by" is its coordinator.
MANAGED_BY = re.compile(
    r"\b(?:managed|co-?ordinated|supported|facilitated|organised)(?: throughout)? by\s*$", re.I
)
MAX_BODY_WORDS = 6  # capitalised words an "end" body's name may take before it
HOST_WINDOW = 60  # characters after a name in which "the Council's" makes them the host's
LEAD_WORD = re.compile(r"\blead\b|\bled the\b|\bwho (?:had )?led\b", re.I)
# In a sentence, a named person is a reviewer when the text gives their council or body, calls
# them a peer, reviewer or expert by experience, or says the team was led by them.
PEER_WORD = re.compile(
    r"\bpeers?\b|\breviewers?\b|\bexperts? by experience\b|\blived experience\b|"
    r"\bchallenge manager\b",
    re.I,
)
# The labels of LGA and ADASS team tables.
PEER_LABEL = re.compile(
    r"\b(?:lead|member|officer|operational|commissioning|health|finance|social work|practice|"
    r"OT|therapy|performance|data|experience|carer|NHS|manager|safeguarding|workforce|housing|"
    r"provider|political) peer\b|\bexperts? by experience\b|\bchallenge manager\b|"
    r"\bpeer (?:review |challenge )?co-?ordinator\b|\blead reviewer\b",
    re.I,
)
# Words of a list's line that say nothing about a reviewer: a line of role words, councils
# and these is a fragment of the entry beside it, not a sentence.
FILLER = word_set("of and for the in at with & a an to on from")
FRAGMENT_WORDS = 16
HEADER_CELLS = word_set(
    "name names role roles title job organisation organization council authority "
    "employer peer peers position member members"
)
CLOSING = re.compile(
    r"^(?:yours (?:sincerely|faithfully|truly)|kind regards|best wishes|with best wishes|"
    r"regards|with thanks),?$",
    re.I,
)
SIGNATURE_LINES = 4  # the name and role lines under a letter's closing
MAX_ENTRY_CHARS = 600
# Phrases with a role word in them that name no one ("the peer team", "the peer challenge").
NOT_ROLES = ("peer team", "peer challenge", "peer review", "peer challenge team", "review team")
REGION_WORDS = word_set(
    "north south east west eastern western northern southern midlands yorkshire "
    "humber england london region"
)


class Organisations(Strict):
    """organisations.yml: bodies that are not councils."""

    names: list[str]
    ends: list[str]


@dataclass(frozen=True, slots=True)
class TeamFinding:
    role: str
    name: str | None
    organisation: str | None  # a register slug when the organisation is a council


@dataclass(frozen=True, slots=True)
class _Span:
    kind: str  # "name" | "role" | "council" | "body" (an organisation that is not a council)
    start: int
    end: int
    value: str  # the name as written, the role phrase's rule, or the council's slug


@dataclass
class _Reviewer:
    start: int
    name: str | None = None
    council: str | None = None
    body: bool = False  # an organisation that is not a council is named
    roles: int = 0  # role words seen
    councils: list[str] = field(default_factory=list)
    end: int = 0
    role_first: bool = False  # a role word came before the name
    orgs: list[_Span] = field(default_factory=list)  # its councils and bodies, in order
    name_start: int = 0


@dataclass
class _Found:
    """One reviewer read from a team list or a sentence, with the text about them."""

    reviewer: _Reviewer
    part: str
    before: str = ""  # the text of the sentence before them ("The team was led by ")
    label: str = ""  # a role label the line gave them apart from their part

    @property
    def lead_up(self) -> str:
        """The text before the name: "The review was co-ordinated by "."""
        reviewer = self.reviewer
        own = self.part[: max(0, reviewer.name_start - reviewer.start)] if reviewer.name else ""
        return self.before + own

    def absorb(self, other: _Found) -> None:
        """Take a nameless line's role words and council (a line below or above the name)."""
        mine, theirs = self.reviewer, other.reviewer
        mine.council = mine.council or theirs.council
        mine.councils += theirs.councils
        mine.body = mine.body or theirs.body
        mine.roles += theirs.roles
        self.part = f"{self.part} | {other.part}"


@cache
def _roles() -> tuple[TeamRoles, PhraseIndex]:
    roles = TeamRoles.model_validate(yamlio.load(ROLES_FILE))
    phrases = {
        str(n): [p for p in rule.phrases if isinstance(p, str)]
        for n, rule in enumerate(roles.roles)
    }
    return roles, PhraseIndex({**phrases, "": list(NOT_ROLES)})


@cache
def _bodies() -> PhraseIndex:
    bodies = Organisations.model_validate(yamlio.load(ORGANISATIONS_FILE))
    return PhraseIndex({"body": bodies.names, "end": bodies.ends}, proper=True)


def role_of(text: str) -> Role | None:
    """The role an entry's words give, by the first matching rule in roles.yml."""
    roles, index = _roles()
    found = set(index.keys_in(text))
    words = {fold(w) for w in re.findall(r"[A-Za-z]+", text)}
    for n, rule in enumerate(roles.roles):
        if str(n) in found:
            return rule.role
        if any(isinstance(p, list) and all(fold(w) in words for w in p) for p in rule.phrases):
            return rule.role
    return None


# --- the words of an entry --------------------------------------------------------------------


def _spans(text: str, reference: Reference) -> list[_Span]:
    bodies = _bodies().find(text)
    councils = [
        m
        for m in council_index(reference).find(text)
        if not _surname(text, m.start, m.end) and not _location(text, m)
    ]
    bodies, councils = _bodies_with_places(text, bodies, councils)
    roles = _roles()[1].find(text)
    taken = [(m.start, m.end) for m in [*councils, *bodies, *roles]]
    spans = [_Span("council", m.start, m.end, m.key) for m in councils]
    spans += [_Span("body", m.start, m.end, "") for m in bodies]
    spans += [_Span("role", m.start, m.end, m.key) for m in roles]
    for start, end, name in _names_in(text, taken):
        spans.append(_Span("name", start, end, name))
    return sorted(spans, key=lambda s: (s.start, s.kind != "name"))


def _bodies_with_places(
    text: str, bodies: list[Match], councils: list[Match]
) -> tuple[list[Match], list[Match]]:
    """Bare place names that are part of a body's name ("NHS Kent and Medway", "Leeds
    Teaching Hospitals NHS Trust", "University of York") join the body's span and are no
    reviewer's council."""
    if not bodies:
        return bodies, councils
    left = sorted(councils, key=lambda m: m.start)
    grown: list[Match] = []
    for body in bodies:
        start, end = body.start, body.end
        changed = True
        while changed:
            changed = False
            for council in list(left):
                bare = _bare(text[council.start : council.end])
                if bare and council.start >= end and _joins(text[end : council.start], True):
                    end, changed = council.end, True
                elif bare and council.end <= start and _joins(text[council.end : start], False):
                    start, changed = council.start, True
                else:
                    continue
                left.remove(council)
        if body.key == "end":
            start = _name_before(text, start)
        grown.append(Match("body", start, end))
    return grown, [c for c in left if not any(g.start <= c.start < g.end for g in grown)]


def _name_before(text: str, start: int) -> int:
    """Where the name ends a body's name starts ("Humber Coast" before "NHS Partnership"):
    the capitalised words and joining words right before it, up to punctuation."""
    words = list(re.finditer(r"[^\s,;:()|]+", text[:start]))
    for match in reversed(words[-MAX_BODY_WORDS:]):
        gap = text[match.end() : start]
        word = match.group()
        joining = word in ("and", "&", "of")
        if gap.strip() or TITLED.match(word + " ") or not (word[:1].isupper() or joining):
            break
        start = match.start()
    while start < len(text) and text[start:].split(" ", 1)[0] in ("and", "&", "of"):
        start += len(text[start:].split(" ", 1)[0]) + 1
    return start


def _location(text: str, council: Match) -> bool:
    """A bare place name after "in" is where something is, not a reviewer's council ("an
    expert by experience from a user-led organisation in County Durham")."""
    return _bare(text[council.start : council.end]) and bool(
        re.search(r"\bin\s+$", text[max(0, council.start - 4) : council.start])
    )


def _bare(name: str) -> bool:
    """A place's name alone ("Kent"), not a council's ("Kent County Council")."""
    last = name.split()[-1].lower()
    return last not in {"council", "mbc", "borough", "county", "city"}


def _joins(between: str, after: bool) -> bool:
    """Whether the words between a body's name and a place make one name of them: "and",
    "of" or region words after the body ("ADASS East Midlands"), title words before it
    ("Kent Community Health NHS Foundation Trust")."""
    words = between.split()
    if re.search(r"[,;:()|–—]", between) or len(words) > 4:
        return False
    joining = {"and", "&", "of", "the"}
    if after:
        return all(w.lower() in joining or w.lower() in REGION_WORDS for w in words)
    return all(w.lower() in joining or (w[:1].isupper() and _not_a_name_word(w)) for w in words)


def _surname(text: str, start: int, end: int) -> bool:
    """A council's bare name that is the end of a person's name ("Oliver Kent"): one word,
    right after a capitalised word that is no role or title."""
    if " " in text[start:end]:
        return False
    before = re.search(r"(\w[\w'’-]*) $", text[max(0, start - 30) : start])
    if before is None or not before.group(1)[:1].isupper():
        return False
    word = before.group(1)
    return not _not_a_name_word(word) and not TITLED.match(word + " ")


def _not_a_name_word(word: str) -> bool:
    bare = word.rstrip(".").lower()
    return bare in NOT_NAME_WORDS or fold(bare) in NOT_NAME_WORDS


def is_name_word(word: str) -> bool:
    """A word a person's name may hold: "Okoro", "O'Neill", "McAllister", "Smith-Jones",
    "Zoë", an initial ("J." or "J") or a particle ("van", "der")."""
    if word in PARTICLES or re.fullmatch(r"[A-Z]\.?", word):
        return True
    pieces = re.split(r"['’-]", word)
    if not all(piece.isalpha() for piece in pieces):
        return False
    first = pieces[0]
    if not first[0].isupper() or (len(first) > 1 and first.isupper()):
        return False  # lower case, or an acronym ("LGA")
    return all(piece[0].isupper() or piece.islower() for piece in pieces[1:])


def _names_in(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The person names in a text: runs of two to four name words (after an optional title
    such as "Cllr", before optional post-nominals such as "OBE") that are not role words,
    council names or words no name has. Punctuation between two words ends a run."""
    found: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []

    def flush() -> None:
        while run and (_not_a_name_word(run[-1][2]) or run[-1][2] in PARTICLES):
            run.pop()
        plain = [w for w in run if not TITLED.match(w[2] + " ") and w[2] not in POST_NOMINALS]
        titled = any(TITLED.match(w[2] + " ") for w in run)
        if plain and (len(plain) >= 2 or titled) and len(plain) <= 5:
            found.append((run[0][0], run[-1][1], " ".join(w[2] for w in run)))
        run.clear()

    for match in re.finditer(r"[^\s,;:()|]+", text):
        word, (start, end) = match.group(), match.span()
        if run and re.search(r"[,;:()|–—.!?\"”]|\s-\s", text[run[-1][1] : start]):
            flush()  # punctuation between two words ends a name
        ending = re.search(r"(?<=\w\w)[.!?\"”’]+$", word)
        if ending:  # the last word of a sentence: "…co-ordinated by Omar Aziz."
            word, end = word[: ending.start()], start + ending.start()
        if TITLED.match(word + " ") and not run:
            run.append((start, end, word))
        elif run and word.rstrip(".") in POST_NOMINALS:
            run.append((start, end, word.rstrip(".")))
        elif (
            any(a < end and start < b for a, b in taken)
            or _not_a_name_word(word)
            or not is_name_word(word)
        ):
            flush()
        else:
            run.append((start, end, word))
    flush()
    return found


def read_entry(text: str, reference: Reference) -> list[_Found]:
    """The reviewers in one line of a team list or one sentence, each with its part of the
    text. A new reviewer starts at a second name; at a role word used as a label ("Member
    peer:") once the reviewer before has a name and something more; at a role word after "and
    our" before a name ("…and our peer challenge manager, Nicola Brack"); and, where roles
    come before names ("Lead peer Jo Bloggs Leeds City Council Member peer…"), at a role word
    after a reviewer with a name and an organisation. Where a table's rows ran together, the
    labels at the front go to the names in order ("Officer peer Performance peer | J. Patel,
    … Claire Hutchings, …"), and names set side by side share out the councils after them."""
    spans = _split_run_together_names(_spans(text, reference))
    labels = _leading_labels(spans, text)
    if labels and sum(1 for s in spans if s.kind == "name") == len(labels):
        found = _group(text, spans[len(labels) :])
        for one, label in zip(found, labels, strict=True):
            one.label = text[label.start : label.end]
    else:
        found = _group(text, spans)
    _share_out(found, text)
    return found


def _group(text: str, spans: list[_Span]) -> list[_Found]:
    role_first = (
        len(spans) > 1
        and (spans[0].kind, spans[1].kind) == ("role", "name")
        and not re.search(r"[^\s:–—-]", text[spans[0].end : spans[1].start])
    )
    reviewers: list[_Reviewer] = []
    current: _Reviewer | None = None
    for n, span in enumerate(spans):
        is_role = span.kind == "role"
        label = is_role and bool(LABEL_AFTER.match(text[span.end :]))
        nameless = is_role and bool(NAMELESS_BEFORE.search(text[: span.start]))
        apposed = (
            is_role
            and bool(APPOSED_BEFORE.search(text[: span.start]))
            and n + 1 < len(spans)
            and spans[n + 1].kind == "name"
            and not text[span.end : spans[n + 1].start].strip(" ,")
        )
        more = current is not None and bool(current.council or current.body or current.roles)
        if current is None or (
            current.name is not None
            and (
                span.kind == "name"
                or ((label or nameless or apposed) and more)
                or (is_role and role_first and (current.council or current.body))
            )
        ):
            if current:
                current.end = span.start
            current = _Reviewer(span.start)
            reviewers.append(current)
        if span.kind == "name":
            current.name, current.name_start = span.value, span.start
            current.role_first = current.roles > 0
        elif span.kind == "council":
            current.councils.append(span.value)
            current.council = current.council or span.value
            current.orgs.append(span)
        elif span.kind == "body":
            current.body = True
            current.orgs.append(span)
        else:
            current.roles += 1
    if current:
        current.end = len(text)
    return [_Found(r, text[r.start : r.end], text[: r.start]) for r in reviewers]


def _leading_labels(spans: list[_Span], text: str) -> list[_Span]:
    """Two or more role labels at the front of a line, before any name: the first cells of
    table rows that ran together ("Officer peer Performance peer | J. Patel, …")."""
    labels: list[_Span] = []
    for span in spans:
        if span.kind != "role":
            break
        if labels and text[labels[-1].end : span.start].strip(" |"):
            return []
        labels.append(span)
    return labels if len(labels) >= 2 else []


def _split_run_together_names(spans: list[_Span]) -> list[_Span]:
    """Two names a table set side by side with nothing between ("Cllr Aled Prys-Jones Femi
    Oladipo"), where the line names more organisations than people: four name words, split
    two and two."""
    orgs = sum(1 for s in spans if s.kind in ("council", "body"))
    names = sum(1 for s in spans if s.kind == "name")
    out: list[_Span] = []
    for span in spans:
        words = span.value.split() if span.kind == "name" else []
        plain = [w for w in words if not TITLED.match(w + " ") and w not in POST_NOMINALS]
        if names < orgs and len(plain) == 4 and not PARTICLES.intersection(words):
            cut = words.index(plain[2])
            first, second = " ".join(words[:cut]), " ".join(words[cut:])
            middle = span.start + len(first) + 1
            out += [
                _Span("name", span.start, span.start + len(first), first),
                _Span("name", middle, span.end, second),
            ]
            names += 1
        else:
            out.append(span)
    return out


def _share_out(found: list[_Found], text: str) -> None:
    """Names set side by side, then one organisation for each ("Gavin Roe and Kate Linden
    (Principal Social Workers, Wolverhampton and Warwickshire)"): each name takes its own
    organisation, with the role words before it or, where it has none, those before the
    first."""
    k = 0
    while k < len(found):
        j = k
        while j < len(found) and _bare_name(found[j].reviewer):
            j += 1
        if j == k or j >= len(found) or not found[j].reviewer.name:
            k = max(j, k + 1)
            continue
        last = found[j].reviewer
        if len(last.orgs) != j - k + 1:
            k = j + 1
            continue
        name_end = last.start + len(last.name or "")
        cuts = [name_end] + [org.end for org in last.orgs]
        groups = [text[a:b] for a, b in pairwise(cuts)]
        for n, one in enumerate(found[k : j + 1]):
            org = last.orgs[n]
            group = groups[n]
            if role_of(group) is None and n:
                group = f"{groups[0]} {group}"
            reviewer = one.reviewer
            reviewer.council = org.value if org.kind == "council" else None
            reviewer.body = org.kind == "body"
            reviewer.councils = [reviewer.council] if reviewer.council else []
            reviewer.roles = max(reviewer.roles, 1 if role_of(group) else 0)
            one.part = f"{reviewer.name} {group}"
        k = j + 1


def _bare_name(reviewer: _Reviewer) -> bool:
    return bool(reviewer.name) and not (reviewer.council or reviewer.body or reviewer.roles)


def _is_fragment(text: str, reference: Reference) -> bool:
    """A line of a list that holds only role words, organisations and title words ("Director
    of Adult Social Services, Hounslow"; "Lead Peer"): part of the reviewer beside it."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not words or len(words) > FRAGMENT_WORDS or text.rstrip().endswith(":"):
        return False
    covered = [(s.start, s.end) for s in _spans(text, reference) if s.kind != "name"]
    if not covered:
        return False
    plain = 0
    for match in re.finditer(r"[^\W\d_][\w'’-]*", text):
        word = match.group()
        inside = any(a <= match.start() < b for a, b in covered)
        if inside or word.lower() in FILLER or _not_a_name_word(word) or word[0].isupper():
            continue
        plain += 1
    return plain <= 1


def _is_sentence(text: str, reference: Reference) -> bool:
    """A line that describes rather than lists: several ordinary words beside the names."""
    covered = [(s.start, s.end) for s in _spans(text, reference)]
    plain = sum(
        1
        for match in re.finditer(r"[a-z][\w'’-]*", text)
        if match.group() not in FILLER
        and not _not_a_name_word(match.group())
        and not any(a <= match.start() < b for a, b in covered)
    )
    return plain >= 3


# --- where reviewers are listed ---------------------------------------------------------------


@dataclass
class _Run:
    """Lines that describe reviewers: a team list's lines, or one sentence (listed=False)."""

    lines: list[str]
    listed: bool


def _runs(units: list[Unit]) -> Iterator[_Run]:
    """The team lists and team sentences of a document. A list is the run of lines under a
    team heading or lead-in (items, rows, short paragraphs, the parts of a semicolon list,
    role labels set as sub-headings) or under a letter's closing ("Yours sincerely,"), where
    the lead peer signs."""
    lines: list[str] = []
    tables = _team_tables(units)
    for at, unit in enumerate(units):
        block = unit.block
        if unit.number in tables:
            unit = replace(unit, kind="team")
        if CLOSING.match(block.text.strip()):
            if lines:
                yield _Run(lines, True)
            lines = []
            yield _Run(_signature(units[at + 1 : at + 1 + SIGNATURE_LINES]), True)
            continue
        if unit.kind == "team" and block.kind == "heading" and unit.section != block.text:
            lines.append(block.text)  # "### Lead peer" under "## The peer team"
            continue
        if unit.kind != "team" or block.kind == "heading":
            if lines:
                yield _Run(lines, True)
            lines = []
            if block.kind != "heading":
                yield from (
                    _Run([_team_part(s)], False) for s in unit.sentences if TEAM_SENTENCE.search(s)
                )
            continue
        if block.kind != "paragraph":
            cells = [c.strip() for c in block.cells]
            if cells and all(c.lower() in HEADER_CELLS or not c for c in cells):
                continue  # a table's header row
            lines.append(" | ".join(cells) if cells else block.text)
            continue
        for sentence in unit.sentences:
            if THANKS.search(sentence):
                sentence = _team_part(sentence)
            if sentence and not THANKS.search(sentence):
                lines += [part for part in sentence.split(";") if part.strip()]
    if lines:
        yield _Run(lines, True)


def _team_tables(units: list[Unit]) -> set[int]:
    """The rows of tables outside a team section that list the team: a row gives a peer
    label and a name ("| Member peer | Cllr Robert Tanner, Swindon Borough Council |")."""
    rows: set[int] = set()
    table: list[Unit] = []
    for unit in [*units, None]:
        if unit is not None and unit.block.kind == "table-row":
            table.append(unit)
            continue
        if any(PEER_LABEL.search(u.block.text) and _names_in(u.block.text, []) for u in table):
            rows.update(u.number for u in table)
        table = []
    return rows


TEAM_COLON = re.compile(r"\b(?:peers|reviewers|peer team|review team|team members)\b[^:.;]{0,50}:")


def _team_part(sentence: str) -> str:
    """The part of a sentence of thanks that lists the team ("Our thanks go to Ellen
    Darbyshire, Director of Adult Social Care, and to the peers who gave their time: Cllr
    Margaret Tully…"); the whole of any other sentence; "" if thanks list no team."""
    if not THANKS.search(sentence):
        return sentence
    cue = TEAM_COLON.search(sentence)
    return sentence[cue.end() :] if cue else ""


def _signature(units: list[Unit]) -> list[str]:
    """The name and role lines of a signature ("Alan Crewe" / "Director of Adult Social
    Services, Somerset Council" / "Lead peer")."""
    lines: list[str] = []
    for unit in units:
        text = unit.block.text.strip()
        if len(text) > 120 or text.lower().startswith(("sample", "cc", "copy", "enc")):
            break
        lines.append(text)
    return lines


def _assemble(run: _Run, reference: Reference) -> list[_Found]:
    """The reviewers of a run. In a list, a line with no name joins the reviewer above it
    (their role and council on the lines below the name), or, where the list puts each role
    above its name, the reviewer below it; a line that describes rather than lists is read as
    a sentence."""
    if not run.listed:
        return [found for line in run.lines for found in read_entry(line, reference)]
    lines = _unwrapped([line for line in run.lines if len(line) <= MAX_ENTRY_CHARS], reference)
    parsed = [read_entry(line, reference) for line in lines]
    named = [any(f.reviewer.name for f in found) for found in parsed]
    fragment = [not named[k] and _is_fragment(line, reference) for k, line in enumerate(lines)]
    first = next((k for k in range(len(lines)) if named[k] or fragment[k]), None)
    role_first = (
        first is not None and fragment[first] and first + 1 < len(lines) and named[first + 1]
    )
    out: list[_Found] = []
    pending: list[_Found] = []
    for k, found in enumerate(parsed):
        if named[k]:
            people = [f for f in found if f.reviewer.name or f.reviewer.council]
            if _is_sentence(lines[k], reference):
                people = [f for f in people if _introduced(f) or _described(f, lines[k])]
            for waiting in pending:
                if people:
                    people[0].absorb(waiting)
            pending = []
            out += people
        elif fragment[k]:
            piece = found[0] if len(found) == 1 else _merged(found, lines[k])
            placed = bool(piece.reviewer.council or piece.reviewer.body)
            if (not out and not placed) or (
                role_first and not placed and k + 1 < len(lines) and named[k + 1]
            ):
                pending.append(piece)  # a role label above the name it belongs to
            elif out and not (placed and (out[-1].reviewer.council or out[-1].reviewer.body)):
                out[-1].absorb(piece)  # the role or council below a name
            elif placed and piece.reviewer.roles:
                out.append(piece)  # a reviewer the list gives by role and council alone
    return out


def _unwrapped(lines: list[str], reference: Reference) -> list[str]:
    """A table's cell wrapped onto a line of its own ("Marcus van der Berg, Director of Adult
    Social Services, West | Lead peer" then "Sussex County Council") joins the line above,
    before the cell beside it: "…, West Sussex County Council Lead peer"."""
    out: list[str] = []
    for line in lines:
        words = line.split()
        wrapped = (
            out
            and len(words) <= 5
            and not line.rstrip().endswith(":")
            and all(w[:1].isupper() or w in FILLER for w in words)
            and not _spans(line, reference)
        )
        if not wrapped:
            out.append(line)
            continue
        above = out[-1].rstrip()
        tail = [s for s in _spans(above, reference) if s.kind == "role" and s.end == len(above)]
        at = tail[0].start if tail else len(above)
        out[-1] = f"{above[:at].rstrip()} {line.strip()} {above[at:]}".rstrip()
    return out


def _merged(found: list[_Found], line: str) -> _Found:
    if not found:
        return _Found(_Reviewer(0), line)
    whole = found[0]
    for other in found[1:]:
        whole.absorb(other)
    whole.part = line
    return whole


def _introduced(found: _Found) -> bool:
    """Whether a person named in a sentence is given as a reviewer: with their council or
    body, as a peer or reviewer, as the one the team was led by, or with a role among the
    people the sentence's team words introduce ("The other members were…; Deborah Quayle,
    Principal Social Worker, who led the review of case files")."""
    reviewer = found.reviewer
    if reviewer.council or reviewer.body or PEER_WORD.search(found.part):
        return True
    if LED_BY.search(found.lead_up) or MANAGED_BY.search(found.lead_up):
        return True
    cue = TEAM_SENTENCE.search(found.before)
    return bool(
        cue
        and reviewer.roles
        and TEAM_WORD.search(found.before)
        and not NOT_INTRODUCING.search(found.before, cue.end())
    )


def _described(found: _Found, line: str) -> bool:
    """In a team section, a person a sentence gives a role ("…and Pauline Dorrell, who
    brought her experience of arranging care"), unless the team met or thanked them."""
    return bool(found.reviewer.roles) and not NOT_INTRODUCING.search(line)


def find_team(
    units: list[Unit], reference: Reference, host: str | None
) -> tuple[list[TeamFinding], list[FieldWarning]]:
    """Names, roles and councils of the review team; warnings for entries that lack some."""
    team: list[TeamFinding] = []
    explicit_lead: list[int] = []
    warnings: list[FieldWarning] = []
    seen: set[str] = set()
    unnamed = 0
    for run in _runs(units):
        for found in _assemble(run, reference):
            reviewer, part = found.reviewer, found.part
            role = (role_of(found.label) if found.label else None) or role_of(part)
            led = bool(LED_BY.search(found.lead_up))
            if (reviewer.council == host and host is not None) or HOST_MARK.search(
                part[:HOST_WINDOW]
            ):
                continue  # the host council's own people are not reviewers
            if reviewer.name is None:
                if run.listed and role and reviewer.council:
                    pass  # a role and a council: kept, with a warning
                else:
                    unnamed += role is not None
                    continue
            elif not run.listed and not _introduced(found):
                continue
            if MANAGED_BY.search(found.lead_up) and role in (None, Role.DIRECTOR):
                role = Role.COORDINATOR
            if role is None:
                if not (led or (run.listed and (reviewer.council or reviewer.body))):
                    continue  # a name alone, with no role or organisation, may be anything
                role = Role.DIRECTOR
            if led and role in (Role.DIRECTOR, Role.LEAD_DASS):
                role = Role.LEAD_DASS

            key = fold(reviewer.name or f"{role}-{reviewer.council}")
            lead = role is Role.LEAD_DASS and (led or bool(LEAD_WORD.search(part)))
            if key in seen:
                if lead:
                    explicit_lead.extend(k for k, m in enumerate(team) if fold(m.name or "") == key)
                continue
            seen.add(key)
            if lead:
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
    if unnamed:
        warnings.append(
            FieldWarning(
                "team",
                f"the text mentions {unnamed} reviewer{'s' if unnamed > 1 else ''} by role "
                "without a name; add them if the letter names them elsewhere",
            )
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
