"""Tag provenance and the tool's per-theme precision and recall, against figures worked out by
hand."""

from __future__ import annotations

import pytest

from finalletters.model import LetterMeta
from finalletters.provenance import Origin, agreement, kept_proposals, micro, origins


def meta(
    themes: list[str], proposed: list[str] | None, inferred: tuple[str, ...] = ()
) -> LetterMeta:
    return LetterMeta.model_validate(
        {"authority": "walsall", "themes": themes, "proposed_themes": proposed,
         "inferred": list(inferred)}
    )  # fmt: skip


def test_each_tag_says_whether_the_tool_proposed_it_or_a_person_added_it() -> None:
    found = origins(meta(["carers", "workforce"], ["workforce", "housing"]))
    assert found == {
        "carers": Origin.ADDED,
        "workforce": Origin.CONFIRMED,
        "housing": Origin.REMOVED,
    }


def test_tags_nobody_has_reviewed_say_so() -> None:
    found = origins(meta(["carers"], ["carers"], inferred=("themes",)))
    assert found == {"carers": Origin.UNREVIEWED}


def test_a_letter_that_kept_no_proposal_says_a_person_set_its_tags() -> None:
    assert origins(meta(["carers"], None)) == {"carers": Origin.SET_BY_A_PERSON}


LETTERS = [
    meta(["carers", "workforce"], ["carers", "housing"]),  # carers ✓, housing ✗, workforce missed
    meta(["carers"], ["carers"]),  # carers ✓
    meta(["housing", "workforce"], ["workforce"]),  # workforce ✓, housing missed
    meta(["safeguarding"], ["safeguarding", "carers"], inferred=("themes",)),  # not reviewed
    meta(["safeguarding"], None),  # no proposal kept
]


def test_precision_and_recall_per_theme_count_only_reviewed_letters_with_a_proposal() -> None:
    themes = ["carers", "housing", "workforce", "safeguarding"]
    rows = {a.theme: a for a in agreement(kept_proposals(LETTERS), themes)}
    # carers: proposed twice, kept twice, never missed.
    assert (rows["carers"].precision, rows["carers"].recall) == (1.0, 1.0)
    # housing: proposed once and removed; added once where it was not proposed.
    assert (rows["housing"].precision, rows["housing"].recall) == (0.0, 0.0)
    assert rows["housing"].f1 == 0.0
    # workforce: proposed once and kept; kept twice.
    assert (rows["workforce"].precision, rows["workforce"].recall) == (1.0, 0.5)
    assert rows["workforce"].f1 == pytest.approx(2 / 3)
    # safeguarding: only in letters that do not count, so nothing to say.
    assert (rows["safeguarding"].precision, rows["safeguarding"].recall) == (None, None)


def test_all_themes_together() -> None:
    rows = agreement(kept_proposals(LETTERS), ["carers", "housing", "workforce"])
    total = micro(rows)
    # kept and proposed: carers 2 + workforce 1 = 3; proposed only: housing 1;
    # reviewed only: workforce 1 + housing 1 = 2.
    assert (total.both, total.proposed_only, total.reviewed_only) == (3, 1, 2)
    assert total.precision == pytest.approx(3 / 4)
    assert total.recall == pytest.approx(3 / 5)
