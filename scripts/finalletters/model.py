"""The schema of every file a person edits: letter.yml, authorities.yml and themes.yml.

Declared once, here. The same models validate the files, and are written out as JSON Schema
(`letters schema`) so that editors can check letter.yml as it is typed.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from dateutil.relativedelta import relativedelta
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    model_serializer,
    model_validator,
)

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
    start: dt.date = Field(description="First day of the on-site visit.")
    end: dt.date = Field(description="Last day of the on-site visit.")

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

    date: dt.date
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
    due: dt.date | None = Field(
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
    review_due: dt.date | None = Field(
        default=None, description="Default: end of the visit plus twelve months."
    )
    review_date: dt.date | None = None


Inferable = Literal["authority", "visit", "letter_date", "team", "themes", "recommendations"]


class LetterMeta(Strict):
    """letter.yml: proposed once by `letters add`, then owned by people."""

    authority: Slug = Field(description="A slug from letters/authorities.yml.")
    title: Text | None = Field(default=None, description="Defaults to 'Peer challenge: <council>'.")
    visit: Visit | None = None
    letter_date: dt.date | None = None
    published: dt.date | None = Field(default=None, description="When it was made public.")
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
    inferred: list[Inferable] = Field(
        default_factory=list,
        description="Fields proposed by `letters add` that nobody has reviewed yet; "
        "remove a name once you have checked that field.",
    )

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
        return self

    @model_serializer(mode="wrap")
    def _without_empty_reason(self, handler: SerializerFunctionWrapHandler) -> dict:
        return _drop_empty(handler(self), ("no_recommendations_reason",))

    @property
    def year(self) -> int | None:
        """The challenge's year: the visit's year, else the letter's."""
        when = self.visit.start if self.visit else self.letter_date
        return when.year if when else None

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


class Theme(Strict):
    """One theme in letters/themes.yml."""

    id: Slug
    label: Text
    description: Text
    phrases: list[Text] = Field(min_length=1)
    cqc: list[CqcStatement] = Field(min_length=1)  # type: ignore[valid-type]
    wm_domains: list[WmDomain] = Field(min_length=1)  # type: ignore[valid-type]


class Register(Strict):
    authorities: list[Authority]


class Taxonomy(Strict):
    themes: list[Theme]


LETTER_ID = re.compile(r"^(?P<authority>[a-z0-9-]+)/(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")


def json_schema() -> dict:
    """The JSON Schema for letter.yml, as published in the repository."""
    schema = LetterMeta.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://wm-adass.github.io/final-letters/schema/letter.schema.json"
    return schema
