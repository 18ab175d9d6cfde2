"""Every field that `inspect --json` reports on weak evidence carries a warning."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest
import yaml

from finalletters import extract, lettermd, register
from finalletters.analyse import analyse
from finalletters.cli import analysis_json

REPO = Path(__file__).parents[1]
REFERENCE = register.load(REPO / "letters")
TODAY = dt.date(2025, 1, 15)
DOCUMENTS = REPO / "scripts" / "samples" / "documents"


def inspected(body: str) -> dict:
    return analysis_json(analyse(body, REFERENCE, today=TODAY), REFERENCE, pages=1)


def weak_fields(result: dict) -> list[tuple[str, str]]:
    """(field, why) for each field the JSON itself shows to rest on weak evidence."""
    weak = []
    if result["authority"] and result["authority_mentions"] <= 1:
        weak.append(("authority", "named once"))
    evidence = result["year_evidence"]
    if result["year"] is None or (evidence and evidence["rule"] in ("first year", "meeting")):
        weak.append(("year", f"rests on {evidence['rule'] if evidence else 'nothing'}"))
    if result["year"] and result["year"] > TODAY.year:
        weak.append(("year", "in the future"))
    if result["visit"] and dt.date.fromisoformat(result["visit"]["start"]) > TODAY:
        weak.append(("visit", "in the future"))
    if result["letter_date"] and dt.date.fromisoformat(result["letter_date"]) > TODAY:
        weak.append(("letter_date", "in the future"))
    for theme in result["themes"]:
        if theme["sentences"] <= 1:
            weak.append(("themes", f"{theme['id']} on one sentence"))
    for member in result["team"]:
        lived = member["role"] == "lived-experience"
        if member["name"] is None or (member["organisation"] is None and not lived):
            weak.append(("team", f"{member['name']} lacks a name or council"))
    return weak


def assert_every_weak_field_is_warned(result: dict) -> None:
    warned = {w["field"] for w in result["warnings"]}
    unwarned = [(name, why) for name, why in weak_fields(result) if name not in warned]
    assert not unwarned, (unwarned, result["warnings"])


WEAK_TEXTS = {
    "year from the first year named": (
        "# Walsall Council\n\nIn 2023 the council asked colleagues to look at its services. "
        "Walsall Council has strong leadership.\n",
        "year",
    ),
    "year from a meeting": (
        "# Walsall Council\n\nDate of meeting: 12 March 2024\n\nThe committee received the "
        "findings of the peer challenge. Walsall Council has a stable workforce.\n",
        "year",
    ),
    "no year at all": ("# Walsall Council\n\nWalsall Council has strong leadership.\n", "year"),
    "a visit in the future": (
        "# Walsall Council\n\nThe peer challenge took place from 3 to 5 March 2026. Walsall "
        "Council has strong leadership.\n",
        "visit",
    ),
    "a council named once": (
        "# Peer challenge\n\nThe visit took place on 3-5 March 2024 in Walsall.\n",
        "authority",
    ),
    "a theme on one sentence": (
        "# Walsall Council\n\nThe visit took place on 3-5 March 2024. Walsall Council has "
        "reduced the number of people waiting for an assessment of their needs.\n",
        "themes",
    ),
    "a reviewer without a council": (
        "# Walsall Council\n\nThe visit took place on 3-5 March 2024. Walsall Council was "
        "visited. The team was led by Jo Bloggs, Director of Adult Social Services.\n",
        "team",
    ),
}


@pytest.mark.parametrize("case", sorted(WEAK_TEXTS))
def test_a_field_on_weak_evidence_has_a_warning(case: str) -> None:
    body, field = WEAK_TEXTS[case]
    result = inspected(body)
    assert (field, weak_fields(result)) and any(name == field for name, _ in weak_fields(result))
    assert field in {w["field"] for w in result["warnings"]}, result["warnings"]
    assert_every_weak_field_is_warned(result)


def test_a_well_supported_letter_has_no_warning_about_its_dates() -> None:
    result = inspected(
        "14 July 2023\n\nDear Director,\n\nThank you for hosting the peer challenge of Walsall "
        "Council, which took place from 13 to 15 June 2023. Walsall Council's leadership "
        "is strong. Walsall Council should review its waiting lists.\n"
    )
    assert result["year"] == 2023 and result["year_evidence"]["rule"] == "visit"
    assert not [w for w in result["warnings"] if w["field"] in ("year", "visit", "letter_date")]


@cache
def _bodies() -> dict[str, str]:
    """The text of every sample letter and every development-half sample document."""
    bodies = {
        md.parent.relative_to(REPO / "letters").as_posix(): lettermd.read_letter_md(
            md.read_text("utf-8"), str(md)
        )[1]
        for md in sorted((REPO / "letters").glob("*/*/letter.md"))
    }
    labels = yaml.safe_load((DOCUMENTS / "labels.yml").read_text("utf-8"))["documents"]
    for document in labels:
        if document["split"] == "dev":
            pdf = DOCUMENTS / document["file"]
            blocks = extract.extract(pdf.read_bytes(), str(pdf)).blocks
            bodies[document["id"]] = lettermd.to_markdown(blocks)
    return bodies


def test_no_field_of_a_sample_is_weak_without_a_warning() -> None:
    bodies = _bodies()
    assert len(bodies) >= 30
    checked = 0
    for name, body in bodies.items():
        result = inspected(body)
        checked += len(weak_fields(result))
        try:
            assert_every_weak_field_is_warned(result)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None
    assert checked, "no sample had a weak field, so nothing was checked"
