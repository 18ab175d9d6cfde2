"""letter.md → what the letter says: authority, dates, team, sections, recommendations, themes.

Every finding carries its evidence: the sentence and where it stands. Pure functions of the
Markdown body and the reference data; nothing here reads or writes files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from .extract import Block, read_blocks
from .model import Role
from .register import Reference


@dataclass(frozen=True, slots=True)
class Evidence:
    text: str  # the sentence, as written
    where: str  # "paragraph 12" or "'Strengths', paragraph 12"
    anchor: str = ""  # id of the block on the letter page: "b12" for the 12th block
    kind: str = "other"  # the kind of section it stands in (see SECTION_KINDS)


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    kind: str  # strengths | development | recommendations | cqc-theme | team | background | other
    where: str


@dataclass(frozen=True, slots=True)
class FoundRecommendation:
    text: str
    themes: tuple[str, ...]
    where: str
    explicit: bool  # listed under a recommendations heading, not advice inside a paragraph


@dataclass(frozen=True, slots=True)
class ThemeScore:
    id: str
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class TeamFinding:
    role: str
    name: str | None
    organisation: str | None  # a register slug when the organisation is a council


@dataclass
class Analysis:
    authority: str | None = None
    authority_evidence: Evidence | None = None
    visit_start: dt.date | None = None
    visit_end: dt.date | None = None
    visit_month: tuple[int, int] | None = None  # (year, month) when only the month is given
    letter_date: dt.date | None = None
    date_evidence: list[Evidence] = field(default_factory=list)
    team: list[TeamFinding] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    recommendations: list[FoundRecommendation] = field(default_factory=list)
    themes: list[ThemeScore] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        """The challenge's year: the visit's, else the letter's."""
        if self.visit_start:
            return self.visit_start.year
        if self.visit_month:
            return self.visit_month[0]
        return self.letter_date.year if self.letter_date else None

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]


# ---------------------------------------------------------------------------------------------
# Units: each block of the letter with its number, its section and its sentences


@dataclass(frozen=True, slots=True)
class Unit:
    number: int  # 1-based position among the blocks: the page anchor is f"b{number}"
    block: Block
    section: str  # the nearest heading above, "" before the first
    kind: str  # that section's kind
    sentences: tuple[str, ...]

    @property
    def where(self) -> str:
        kind = {"list-item": "list item", "table-row": "table row"}.get(
            self.block.kind, self.block.kind
        )
        place = f"{kind} {self.number}"
        return f"'{self.section}', {place}" if self.section else place

    def evidence(self, text: str) -> Evidence:
        return Evidence(text=text, where=self.where, anchor=f"b{self.number}", kind=self.kind)


SECTION_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("team", re.compile(r"\b(team|reviewers|peer challengers|membership)\b", re.I)),
    (
        "recommendations",
        re.compile(
            r"recommend|next steps|suggestions|areas? (for|to) (consider|consideration)|"
            r"key actions|actions? for|things to consider|to consider",
            re.I,
        ),
    ),
    (
        "development",
        re.compile(
            r"development|improvement|challenges|areas? (for|to) (explore|focus|strengthen)|"
            r"could be better|concerns|risks",
            re.I,
        ),
    ),
    ("strengths", re.compile(r"strength|working well|positive|good practice|notable", re.I)),
    (
        "cqc-theme",
        re.compile(
            r"working with people|providing support|ensuring safety|safety within the system|"
            r"^leadership$|^theme \d",
            re.I,
        ),
    ),
    (
        "background",
        re.compile(
            r"background|introduction|context|contents|purpose|scope|methodology|"
            r"about (the|this)|the peer challenge( process)?$|approach|acknowledg|thank",
            re.I,
        ),
    ),
]


def section_kind(title: str) -> str:
    for kind, pattern in SECTION_KINDS:
        if pattern.search(title):
            return kind
    return "other"


def units_of(blocks: Sequence[Block]) -> list[Unit]:
    units, section, kind = [], "", "other"
    for number, block in enumerate(blocks, start=1):
        if block.kind == "heading":
            section, kind = block.text, section_kind(block.text)
        units.append(Unit(number, block, section, kind, tuple(sentences(block.text))))
    return units


_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[A-Z“\"‘(\d])")
_NOT_AN_END = re.compile(r"(?:\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|Cllr|No|St)\.)$")


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


# ---------------------------------------------------------------------------------------------
# Dates

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+)?"
_YEAR = r"(?P<{}>(?:19|20)\d\d)"
_DASH = r"\s*(?:-|–|—|to|until|and|&)\s*"

# "23rd to 25th February, 2016", "Tuesday 4th – Thursday 6th October 2022", "15–18 January 2018",
# "30 September to 2 October 2019", "12th, 13th and 14th of September 2019"
RANGE = re.compile(
    _WEEKDAY + _DAY.format("d1") + r"(?:\s+(?:of\s+)?" + _MONTH.format("m1") + r"(?:,?\s+"
    + _YEAR.format("y1") + r")?)?" + r"(?:,\s*" + _WEEKDAY + r"[0-3]?\d(?:st|nd|rd|th)?)*"
    + _DASH + _WEEKDAY + _DAY.format("d2") + r"\s+(?:of\s+)?" + _MONTH.format("m2") + r",?\s+"
    + _YEAR.format("y2"),
    re.I,
)  # fmt: skip
# "4 October 2022", "4th of October, 2022", "October 4, 2022"
SINGLE = re.compile(
    r"(?:" + _WEEKDAY + _DAY.format("d") + r"\s+(?:of\s+)?" + _MONTH.format("m") + r",?\s+"
    + _YEAR.format("y") + r")|(?:" + _MONTH.format("m_") + r"\s+" + _DAY.format("d_") + r",?\s+"
    + _YEAR.format("y_") + r")",
    re.I,
)  # fmt: skip
NUMERIC = re.compile(
    r"(?<![\d/.])(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)?\d\d)(?![\d/]|\.\d)"
)
ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")
MONTH_YEAR = re.compile(r"(?<!\d\s)\b" + _MONTH.format("m") + r",?\s+" + _YEAR.format("y"), re.I)

VISIT_CUE = re.compile(
    r"\b(visit|on[- ]site|took place|held|took part|carried out|undertook|undertaken|"
    r"peer challenge|review (?:was|took)|between|fieldwork|onsite|w/c|week commencing|met|"
    r"remotely|interviews?|focus groups?)\b",
    re.I,
)


def _date(year: str, month: str | int, day: str | int) -> dt.date | None:
    try:
        month_number = month if isinstance(month, int) else MONTHS[month.lower().rstrip(".")]
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        return dt.date(full_year, int(month_number), int(day))
    except (ValueError, KeyError):
        return None


def find_range(text: str) -> tuple[dt.date, dt.date] | None:
    for match in RANGE.finditer(text):
        g = match.groupdict()
        end = _date(g["y2"], g["m2"], g["d2"])
        start = _date(g["y1"] or g["y2"], g["m1"] or g["m2"], g["d1"])
        if start and end and start > end and not g["m1"]:
            start = None
        if start and end and start > end and g["m1"] and not g["y1"]:
            start = _date(str(int(g["y2"]) - 1), g["m1"], g["d1"])
        if start and end and 0 <= (end - start).days <= 14:
            return start, end
    return None


def find_dates(text: str) -> list[dt.date]:
    """Every single full date in a text, in order of appearance."""
    found: list[tuple[int, dt.date]] = []
    for match in SINGLE.finditer(text):
        g = match.groupdict()
        day = _date(g["y"] or g["y_"], g["m"] or g["m_"], g["d"] or g["d_"])
        if day:
            found.append((match.start(), day))
    for pattern in (NUMERIC, ISO):
        for match in pattern.finditer(text):
            day = _date(match["y"], int(match["m"]), match["d"])
            if day:
                found.append((match.start(), day))
    return [day for _, day in sorted(found, key=lambda pair: pair[0])]


def _dates(units: list[Unit], analysis: Analysis) -> None:
    """Visit start and end, and the letter's date, each with its evidence."""
    found = _visit_range(units)
    if found:
        analysis.visit_start, analysis.visit_end, evidence = found
        analysis.date_evidence.append(evidence)
    _letter_date(units, analysis)
    if not analysis.visit_start:
        _visit_month(units, analysis)
    if analysis.letter_date and analysis.visit_end and analysis.letter_date < analysis.visit_end:
        analysis.letter_date = None


def _visit_range(units: list[Unit]) -> tuple[dt.date, dt.date, Evidence] | None:
    """The first span of days that the text ties to the visit: a written range ("15–18 January
    2018"), two dates in one visit sentence ("from 08/06/2021 to 10/06/2021"), or one day."""
    single: tuple[dt.date, dt.date, Evidence] | None = None
    for unit in units:
        if unit.kind == "team":
            continue
        for sentence in unit.sentences:
            cued = bool(VISIT_CUE.search(sentence)) or unit.block.kind == "heading"
            span = find_range(sentence)
            if span and (cued or unit.number <= 12):
                return span[0], span[1], unit.evidence(sentence)
            if not cued:
                continue
            days = find_dates(sentence)
            if len(days) >= 2 and 0 < (days[-1] - days[0]).days <= 14:
                return days[0], days[-1], unit.evidence(sentence)
            if days and single is None and re.search(r"\b(visit|on[- ]?site)", sentence, re.I):
                single = days[0], days[0], unit.evidence(sentence)
    return single


LETTER_DATE_LINE = re.compile(r"^(?:(?:date|dated|sent|issued)\b[:\s]*)?(?:\w+day,?\s+)?\d", re.I)


def _letter_date(units: list[Unit], analysis: Analysis) -> None:
    """A date standing near the top, before or just after the salutation: the letter's date."""
    for unit in units[:25]:
        text = unit.block.text
        if re.match(r"^dear\b", text, re.I):
            continue
        days = find_dates(text)
        if not days:
            continue
        standing = len(text) <= 60 or LETTER_DATE_LINE.match(text)
        visit = (analysis.visit_start, analysis.visit_end)
        if standing and days[0] not in visit:
            analysis.letter_date = days[0]
            analysis.date_evidence.append(unit.evidence(text[:120]))
            return


def _visit_month(units: list[Unit], analysis: Analysis) -> None:
    """'The peer challenge took place in October 2014': a month, no days."""
    for unit in units:
        for sentence in unit.sentences:
            if VISIT_CUE.search(sentence):
                match = MONTH_YEAR.search(sentence)
                if match:
                    analysis.visit_month = (int(match["y"]), MONTHS[match["m"].lower().rstrip(".")])
                    analysis.date_evidence.append(unit.evidence(sentence))
                    return


# ---------------------------------------------------------------------------------------------
# Authority

TEAM_SENTENCE = re.compile(
    r"\b(led by|led the|team (?:was|were|comprised|included|consisted)|other members|"
    r"the others were|also included|was joined by|were joined by|"
    r"members? of the (?:peer |review )?team|joined by|reviewers? (?:were|from|was)|"
    r"colleagues? from|(?:peer|review) team (?:was|were|included|comprised))\b",
    re.I,
)
ROLE_BEFORE = re.compile(
    r"\b(director|DASS|head of|principal social worker|PSW|councillor|cllr|cabinet member|"
    r"portfolio holder|manager|officer|lead|chief executive|from|at|of)\b[^.;]{0,70}$",
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


def _authority(units: list[Unit], reference: Reference, analysis: Analysis) -> None:
    """The council the letter is about: the most, and most prominently, named council that is
    not a reviewer's home."""
    councils = _council_index(reference)
    abbreviations: dict[str, str] = {}
    scores: dict[str, float] = defaultdict(float)
    first_seen: dict[str, Evidence] = {}
    total = len(units) or 1
    for unit in units:
        text = unit.block.text
        for name, slug in abbreviations.items():
            for found in re.finditer(rf"\b{re.escape(name)}\b", text):
                _score(unit, text, found.start(), slug, total, scores, first_seen, 1.0)
        for match in councils.find(text):
            after = text[match.end : match.end + 16]
            defined = DEFINED_ABBREVIATION.match(after)
            if defined and defined["abbr"] not in abbreviations:
                abbreviations[defined["abbr"]] = match.key
            _score(unit, text, match.start, match.key, total, scores, first_seen, 2.0)
    if not scores:
        analysis.warnings.append(
            "no council is named as the subject of this letter; give --authority SLUG"
        )
        return
    ranked = sorted(scores.items(), key=lambda pair: -pair[1])
    (best, best_score), (runner_up, runner_up_score) = [*ranked[:2], ("", 0.0)][:2]
    analysis.authority = best
    analysis.authority_evidence = first_seen.get(best)
    if runner_up and runner_up_score >= 0.8 * best_score:
        analysis.warnings.append(
            f"the letter names {reference.authorities[runner_up].name} nearly as often as "
            f"{reference.authorities[best].name}; check the authority"
        )


def _score(
    unit: Unit,
    text: str,
    at: int,
    slug: str,
    total: int,
    scores: dict[str, float],
    first_seen: dict[str, Evidence],
    weight: float,
) -> None:
    if unit.kind == "team" or (unit.block.kind == "table-row" and unit.kind != "other"):
        return
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


# ---------------------------------------------------------------------------------------------
# Team

ROLE_CUES: list[tuple[Role, re.Pattern[str]]] = [
    (Role.LIVED_EXPERIENCE, re.compile(r"lived experience|experts? by experience", re.I)),
    (
        Role.ELECTED_MEMBER,
        re.compile(
            r"councillor|\bcllr\b|cabinet member|elected member|portfolio holder|lead member", re.I
        ),
    ),
    (Role.PRINCIPAL_SOCIAL_WORKER, re.compile(r"principal social worker|\bPSW\b", re.I)),
    (Role.OCCUPATIONAL_THERAPIST, re.compile(r"occupational therap|\bOT\b", re.I)),
    (
        Role.DATA_SPECIALIST,
        re.compile(r"\bdata\b|intelligence|analyst|performance lead|insight", re.I),
    ),
    (
        Role.COORDINATOR,
        re.compile(
            r"co-?ordinator|programme manager|project manager|"
            r"improvement (lead|advisor|adviser)|ADASS (officer|manager)",
            re.I,
        ),
    ),
    (
        Role.LEAD_DASS,
        re.compile(
            r"\blead\b.*(director|DASS)|(director|DASS).*\(?\blead\b|"
            r"director of adult social services|\bDASS\b|director of (adult|people|health and)",
            re.I,
        ),
    ),
    (Role.DIRECTOR, re.compile(r"director|head of|manager|chief", re.I)),
]


def _team_entries(units: list[Unit]) -> list[str]:
    """Texts that each describe one reviewer: items or rows of a team list, else the parts of
    the sentences that introduce the team ("led by …; the other members were …")."""
    listed = [
        " ".join(u.block.cells) or u.block.text
        for u in units
        if u.kind == "team" and u.block.kind in ("list-item", "table-row")
    ]
    if listed:
        return listed
    entries = []
    for unit in units:
        if unit.block.kind == "heading" or (unit.kind != "team" and unit.number > 30):
            continue
        in_team = unit.kind == "team"
        for sentence in unit.sentences:
            in_team = in_team or bool(TEAM_SENTENCE.search(sentence))
            if in_team:
                entries += TEAM_SPLIT.split(sentence)
    return entries


TEAM_SPLIT = re.compile(r";\s*|\),?\s+(?:and\s+)?|,\s+with\s+|\s+and\s+(?=[A-Z])")


def _team(units: list[Unit], reference: Reference, analysis: Analysis) -> None:
    """Names, roles and organisations of the review team."""
    for text in _team_entries(units):
        if len(text) > 300:
            continue
        role = next((role for role, cue in ROLE_CUES if cue.search(text)), None)
        if role is None:
            continue
        parts = [p.strip(" .;") for p in re.split(r"\s*[,–—:|(]\s*|\s+-\s+|\)", text)]
        name = next(
            (
                person
                for p in parts
                if (person := _person(p))
                and not reference.slug_for(p)
                and not ROLE_CUES[-1][1].search(p)
            ),
            None,
        )
        organisation = next(
            (
                match.key
                for match in _council_index(reference).find(text)
                if not (name and text[match.start : match.end] in name)
            ),
            None,
        )
        analysis.team.append(TeamFinding(role.value, name, organisation))
    leads = [m for m in analysis.team if m.role == Role.LEAD_DASS.value]
    for extra in leads[1:]:  # one lead; other directors of adult social services are directors
        index = analysis.team.index(extra)
        analysis.team[index] = TeamFinding(Role.DIRECTOR.value, extra.name, extra.organisation)


_PERSON = re.compile(
    r"(?:(?:Cllr|Councillor|Dr|Mr|Mrs|Ms|Miss|Prof)\.?\s+)?"
    r"[A-Z][a-zA-Z'’-]+(?:\s+(?:O['’])?[A-Z][a-zA-Z'’-]+){1,2}"
)
_NOT_NAMES = re.compile(r"\b(Council|Director|Services?|Social|Team|Care|West|The|Other|NHS)\b")


def _person(text: str) -> str | None:
    """The person's name in a short phrase ("led by Colin Metcalfe" → "Colin Metcalfe")."""
    for match in _PERSON.finditer(text):
        if not _NOT_NAMES.search(match.group()):
            return match.group()
    return None


# ---------------------------------------------------------------------------------------------
# Themes and recommendations

ADVICE = re.compile(
    r"\b(may wish to|might wish to|may want to|should consider|could consider|"
    r"(?:we|the team|the review team|the peer team|reviewers?) (?:would )?"
    r"(?:recommend|suggest|encourage|urge|advise)|"
    r"recommend(?:s|ed)? that|is recommended|are recommended|would encourage|would benefit from|"
    r"would be helpful|would be beneficial|opportunity to|there is scope to|"
    r"needs? to (?:be )?(?:develop|review|strengthen|improve|ensure|consider|address|clarify|"
    r"agree|establish|reduce|increase|continue|embed|prioriti[sz]e)|"
    r"should (?:be )?(?:develop|review|strengthen|improve|ensure|prioriti[sz]|address|"
    r"establish|continue|embed|clarify|agree|reduce|increase|explore|consider|look)|"
    r"consider (?:how|whether|ways|developing|reviewing|establishing)|"
    r"it is important that|must (?:ensure|address|improve))",
    re.I,
)
BOILERPLATE = re.compile(
    r"peer challenge (?:is|was|process|focused|focussed|covered|looked at|considered|team)|"
    r"key lines of enquiry|terms of reference|the (?:challenge|review) "
    r"(?:focused|focussed|considered|covered|looked at)|scope of the|"
    r"(?:this|the) letter (?:sets out|summarises|confirms)",
    re.I,
)
# Words without which ADVICE or BOILERPLATE cannot match: a cheap test before the regex.
ADVICE_WORDS = (
    "wish", "want", "consider", "recommend", "suggest", "encourage", "urge", "advise", "benefit",
    "helpful", "opportunit", "scope", "need", "should", "important", "must",
)  # fmt: skip
BOILERPLATE_WORDS = ("challenge", "enquiry", "reference", "review", "scope", "letter")


def _may_match(text: str, words: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
    lower = text.lower()
    return any(word in lower for word in words) and pattern.search(text) is not None


FINDING_WEIGHT = {
    "strengths": 1.0,
    "development": 1.0,
    "recommendations": 1.5,
    "cqc-theme": 1.0,
    "other": 0.8,
    "background": 0.25,
    "team": 0.0,
}
THEME_THRESHOLD = 2.0


_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?|&")


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Fold case, '&', plurals and possessives: "Carers’" and "carer's" → "carer"."""
    word = word.lower().replace("’", "'").removesuffix("'s").removesuffix("'")
    if word == "&":
        return "and"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


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
    names of councils do ("Bury", not "bury").
    """

    def __init__(self, phrases: dict[str, list[str]], proper: bool = False) -> None:
        self.proper = proper
        self._first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for key, texts in phrases.items():
            for text in texts:
                words = tuple(_stem(w) for w in _WORD.findall(text))
                if words:
                    self._first[words[0]].append((words, key))
        for entries in self._first.values():
            entries.sort(key=lambda entry: -len(entry[0]))  # longest first

    def find(self, text: str) -> list[Match]:
        """Every phrase in the text, longest first where two start at the same word."""
        stems = [_stem(word) for word in _WORD.findall(text)]
        first = self._first
        if not any(stem in first for stem in stems):
            return []
        spans = [match.span() for match in _WORD.finditer(text)]
        found, skip_to = [], 0
        for i, stem in enumerate(stems):
            if i < skip_to or stem not in first:
                continue
            if self.proper and not text[spans[i][0]].isupper():
                continue
            for phrase, key in first[stem]:
                if tuple(stems[i : i + len(phrase)]) == phrase:
                    found.append(Match(key, spans[i][0], spans[i + len(phrase) - 1][1]))
                    skip_to = i + len(phrase)
                    break
        return found

    def keys_in(self, text: str) -> list[str]:
        """The distinct keys whose phrases occur in the text, sorted."""
        stems = [_stem(word) for word in _WORD.findall(text)]
        found = set()
        for i, stem in enumerate(stems):
            for phrase, key in self._first.get(stem, ()):
                if len(phrase) == 1 or tuple(stems[i : i + len(phrase)]) == phrase:
                    found.add(key)
        return sorted(found)


@cache
def _theme_index(reference: Reference) -> PhraseIndex:
    return PhraseIndex({theme.id: theme.phrases for theme in reference.themes.values()})


@cache
def _council_index(reference: Reference) -> PhraseIndex:
    return PhraseIndex(
        {a.slug: [a.name, a.short_name, *a.aliases] for a in reference.authorities.values()},
        proper=True,
    )


def themes_in(text: str, reference: Reference) -> list[str]:
    """Theme ids whose phrases occur in a text."""
    return _theme_index(reference).keys_in(text)


# How a recommendation written as an instruction begins ("Agree a plan…", "To review…").
IMPERATIVE = re.compile(
    r"^(?:to\s|ensure|develop|review|consider|continue|build|strengthen|improve|establish|"
    r"embed|agree|reduce|prioriti|explore|work|make|use|undertake|create)",
    re.I,
)


def _recommendations(units: list[Unit], reference: Reference, analysis: Analysis) -> None:
    """Items and instructions under a recommendations heading, and advice anywhere else
    ("the Council may wish to…"), each once, with the themes it names."""
    seen: set[str] = set()
    for unit in units:
        block = unit.block
        if block.kind == "heading" or unit.kind in ("team", "background"):
            continue
        listed = unit.kind == "recommendations" and block.kind in ("list-item", "paragraph")
        candidates = [block.text] if listed and block.kind == "list-item" else unit.sentences
        for text in candidates:
            if not (listed or ADVICE.search(text)) or len(text) < 25:
                continue
            prose = listed and block.kind == "paragraph"
            if prose and not ADVICE.search(text) and not IMPERATIVE.match(text):
                continue
            key = re.sub(r"\W+", " ", text.lower()).strip()
            if key in seen:
                continue
            seen.add(key)
            analysis.recommendations.append(
                FoundRecommendation(text, tuple(themes_in(text, reference)), unit.where, listed)
            )


def _heading_themes(units: list[Unit], reference: Reference) -> dict[str, list[str]]:
    """Themes that each section's heading names ("Data and performance" → data-performance)."""
    return {
        u.section: themes_in(u.section, reference)
        for u in units
        if u.block.kind == "heading" and u.section == u.block.text
    }


def _themes(units: list[Unit], reference: Reference) -> list[ThemeScore]:
    """A score per theme from the sentences that are findings or recommendations about it.

    A sentence scores for the themes whose phrases it contains, weighted by the kind of section
    it stands in; a sentence under a heading that names a theme scores for that theme too, at
    half weight. Headings alone, the team list and background boilerplate are not evidence.
    """
    by_heading = _heading_themes(units, reference)
    scores: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for unit in units:
        if unit.block.kind == "heading" or unit.kind == "team":
            continue
        section_themes = by_heading.get(unit.section, ())
        for sentence in unit.sentences:
            if len(sentence) < 30:
                continue
            matched = themes_in(sentence, reference)
            if not (matched or section_themes):
                continue
            if _may_match(sentence, BOILERPLATE_WORDS, BOILERPLATE):
                continue
            weight = FINDING_WEIGHT[unit.kind] / (2 if len(matched) >= 4 else 1)
            if _may_match(sentence, ADVICE_WORDS, ADVICE):
                weight *= 1.5
            for tid in matched:
                scores[tid] += weight
                if len(evidence[tid]) < 5:
                    evidence[tid].append(unit.evidence(sentence))
            for tid in section_themes:
                if tid not in matched:
                    scores[tid] += weight / 2
                    if len(evidence[tid]) < 2:
                        evidence[tid].append(unit.evidence(sentence))
    return sorted(
        (
            ThemeScore(tid, round(score, 2), tuple(evidence[tid]))
            for tid, score in scores.items()
            if score >= THEME_THRESHOLD
        ),
        key=lambda theme: (-theme.score, theme.id),
    )


def theme_scores(blocks: Sequence[Block], reference: Reference) -> list[ThemeScore]:
    """Only the themes and their evidence: what the site recomputes for every letter."""
    return _themes(units_of(blocks), reference)


def analyse(body: str, reference: Reference) -> Analysis:
    """Read one letter's Markdown body."""
    units = units_of(read_blocks(body))
    analysis = Analysis()
    analysis.sections = [
        Section(u.block.text, u.kind, u.where) for u in units if u.block.kind == "heading"
    ]
    _authority(units, reference, analysis)
    _dates(units, analysis)
    _team(units, reference, analysis)
    _recommendations(units, reference, analysis)
    analysis.themes = _themes(units, reference)
    if not units:
        analysis.warnings.append("the letter has no text")
    return analysis
