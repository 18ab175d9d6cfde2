"""The analyser on short texts written the ways councils, the LGA and ADASS write: reports,
feedback letters, news releases, committee papers and minutes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finalletters import register
from finalletters.analyse import analyse, themes_in
from finalletters.analyse.dates import mentions

REFERENCE = register.load(Path(__file__).parents[1] / "letters")
TODAY = dt.date(2025, 6, 1)


def read(body: str):
    return analyse(body, REFERENCE, today=TODAY)


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        (
            "The peer team was on site from Tuesday 5 to Thursday 7 March 2024.",
            "2024-03-05",
            "2024-03-07",
        ),
        ("The challenge was carried out between 4.6.24 and 6.6.24.", "2024-06-04", "2024-06-06"),
        ("The review took place on 3rd-5th October 2022.", "2022-10-03", "2022-10-05"),
        ("The peer review was undertaken on October 3-5, 2022.", "2022-10-03", "2022-10-05"),
        (
            "We were with the council from 14 November to 16 November 2023.",
            "2023-11-14",
            "2023-11-16",
        ),
        ("The visit took place on 12, 13 and 14 September 2019.", "2019-09-12", "2019-09-14"),
        ("The team spent three days in Bury, 8–10 May 2023.", "2023-05-08", "2023-05-10"),
        ("Fieldwork: 2023-02-07 to 2023-02-09", "2023-02-07", "2023-02-09"),
        (
            "The peers visited from Monday 3rd October to Wednesday 5th October 2022.",
            "2022-10-03",
            "2022-10-05",
        ),
        ("The team returned to Bristol on 15 and 16 October 2024.", "2024-10-15", "2024-10-16"),
    ],
)
def test_visit_days_are_read_however_they_are_written(text, start, end):
    result = read(f"# Walsall Council\n\n{text}\n")
    assert (result.visit_start, result.visit_end) == (
        dt.date.fromisoformat(start),
        dt.date.fromisoformat(end),
    )
    assert result.year_rule == "visit"


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("The team were with the council for a week during February 2024.", "2024-02"),
        ("The review took place in November 2023.", "2023-11"),
        ("The peer challenge was undertaken in June 2023.", "2023-06"),
        ("The peer team was on site in the week commencing 13 March 2023.", "2023-03"),
        (
            "In the week of 13 March 2023 the Council hosted an adult social care peer challenge.",
            "2023-03",
        ),
    ],
)
def test_a_visit_given_by_its_month_keeps_its_month(text, month):
    result = read(f"# Walsall Council\n\n{text}\n")
    assert result.visit_start is None
    assert result.visit_month == month
    assert result.year == int(month[:4])


@pytest.mark.parametrize(
    ("lines", "letter_date", "letter_month"),
    [
        (["Final report – March 2024"], None, "2024-03"),
        (["Feedback report: June 2024"], None, "2024-06"),
        (["Adult Social Care Peer Challenge", "November 2023"], None, "2023-11"),
        (["Published: 2023-11-20"], "2023-11-20", None),
        (["12 March 2024", "News release"], "2024-03-12", None),
        (["Date of meeting: | 18 September 2024"], "2024-09-18", None),
        (["Dated 4th September 2023"], "2023-09-04", None),
        (["March 4, 2022"], "2022-03-04", None),
    ],
)
def test_a_documents_own_date_line_is_its_date_by_day_or_month(lines, letter_date, letter_month):
    body = "\n\n".join(lines) + "\n\nWalsall Council has strong leadership.\n"
    result = read(body)
    assert result.letter_date == (dt.date.fromisoformat(letter_date) if letter_date else None)
    assert result.letter_month == letter_month


def test_a_year_inside_a_number_is_not_a_day():
    assert [m.precision for m in mentions("2025 July 2025")] == ["year", "month"]
    assert read("# Walsall Council\n\nReport 2025 July 2025\n").visit_start is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The council elections in May 2025 will bring a new administration.",
        "The council plans to open two schemes by 2027.",
        "The CQC assessment is expected in spring 2025.",
        "A progress report will come to the Committee in June 2024.",
    ],
)
def test_future_events_never_set_the_year(sentence):
    body = f"# Walsall Council\n\n{sentence} The peer challenge took place in October 2023.\n"
    assert read(body).year == 2023


def test_the_years_of_laws_and_earlier_events_do_not_date_the_challenge():
    body = (
        "# Walsall Council\n\nUnder the Care Act 2014, and since 2019, the council has changed. "
        "The peer challenge took place in 2023.\n"
    )
    result = read(body)
    assert result.year == 2023
    assert result.year_rule == "visit"


def test_with_no_dated_visit_or_document_the_year_is_the_first_the_text_names_with_a_warning():
    result = read("# Walsall Council\n\nIn 2022 the council asked the LGA for a peer challenge.\n")
    assert result.year == 2022
    assert result.year_rule == "first year"
    assert result.warnings_for("year")


def test_a_month_without_a_year_takes_its_year_from_the_documents_date():
    result = read(
        "12 March 2024\n\nWalsall Council news\n\nThe review took place in January, when peers "
        "spent three days with the council.\n"
    )
    assert result.visit_month == "2024-01"
    result = read(
        "12 March 2024\n\nWalsall Council news\n\nThe review took place in November, when peers "
        "spent three days with the council.\n"
    )
    assert result.visit_month == "2023-11"


def test_a_minutes_meeting_date_is_its_date_but_not_the_challenges_year():
    result = read(
        "# Walsall Council\n\nMinutes of the meeting held on 14 January 2025\n\nThe Committee "
        "considered the findings of the peer challenge held on 2 to 4 October 2024.\n"
    )
    assert result.letter_date == dt.date(2025, 1, 14)
    assert result.year == 2024


@pytest.mark.parametrize(
    "sentence",
    [
        "The peer team's report had been published in November 2024.",
        "The feedback letter from the peer team was received in December 2024.",
    ],
)
def test_minutes_take_the_year_from_the_challenges_own_report_not_the_meeting(sentence):
    result = read(
        "# Walsall Council\n\nScrutiny Committee\n\n3 February 2025\n\nMembers considered the "
        f"findings of the adult social care peer challenge held in the autumn. {sentence}\n"
    )
    assert result.letter_date == dt.date(2025, 2, 3)
    assert (result.year, result.year_rule) == (2024, "challenge-report")


# --- authority --------------------------------------------------------------------------------


def test_a_councils_initials_count_for_it_and_reviewers_councils_do_not():
    body = (
        "# Hertfordshire County Council\n\nThe peer team was led by Jo Bloggs, Director of Adult "
        "Social Services at Essex County Council. HCC has a stable workforce. HCC knows "
        "itself well, and HCC's partners trust it. The Council should review its waiting lists.\n"
    )
    result = read(body)
    assert result.authority == "hertfordshire"
    assert result.authority_mentions >= 4


def test_template_residue_and_the_council_are_not_councils():
    body = (
        "Dear Director,\n\nThank you to everyone at [Council name] who organised the week. The "
        "peer challenge of Walsall Council found that the Council has strong leadership.\n"
    )
    assert read(body).authority == "walsall"


# --- team -------------------------------------------------------------------------------------


def team(body: str) -> list[tuple[str, str | None, str | None]]:
    return [(m.role, m.name, m.organisation) for m in read(body).team]


def test_a_team_listed_as_role_name_council():
    body = (
        "# Walsall Council\n\n## The peer team\n\n"
        "- Lead peer: Helen Marsh, Director of Adult Social Services, Gateshead Council\n"
        "- Member peer: Councillor Tom Ashworth, Calderdale Council\n"
        "- Officer peer: Priya Nair, Assistant Director Operations, Stockton-on-Tees Borough "
        "Council\n"
        "- Commissioning peer: Gareth Lloyd, Head of Commissioning, Cheshire West and Chester "
        "Council\n"
        "- Public health peer: Dr Imran Siddiqui, Thurrock Council\n"
        "- Expert by experience: Maureen Dodd\n"
        "- Peer challenge manager: Simon Rafferty, Local Government Association\n"
    )
    assert team(body) == [
        ("lead-dass", "Helen Marsh", "gateshead"),
        ("elected-member", "Councillor Tom Ashworth", "calderdale"),
        ("director", "Priya Nair", "stockton-on-tees"),
        ("director", "Gareth Lloyd", "cheshire-west-and-chester"),
        ("director", "Dr Imran Siddiqui", "thurrock"),
        ("lived-experience", "Maureen Dodd", None),
        ("coordinator", "Simon Rafferty", None),
    ]


def test_two_reviewers_on_one_line_and_names_without_commas():
    body = (
        "# Walsall Council\n\n## Peer team\n\n"
        "Lead peer: Ruth Ogundipe (Trafford Council) Member peer: Cllr Peter Lord "
        "(Bolton Council)\n\n"
        "Kate Brennan Director of Adult Social Care Nottinghamshire County Council Owen Pritchard "
        "Assistant Director Commissioning Lincolnshire County Council\n"
    )
    assert team(body) == [
        ("lead-dass", "Ruth Ogundipe", "trafford"),
        ("elected-member", "Cllr Peter Lord", "bolton"),
        ("director", "Kate Brennan", "nottinghamshire"),
        ("director", "Owen Pritchard", "lincolnshire"),
    ]


def test_a_team_introduced_inside_a_paragraph_and_under_a_lead_in():
    body = (
        "# Kirklees Council\n\nThank you for hosting us. Members of the team were:\n\n"
        "Dan Okafor, Director of Adult Social Care, Wakefield Council and Cllr Sue Breary, "
        "Rotherham MBC\n\nBeth Carr, Programme Manager, ADASS Yorkshire and Humber\n\n"
        "The peer review team's thanks go to everyone who organised the week and told us about "
        "their experiences.\n"
    )
    assert team(body) == [
        ("lead-dass", "Dan Okafor", "wakefield"),
        ("elected-member", "Cllr Sue Breary", "rotherham"),
        ("coordinator", "Beth Carr", None),
    ]


def test_a_team_table_of_role_name_and_council():
    body = (
        "# Suffolk County Council\n\nThe peer team was:\n\n"
        "| Role | Name | Council |\n| --- | --- | --- |\n"
        "| Lead peer | Joanna Pryce | Hertfordshire County Council |\n"
        "| Member peer | Cllr Derek Vine | Lincolnshire County Council |\n"
        "| Principal social worker peer | Lucy Hargreaves | Peterborough City Council |\n"
    )
    assert team(body) == [
        ("lead-dass", "Joanna Pryce", "hertfordshire"),
        ("elected-member", "Cllr Derek Vine", "lincolnshire"),
        ("principal-social-worker", "Lucy Hargreaves", "peterborough"),
    ]


def test_the_host_councils_own_people_are_never_reviewers():
    body = (
        "# Devon County Council\n\nThe peer challenge of Devon County Council took place on 21-23 "
        "May 2024. The peers were: Cllr Meera Patel, Bristol City Council; Ruth Anstey, Head of "
        "Safeguarding, Devon County Council; and Jon Pascoe, Principal Social Worker, Cornwall "
        "Council. We are grateful to Cllr Graham Doyle, Cabinet Member for Adult Social Care.\n"
    )
    assert team(body) == [
        ("elected-member", "Cllr Meera Patel", "bristol"),
        ("principal-social-worker", "Jon Pascoe", "cornwall"),
    ]


def test_the_letters_signature_is_its_lead_peer():
    body = (
        "# Devon County Council\n\nDear Tess,\n\nThe peer challenge of Devon County Council took "
        "place on 21-23 May 2024.\n\nYours sincerely,\n\n## Alan Crewe\n\nDirector of Adult Social "
        "Services, Somerset Council\n\nLead peer, ADASS South West peer review\n"
    )
    assert team(body) == [("lead-dass", "Alan Crewe", "somerset")]


# --- recommendations --------------------------------------------------------------------------


def recommendations(body: str) -> list[tuple[str, bool, str | None]]:
    return [(r.text, r.listed, r.number) for r in read(body).recommendations]


def test_recommendations_in_a_table_keep_their_numbers_and_wrapped_cells():
    body = (
        "# Hampshire County Council\n\n## Action plan\n\n"
        "| No. | Recommendation | Lead | Timescale |\n| --- | --- | --- | --- |\n"
        "| 1 | Reduce waiting times for Care Act assessments | Assistant Director | March 2025 |\n"
        "| 2 | Agree a joint protocol with Children's Services for | Assistant Director "
        "| December |\n"
        "|  | young people from the age of 14 | (Transitions) | 2024 |\n"
    )
    assert recommendations(body) == [
        ("Reduce waiting times for Care Act assessments", True, "1"),
        (
            "Agree a joint protocol with Children's Services for young people from the age of 14",
            True,
            "2",
        ),
    ]


def test_items_under_a_lead_in_and_noun_phrase_items_are_listed_recommendations():
    body = (
        "# Leeds City Council\n\nThe team's recommendations to the Council were:\n\n"
        "- Greater diversity in the home care market, including smaller providers\n"
        "- A carers' assessment offered every time the person cared for is assessed\n\n"
        "Based on what we found, we suggest that the Council:\n\n"
        "- works with the mental health trust on a joint plan for crisis assessments\n"
    )
    assert [(text[:20], listed) for text, listed, _ in recommendations(body)] == [
        ("Greater diversity in", True),
        ("A carers' assessment", True),
        ("works with the menta", True),
    ]


def test_advice_in_prose_is_drawn_as_a_recommendation_and_descriptions_are_not():
    body = (
        "# Walsall Council\n\nThe challenge provided an opportunity to reflect on progress. The "
        "team suggests the Council commissions specialist dementia nursing capacity jointly with "
        "the ICB, and completes the review of the AMHP rota it has begun. It may be worth "
        'reviewing how concerns are screened. Cllr Smith said: "We need to do better on waits."\n'
    )
    found = recommendations(body)
    assert all(not listed for _, listed, _ in found)
    assert [text.split()[0] for text, _, _ in found] == ["The", "completes", "It"]


def test_a_committees_own_recommendations_are_not_the_teams():
    body = (
        "# Leeds City Council\n\n## Recommendations\n\nExecutive Board is asked to:\n\n"
        "- (a) note the findings of the adult social care peer challenge;\n"
        "- (b) endorse the improvement plan at Appendix B.\n\n"
        "(1.1) That the Select Committee notes the findings of the peer challenge.\n"
    )
    assert recommendations(body) == []


# --- themes -----------------------------------------------------------------------------------


def test_one_clear_finding_is_enough_in_a_short_summary():
    body = (
        "# Salford City Council\n\n## Executive summary\n\nThe case management system introduced "
        "last year has not yet settled, and practitioners spend too long on recording.\n"
    )
    assert "technology-digital" in [t.id for t in read(body).themes]


@pytest.mark.parametrize(
    ("text", "theme", "present"),
    [
        ("Recruiting and retaining social workers is hard.", "workforce", True),
        ("Staff morale in the locality teams is good.", "workforce", True),
        (
            "The service faces financial challenges and reductions in spend.",
            "finance-resources",
            True,
        ),
        ("The section 75 agreement with the trust needs refreshing.", "integration-health", True),
        ("The S75 agreement is out of date.", "integration-health", True),
        ("The IT system is slow.", "technology-digital", True),
        ("Staff said it is slow to change.", "technology-digital", False),
        (
            "Residents shaping services is an aspiration rather than a habit.",
            "co-production-lived-experience",
            True,
        ),
        (
            "Children's services and adult services plan together for young people turning 18.",
            "transitions",
            True,
        ),
        ("Children's services are rated good by Ofsted.", "transitions", False),
        ("The Care Quality Commission will assess the council.", "commissioning-market", False),
        ("The in-house team is small.", "housing", False),
    ],
)
def test_themes_are_found_by_concept_and_in_context(text, theme, present):
    assert (theme in themes_in(text, REFERENCE)) is present


def test_a_scope_statement_is_not_a_finding():
    body = (
        "# Walsall Council\n\nThe Council asked the team to focus on carers, hospital discharge "
        "and the workforce. The team met more than a hundred people, including carers.\n"
    )
    assert read(body).themes == []


def test_every_theme_says_why_it_passed():
    body = (
        "# Walsall Council\n\n## Areas for consideration\n\n- Carers' assessments are late.\n"
        "- Respite for carers is hard to find.\n"
    )
    carers = next(t for t in read(body).themes if t.id == "carers")
    assert carers.sentences == 2
    assert carers.reason.startswith("2 sentences scored")
    assert all(e.kind == "development" for e in carers.evidence)
