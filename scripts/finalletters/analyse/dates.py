"""Dates: every date the text gives, with its role and precision, ranked to give the visit, the
document's own date and the challenge's year, each with its evidence.

A date's role comes from the words around it: the visit ("took place", "on site", "undertaken
in"), the letter or report itself (a date line near the top: "Date: 4 July 2023", "Final
report – March 2024"), a meeting ("Date of meeting"), an earlier event ("since 2019") or a
future one ("elections in May 2025", "by 2027"). Future events never set the year. When no
date is tied to the visit or the document, the year is the first the text names (not a future
one, not an Act's): a cheap rule that holds on the documents councils publish.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from .units import Evidence, FieldWarning, Unit

DateRole = Literal[
    "visit", "letter", "report", "challenge-report", "meeting", "earlier", "future", "other"
]
Precision = Literal["day", "month", "year"]

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
_MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_DAY = r"(?<![\d£$.,])(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?(?![\d%])"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_YEAR = r"(?P<{}>(?:19|20)\d\d)(?![\d/-]\d)"
_DASH = r"\s*(?:-|–|—|to|until|till|and|&)\s*"
_OF = r"\s+(?:of\s+)?"

# "23rd to 25th February, 2016", "Tuesday 4th – Thursday 6th October 2022", "15–18 January 2018",
# "30 September to 2 October 2019", "12th, 13th and 14th of September 2019", "30 December 2019
# to 1 January 2020"
RANGE = re.compile(
    r"\b" + _WEEKDAY + _DAY.format("d1") + r"(?:" + _OF + _MONTH.format("m1") + r"(?:,?\s+"
    + _YEAR.format("y1") + r")?)?" + r"(?:,\s*" + _WEEKDAY + r"[0-3]?\d(?:st|nd|rd|th)?)*"
    + _DASH + _WEEKDAY + _DAY.format("d2") + _OF + _MONTH.format("m2") + r",?\s+"
    + _YEAR.format("y2"),
    re.I,
)  # fmt: skip
# "October 3-5, 2022", "October 3rd to 5th 2022"
US_RANGE = re.compile(
    r"\b" + _MONTH.format("m") + r"\s+" + _DAY.format("d1") + _DASH + _DAY.format("d2")
    + r",?\s+" + _YEAR.format("y"),
    re.I,
)  # fmt: skip
# "4 October 2022", "4th of October, 2022", "Tuesday 4 Oct 2022", "October 4, 2022"
SINGLE = re.compile(
    r"\b(?:" + _WEEKDAY + _DAY.format("d") + _OF + _MONTH.format("m") + r",?\s+"
    + _YEAR.format("y") + r")|\b(?:" + _MONTH.format("m_") + r"\s+" + _DAY.format("d_")
    + r",?\s+" + _YEAR.format("y_") + r")",
    re.I,
)  # fmt: skip
NUMERIC = re.compile(
    r"(?<![\d/.])(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)?\d\d)(?![\d/]|\.\d)"
)
ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")
# "March 2024", "Feb. 2024", "March, 2024", "February and March 2024"
MONTH_YEAR = re.compile(
    r"\b" + _MONTH.format("m") + r"(?:\s*(?:-|–|—|and|to|&)\s*" + _MONTH.format("m2") + r")?"
    r",?\s+" + _YEAR.format("y"),
    re.I,
)
SEASON_YEAR = re.compile(
    r"\b(?:the\s+)?(?P<s>spring|summer|autumn|fall|winter)(?:\s+of)?\s+" + _YEAR.format("y"), re.I
)
YEAR = re.compile(r"(?<![\d/£$.,-])(?P<y>(?:19|20)\d\d)(?![\d%]|/\d|-\d\d\b|\.\d)")
# "in January", "during March": a month without a year, placed by the document's own date.
BARE_MONTH = re.compile(
    r"\b(?:in|during|on|from|since|last|of|early|late|mid-?)\s+"
    r"(?P<m>january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b(?!\s*,?\s*(?:19|20)\d\d)",
    re.I,
)
# "the Care Act 2014", "Health and Care Act 2022": a law's year is no event's year.
LAW_YEAR = re.compile(r"\b(?:Act|Regulations|Order|Bill)\s*$", re.I)
FINANCIAL_YEAR = re.compile(r"^\s*[/–-]\s*\d{2}\b")

VISIT_CUE = re.compile(
    r"\b(?:visit(?:ed|ing|s)?|on[- ]?site|took place|takes place|taking place|was held|"
    r"were held|held (?:on|from|between|over|during|in)|took part|carried out|"
    r"undert(?:ook|aken|ake)|conducted|fieldwork|w/c|week (?:commencing|beginning|of)|"
    r"peer (?:challenge|review)s?\b[^.;]{0,40}\b(?:in|on|during|between|from|of)|"
    r"(?:challenge|review) (?:was|took|ran|happened)|spent (?:\w+ )?(?:days?|a week)|"
    r"(?:were|was) with (?:the council|us|the authority|them|colleagues)|"
    r"(?:the team|peers|the peers|we) (?:were|was) (?:in|at|with)|remotely|virtual(?:ly)?|"
    r"interviews?|focus groups?|the peer team met|ran from|"
    r"welcom(?:e|ed|ing) (?:us|the (?:peer |review )?team|the peers)|hosting|hosted)\b",
    re.I,
)
# A year alone dates the visit only beside the challenge: "in 2023 the council hosted a peer
# challenge", "the 2023 peer review", "Peer Challenge 2023".
YEAR_VISIT_BEFORE = re.compile(
    r"\b(?:peer (?:challenge|review)|challenge|review|visit(?:ed)?|took place|undertaken|"
    r"carried out|hosted|held)\b[^.;]{0,30}$",
    re.I,
)
YEAR_VISIT_AFTER = re.compile(
    r"^[’'s]*\s*(?:\(\w+\)\s*)?(?:adult social care |ASC )?(?:peer )?(?:challenge|review)\b", re.I
)
WEEK_OF = re.compile(r"\b(?:w/c|week (?:commencing|beginning|starting|of))\b", re.I)
PLAIN_VISIT_CUE = re.compile(r"\b(?:visit|on[- ]?site|onsite|fieldwork)", re.I)
# Words before a date, in its clause, that make it an event still to come.
FUTURE_CUE = re.compile(
    r"\b(?:will|shall|plans? to|planned|planning to|intends?|intended|aims? to|ambitions?|"
    r"due|scheduled|expected|upcoming|forthcoming|next|in the coming|elections?|"
    r"to be (?:held|published|completed|reviewed)|deadline|target(?:s|ed)? (?:for|of|by)|"
    r"ahead of|going forward|anticipated|proposed|future)\b",
    re.I,
)
# Words just before a date that make it a deadline: "by 2027", "by the end of March 2025".
FUTURE_JUST_BEFORE = re.compile(
    r"\b(?:by|until|before|ahead of|due in|due by|planned for|scheduled for|expected in)"
    r"\s+(?:the\s+)?(?:end of\s+|start of\s+|early\s+|mid-?\s*|late\s+|spring\s+|"
    r"summer\s+|autumn\s+|winter\s+)?(?:of\s+)?$",
    re.I,
)
EARLIER_CUE = re.compile(
    r"\b(?:since|previous(?:ly)?|prior|earlier|last (?:peer|challenge|review|year|inspection)|"
    r"former(?:ly)?|in the past|ago|was (?:introduced|established|launched|set up|created|"
    r"published|formed|agreed|adopted)|were (?:introduced|established|launched)|"
    r"has been (?:in place )?since|back in|originally|historic(?:al(?:ly)?)?|had been)\b",
    re.I,
)
MEETING_CUE = re.compile(
    r"\b(?:meeting(?: of [^.;]{0,60}?)? held (?:on|at)|meeting|committee|cabinet|board|minutes|"
    r"agenda|scrutiny|council on|"
    r"date of (?:the )?meeting|report to|panel|forum|present(?:ed)? to)\b",
    re.I,
)
# A line that is the document's own date: "Date: 4 July 2023", "Final report – March 2024",
# "Feedback report: March 2024", "Published 12 March 2025", or a date standing alone.
DOCUMENT_DATE_LINE = re.compile(
    r"^(?:(?:date(?:d)?|sent|issued|published|updated|final|draft|version|"
    r"(?:final |feedback |draft |peer challenge |peer review )?(?:report|letter|feedback|"
    r"summary|release)(?: date)?|date of (?:report|letter|issue|publication))\b[^\d\n]{0,40})?"
    r"(?:\w+day,?\s+)?(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)
# A sentence about the peer team's own report, letter or feedback: its date dates the challenge.
CHALLENGE_REPORT = re.compile(
    r"\b(?:(?:peer )?(?:team|challenge|review|reviewers|peers)['’]?s? (?:final )?(?:report|letter|"
    r"feedback)|(?:report|letter|feedback) (?:of|from) the (?:peer )?(?:team|challenge|review|"
    r"peers))\b[^.;]{0,60}\b(?:published|received|sent|issued|shared|presented|dated)\b",
    re.I,
)
MEETING_LINE = re.compile(r"^(?:date of (?:the )?meeting|meeting(?: date)?|committee date)\b", re.I)

# How strongly each kind of date supports the challenge's year; 0: never sets it.
YEAR_SUPPORT: dict[tuple[str, str], float] = {
    ("visit", "day"): 10,
    ("visit", "month"): 8,
    ("visit", "year"): 6,
    ("letter", "day"): 5,
    ("report", "month"): 5,
    ("letter", "month"): 5,
    ("report", "day"): 5,
    # "The peer team's report had been published in December 2024": in minutes or a committee
    # paper, nearer the challenge than the meeting's own date
    ("challenge-report", "month"): 6,
    ("challenge-report", "day"): 6,
    ("meeting", "day"): 2,
    ("meeting", "month"): 2,
}
FIRST_YEAR_SUPPORT = 1.0  # the first year the text names, outside future and earlier events
TOP_UNITS = 25  # a document date stands among the first blocks


@dataclass(frozen=True, slots=True)
class FoundDate:
    """One date in the text: a day, a span of days, a month or a year, with what it dates."""

    role: DateRole
    precision: Precision
    start: dt.date  # the first day it covers (the 1st of a month, 1 January of a year)
    end: dt.date  # the last day it covers; == start for one day
    evidence: Evidence

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def month(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def support(self) -> float:
        return YEAR_SUPPORT.get((self.role, self.precision), 0.0)


@dataclass
class Dates:
    visit: tuple[dt.date, dt.date] | None = None
    visit_month: str | None = None  # "2024-03" when the visit's days are not given
    letter_date: dt.date | None = None
    letter_month: str | None = None  # "2024-03": the document's own date, by month
    year: int | None = None
    year_evidence: Evidence | None = None
    year_rule: str = ""  # what the year rests on: "visit", "letter", "meeting", "first year"…
    found: list[FoundDate] = field(default_factory=list)
    warnings: list[FieldWarning] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int  # offsets in the sentence
    end: int
    precision: Precision
    first: dt.date
    last: dt.date


def _date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        number = month if isinstance(month, int) else MONTHS[month.lower().rstrip(".")]
        full_year = int(year) + (2000 if len(str(year)) == 2 else 0)
        return dt.date(full_year, int(number), int(day))
    except (ValueError, KeyError):
        return None


def _span(g: dict[str, str | None]) -> tuple[dt.date, dt.date] | None:
    end = _date(g["y2"] or "", g["m2"] or "", g["d2"] or "")
    start = _date(g["y1"] or g["y2"] or "", g["m1"] or g["m2"] or "", g["d1"] or "")
    if start and end and start > end and g["m1"] and not g["y1"]:
        start = _date(int(g["y2"] or 0) - 1, g["m1"], g["d1"] or "")  # "30 December to 2 January"
    if start and end and 0 <= (end - start).days <= 14:
        return start, end
    return None


def mentions(text: str) -> list[_Mention]:
    """Every date in a sentence, widest reading first where readings overlap: spans of days,
    days, months, seasons, then bare years."""
    found: list[_Mention] = []
    if not _DIGIT.search(text):
        return found  # every date has a digit

    def add(start: int, end: int, precision: Precision, first: dt.date, last: dt.date) -> None:
        if not any(m.start < end and start < m.end for m in found):
            found.append(_Mention(start, end, precision, first, last))

    for match in RANGE.finditer(text):
        span = _span(match.groupdict())
        if span:
            add(match.start(), match.end(), "day", *span)
    for match in US_RANGE.finditer(text):
        g = match.groupdict()
        span = _span(
            {"y1": None, "m1": None, "d1": g["d1"], "y2": g["y"], "m2": g["m"], "d2": g["d2"]}
        )
        if span:
            add(match.start(), match.end(), "day", *span)
    for match in SINGLE.finditer(text):
        g = match.groupdict()
        day = _date(g["y"] or g["y_"] or "", g["m"] or g["m_"] or "", g["d"] or g["d_"] or "")
        if day:
            add(match.start(), match.end(), "day", day, day)
    for pattern in (ISO, NUMERIC):
        for match in pattern.finditer(text):
            day = _date(match["y"], int(match["m"]), match["d"])
            if day:
                add(match.start(), match.end(), "day", day, day)
    for match in MONTH_YEAR.finditer(text):
        first = _date(match["y"], match["m"], 1)
        if first:
            add(match.start(), match.end(), "month", first, month_end(f"{first:%Y-%m}"))
    for match in SEASON_YEAR.finditer(text):
        year = int(match["y"])
        add(match.start(), match.end(), "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    for match in YEAR.finditer(text):
        if LAW_YEAR.search(text, max(0, match.start() - 12), match.start()):
            continue
        year = int(match["y"])
        add(match.start(), match.end(), "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    return _join_spans(sorted(found, key=lambda m: m.start), text)


_DIGIT = re.compile(r"\d")
_GAP = re.compile(r"^\s*(?:-|–|—|to|until|till|through|and|&)\s*$", re.I)


def _join_spans(found: list[_Mention], text: str) -> list[_Mention]:
    """Two days written apart but joined ("from 08/06/2021 to 10/06/2021") are one span."""
    joined: list[_Mention] = []
    for mention in found:
        prev = joined[-1] if joined else None
        if (
            prev
            and prev.precision == mention.precision == "day"
            and prev.first == prev.last
            and 0 < (mention.last - prev.first).days <= 14
            and _GAP.match(text[prev.end : mention.start])
        ):
            joined[-1] = _Mention(prev.start, mention.end, "day", prev.first, mention.last)
        else:
            joined.append(mention)
    return joined


def find_range(text: str) -> tuple[dt.date, dt.date] | None:
    """The first span of days written in a text ("15–18 January 2018")."""
    spans = [m for m in mentions(text) if m.precision == "day" and m.first != m.last]
    return (spans[0].first, spans[0].last) if spans else None


def find_dates(text: str) -> list[dt.date]:
    """Every single full date in a text, in order of appearance."""
    return [m.first for m in mentions(text) if m.precision == "day" and m.first == m.last]


def _role(sentence: str, mention: _Mention, unit: Unit, top: bool) -> DateRole:
    """What a date in a sentence dates, from the words before and around it."""
    start, end = _clause(sentence, mention)
    before, clause = sentence[start : mention.start], sentence[start:end]
    if FUTURE_JUST_BEFORE.search(before) or FUTURE_CUE.search(before) or _future_tense(clause):
        return "future"
    if MEETING_LINE.match(sentence) or (top and _nearer(MEETING_CUE, VISIT_CUE, before)):
        return "meeting"
    if CHALLENGE_REPORT.search(clause) and mention.precision != "year":
        return "challenge-report"
    if EARLIER_CUE.search(before):
        return "earlier"
    if mention.precision == "year":
        after = sentence[mention.end : mention.end + 40]
        if YEAR_VISIT_BEFORE.search(before) or YEAR_VISIT_AFTER.match(after):
            return "visit"
    elif VISIT_CUE.search(clause):
        return "visit"
    elif mention.precision == "day" and mention.last > mention.first and unit.number <= 12:
        return "visit"  # a span of days near the top: the visit, as a heading or in passing
    if top and mention.precision != "year" and _standing(sentence, unit):
        return "letter" if mention.precision == "day" else "report"
    if MEETING_CUE.search(clause):
        return "meeting"
    return "other"


def _nearer(pattern: re.Pattern[str], other: re.Pattern[str], before: str) -> bool:
    """Whether a cue of `pattern` stands nearer the date than any cue of `other` (or as near)."""
    ours = [m.end() for m in pattern.finditer(before)]
    theirs = [m.end() for m in other.finditer(before)]
    return bool(ours) and max(ours) >= max(theirs, default=-1)


def _clause(sentence: str, mention: _Mention) -> tuple[int, int]:
    """Where the part of a sentence a date belongs to starts and ends: between the breaks
    (";", ":", ", and", ", which"…) either side of it."""
    breaks = [m.end() for m in re.finditer(r"[;:]|,\s+(?:and|but|while|which|whereas)\b", sentence)]
    start = max([b for b in breaks if b <= mention.start], default=0)
    end = min([b for b in breaks if b > mention.end], default=len(sentence))
    return start, end


_FUTURE_TENSE = re.compile(
    r"\b(?:will|shall|is due|are due|is planned|are planned|is scheduled|is expected|"
    r"is to be|are to be|plans? to|intends? to)\b",
    re.I,
)


def _future_tense(clause: str) -> bool:
    return bool(_FUTURE_TENSE.search(clause)) and not re.search(
        r"\b(?:took place|was held|were held|visited|undertook|carried out)\b", clause, re.I
    )


def _standing(text: str, unit: Unit) -> bool:
    """A line that is a date, near the top: the document's own date."""
    if re.match(r"^dear\b", text, re.I):
        return False
    return len(text) <= 60 or bool(DOCUMENT_DATE_LINE.match(text) and len(text) <= 90)


def read_dates(units: list[Unit], today: dt.date | None = None) -> Dates:
    """Every date with its role, then the visit, the document's date and the year."""
    today = today or dt.date.today()
    found: list[FoundDate] = []
    for unit in units:
        if unit.kind == "team":
            continue
        top = unit.number <= TOP_UNITS and unit.block.kind != "list-item"
        for sentence in unit.sentences or (unit.block.text,):
            for mention in mentions(sentence):
                role = _role(sentence, mention, unit, top)
                found.append(
                    FoundDate(
                        role,
                        mention.precision,
                        mention.first,
                        mention.last,
                        unit.evidence(sentence[:240]),
                    )
                )
    found = _place_bare_months(units, found)
    return _decide(found, today)


def _place_bare_months(units: list[Unit], found: list[FoundDate]) -> list[FoundDate]:
    """'The review took place in January': the month of the year before the document's date,
    or of its year."""
    dated = next((d for d in found if d.role in ("letter", "report")), None)
    if dated is None:
        return found
    extra: list[FoundDate] = []
    for unit in units:
        for sentence in unit.sentences:
            match = BARE_MONTH.search(sentence)
            if not match or not VISIT_CUE.search(sentence) or mentions(sentence):
                continue
            if not FUTURE_CUE.search(sentence[: match.start()]):
                month = MONTHS[match["m"].lower()]
                year = dated.year if month <= dated.start.month else dated.year - 1
                first = dt.date(year, month, 1)
                last = month_end(f"{first:%Y-%m}")
                extra.append(FoundDate("visit", "month", first, last, unit.evidence(sentence)))
    return found + extra


def _decide(found: list[FoundDate], today: dt.date) -> Dates:
    dates = Dates(found=found)
    document = next((d for d in found if d.role in ("letter", "report")), None)
    if document:
        # A date after the document's own date is an event still to come.
        found = [
            replace(d, role="future") if d.role == "visit" and d.start > document.end else d
            for d in found
        ]
        dates.found = found
    visits = [d for d in found if d.role == "visit"]
    days = [d for d in visits if d.precision == "day"]
    spans = [d for d in days if d.end > d.start]
    single = [
        d
        for d in days
        if d.end == d.start
        and PLAIN_VISIT_CUE.search(d.evidence.text)
        and not WEEK_OF.search(d.evidence.text)
    ]
    if spans or single:
        dates.visit = ((spans or single)[0].start, (spans or single)[0].end)
    else:
        # a month, or one day without an end ("w/c 3 October 2022"): the visit's month
        month = next((d for d in visits if d.precision != "year"), None)
        dates.visit_month = month.month if month else None
    letter = next((d for d in found if d.role == "letter" and d.precision == "day"), None)
    # Minutes and committee papers carry the meeting's date as their own.
    letter = letter or next(
        (d for d in found if d.role == "meeting" and d.precision == "day" and _top_line(d)), None
    )
    if letter and not (dates.visit and letter.start < dates.visit[1]):
        dates.letter_date = letter.start
    elif document and document.precision == "month":
        dates.letter_month = document.month
    _year(dates, found)
    _future_warnings(dates, today)
    return dates


def _top_line(date: FoundDate) -> bool:
    """A date on a line of its own (or a table's row) among the first blocks."""
    number = int(re.sub(r"\D", "", date.evidence.anchor) or 0)
    return number <= TOP_UNITS and len(date.evidence.text) <= 90


def _year(dates: Dates, found: list[FoundDate]) -> None:
    """The challenge's year: from the best-supported date, else the first year named."""
    ranked = sorted(
        (d for d in found if d.support > 0), key=lambda d: -d.support
    )  # stable: among equals, the first in the text
    if ranked:
        best = ranked[0]
        dates.year, dates.year_evidence, dates.year_rule = best.year, best.evidence, best.role
        if best.role == "meeting":
            dates.warnings.append(
                FieldWarning(
                    "year",
                    f"{best.year} is the year of a meeting, not a date the text gives for the "
                    f"visit or the document: '{_short(best.evidence.text)}'",
                )
            )
        return
    plain = [d for d in found if d.role not in ("future", "earlier")]
    if not plain:
        dates.warnings.append(
            FieldWarning("year", "the text names no year of the challenge; give --visit-start")
        )
        return
    first = plain[0]
    dates.year, dates.year_evidence, dates.year_rule = first.year, first.evidence, "first year"
    dates.warnings.append(
        FieldWarning(
            "year",
            f"{first.year} is the first year the text names; no date is tied to the visit or "
            f"the document: '{_short(first.evidence.text)}'",
        )
    )


def _future_warnings(dates: Dates, today: dt.date) -> None:
    if dates.visit and dates.visit[0] > today:
        dates.warnings.append(
            FieldWarning("visit", f"the visit's first day {dates.visit[0]} is in the future")
        )
    if dates.letter_date and dates.letter_date > today:
        dates.warnings.append(
            FieldWarning("letter_date", f"the letter's date {dates.letter_date} is in the future")
        )
    if dates.year and dates.year > today.year:
        dates.warnings.append(FieldWarning("year", f"{dates.year} is in the future"))


def _short(text: str) -> str:
    return text if len(text) <= 100 else text[:97] + "…"


def month_end(month: str) -> dt.date:
    """The last day of a month given as "2024-03"."""
    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, calendar.monthrange(year, number)[1])
