"""The kind of each section, from its heading, and of each list, from the sentence that
introduces it: what the text around a sentence says it is (a strength, an area to develop,
a recommendation, the team, background)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_KINDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "findings",  # before the team: "What the peers found" is not the team
        re.compile(
            r"what (?:we|the (?:peer |review )?team|the peers|peers|reviewers) (?:found|heard|"
            r"saw|learned|learnt|told|said)|what did (?:we|the (?:peer |review )?team|the peers|"
            r"peers|reviewers) (?:find|hear|see|learn|say)",
            re.I,
        ),
    ),
    (
        "team",
        re.compile(
            r"^(?:the |our |membership of the )?(?:peer |review |challenge |peer challenge |"
            r"peer review )?team(?: members| membership)?$|\b(?:peer|review|challenge) team\b|"
            r"\breviewers\b|\bpeer challengers\b|^membership$|\bthe peers\b|^peers$|"
            r"team members|who (?:we|the peers) (?:are|were)|"
            r"\brole in the (?:peer |review )?team\b|^names?,? (?:and )?roles?\b",
            re.I,
        ),
    ),
    (
        "background",  # the procedure of a committee paper or minutes, and the challenge's own
        re.compile(
            r"implications|^consultation|background papers|appendi|equalit(?:y|ies) impact|"
            r"^legal|reasons? for (?:the )?(?:recommendation|decision)|^contact|declarations|"
            r"apologies|minutes of the (?:last|previous)|work programme|any other business|"
            r"^resolved|^decision|electoral wards|call-in|^date of next|^the programme|"
            r"^about the peer challenge|what people told us|^summary of the process|^the process",
            re.I,
        ),
    ),
    (
        "recommendations",
        re.compile(
            r"recommend|next steps|suggestions|key actions|actions? for|things to consider|"
            r"for (?:the council|the authority|you|us) to consider|"
            r"^to consider$|what (?:the council|you) (?:could|should|might) do|advice",
            re.I,
        ),
    ),
    (
        "development",
        re.compile(
            r"development|improvement|challenges|areas? (?:for|to) (?:explore|focus|strengthen|"
            r"consider|consideration|further consideration|reflect)|consideration|"
            r"could be better|even better|concerns|risks|key messages|what needs|"
            r"areas? of focus|further work|issues|what remains|still to do|to be done",
            re.I,
        ),
    ),
    (
        "strengths",
        re.compile(
            r"strength|working well|works well|positive|good practice|notable|what went well|"
            r"what'?s good|achievements|successes|what has improved|improvements made",
            re.I,
        ),
    ),
    (
        "findings",
        re.compile(
            r"what (?:we|the (?:peer )?team|the peers|peers|reviewers) (?:found|heard|saw|learned)|"
            r"findings|summary|main messages|overall|feedback|progress|observations|"
            r"what did the",
            re.I,
        ),
    ),
    (
        "cqc-theme",
        re.compile(
            r"working with people|providing support|ensuring safety|safety within the system|"
            r"^leadership$|^theme \d|how (?:the council|the local authority) works with",
            re.I,
        ),
    ),
    (
        "background",
        re.compile(
            r"background|introduction|context|contents|purpose|scope|methodology|"
            r"about (the|this)|the peer challenge( process)?$|approach|acknowledg|thank|"
            r"^how we|^foreword",
            re.I,
        ),
    ),
]


RECOMMEND = re.compile(r"recommend", re.I)
NUMBERING = re.compile(r"^\s*(?:\(?\d+(?:\.\d+)*[.)]?|\(?[a-z][.)]|[ivx]+[.)]|[A-Z]\.)\s+")


def section_kind(title: str) -> str:
    """team | background | recommendations | development | strengths | findings | cqc-theme |
    other, by the first pattern the heading matches (numbering aside: "2. The team")."""
    title = NUMBERING.sub("", title)
    for kind, pattern in SECTION_KINDS:
        if kind == "team" and RECOMMEND.search(title):
            continue  # "Peer team recommendation | Response": a table of recommendations
        if pattern.search(title):
            return kind
    return "other"


# The sentence before a list says what its items are: "We recommend that the council:",
# "The peers were:", "Areas for consideration include:", "Strengths we saw:".
LEAD_INS: list[tuple[str, re.Pattern[str]]] = [
    (
        "background",  # a committee's own business: "is asked to:", "RESOLVED that:"
        re.compile(
            r"\b(?:is|are|be) (?:asked|recommended) to\b|\bresolved\b|\bpoints were raised\b|"
            r"\bduring (?:the )?discussion\b|\bin response to questions\b|\bmembers asked\b",
            re.I,
        ),
    ),
    (
        "recommendations",
        re.compile(
            r"\b(?:recommend(?:s|ed|ing)?|recommendations?|suggest(?:s|ed|ions?)?|should consider|"
            r"(?:could|may|might) (?:wish to |want to )?consider|considers?|the council should|"
            r"needs? to|next steps|actions|advice|advise[sd]?|to consider|encourage[sd]?)\b",
            re.I,
        ),
    ),
    (
        "team",
        re.compile(
            r"\b(?:the peers? (?:were|was|are|included)|members of the (?:peer |review )?team|"
            r"team members|"
            r"the team for [A-Z][\w ]+ (?:was|were)|on behalf of the (?:peer |review )?team)\b|"
            r"\b(?:the |peer |review |challenge )team (?:was|were|comprised|included|consisted)"
            r"(?: of| made up of| as follows)?\s*:\s*$|"
            r"\b(?:peers|reviewers|team members)\b[^:.;]{0,60}\b(?:were|are|was|included)\s*:\s*$",
            re.I,
        ),
    ),
    (
        "development",
        re.compile(
            r"\b(?:areas? (?:for|of|to)|develop|improve|challenges?|concerns?|risks?|"
            r"consideration|could be better|further work|gaps?|issues?|not yet)\b",
            re.I,
        ),
    ),
    ("strengths", re.compile(r"\b(?:strengths?|positive|good practice|working well)", re.I)),
    (
        "findings",
        re.compile(
            r"\b(?:impressed|saw|found|heard|noted|observed|told|includ(?:e|es|ed|ing)|examples?|"
            r"following)\b",
            re.I,
        ),
    ),
]
# A list's lead-in that only says "the team found:" makes its items findings where the section
# says nothing more (before any heading, under a heading of no kind, or in the background).
WEAK_KINDS = frozenset({"other", "background", "cqc-theme"})


def lead_in_kind(sentence: str) -> str:
    """The kind of the list a sentence ending in ':' introduces, or "" if it says nothing:
    team, recommendations, development, strengths or findings (items that are findings, of no
    more particular kind)."""
    for kind, pattern in LEAD_INS:
        if pattern.search(sentence):
            return kind
    return ""


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    kind: str  # strengths | development | recommendations | cqc-theme | team | background | other
    where: str
