"""CQC local authority assessments: letters/cqc-assessments.yml, its schema and its loader.

Each council's assessment by the Care Quality Commission (rating, score, date, report, and the
score of each quality statement) is recorded with a source for every value, so that a council
page can show CQC's findings beside the peer challenge's and a reader can check each one. A
council without an entry has no assessment recorded yet: nothing here is ever guessed.

`load` never raises for one bad entry: it returns the entries that are sound and a Problem for
each fault (file, field, what to do), as the catalogue does for letters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, StringConstraints, ValidationError

from . import yamlio
from .errors import LetterError, Problem, did_you_mean
from .model import CQC_QUALITY_STATEMENTS, CqcStatement, Slug, Strict, Text

FILE = "letters/cqc-assessments.yml"
SCHEMA_FILE = "letters/cqc-assessments.schema.json"

RATINGS: dict[str, str] = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
SCORES: dict[int, str] = {
    1: "significant shortfalls",
    2: "some shortfalls",
    3: "a good standard",
    4: "an exceptional standard",
}
SOURCE_KINDS: dict[str, str] = {
    "primary": "a CQC page",
    "primary-copy": "a copy of a CQC page held elsewhere",
    "secondary": "a council's release or papers, or a news report",
}

Rating = Literal[tuple(RATINGS)]  # type: ignore[valid-type]
SourceKind = Literal[tuple(SOURCE_KINDS)]  # type: ignore[valid-type]
WebAddress = Annotated[str, StringConstraints(pattern=r"^https?://[^\s\"'<>]+$", max_length=2000)]
SourceId = Slug
Score = Annotated[int, Field(ge=1, le=4)]
Percent = Annotated[int, Field(ge=0, le=100)]

T = TypeVar("T")


class Source(Strict):
    """One page that states some of an assessment's values."""

    url: WebAddress
    kind: SourceKind = Field(  # type: ignore[valid-type]
        description="primary: a CQC page; primary-copy: a copy of a CQC page held elsewhere; "
        "secondary: a council's release or papers, or a news report."
    )
    title: Text = Field(description="What the page is, e.g. 'CQC press release, 17 May 2025'.")


class Sourced(Strict, Generic[T]):
    """A value and the ids of the sources (in its entry's `sources`) that state it."""

    value: T
    sources: list[SourceId] = Field(
        min_length=1, description="Ids from this entry's `sources`; at least one."
    )


# Named kinds of sourced value, so that the JSON Schema's definitions read as words.
class SourcedRating(Sourced[Rating]):  # type: ignore[valid-type]
    """CQC's overall rating."""


class SourcedPercent(Sourced[Percent]):
    """A percentage."""


class SourcedDate(Sourced[dt.date]):
    """A day."""


class SourcedAddress(Sourced[WebAddress]):
    """A web address."""


class SourcedFlag(Sourced[bool]):
    """Yes or no."""


class SourcedScore(Sourced[Score]):
    """A quality statement's score, 1 to 4."""


class Assessment(Strict):
    """One council's CQC local authority assessment, as its sources state it."""

    council: Slug = Field(description="A slug from letters/authorities.yml.")
    sources: dict[SourceId, Source] = Field(min_length=1)
    rating: SourcedRating | None = None
    score_percent: SourcedPercent | None = Field(
        default=None, description="CQC's overall score as a percentage, when a source states it."
    )
    published: SourcedDate | None = Field(
        default=None, description="The day CQC published its report."
    )
    report_url: SourcedAddress | None = Field(default=None, description="CQC's report page.")
    pilot: SourcedFlag | None = Field(
        default=None,
        description="True for the 2023 pilots, whose rating and scores CQC called indicative.",
    )
    quality_statements: dict[CqcStatement, SourcedScore] = Field(  # type: ignore[valid-type]
        default_factory=dict,
        description="The score (1 to 4) of each quality statement that a source states.",
    )
    notes: Text | None = None

    def sourced(self) -> list[tuple[str, Sourced[Any]]]:
        """Every recorded value with where it stands in the entry, in the file's order."""
        found: list[tuple[str, Sourced[Any]]] = [
            (name, value)
            for name in ("rating", "score_percent", "published", "report_url", "pilot")
            if (value := getattr(self, name)) is not None
        ]
        found += [(f"quality_statements.{k}", v) for k, v in self.quality_statements.items()]
        return found

    def statement(self, key: str) -> SourcedScore | None:
        """The score CQC gave a quality statement, when a source states it."""
        return self.quality_statements.get(key)

    def sources_of(self, value: Sourced[Any]) -> list[Source]:
        return [self.sources[s] for s in value.sources if s in self.sources]


class AssessmentsFile(Strict):
    """letters/cqc-assessments.yml."""

    assessments: list[Assessment] = Field(default_factory=list)


@dataclass
class Assessments:
    """The sound entries of the file, by council slug, and every problem found in it."""

    by_council: dict[str, Assessment] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def of(self, council: str) -> Assessment | None:
        return self.by_council.get(council)


def json_schema() -> dict:
    """The JSON Schema of letters/cqc-assessments.yml, as published in the repository."""
    schema = AssessmentsFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://wm-adass.github.io/final-letters/schema/cqc-assessments.schema.json"
    return schema


def load(letters_dir: Path, councils: Mapping[str, object], shown: str = FILE) -> Assessments:
    """Read letters/cqc-assessments.yml; no file means no assessment recorded yet."""
    path = letters_dir / "cqc-assessments.yml"
    if path.is_symlink():
        return Assessments(
            problems=[Problem(shown, "is a symbolic link", "commit the file itself, not a link")]
        )
    if not path.is_file():
        return Assessments()
    try:
        data = yamlio.load(path, shown)
    except LetterError as exc:
        return Assessments(problems=[exc.detail])
    return validate(data, councils, shown)


def validate(data: object, councils: Mapping[str, object], shown: str = FILE) -> Assessments:
    """The entries of the file's parsed YAML that are sound, and a Problem for every fault.

    `councils` are the register's slugs. One bad entry never hides the others."""
    result = Assessments()
    if data is None:
        return result
    if not isinstance(data, dict) or not isinstance(data.get("assessments", []), list):
        result.problems.append(
            Problem(
                shown,
                "must be a mapping with a list under `assessments:`",
                "start from the comment at the top of the file",
            )
        )
        return result
    unknown = sorted(set(data) - {"assessments"})
    for key in unknown:
        result.problems.append(
            Problem(shown, f"unknown key '{key}'", "keep only `assessments:`", key)
        )
    for n, entry in enumerate(data.get("assessments") or []):
        assessment, problems = _entry(entry, n, councils, shown)
        result.problems += problems
        if assessment is None:
            continue
        if assessment.council in result.by_council:
            result.problems.append(
                Problem(
                    shown,
                    f"'{assessment.council}' has a second entry",
                    "keep one entry per council; put the newer assessment in it and say what "
                    "changed in its notes",
                    _where(n, assessment.council, "council"),
                )
            )
            continue
        result.by_council[assessment.council] = assessment
    return result


def _entry(
    entry: object, n: int, councils: Mapping[str, object], shown: str
) -> tuple[Assessment | None, list[Problem]]:
    council = entry.get("council") if isinstance(entry, dict) else None
    label = council if isinstance(council, str) else None
    try:
        assessment = Assessment.model_validate(entry)
    except ValidationError as exc:
        return None, [_schema_problem(error, n, label, shown) for error in exc.errors()]
    problems = []
    if assessment.council not in councils:
        problems.append(
            Problem(
                shown,
                f"'{assessment.council}' is not in letters/authorities.yml"
                + did_you_mean(assessment.council, set(councils)),
                "use a council's slug from letters/authorities.yml",
                _where(n, label, "council"),
            )
        )
    for where, value in assessment.sourced():
        for source in value.sources:
            if source not in assessment.sources:
                problems.append(
                    Problem(
                        shown,
                        f"names source '{source}', which this entry's `sources` does not list"
                        + did_you_mean(source, set(assessment.sources)),
                        "add the page under `sources:` with its url, kind and title, or correct "
                        "the id",
                        _where(n, label, f"{where}.sources"),
                    )
                )
    return (None if problems else assessment), problems


def _schema_problem(error: Any, n: int, council: str | None, shown: str) -> Problem:
    """One pydantic error, said for a coordinator."""
    loc = [str(part) for part in error["loc"]]
    kind = error["type"]
    where = _where(n, council, ".".join(p for p in loc if p != "[key]"))
    if kind == "extra_forbidden":
        key = loc[-1]
        model = _model_at(loc[:-1])
        return Problem(
            shown,
            f"unknown key '{key}'" + did_you_mean(key, set(model.model_fields)),
            "remove it or correct the spelling; the comment at the top of the file lists every key",
            where,
        )
    if loc[:1] == ["quality_statements"] and loc[-1] == "[key]":
        key = loc[1]
        return Problem(
            shown,
            f"'{key}' is not a CQC quality statement"
            + did_you_mean(key, set(CQC_QUALITY_STATEMENTS)),
            "use one of: " + ", ".join(CQC_QUALITY_STATEMENTS),
            where,
        )
    if loc[-1:] == ["sources"] and kind == "too_short":
        return Problem(
            shown,
            "names no source",
            "every value needs a source: list the ids of the pages that state it",
            where,
        )
    if loc[-1:] == ["sources"] and kind == "missing":
        return Problem(
            shown,
            "has no sources",
            "list the ids of the pages that state this value, or remove the value",
            where,
        )
    return Problem(shown, error["msg"], f"see {SCHEMA_FILE} for what it takes", where)


def _model_at(loc: list[str]) -> type[BaseModel]:
    """The model that a location inside one entry refers to."""
    if len(loc) >= 2 and loc[0] == "sources":
        return Source
    if loc and loc[0] in {"rating", "score_percent", "published", "report_url", "pilot"}:
        return Sourced
    if loc[:1] == ["quality_statements"] and len(loc) >= 2:
        return Sourced
    return Assessment


def _where(n: int, council: str | None, rest: str) -> str:
    """`assessments.walsall.rating` when the entry names its council, else by its place."""
    head = f"assessments.{council}" if council else f"assessments.{n}"
    return f"{head}.{rest}" if rest else head
