"""The analyser on short texts written the many ways real letters are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finalletters import analyse, register

REFERENCE = register.load(Path(__file__).parents[1] / "letters")


def read(body: str) -> analyse.Analysis:
    return analyse.analyse(body, REFERENCE)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("The visit took place on 23rd to 25th February, 2016.", "2016-02-23", "2016-02-25"),
        ("The peer challenge took place 15–18 January 2018.", "2018-01-15", "2018-01-18"),
        ("Adult social care peer challenge, held 23 - 26 June 2025", "2025-06-23", "2025-06-26"),
        ("We met staff remotely from 27/05/2021 to 29/05/2021.", "2021-05-27", "2021-05-29"),
        ("The visit was held between 8 and 10 March 2017.", "2017-03-08", "2017-03-10"),
        (
            "The challenge was held on the 12th, 13th and 14th of September 2019.",
            "2019-09-12",
            "2019-09-14",
        ),
        ("Peer Challenge, Tuesday 4th – Thursday 6th October 2022", "2022-10-04", "2022-10-06"),
        ("The visit ran from 30 September to 2 October 2019.", "2019-09-30", "2019-10-02"),
        ("The challenge took place from 2023-11-14 to 2023-11-16.", "2023-11-14", "2023-11-16"),
        (
            "The visit took place from 30 December 2019 to 1 January 2020.",
            "2019-12-30",
            "2020-01-01",
        ),
    ],
)
def test_visit_dates_are_read_in_the_formats_letters_use(text, start, end):
    result = read(f"# Peer challenge\n\n{text}\n")
    assert (result.visit_start, result.visit_end) == (
        dt.date.fromisoformat(start),
        dt.date.fromisoformat(end),
    )
    assert result.date_evidence, "the dates carry their evidence"


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Feedback report: June 2024\n\nThe peer challenge took place in June 2024.", 2024),
        ("The peer challenge was held in October 2014.", 2014),
    ],
)
def test_a_visit_given_only_as_a_month_gives_the_year_but_no_days(text, year):
    result = read(text)
    assert result.visit_start is None
    assert result.year == year


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("27/05/2021", "2021-05-27"),
        ("Date: 5th March 2019", "2019-03-05"),
        ("12.12.2023", "2023-12-12"),
        ("Tuesday, 14 November 2023", "2023-11-14"),
    ],
)
def test_the_letter_date_is_the_date_standing_before_the_salutation(line, date):
    result = read(f"{line}\n\nDear Director,\n\nThe visit took place on 3-5 October 2018.\n")
    assert result.letter_date == dt.date.fromisoformat(date)


def test_a_template_leftover_date_is_not_a_date():
    result = read("<<DATE>>\n\nDear Director,\n\nThe visit took place on 3-5 October 2018.\n")
    assert result.letter_date is None


TEAM_PROSE = (
    "The team was led by Ann Lee, Director of Adult Social Services at Shropshire Council. "
    "The other members were Councillor Raj Gill of Coventry City Council; Jo Bell, Assistant "
    "Director, Solihull Metropolitan Borough Council; and Sam Hart, Principal Social Worker, "
    "Walsall Council."
)


def test_the_subject_is_not_a_reviewers_council():
    body = (
        "Dear Director,\n\nThank you for hosting the peer challenge of adult social care in "
        f"Sandwell.\n\n{TEAM_PROSE}\n\nThe Council has strong leadership.\n"
    )
    result = read(body)
    assert result.authority == "sandwell"
    assert result.authority_evidence and "Sandwell" in result.authority_evidence.text


def test_an_abbreviation_defined_in_the_text_counts_for_its_council():
    body = (
        f"{TEAM_PROSE}\n\nThis letter is to Dudley Metropolitan Borough Council (DMBC).\n\n"
        "DMBC has a stable workforce. DMBC should consider its market. DMBC leads well.\n"
    )
    assert read(body).authority == "dudley"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Telford and Wrekin Council", "telford-and-wrekin"),
        ("Telford & Wrekin Council", "telford-and-wrekin"),
        ("City of Wolverhampton", "wolverhampton"),
        ("Wolverhampton City Council", "wolverhampton"),
        ("Stoke-on-Trent City Council", "stoke-on-trent"),
    ],
)
def test_council_names_are_recognised_however_they_are_spelt(name, slug):
    assert read(f"Peer challenge of {name}\n\nDear Director,\n").authority == slug


def test_a_letter_that_names_no_subject_says_so():
    result = read("Dear Director,\n\nThe Council has a clear vision for adult social care.\n")
    assert result.authority is None
    assert any("--authority" in str(warning) for warning in result.warnings)


def test_the_team_is_read_from_the_sentences_that_introduce_it():
    team = read(f"Peer challenge of Sandwell\n\n{TEAM_PROSE}\n").team
    assert [(m.role, m.organisation) for m in team] == [
        ("lead-dass", "shropshire"),
        ("elected-member", "coventry"),
        ("director", "solihull"),
        ("principal-social-worker", "walsall"),
    ]
    assert team[0].name == "Ann Lee"


def test_the_team_is_read_from_a_team_list():
    body = (
        "## The peer team\n\n"
        "- Ann Lee, Director of Adult Social Services, Leeds City Council (lead)\n"
        "- Cllr Raj Gill, Cabinet Member for Adults, London Borough of Camden\n"
        "- Pat Moss, expert by experience\n"
        "- Kim Doe, Occupational Therapy Lead, Dudley Metropolitan Borough Council\n"
    )
    assert [(m.role, m.organisation) for m in read(body).team] == [
        ("lead-dass", "leeds"),
        ("elected-member", "camden"),
        ("lived-experience", None),
        ("occupational-therapist", "dudley"),
    ]


def test_soft_advice_inside_a_paragraph_is_a_recommendation_with_its_themes():
    body = (
        "## Areas for development\n\n"
        "Waiting lists for Care Act assessments are long. The Council may wish to consider a "
        "single plan to reduce the waiting list for assessments. Staff are kind.\n\n"
        "## Recommendations\n\n1. Develop a carers' strategy with unpaid carers.\n"
    )
    found = read(body).recommendations
    assert [(r.listed, r.themes) for r in found] == [
        (False, ("assessment-waiting-lists",)),
        (True, ("carers",)),
    ]
    assert found[0].text.startswith("The Council may wish to consider")


def test_a_heading_or_the_background_alone_is_not_evidence_of_a_theme():
    body = (
        "## Background\n\nThe peer challenge looked at safeguarding, carers and the workforce. "
        "Peer challenges cover safeguarding, hospital discharge and housing.\n\n"
        "## Safeguarding\n\n## Hospital discharge\n"
    )
    assert read(body).themes == []


def test_a_theme_with_findings_has_a_score_and_evidence_with_anchors():
    body = (
        "## Areas for development\n\n"
        "Support for unpaid carers is patchy. Carers' assessments are often late, and respite "
        "is hard to arrange. Young carers are not identified early enough.\n"
    )
    carers = next(t for t in read(body).themes if t.id == "carers")
    assert carers.score >= analyse.threshold(40)
    assert "needed in a text of" in carers.reason
    assert carers.evidence[0].anchor == "b2"
    assert "Areas for development" in carers.evidence[0].where


def test_hostile_text_is_read_as_text():
    result = read("<script>alert(1)</script> Peer challenge of Walsall Council\n")
    assert result.authority == "walsall"


def test_empty_text_gives_warnings_not_errors():
    result = read("")
    assert result.authority is None and result.themes == []
    assert result.warnings
