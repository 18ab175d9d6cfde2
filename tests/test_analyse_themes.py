"""Themes from findings in ordinary council and LGA words, in texts the length of the
summaries and openings councils publish; passing mentions are not themes. Every text here is
invented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finalletters import register
from finalletters.analyse import analyse

REFERENCE = register.load(Path(__file__).parents[1] / "letters")


def themes(body: str) -> set[str]:
    return set(analyse(body, REFERENCE, today=dt.date(2025, 6, 1)).theme_ids)


@pytest.mark.parametrize(
    ("finding", "theme"),
    [
        ("Family carers told the team that they could not get a break at short notice.", "carers"),
        ("People left hospital promptly and most went straight home.", "hospital-discharge"),
        ("People leaving the infirmary wait too long to get home.", "hospital-discharge"),
        (
            "Community groups help people stay independent in their own communities.",
            "prevention-early-help",
        ),
        (
            "The enablement at home service helps people regain their independence.",
            "prevention-early-help",
        ),
        ("Frontline practice is good and people are treated with respect.", "practice-quality"),
        (
            "The people's panel rewrote the council's leaflets in plain English.",
            "co-production-lived-experience",
        ),
        (
            "The learning disability budget is forecast to overspend by two million pounds.",
            "finance-resources",
        ),
        ("Black men are more likely than white men to be detained.", "equality-diversity"),
        ("Assessments under the Mental Health Act can wait many hours at night.", "mental-health"),
        ("There is too little extra care and supported living in the borough.", "housing"),
        (
            "Audits of case files happen, but their findings are not brought together.",
            "quality-assurance-improvement",
        ),
        (
            "Care homes in the north are closing and providers cannot find staff.",
            "commissioning-market",
        ),
        ("The relationship with the NHS is strong and budgets are pooled.", "integration-health"),
    ],
)
def test_one_clear_finding_in_a_short_summary_is_a_theme(finding, theme):
    body = f"# Walsall Council\n\n## Summary of findings\n\nStaff are proud of it. {finding}\n"
    assert theme in themes(body)


@pytest.mark.parametrize(
    ("sentence", "theme"),
    [
        ("We met the leadership team, frontline staff, carers, providers and partners.", "carers"),
        (
            "We met the leadership team, frontline staff, carers, providers and partners.",
            "commissioning-market",
        ),
        (
            "We met the leadership team, frontline staff, carers, providers and partners.",
            "leadership-governance",
        ),
        ("Thank you for your hospitality during the visit to the council.", "hospital-discharge"),
        (
            "The report was written by Jo Bell, Head of Quality and Practice.",
            "quality-assurance-improvement",
        ),
        (
            "Cllr Bird, Cabinet Member for Adult Social Care and Housing, welcomed the team.",
            "housing",
        ),
        (
            "The front door is friendly and most people get advice on the same day.",
            "assessment-waiting-lists",
        ),
        (
            "Staff in the multi-agency teams work across three sites in the borough.",
            "commissioning-market",
        ),
        (
            "The visit provided an opportunity for staff to reflect on their practice.",
            "practice-quality",
        ),
        ("Staff feel the culture has changed and that they are listened to.", "equality-diversity"),
        (
            "Greater diversity in the home care market would give people more choice.",
            "equality-diversity",
        ),
    ],
)
def test_a_passing_mention_is_not_a_theme(sentence, theme):
    body = f"# Walsall Council\n\n## Summary\n\nThe challenge took place in May 2024. {sentence}\n"
    assert theme not in themes(body)


def test_a_host_officials_quoted_pride_is_not_a_finding():
    body = (
        "# Walsall Council\n\nA review by senior colleagues from other councils has been "
        'published.\n\nCllr Keir Pedley, Portfolio Holder, said: "This is a credit to our staff '
        'and to the voluntary groups we work with."\n'
    )
    assert themes(body) == set()


def test_findings_listed_in_one_sentence_count_one_by_one():
    body = (
        "# Walsall Council\n\n## Findings\n\nThe main concerns were the number of people waiting "
        "for a Care Act assessment; the quality of care in care homes that providers could not "
        "staff; the lack of a clear offer for young carers; and the overspend on the budget.\n"
    )
    assert {
        "assessment-waiting-lists",
        "commissioning-market",
        "carers",
        "finance-resources",
    } <= themes(body)


def test_a_headline_naming_a_theme_does_not_make_every_sentence_about_it():
    body = (
        "# Walsall Council\n\n## Peers say Walsall's digital front door is leading the way\n\n"
        "The team spent four days with the council. Staff were welcoming and open. Residents "
        "can now find information online.\n"
    )
    assert "assessment-waiting-lists" not in themes(body)


SUMMARY = (
    "# Anyshire County Council\n\n## Adult social care peer challenge: executive summary\n\n"
    "The peer team spent three days with the council in February 2024. The council has "
    "invested in helping people to live independently at home for as long as possible.\n\n"
    "The team found a committed and stable workforce. Staff spoke highly of their managers, "
    "and turnover in the social work teams is low. However, the council struggles to recruit "
    "home care workers in the market towns, and people can wait weeks for a package of care.\n\n"
    "The adult social care budget overspent by £7 million last year.\n\n"
    "Relationships with the NHS are good at the front line, but there is no shared plan for "
    "intermediate care and too many people are still waiting in hospital for care at home.\n\n"
    "Unpaid carers told the team that they do not know where to turn for help.\n"
)
MINUTES = (
    "# Otherton City Council\n\nMinutes of the meeting held on 12 June 2024\n\n## 5. Adult "
    "social care peer challenge\n\nThe Director presented the findings of the peer challenge "
    "held in March 2024. The peer team had found strong leadership and a clear vision, good "
    "use of data by team managers, and a well-run occupational therapy service that delivers "
    "equipment quickly. The team had been concerned about the lack of supported housing for "
    "younger adults with a learning disability, and about the quality assurance of case work, "
    "where audits were infrequent.\n\nRESOLVED that the findings be noted.\n"
)


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        (
            SUMMARY,
            {
                "prevention-early-help",
                "workforce",
                "commissioning-market",
                "finance-resources",
                "integration-health",
                "hospital-discharge",
                "carers",
            },
        ),
        (
            MINUTES,
            {
                "leadership-governance",
                "data-performance",
                "occupational-therapy",
                "housing",
                "learning-disability-autism",
                "quality-assurance-improvement",
            },
        ),
    ],
    ids=["executive summary", "minutes"],
)
def test_a_short_document_in_ordinary_words_gets_the_themes_of_its_findings(body, wanted):
    assert wanted <= themes(body), sorted(wanted - themes(body))
