"""Review teams read from their general shape: a person's name, a role and an organisation,
in the layouts councils, the LGA and ADASS use, and never the host council's own people.

Every text here is invented; the names belong to no one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finalletters import register
from finalletters.analyse import analyse
from finalletters.analyse.team import role_of

REFERENCE = register.load(Path(__file__).parents[1] / "letters")

Member = tuple[str, str | None, str | None]


def read(body: str):
    return analyse(body, REFERENCE, today=dt.date(2025, 6, 1))


def team(body: str) -> list[Member]:
    return [(m.role, m.name, m.organisation) for m in read(body).team]


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Dr Amara Osei",
        "Cllr Niamh O'Neill",
        "Professor Ravi Menon OBE",
        "Fergus McAllister",
        "Hannah Smith-Jones",
        "Pieter van der Berg",
        "J. Patel",
        "Zoë Adebayo",
        "Councillor Siân Lloyd-Evans MBE",
        "Mary-Kate DeSouza",
    ],
)
def test_a_reviewers_name_is_read_in_every_shape_names_take(name):
    body = f"# Walsall Council\n\n## The peer team\n\n- {name}, Assistant Director, Wigan Council\n"
    assert [m.name for m in read(body).team] == [name]


# --- roles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "role"),
    [
        ("Lead peer", "lead-dass"),
        ("Lead reviewer", "lead-dass"),
        ("Director of Adult Social Services", "lead-dass"),
        ("Member peer", "elected-member"),
        ("Lead Member for Adult Social Care", "elected-member"),
        ("Officer peer", "director"),
        ("Officer peer, Director of Adult Social Services", "director"),
        ("Commissioning peer", "director"),
        ("Public health peer", "director"),
        ("Operational peer", "director"),
        ("Executive Director of People", "director"),
        ("Assistant Director", "director"),
        ("Assistant Director of Adult Social Care", "director"),
        ("Deputy Director of Adult Social Services", "director"),
        ("Head of Service", "director"),
        ("Consultant in Public Health", "director"),
        ("Strategic Lead for Prevention", "director"),
        ("Principal Occupational Therapist", "occupational-therapist"),
        ("Principal Social Worker", "principal-social-worker"),
        ("Head of Business Intelligence", "data-specialist"),
        ("Performance peer", "data-specialist"),
        ("Expert by Experience", "lived-experience"),
        ("Peer challenge manager", "coordinator"),
        ("Care and Health Improvement Adviser", "coordinator"),
        ("Senior Adviser, Local Government Association", "coordinator"),
    ],
)
def test_role_words_councils_use_map_onto_the_roles_of_letter_yml(words, role):
    found = role_of(words)
    assert found is not None and found.value == role


# --- layouts ----------------------------------------------------------------------------------


def test_a_bulleted_list_with_the_role_in_brackets_at_the_end():
    body = (
        "# Walsall Council\n\n## The peer team\n\nThe peers were:\n\n"
        "- Jane Okoro, Director of Adult Social Services, London Borough of Hounslow (lead peer)\n"
        "- Councillor Bill McAllister, Royal Borough of Greenwich (member peer)\n"
        "- Sarah O'Neill, Assistant Director, Adult Social Care, Wigan MBC (officer peer)\n"
        "- Dr Pieter van der Berg, Head of Business Intelligence, Kent County Council\n"
        "- Amy Smith-Jones, Principal Occupational Therapist, City of Bradford Metropolitan "
        "District Council\n"
        "- J. Patel, Expert by Experience\n"
        "- Mark Hughes, Peer Challenge Manager, LGA\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("elected-member", "Councillor Bill McAllister", "greenwich"),
        ("director", "Sarah O'Neill", "wigan"),
        ("data-specialist", "Dr Pieter van der Berg", "kent"),
        ("occupational-therapist", "Amy Smith-Jones", "bradford"),
        ("lived-experience", "J. Patel", None),
        ("coordinator", "Mark Hughes", None),
    ]


def test_a_list_with_each_role_above_its_name():
    body = (
        "# Walsall Council\n\n## Peer challenge team\n\n"
        "Lead Peer\n\nJane Okoro\n\nDirector of Adult Social Services, Hounslow\n\n"
        "Member Peer\n\nCllr Bill Ray\n\nLeeds City Council\n\n"
        "Officer Peer\n\nPriya Shah\n\nHead of Service, Adult Social Care, Stockport MBC\n\n"
        "Peer Challenge Manager\n\nTom Hall\n\nLocal Government Association\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("elected-member", "Cllr Bill Ray", "leeds"),
        ("director", "Priya Shah", "stockport"),
        ("coordinator", "Tom Hall", None),
    ]


def test_a_list_with_each_name_above_its_role():
    body = (
        "# Walsall Council\n\n## Peer team\n\n"
        "Jane Okoro\n\nExecutive Director of People, Hounslow Council, Lead Peer\n\n"
        "Cllr Bill Ray\n\nMember Peer, Leeds City Council\n\n"
        "Priya Shah\n\nPrincipal Social Worker, Stockport MBC\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("elected-member", "Cllr Bill Ray", "leeds"),
        ("principal-social-worker", "Priya Shah", "stockport"),
    ]


def test_a_list_of_name_role_council_and_peer_label_between_dashes():
    body = (
        "# Walsall Council\n\n## The peer team\n\n"
        "- Jane Okoro – Director of Adult Social Services, Hounslow Council – Lead Peer\n"
        "- Cllr Bill Ray – Leeds City Council – Member Peer\n"
        "- Priya Shah – Assistant Director Adult Social Care – Stockport Council – Officer Peer\n"
        "- Tom Hall – Local Government Association – Peer Challenge Manager\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("elected-member", "Cllr Bill Ray", "leeds"),
        ("director", "Priya Shah", "stockport"),
        ("coordinator", "Tom Hall", None),
    ]


def test_a_table_of_name_role_and_organisation():
    body = (
        "# Walsall Council\n\n## Membership of the peer team\n\n"
        "| Name | Role | Organisation |\n| --- | --- | --- |\n"
        "| Jane Okoro | Lead Peer – Director of Adult Social Services | London Borough of "
        "Hounslow |\n"
        "| Cllr Bill Ray | Member Peer | Leeds City Council |\n"
        "| Priya Shah | Officer Peer – Head of Business Intelligence | Stockport MBC |\n"
        "| Ola Ade | Expert by Experience | Think Local Act Personal |\n"
        "| Tom Hall | Peer Challenge Manager | LGA |\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("elected-member", "Cllr Bill Ray", "leeds"),
        ("director", "Priya Shah", "stockport"),
        ("lived-experience", "Ola Ade", None),
        ("coordinator", "Tom Hall", None),
    ]


def test_table_rows_read_as_lines_of_text_without_commas():
    body = (
        "# Walsall Council\n\nThe peer team\n\n"
        "Lead Peer Jane Okoro Director of Adult Social Services Hounslow Council\n\n"
        "Member Peer Cllr Bill Ray Leeds City Council\n\n"
        "Officer Peer Priya Shah Assistant Director Stockport MBC\n\n"
        "Peer Challenge Manager Tom Hall Local Government Association\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("elected-member", "Cllr Bill Ray", "leeds"),
        ("director", "Priya Shah", "stockport"),
        ("coordinator", "Tom Hall", None),
    ]


def test_a_semicolon_list_in_one_sentence():
    body = (
        "# Walsall Council\n\nThe peer team comprised: Jane Okoro, Director of Adult Social "
        "Services, Hounslow Council (lead peer); Cllr Bill Ray, Leeds City Council (member "
        "peer); Priya Shah, Assistant Director, Stockport Metropolitan Borough Council; and Tom "
        "Hall, LGA Peer Challenge Manager.\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("elected-member", "Cllr Bill Ray", "leeds"),
        ("director", "Priya Shah", "stockport"),
        ("coordinator", "Tom Hall", None),
    ]


def test_a_team_in_prose_led_by_and_including_with_roles_in_brackets():
    body = (
        "# Walsall Council\n\nThe peer challenge team was led by Jane Okoro (Director of Adult "
        "Social Services, Hounslow Council) and included Cllr Bill Ray (Leeds City Council), "
        "Priya Shah (Head of Commissioning, Stockport MBC) and an expert by experience.\n\n"
        'Councillor Ann Black, Cabinet Member for Adult Social Care, said: "We welcome the '
        'findings."\n'
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("elected-member", "Cllr Bill Ray", "leeds"),
        ("director", "Priya Shah", "stockport"),
    ]


def test_the_person_the_team_was_led_by_is_its_lead_whatever_their_title():
    body = (
        "# Walsall Council\n\nThe team was led by Jane Okoro, Executive Director of People at "
        "Hounslow Council, and included Priya Shah, Director of Adult Social Care at Stockport "
        "Council.\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("director", "Priya Shah", "stockport"),
    ]


def test_the_lead_peer_named_in_a_news_release():
    body = (
        "# Walsall Council\n\n## Peer review praises adult social care\n\nThe review team, led "
        "by Jane Okoro, Director of Adult Social Services at Hounslow Council, spent three days "
        "in Walsall in March.\n\nKerrie Allward, Executive Director of Adult Social Care, said: "
        '"We are proud of our staff."\n'
    )
    assert team(body) == [("lead-dass", "Jane Okoro", "hounslow")]


def test_the_lead_peer_welcomed_to_a_meeting_and_not_the_host_officer_beside_them():
    body = (
        "# Walsall Council\n\nThe Chair welcomed Jas Kaur, Director of Adult Social Care at "
        "Leicester City Council, who had led the peer challenge, and Rebecca Stowell, the "
        "Council's Director of Adult Social Services, who introduced the report.\n"
    )
    assert team(body) == [("lead-dass", "Jas Kaur", "leicester")]


def test_a_signature_with_post_nominals_and_the_role_on_the_lines_below():
    body = (
        "# Walsall Council\n\nDear Kerrie,\n\nThank you for hosting us.\n\nYours sincerely\n\n"
        "Jane Okoro MBE\n\nLead Peer\n\nDirector of Adult Social Services, Royal Borough of "
        "Windsor and Maidenhead\n"
    )
    assert team(body) == [("lead-dass", "Jane Okoro MBE", "windsor-and-maidenhead")]


def test_titles_and_post_nominals_in_a_labelled_list():
    body = (
        "# Walsall Council\n\n## The team\n\n"
        "- Lead peer: Professor Sam Okafor OBE, Corporate Director, Adults and Health, Sefton "
        "Council\n"
        "- Member peer: Cllr Mary O'Brien, Lead Member for Adult Social Care, Cheshire East "
        "Council\n"
        "- Officer peer: Liam McAllister, Head of Adult Safeguarding, Wirral Council\n"
        "- Public health peer: Dr Ruth Gale, Consultant in Public Health, Wirral\n"
        "- Finance peer: David Ng, Head of Finance (People), Trafford Council\n"
    )
    assert team(body) == [
        ("lead-dass", "Professor Sam Okafor OBE", "sefton"),
        ("elected-member", "Cllr Mary O'Brien", "cheshire-east"),
        ("director", "Liam McAllister", "wirral"),
        ("director", "Dr Ruth Gale", "wirral"),
        ("director", "David Ng", "trafford"),
    ]


@pytest.mark.parametrize(
    ("council", "slug"),
    [
        ("London Borough of Hounslow", "hounslow"),
        ("Royal Borough of Greenwich", "greenwich"),
        ("Wigan MBC", "wigan"),
        ("Wigan Metropolitan Borough Council", "wigan"),
        ("Leeds City Council", "leeds"),
        ("City of York Council", "york"),
        ("Kent County Council", "kent"),
        ("Stockport", "stockport"),
        ("Newcastle City Council", "newcastle-upon-tyne"),
        ("Brighton and Hove City Council", "brighton-and-hove"),
    ],
)
def test_a_reviewers_council_is_read_however_it_is_written(council, slug):
    body = (
        f"# Walsall Council\n\n## The peer team\n\n- Lead peer: Jane Okoro, Director of Adult "
        f"Social Services, {council}\n"
    )
    assert team(body) == [("lead-dass", "Jane Okoro", slug)]


@pytest.mark.parametrize(
    "organisation",
    [
        "Local Government Association",
        "LGA",
        "ADASS West Midlands",
        "East Midlands ADASS",
        "NHS Kent and Medway",
        "Partners in Care and Health",
    ],
)
def test_a_reviewer_from_a_body_that_is_not_a_council_has_no_council(organisation):
    body = (
        "# Walsall Council\n\n## The peer team\n\n"
        f"- Officer peer: Priya Shah, Senior Manager, {organisation}\n"
        "- Member peer: Cllr Bill Ray, Leeds City Council\n"
    )
    assert team(body) == [
        ("director", "Priya Shah", None),
        ("elected-member", "Cllr Bill Ray", "leeds"),
    ]


# --- who is not a reviewer ----------------------------------------------------------------------


def test_host_officials_thanked_or_quoted_are_not_reviewers():
    body = (
        "# Walsall Council\n\n## Acknowledgements\n\nThe peer team would like to thank Kerrie "
        "Allward, Executive Director of Adult Social Care, Cllr Keir Pedley, Portfolio Holder "
        "for Adult Social Care, and all the staff of Walsall Council.\n\n"
        "## The peer team\n\n- Jane Okoro, Director of Adult Social Services, Hounslow (lead "
        "peer)\n\n"
        "The team was hosted by Mandy Lowe, Head of Adult Social Care, who arranged the "
        "programme.\n"
    )
    assert team(body) == [("lead-dass", "Jane Okoro", "hounslow")]


def test_a_sentence_in_a_team_section_that_describes_rather_than_lists_adds_no_one():
    body = (
        "# Walsall Council\n\n## The peer team\n\nPeer challenges are delivered by experienced "
        "elected member and officer peers. The make-up of the team reflected the focus the "
        "council asked for. The team met Kerrie Allward and her senior managers on the first "
        "morning.\n\n- Jane Okoro, Director of Adult Social Services, Hounslow (lead peer)\n"
    )
    assert team(body) == [("lead-dass", "Jane Okoro", "hounslow")]


def test_a_reviewer_with_a_role_and_council_but_no_name_is_kept_and_warned():
    body = (
        "# Walsall Council\n\n## The peer team\n\n- Lead peer: Director of Adult Social "
        "Services, Hounslow Council\n- Member peer: Leeds City Council\n"
    )
    result = read(body)
    assert [(m.role, m.name, m.organisation) for m in result.team] == [
        ("lead-dass", None, "hounslow"),
        ("elected-member", None, "leeds"),
    ]
    assert len(result.warnings_for("team")) == 2


def test_reviewers_named_by_role_alone_in_prose_are_a_warning_not_entries():
    body = (
        "# Walsall Council\n\nThe peer team was led by a Director of Adult Social Services and "
        "included an elected member, two senior officers and an expert by experience from "
        "other councils.\n"
    )
    result = read(body)
    assert result.team == []
    assert result.warnings_for("team"), "the unnamed reviewers are mentioned in a warning"


def test_a_paragraph_that_starts_with_a_team_label():
    body = (
        "# Walsall Council\n\nPeer team: Jane Okoro (Lead Peer), Director of Adult Social "
        "Services, Hounslow LBC; Cllr Bill Ray (Member Peer), Leeds City Council; Tom Hall "
        "(Peer Challenge Manager), LGA.\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "hounslow"),
        ("elected-member", "Cllr Bill Ray", "leeds"),
        ("coordinator", "Tom Hall", None),
    ]


def test_the_lead_peer_named_after_their_role_in_a_sentence():
    body = (
        "# Walsall Council\n\nPresenting the findings, the lead peer, Jane Okoro, said the "
        "council should be proud of its staff.\n"
    )
    assert team(body) == [("lead-dass", "Jane Okoro", None)]


def test_someone_joined_by_a_host_officer_is_not_a_team():
    body = (
        "# Walsall Council\n\nThe Cabinet Member was joined by Kerrie Allward, Executive "
        "Director of Adult Social Care, to present the report.\n"
    )
    assert team(body) == []


def test_a_table_whose_organisation_cell_wraps_onto_the_next_row():
    body = (
        "# Walsall Council\n\n## The peer team\n\n"
        "| Jane Okoro | Lead Peer, Director of Adult Social | Royal Borough of |\n"
        "|  | Services | Greenwich |\n"
        "| Cllr Bill Ray | Member Peer | Leeds City Council |\n"
    )
    assert team(body) == [
        ("lead-dass", "Jane Okoro", "greenwich"),
        ("elected-member", "Cllr Bill Ray", "leeds"),
    ]


def test_role_labels_set_as_sub_headings_of_the_team_section():
    body = (
        "# Walsall Council\n\n## 2. The peer team\n\nThe peers who took part in the challenge "
        "were:\n\n### Lead peer\n\nDr Asha Menon, Director of Adult Social Services, Essex "
        "County Council\n\n### Member peer\n\nCllr Rhys Powell, Shropshire Council\n\n"
        "### Expert by experience\n\nGlen Tait, Carers' Voice Network\n\n## 3. Key messages\n\n"
        "Staff are proud to work for the council.\n"
    )
    assert team(body) == [
        ("lead-dass", "Dr Asha Menon", "essex"),
        ("elected-member", "Cllr Rhys Powell", "shropshire"),
        ("lived-experience", "Glen Tait", None),
    ]


def test_a_sentence_of_thanks_that_lists_the_peers_after_a_colon():
    body = (
        "# Walsall Council\n\nWe are grateful to Kerrie Allward, Executive Director, and to "
        "the peers who gave their time: Cllr Rhys Powell from Shropshire Council; Ruth Gale, "
        "Head of Commissioning at Sandwell Council; and our peer challenge manager, Omar Aziz, "
        "from the LGA.\n"
    )
    assert team(body) == [
        ("elected-member", "Cllr Rhys Powell", "shropshire"),
        ("director", "Ruth Gale", "sandwell"),
        ("coordinator", "Omar Aziz", None),
    ]


def test_the_peers_signing_under_the_lead_on_behalf_of_the_team():
    body = (
        "# Walsall Council\n\nYours sincerely,\n\n## Asha Menon\n\nLead Peer – Director of "
        "Adult Social Services, Essex County Council\n\nOn behalf of the peer team:\n\n"
        "Cllr Rhys Powell, Shropshire Council\n\nRuth Gale, Principal Social Worker, Sandwell "
        "Council\n\nOmar Aziz, Peer Review Coordinator, ADASS East Midlands\n"
    )
    assert team(body) == [
        ("lead-dass", "Asha Menon", "essex"),
        ("elected-member", "Cllr Rhys Powell", "shropshire"),
        ("principal-social-worker", "Ruth Gale", "sandwell"),
        ("coordinator", "Omar Aziz", None),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The challenge was managed by Omar Aziz of the LGA.",
        "Omar Aziz of East Midlands ADASS managed the peer challenge.",
        "The review was co-ordinated by Omar Aziz.",
    ],
)
def test_the_one_who_managed_the_challenge_is_its_coordinator(sentence):
    body = (
        f"# Walsall Council\n\nThe team was led by Asha Menon, Essex County Council. {sentence}\n"
    )
    assert team(body) == [("lead-dass", "Asha Menon", "essex"), ("coordinator", "Omar Aziz", None)]


def test_a_progress_review_by_two_members_of_the_original_team_and_the_writer():
    body = (
        "# Walsall Council\n\nCllr Rhys Powell (Shropshire Council) and I spent two days with "
        "your teams. The review was carried out by two members of the original team, supported "
        "by Omar Aziz of ADASS East Midlands. We were joined for a morning by Cllr Keir Pedley, "
        "Portfolio Holder for Adult Social Care.\n"
    )
    assert team(body) == [
        ("elected-member", "Cllr Rhys Powell", "shropshire"),
        ("coordinator", "Omar Aziz", None),
    ]


def test_table_rows_that_ran_together_give_their_labels_and_councils_in_order():
    body = (
        "# Walsall Council\n\n## The peer team\n\n"
        "| Officer peer Data peer | Ruth Gale, Assistant Director, Sandwell Council Ian Holt, "
        "Head of Insight, Dudley Council |\n"
        "| Cllr Rhys Powell Asha Menon | Member peer; Shropshire Council Lead peer, Director of "
        "Adult Social Services, Essex County Council |\n"
    )
    assert team(body) == [
        ("director", "Ruth Gale", "sandwell"),
        ("data-specialist", "Ian Holt", "dudley"),
        ("elected-member", "Cllr Rhys Powell", "shropshire"),
        ("lead-dass", "Asha Menon", "essex"),
    ]


def test_a_council_name_wrapped_onto_the_next_line_of_a_table():
    body = (
        "# Walsall Council\n\n## The peer team\n\nAsha Menon, Director of Adult Social "
        "Services, North Lead peer\n\nYorkshire Council\n\nCllr Rhys Powell, Member peer, "
        "Shropshire\n\nCouncil\n"
    )
    assert team(body) == [
        ("lead-dass", "Asha Menon", "north-yorkshire"),
        ("elected-member", "Cllr Rhys Powell", "shropshire"),
    ]


def test_a_table_of_the_team_without_a_heading_is_read_whole():
    body = (
        "# Walsall Council\n\nThank you for hosting us.\n\n"
        "| Lead peer | Asha Menon, Director of Adult Social Services, Essex County Council |\n"
        "| Coordinator | Omar Aziz, ADASS East Midlands |\n\n## What we found\n\n"
        "| 1 | Agree the plan | Kerrie Allward, Executive Director |\n"
    )
    assert team(body) == [("lead-dass", "Asha Menon", "essex"), ("coordinator", "Omar Aziz", None)]


@pytest.mark.parametrize(
    "body_name",
    [
        "Humber Coast NHS Partnership",
        "Lancashire and South Cumbria ICB",
        "Leeds Teaching Hospitals NHS Trust",
        "Healthwatch Kent",
        "a user-led organisation in County Durham",
    ],
)
def test_a_place_in_the_name_of_a_body_is_not_the_reviewers_council(body_name):
    body = (
        "# Walsall Council\n\n## The peer team\n\n"
        f"- Health peer: Dr Ellen Marsh, Associate Director, {body_name}\n"
    )
    assert team(body) == [("director", "Dr Ellen Marsh", None)]


HOST_PEOPLE = {
    "minutes": (
        "# Walsall Council\n\nPresent: Councillor A. Nazir (Chair), Councillors Bird, Cooper "
        "and Smith.\n\nOfficers in attendance: Kerrie Allward, Executive Director of Adult "
        "Social Care; Tony Meadows, Head of Finance.\n\n## 14. Adult Social Care Peer "
        "Challenge\n\nThe Executive Director introduced the report on the peer challenge, led "
        "by the Director of Adult Social Services of a neighbouring authority. Councillor Bird "
        "asked about waiting times.\n"
    ),
    "committee report": (
        "# Walsall Council\n\nReport of: Kerrie Allward, Executive Director of Adult Social "
        "Care\n\nReport author: Jane Hall, Head of Quality and Performance\n\n## Background\n\n"
        "The peer challenge took place from 5 to 7 March 2024. Contact officer: Jane Hall, "
        "Head of Quality and Performance.\n"
    ),
    "news release": (
        "# Walsall Council\n\nCouncillor Keir Pedley, Portfolio Holder for Adult Social Care, "
        'said: "The review team were impressed by our staff."\n\nFor media enquiries contact '
        "Sam Jones, Communications Officer.\n"
    ),
    "people the team met": (
        "# Walsall Council\n\n## Introduction\n\nThe peer team met with Kerrie Allward, "
        "Executive Director, Cllr Keir Pedley, Portfolio Holder, and Dr Helen Marsh, Director "
        "of Public Health. The peer team heard from Dr Peter Roe, Chair of the Safeguarding "
        "Adults Board, that partners are engaged.\n\n## Acknowledgements\n\nThe peer team "
        "were very well looked after by Jane Hall, Business Support Officer.\n"
    ),
}


@pytest.mark.parametrize("genre", sorted(HOST_PEOPLE))
def test_the_hosts_officers_and_members_in_each_genre_are_never_reviewers(genre):
    assert team(HOST_PEOPLE[genre]) == []
