"""Recommendations in the shapes councils, the LGA and ADASS give them, and advice in prose,
read from their general form. Every text here is invented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finalletters import register
from finalletters.analyse import analyse

REFERENCE = register.load(Path(__file__).parents[1] / "letters")


def found(body: str) -> list[tuple[str, bool]]:
    result = analyse(body, REFERENCE, today=dt.date(2025, 6, 1))
    return [(r.text, r.listed) for r in result.recommendations]


def test_lowercase_noun_phrases_under_a_lead_in_that_suggests():
    body = (
        "# Walsall Council\n\n## Key messages\n\n- Staff are proud of the service.\n\n"
        "The peers suggest the council considers:\n\n- a shared plan for respite with carers\n"
        "- a quarterly report on waiting times for members\n\n## The peer team\n\n"
        "- Asha Menon, Essex County Council (lead peer)\n"
    )
    assert found(body) == [
        ("a shared plan for respite with carers", True),
        ("a quarterly report on waiting times for members", True),
    ]


def test_the_lead_in_is_the_last_sentence_of_its_paragraph():
    body = (
        "# Walsall Council\n\nThe team was concerned that carers struggle to get a break. The "
        "peer team's recommendations were:\n\n- a bank of respite hours for carers;\n"
        "- better use of data on unmet need.\n"
    )
    assert [listed for _, listed in found(body)] == [True, True]


def test_a_paragraph_after_a_list_ends_it():
    body = (
        "# Walsall Council\n\n## Recommendations\n\nThe team recommends that the council:\n\n"
        "1. Agree a single waiting list for assessments.\n2. Publish the carers' strategy.\n\n"
        "Thank you again for the welcome we received.\n"
    )
    assert found(body) == [
        ("Agree a single waiting list for assessments.", True),
        ("Publish the carers' strategy.", True),
    ]


def test_noun_phrase_items_that_ask_for_something_under_areas_to_consider():
    body = (
        "# Walsall Council\n\n## Areas for the council to consider\n\n"
        "1. A workforce plan for occupational therapists, agreed with the NHS.\n"
        "2. Earlier involvement of carers in hospital discharge planning.\n\n"
        "## Areas for development\n\n- A lack of respite for carers in the rural north.\n"
        "- A growing number of people waiting for a review.\n"
    )
    assert found(body) == [
        ("A workforce plan for occupational therapists, agreed with the NHS.", True),
        ("Earlier involvement of carers in hospital discharge planning.", True),
    ]


def test_a_table_whose_cells_wrapped_with_the_number_on_the_middle_line():
    body = (
        "# Walsall Council\n\n## Peer team recommendations and our response\n\n"
        "|  | Agree one approach to prioritising | Agreed. A new triage tool will be in place by "
        "the spring and reviewed by the board | Head of Service |\n"
        "| 1 | people who wait for an assessment | in the summer. | March |\n"
        "|  | Publish the carers' strategy | Agreed, with the carers' reference group, who are "
        "writing it | Head of Carers |\n"
        "| 2 | with carers this year | with us. | June |\n"
    )
    assert [(text, listed) for text, listed in found(body)] == [
        ("Agree one approach to prioritising people who wait for an assessment", True),
        ("Publish the carers' strategy with carers this year", True),
    ]


def test_table_rows_that_ran_together_are_split_by_their_numbers():
    body = (
        "# Walsall Council\n\n## Recommendations\n\n"
        "| No. 1 2 | Recommendation Agree a single waiting list for assessments. Publish the "
        "carers' strategy with carers. |\n"
        "| 3 | Review the reablement service with the NHS. |\n"
    )
    assert found(body) == [
        ("Agree a single waiting list for assessments.", True),
        ("Publish the carers' strategy with carers.", True),
        ("Review the reablement service with the NHS.", True),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Consideration should be given to a single waiting list for assessments.",
        "We would also suggest a single waiting list for assessments.",
        "The council might consider a single waiting list for assessments.",
        "The one thing we would ask is that the council agrees a single waiting list.",
        "It will be important to agree a single waiting list for assessments.",
        "There is an opportunity to agree a single waiting list for assessments.",
        "The next step is to agree a single waiting list for assessments.",
        "We would encourage the council to agree a single waiting list for assessments.",
    ],
)
def test_advice_inside_a_paragraph_in_its_many_phrasings(sentence):
    body = f"# Walsall Council\n\nPeople wait too long for an assessment. {sentence}\n"
    assert found(body) == [(sentence, False)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The challenge provided an opportunity to reflect on progress.",
        "The council has a clear view of the areas it needs to improve.",
        "The discharge hub is a model the team would recommend to others.",
        "This letter sets out what we found.",
    ],
)
def test_descriptive_sentences_are_not_advice(sentence):
    assert found(f"# Walsall Council\n\nStaff are proud of the service. {sentence}\n") == []


def test_the_lead_peers_words_in_quotation_marks_are_advice_and_a_cabinet_members_are_not():
    body = (
        '# Walsall Council\n\nAsha Menon, who led the peer team, said: "The council should '
        'agree a single waiting list for assessments."\n\nCllr Keir Pedley, Portfolio '
        'Holder, said: "We need to publish the carers\' strategy this year."\n'
    )
    assert found(body) == [
        ("The council should agree a single waiting list for assessments.", False)
    ]


def test_advice_cut_by_a_page_break_and_a_running_footer_is_read_whole():
    body = (
        "# Walsall Council\n\nThe team's advice is that the council should now agree a single "
        "waiting list for assessments, and publish the\n\nWalsall Council – peer challenge – "
        "page 2\n\ncarers' strategy before the summer.\n"
    )
    assert [text for text, _ in found(body)] == [
        "The team's advice is that the council should now agree a single waiting list for "
        "assessments",
        "publish the carers' strategy before the summer.",
    ]


def test_a_committees_own_business_and_a_lead_in_are_not_the_teams_recommendations():
    body = (
        "# Walsall Council\n\n## 2. Findings\n\n- (2.8) The peer team recommended that the "
        "council:\n    - (a) agree a single waiting list for assessments;\n\n"
        "## 5. Recommendations\n\nThe Committee is asked to:\n\n- (a) notes the findings of the "
        "peer challenge; and\n- (b) endorses the action plan.\n"
    )
    assert found(body) == [("agree a single waiting list for assessments;", True)]


def test_advice_that_asks_for_two_things_with_should_twice_is_two():
    body = (
        "# Walsall Council\n\nThe council should agree a single plan with the ICB for people "
        "leaving hospital, and should review its offer to carers with carers themselves.\n"
    )
    assert found(body) == [
        ("The council should agree a single plan with the ICB for people leaving hospital", False),
        ("review its offer to carers with carers themselves.", False),
    ]
