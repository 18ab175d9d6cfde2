"""The schema of every file a person edits: letter.yml, letter.md's front matter,
authorities.yml, themes.yml and a labels file for `letters evaluate`.

Declared once, here. The same models validate the files, and are written out as JSON Schema
(`letters schema`) so that editors can check letter.yml as it is typed.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Literal

from dateutil.relativedelta import relativedelta
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)


def _not_a_number(value: object) -> object:
    """YAML reads 20230613 as a number, which pydantic would take for seconds since 1970."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"{value} is not a date: write it as YYYY-MM-DD, e.g. 2023-06-13")
    return value


Day = Annotated[dt.date, BeforeValidator(_not_a_number)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]

CQC_QUALITY_STATEMENTS: dict[str, str] = {
    "assessing-needs": "Assessing needs",
    "healthier-lives": "Supporting people to live healthier lives",
    "equity": "Equity in experience and outcomes",
    "care-provision": "Care provision, integration and continuity",
    "partnerships": "Partnerships and communities",
    "safe-systems": "Safe systems, pathways and transitions",
    "safeguarding": "Safeguarding",
    "governance": "Governance, management and sustainability",
    "learning-improvement": "Learning, improvement and innovation",
}
WM_DOMAINS: dict[str, str] = {
    "governance-leadership": "Governance and Leadership",
    "resources-workforce": "Resources and Workforce Management",
    "performance-outcomes": "Performance and Outcomes",
    "national-priorities-partnerships": "National priorities and partnerships",
    "culture-change": "Culture and Change",
    "commissioning-quality": "Commissioning and Quality",
}

CqcStatement = Literal[tuple(CQC_QUALITY_STATEMENTS)]  # type: ignore[valid-type]
WmDomain = Literal[tuple(WM_DOMAINS)]  # type: ignore[valid-type]


class Role(StrEnum):
    LEAD_DASS = "lead-dass"
    ELECTED_MEMBER = "elected-member"
    DIRECTOR = "director"
    LIVED_EXPERIENCE = "lived-experience"
    PRINCIPAL_SOCIAL_WORKER = "principal-social-worker"
    OCCUPATIONAL_THERAPIST = "occupational-therapist"
    DATA_SPECIALIST = "data-specialist"
    COORDINATOR = "coordinator"


ROLE_LABELS: dict[Role, str] = {
    Role.LEAD_DASS: "Lead Director of Adult Social Services",
    Role.ELECTED_MEMBER: "Elected member",
    Role.DIRECTOR: "Director or senior manager",
    Role.LIVED_EXPERIENCE: "Person with lived experience",
    Role.PRINCIPAL_SOCIAL_WORKER: "Principal Social Worker",
    Role.OCCUPATIONAL_THERAPIST: "Occupational therapist",
    Role.DATA_SPECIALIST: "Data specialist",
    Role.COORDINATOR: "Peer challenge coordinator",
}


class Status(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DROPPED = "dropped"


class StatusSource(StrEnum):
    """Where a recommendation's status was learnt."""

    PROGRESS_REVIEW = "progress-review"
    ACTION_PLAN = "action-plan"
    COORDINATOR = "coordinator"


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Visit(Strict):
    start: Day = Field(description="First day of the on-site visit.")
    end: Day = Field(description="Last day of the on-site visit.")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Visit:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if (self.end - self.start).days > 31:
            raise ValueError(f"a visit of {(self.end - self.start).days + 1} days is too long")
        return self


class TeamMember(Strict):
    role: Role
    name: Text | None = Field(default=None, description="Null when the letter does not say.")
    organisation: Text | None = Field(
        default=None, description="A slug from letters/authorities.yml, or an organisation name."
    )


class StatusChange(Strict):
    """One change of a recommendation's status: when, to what, and who said so."""

    date: Day
    status: Status
    source: StatusSource
    note: Text | None = None


class Recommendation(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^R\d{1,3}$")] = Field(description="R1, R2, …")
    text: Text
    listed: bool = Field(
        default=True,
        description="True when the letter lists it as a recommendation; false when it was "
        "drawn from advice in the letter's prose.",
    )
    number: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.]{1,12}$")] | None = Field(
        default=None, description="Its number as the letter prints it ('8', '3.2', 'b')."
    )
    themes: list[Slug] = Field(default_factory=list)
    status: Status = Status.OPEN
    history: list[StatusChange] = Field(
        default_factory=list,
        description="Each change of status, oldest first; the last one is the current status.",
    )
    due: Day | None = Field(
        default=None,
        description="When progress is due, if not the letter's review date (follow_up.review_due, "
        "else the end of the visit plus twelve months); needs due_reason.",
    )
    due_reason: Text | None = Field(
        default=None, description="Why the due date differs from the letter's review date."
    )

    @model_serializer(mode="wrap")
    def _without_empty_follow_up(self, handler: SerializerFunctionWrapHandler) -> dict:
        """letter.yml shows history and a revised due date only where there is one."""
        return _drop_empty(handler(self), ("history", "due", "due_reason"))

    @model_validator(mode="after")
    def _history_leads_to_status(self) -> Recommendation:
        dates = [change.date for change in self.history]
        if dates != sorted(dates):
            raise ValueError(f"{self.id}: history must run oldest first")
        if self.history and self.history[-1].status != self.status:
            raise ValueError(
                f"{self.id}: status is '{self.status}' but the last change in its history is "
                f"'{self.history[-1].status}'"
            )
        if self.due and not self.due_reason:
            raise ValueError(f"{self.id}: a revised due date needs a due_reason")
        if self.due_reason and not self.due:
            raise ValueError(f"{self.id}: due_reason is given without a due date")
        return self


class FollowUp(Strict):
    action_plan: str | None = Field(default=None, pattern=r"^[a-z0-9-]+\.pdf$")
    progress_review: str | None = Field(default=None, pattern=r"^[a-z0-9-]+\.pdf$")
    review_due: Day | None = Field(
        default=None, description="Default: end of the visit plus twelve months."
    )
    review_date: Day | None = None


Inferable = Literal[
    "authority",
    "visit",
    "visit_month",
    "letter_date",
    "letter_month",
    "team",
    "themes",
    "recommendations",
]
INFERABLE: tuple[str, ...] = Inferable.__args__  # type: ignore[attr-defined]
Month = Annotated[
    str,
    StringConstraints(pattern=r"^(?:19|20)\d\d-(?:0[1-9]|1[0-2])$"),
    Field(description="A month, as YYYY-MM (quote it or not: 2024-03)."),
]
_INFERRED_SCHEMA = {
    "description": "Fields proposed by `letters add` that nobody has reviewed yet, each with "
    "the warnings the analyser gave about it; remove a field's name once you have checked it. "
    "A plain list of names is also accepted.",
    "anyOf": [
        {
            "type": "object",
            "propertyNames": {"enum": list(INFERABLE)},
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        {"type": "array", "items": {"enum": list(INFERABLE)}, "uniqueItems": True},
    ],
}


class LetterMeta(Strict):
    """letter.yml: proposed once by `letters add`, then owned by people."""

    authority: Slug = Field(description="A slug from letters/authorities.yml.")
    title: Text | None = Field(default=None, description="Defaults to 'Peer challenge: <council>'.")
    visit: Visit | None = None
    visit_month: Month | None = Field(
        default=None, description="The visit's month, when the letter does not give its days."
    )
    letter_date: Day | None = None
    letter_month: Month | None = Field(
        default=None,
        description="The document's own date by month ('Final report – March 2024'), when it "
        "gives no day.",
    )
    published: Day | None = Field(default=None, description="When it was made public.")
    source_url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None
    sample: bool = Field(default=False, description="True for demonstration letters.")
    team: list[TeamMember] = Field(default_factory=list)
    themes: list[Slug] = Field(default_factory=list)
    proposed_themes: list[Slug] | None = Field(
        default=None,
        description="The themes `letters add` proposed, kept beside `themes` (the list a "
        "person reviewed) so that readers can see which themes a person confirmed or added. "
        "Written once by `letters add`; leave it as it is.",
    )
    recommendations: list[Recommendation] = Field(default_factory=list)
    no_recommendations_reason: Text | None = Field(
        default=None,
        description="Why a letter makes no recommendations (with `recommendations: []`).",
    )
    follow_up: FollowUp | None = None
    inferred: Annotated[dict[Inferable, list[Text]], WithJsonSchema(_INFERRED_SCHEMA)] = Field(
        default_factory=dict
    )

    @field_validator("inferred", mode="before")
    @classmethod
    def _names_alone(cls, value: object) -> object:
        """`inferred: [authority, visit]`, as letters were written before warnings."""
        if isinstance(value, list) and all(isinstance(name, str) for name in value):
            return {name: [] for name in value}
        return value

    @model_validator(mode="after")
    def _consistent(self) -> LetterMeta:
        ids = [r.id for r in self.recommendations]
        if len(ids) != len(set(ids)):
            raise ValueError("recommendation ids must be unique")
        if self.recommendations and self.no_recommendations_reason:
            raise ValueError(
                "no_recommendations_reason is given but the letter lists recommendations"
            )
        started = self.visit.start if self.visit else self.letter_date
        for change in (c for r in self.recommendations for c in r.history):
            if started and change.date < started:
                raise ValueError(f"a status change dated {change.date} is before {started}")
        if self.visit and self.letter_date and self.letter_date < self.visit.start:
            raise ValueError(
                f"letter_date {self.letter_date} is before visit.start {self.visit.start}"
            )
        for day, month, names in (
            (
                self.visit.start if self.visit else None,
                self.visit_month,
                "visit.start, visit_month",
            ),
            (self.letter_date, self.letter_month, "letter_date, letter_month"),
        ):
            if day and month and f"{day:%Y-%m}" != month:
                day_name, month_name = names.split(", ")
                raise ValueError(f"{day_name} {day} is not in {month_name} {month}")
        return self

    @model_serializer(mode="wrap")
    def _without_empty_reason(self, handler: SerializerFunctionWrapHandler) -> dict:
        return _drop_empty(handler(self), ("no_recommendations_reason",))

    @property
    def year(self) -> int | None:
        """The challenge's year: the visit's, else its month's, else the letter's."""
        if self.visit:
            return self.visit.start.year
        if self.visit_month:
            return int(self.visit_month[:4])
        if self.letter_date:
            return self.letter_date.year
        return int(self.letter_month[:4]) if self.letter_month else None

    @property
    def review_due(self) -> dt.date | None:
        if self.follow_up and self.follow_up.review_due:
            return self.follow_up.review_due
        if self.visit:
            return self.visit.end + relativedelta(months=12)
        return None

    def due(self, recommendation: Recommendation) -> dt.date | None:
        """When progress on a recommendation is due: its own date, else the letter's review."""
        return recommendation.due or self.review_due


def _drop_empty(data: dict, names: tuple[str, ...]) -> dict:
    return {k: v for k, v in data.items() if k not in names or v not in (None, [])}


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class LetterMdFront(Strict):
    """The front matter of letter.md, written by `letters extract` in this order."""

    source: Text = Field(description="The PDF the text was read from: letter.pdf.")
    source_sha256: Sha256 = Field(description="SHA-256 of that PDF.")
    pages: Annotated[StrictInt, Field(ge=0)] = Field(description="The PDF's number of pages.")
    page_starts: list[StrictInt] | None = Field(
        default=None,
        description="For each page of the PDF, the first block of the text that begins on it "
        "(1-based: headings, paragraphs, list items and table rows in order); a page on which "
        "no block begins has the next page's. Citations give a passage's page from it; "
        "without it, none.",
    )
    text_sha256: Sha256 = Field(description="SHA-256 of the Markdown body as extracted.")
    edited: StrictBool = Field(description="True once a person has corrected the text.")
    edited_on: Day | None = Field(default=None, description="When a person last corrected it.")

    @field_validator("page_starts")
    @classmethod
    def _one_start_a_page(cls, starts: list[int] | None, info: ValidationInfo) -> list[int] | None:
        """One start for each page, the first at block 1, none before the one before it."""
        pages = info.data.get("pages")
        if starts is None or pages is None:
            return starts
        if len(starts) != pages or (starts and starts[0] != 1):
            raise ValueError(f"{len(starts)} starts for {pages} pages")
        if any(later < earlier for earlier, later in pairwise(starts)):
            raise ValueError("a page starts before the page before it")
        return starts


class Authority(Strict):
    """One council in letters/authorities.yml."""

    slug: Slug
    name: Text = Field(
        description="Official council name, e.g. 'Walsall Metropolitan Borough Council'."
    )
    short_name: Text = Field(description="The place, e.g. 'Walsall'.")
    gss: Annotated[str, StringConstraints(pattern=r"^E(?:0[6-9]|10)\d{6}$")]
    dfe: Annotated[int, Field(ge=100, le=999)]
    region: Text
    aliases: list[Text] = Field(default_factory=list)


class ThemeContext(Strict):
    """Broad phrases that are evidence of a theme only in a sentence that also has one of
    `near`: "children's services" is about transitions only near "adulthood"."""

    phrases: list[Text] = Field(min_length=1)
    near: list[Text] = Field(min_length=1)


class Theme(Strict):
    """One theme in letters/themes.yml."""

    id: Slug
    label: Text
    description: Text
    phrases: list[Text] = Field(min_length=1)
    context: list[ThemeContext] = Field(default_factory=list)
    cqc: list[CqcStatement] = Field(min_length=1)  # type: ignore[valid-type]
    wm_domains: list[WmDomain] = Field(min_length=1)  # type: ignore[valid-type]


class Register(Strict):
    authorities: list[Authority]


class Taxonomy(Strict):
    themes: list[Theme]
    ignore: list[Text] = Field(
        default_factory=list,
        description="Phrases that are evidence of no theme and hide the phrases inside them "
        "('in-house' is not about housing).",
    )


class RoleRule(Strict):
    """One role of letter.yml and the words that review team lists use for it."""

    role: Role
    phrases: list[Text | list[Text]] = Field(min_length=1)


class AnalyserWords(Strict):
    """scripts/finalletters/analyse/words.yml: word lists, each written as words apart."""

    not_name_words: frozenset[str]
    imperative_verbs: frozenset[str]

    @field_validator("not_name_words", "imperative_verbs", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return frozenset(value.lower().split()) if isinstance(value, str) else value


class TeamRoles(Strict):
    """scripts/finalletters/analyse/roles.yml: role words, the more particular first."""

    roles: list[RoleRule]


Genre = Literal[
    "final-letter",
    "feedback-letter",
    "lga-report",
    "news-release",
    "committee-report",
    "minutes",
    "progress-review",
    "summary",
]
# A path inside the labels file's folder: no absolute paths, no part starting with "." (so no
# ".."), no backslashes.
RelativePdf = Annotated[
    str,
    StringConstraints(
        pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*\.pdf$"
    ),
]


class LabelledMember(Strict):
    """A reviewer as the text names them (never one of the host council's people)."""

    role: Role
    name: Text | None = None
    organisation: Slug | None = Field(
        default=None, description="The reviewer's council as a register slug, or null."
    )


class LabelledRecommendation(Strict):
    text: Text
    listed: bool = Field(
        default=True, description="True: the document lists it; false: drawn from its prose."
    )


class LabelledDocument(Strict):
    """One document of a labels file: what a careful reader finds in its text."""

    id: Slug = Field(description="Unique within the file.")
    file: RelativePdf = Field(description="The PDF, relative to the labels file.")
    split: Literal["dev", "test"] = Field(
        description="dev: the analyser may be tuned on it; test: never tuned on."
    )
    genre: Genre
    authority: Slug = Field(description="Register slug of the council the document is about.")
    year: Annotated[int, Field(ge=1990, le=2100)] | None = Field(
        default=None, description="The challenge's year as the text states it; null if none."
    )
    visit: Visit | None = Field(default=None, description="Null unless the text states the days.")
    letter_date: Day | None = Field(
        default=None, description="The document's own date if the text gives its day."
    )
    themes: list[Slug] = Field(
        default_factory=list, description="Themes the text has a finding or recommendation about."
    )
    team: list[LabelledMember] = Field(default_factory=list)
    recommendations: list[LabelledRecommendation] = Field(default_factory=list)


class Labels(Strict):
    """A labels file for `letters evaluate --labels FILE`."""

    documents: list[LabelledDocument]

    @model_validator(mode="after")
    def _unique_ids(self) -> Labels:
        ids = [d.id for d in self.documents]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"document ids must be unique: {', '.join(repeated)} repeated")
        return self


LETTER_ID = re.compile(r"^(?P<authority>[a-z0-9-]+)/(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")


def json_schema() -> dict:
    """The JSON Schema for letter.yml, as published in the repository."""
    schema = LetterMeta.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://wm-adass.github.io/final-letters/schema/letter.schema.json"
    return schema


def labels_json_schema() -> dict:
    """The JSON Schema for a labels file of `letters evaluate`, as published in the repository."""
    schema = Labels.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://wm-adass.github.io/final-letters/schema/labels.schema.json"
    return schema
