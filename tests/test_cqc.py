"""letters/cqc-assessments.yml: the committed facts, its schema, the problems a person can cause."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from finalletters import cqc
from finalletters.model import CQC_QUALITY_STATEMENTS
from finalletters.register import Reference

REPO = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def committed(reference: Reference) -> cqc.Assessments:
    return cqc.load(REPO / "letters", reference.authorities)


def good_entry(**changes: object) -> dict:
    entry: dict = {
        "council": "walsall",
        "sources": {
            "press": {"url": "https://example.org/press", "kind": "primary", "title": "A release"}
        },
        "rating": {"value": "good", "sources": ["press"]},
        "quality_statements": {"safeguarding": {"value": 3, "sources": ["press"]}},
    }
    entry.update(changes)
    return entry


def check(reference: Reference, *entries: object) -> cqc.Assessments:
    return cqc.validate({"assessments": list(entries)}, reference.authorities)


def test_the_committed_file_loads_without_problems(committed: cqc.Assessments) -> None:
    assert committed.problems == []


def test_the_committed_file_records_the_six_councils_that_sources_were_found_for(
    committed: cqc.Assessments,
) -> None:
    assert sorted(committed.by_council) == [
        "birmingham",
        "shropshire",
        "staffordshire",
        "stoke-on-trent",
        "telford-and-wrekin",
        "walsall",
    ]
    assert committed.of("coventry") is None, "no source was found for Coventry: nothing recorded"


def test_the_committed_facts_are_those_the_sources_state(committed: cqc.Assessments) -> None:
    """Each figure as the research notes give it, typed out here by hand."""
    facts = {
        # council: (rating, percent, published, statements recorded, statements scored 2)
        "birmingham": ("good", None, dt.date(2023, 11, 17), 9, 3),
        "shropshire": ("good", None, dt.date(2025, 2, 28), 5, 0),
        "staffordshire": ("good", 75, dt.date(2025, 5, 30), 9, 0),
        "stoke-on-trent": ("good", 64, dt.date(2025, 6, 13), 4, 2),
        "telford-and-wrekin": ("good", None, None, 9, 3),
        "walsall": ("requires-improvement", None, dt.date(2026, 1, 23), 9, 8),
    }
    for council, (rating, percent, published, recorded, twos) in facts.items():
        a = committed.by_council[council]
        assert a.rating and a.rating.value == rating, council
        assert (a.score_percent.value if a.score_percent else None) == percent, council
        assert (a.published.value if a.published else None) == published, council
        assert len(a.quality_statements) == recorded, council
        assert sum(s.value == 2 for s in a.quality_statements.values()) == twos, council
    assert committed.by_council["birmingham"].pilot is not None
    assert committed.by_council["walsall"].statement("partnerships").value == 3  # type: ignore[union-attr]
    # Shropshire's safeguarding score rests on one newspaper alone, as its notes say.
    shropshire = committed.by_council["shropshire"]
    assert shropshire.quality_statements["safeguarding"].sources == ["shropshire-star"]
    assert shropshire.statement("assessing-needs") is None


def test_every_committed_value_names_a_source_that_the_entry_lists(
    committed: cqc.Assessments,
) -> None:
    values = 0
    for assessment in committed.by_council.values():
        for _, value in assessment.sourced():
            values += 1
            assert value.sources and set(value.sources) <= set(assessment.sources)
            assert all(
                s.url.startswith(("https://", "http://")) for s in assessment.sources_of(value)
            )
    # 6 ratings, 2 percentages, 5 dates, 2 report pages and 1 pilot flag: 16 facts; and
    # 9 + 5 + 9 + 4 + 9 + 9 = 45 quality statement scores.
    assert values == 16 + 45


def test_the_published_json_schema_matches_the_code() -> None:
    published = json.loads((REPO / cqc.SCHEMA_FILE).read_text(encoding="utf-8"))
    assert published == cqc.json_schema(), "run `letters schema` and commit the result"


def test_a_sound_entry_passes(reference: Reference) -> None:
    found = check(reference, good_entry())
    assert found.problems == []
    assert found.of("walsall").statement("safeguarding").value == 3  # type: ignore[union-attr]


def test_an_unknown_council_is_named_with_a_suggestion(reference: Reference) -> None:
    found = check(reference, good_entry(council="walsal"))
    [problem] = found.problems
    assert problem.field == "assessments.walsal.council"
    assert "'walsal' is not in letters/authorities.yml; did you mean 'walsall'?" in problem.problem
    assert found.by_council == {}


def test_a_value_without_a_source_is_refused(reference: Reference) -> None:
    found = check(reference, good_entry(rating={"value": "good", "sources": []}))
    [problem] = found.problems
    assert problem.field == "assessments.walsall.rating.sources"
    assert problem.problem == "names no source"
    assert "every value needs a source" in problem.tip


def test_a_value_with_no_sources_key_is_refused(reference: Reference) -> None:
    found = check(reference, good_entry(published={"value": "2024-01-05"}))
    [problem] = found.problems
    assert problem.field == "assessments.walsall.published.sources"
    assert problem.problem == "has no sources"


def test_a_source_the_entry_does_not_list_is_named(reference: Reference) -> None:
    found = check(reference, good_entry(rating={"value": "good", "sources": ["pres"]}))
    [problem] = found.problems
    assert problem.field == "assessments.walsall.rating.sources"
    assert "names source 'pres'" in problem.problem
    assert "did you mean 'press'?" in problem.problem


def test_an_unknown_quality_statement_is_named_with_a_suggestion(reference: Reference) -> None:
    entry = good_entry(quality_statements={"healthier-live": {"value": 2, "sources": ["press"]}})
    [problem] = check(reference, entry).problems
    assert problem.field == "assessments.walsall.quality_statements.healthier-live"
    assert "'healthier-live' is not a CQC quality statement; did you mean 'healthier-lives'?" in (
        problem.problem
    )
    assert all(key in problem.tip for key in CQC_QUALITY_STATEMENTS)


def test_a_score_outside_cqcs_scale_is_refused(reference: Reference) -> None:
    entry = good_entry(quality_statements={"equity": {"value": 5, "sources": ["press"]}})
    [problem] = check(reference, entry).problems
    assert problem.field == "assessments.walsall.quality_statements.equity.value"
    assert "less than or equal to 4" in problem.problem


def test_a_misspelt_key_gets_a_suggestion(reference: Reference) -> None:
    entry = good_entry()
    entry["ratng"] = entry.pop("rating")
    [problem] = check(reference, entry).problems
    assert problem.field == "assessments.walsall.ratng"
    assert problem.problem == "unknown key 'ratng'; did you mean 'rating'?"


def test_a_misspelt_key_in_a_source_gets_a_suggestion(reference: Reference) -> None:
    entry = good_entry(
        sources={"press": {"url": "https://example.org", "kind": "primary", "titel": "x"}}
    )
    problems = check(reference, entry).problems
    assert any(p.problem == "unknown key 'titel'; did you mean 'title'?" for p in problems)


def test_a_source_address_must_be_a_web_address(reference: Reference) -> None:
    entry = good_entry(
        sources={"press": {"url": "javascript:alert(1)", "kind": "primary", "title": "x"}}
    )
    [problem] = check(reference, entry).problems
    assert problem.field == "assessments.walsall.sources.press.url"


def test_a_second_entry_for_one_council_is_refused_and_the_first_kept(reference: Reference) -> None:
    found = check(
        reference, good_entry(), good_entry(rating={"value": "inadequate", "sources": ["press"]})
    )
    [problem] = found.problems
    assert problem.problem == "'walsall' has a second entry"
    assert found.of("walsall").rating.value == "good"  # type: ignore[union-attr]


def test_one_bad_entry_never_hides_the_others(reference: Reference) -> None:
    found = check(reference, good_entry(council="nowhere"), good_entry(council="dudley"))
    assert [p.field for p in found.problems] == ["assessments.nowhere.council"]
    assert list(found.by_council) == ["dudley"]


def test_an_entry_without_a_council_is_named_by_its_place(reference: Reference) -> None:
    entry = good_entry()
    del entry["council"]
    [problem] = check(reference, good_entry(), entry).problems
    assert problem.field == "assessments.1.council"


def test_a_file_that_is_not_a_list_of_assessments_says_how_to_start(reference: Reference) -> None:
    [problem] = cqc.validate(["walsall"], reference.authorities).problems
    assert "a list under `assessments:`" in problem.problem


def test_a_missing_file_means_nothing_is_recorded(tmp_path: Path, reference: Reference) -> None:
    found = cqc.load(tmp_path, reference.authorities)
    assert found.by_council == {} and found.problems == []


def test_a_yaml_syntax_error_is_a_problem_naming_the_line(
    tmp_path: Path, reference: Reference
) -> None:
    (tmp_path / "cqc-assessments.yml").write_text("assessments:\n  - council: [walsall\n", "utf-8")
    [problem] = cqc.load(tmp_path, reference.authorities).problems
    assert problem.file == cqc.FILE
    assert "line 3" in problem.problem or "line 2" in problem.problem


def test_a_symbolic_link_is_not_followed(tmp_path: Path, reference: Reference) -> None:
    (tmp_path / "elsewhere.yml").write_text("assessments: []\n", "utf-8")
    (tmp_path / "cqc-assessments.yml").symlink_to(tmp_path / "elsewhere.yml")
    [problem] = cqc.load(tmp_path, reference.authorities).problems
    assert problem.problem == "is a symbolic link"
