"""The regional memory in the built site, from tests/corpus.py and one more letter, as of
corpus.BUILD_DATE (1 March 2023): the matrix, what passages say, themes raised again, the
follow-up page, the alerts, the filter feeds, CQC on council pages, the evaluation's asks and
the tool's precision on /about/, each checked against figures worked out by hand; and two
builds for one date, byte for byte.

The extra letter, walsall/2021-11, raises waiting lists as an area for development, as
walsall/2023-06 does again; its team has a person with lived experience, an occupational
therapist, a data specialist and a Principal Social Worker but no elected member; its R1 has a
revised due date (15 February 2023, with a reason) and its R2 a history from the action plan to
the progress review; its progress review was held on 20 October 2022, within twelve months of
the visit (9 to 11 November 2021); and letter.yml keeps what the tool proposed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import feedparser
import icalendar
import pytest

from finalletters import catalogue, evaluate, register
from finalletters.site import context, trust
from tests import corpus

PAGEFIND = "pagefind/"


def write_extra(letters_dir: Path) -> None:
    corpus._write(
        letters_dir / "walsall" / "2021-11",
        {
            "authority": "walsall",
            "visit": {"start": dt.date(2021, 11, 9), "end": dt.date(2021, 11, 11)},
            "letter_date": dt.date(2021, 12, 14),
            "sample": True,
            "team": [
                {"role": "lead-dass", "name": "Lee Lead", "organisation": "dudley"},
                {"role": "lived-experience", "name": None, "organisation": None},
                {"role": "occupational-therapist", "name": "Olu Therapist",
                 "organisation": "coventry"},
                {"role": "data-specialist", "name": "Dana Data", "organisation": "sandwell"},
                {"role": "principal-social-worker", "name": "Pat Worker",
                 "organisation": "dudley"},
            ],
            "themes": ["assessment-waiting-lists", "workforce"],
            "proposed_themes": ["assessment-waiting-lists", "housing"],
            "recommendations": [
                {"id": "R1", "text": "Reduce waiting lists for assessments with a clear plan.",
                 "themes": ["assessment-waiting-lists"], "status": "in-progress",
                 "history": [{"date": dt.date(2022, 6, 1), "status": "in-progress",
                              "source": "action-plan"}],
                 "due": dt.date(2023, 2, 15),
                 "due_reason": "Agreed with the council at the progress review"},
                {"id": "R2", "text": "Keep the workforce strategy under review with staff.",
                 "themes": ["workforce"], "status": "done",
                 "history": [{"date": dt.date(2022, 3, 1), "status": "in-progress",
                              "source": "action-plan"},
                             {"date": dt.date(2022, 10, 20), "status": "done",
                              "source": "progress-review"}]},
            ],
            "follow_up": {"review_date": dt.date(2022, 10, 20)},
        },
        [corpus._h("Strengths", 2),
         corpus._p("The workforce is stable and staff morale is high; recruitment and retention "
                   "have improved."),
         corpus._h("Areas for development", 2),
         corpus._p("Waiting lists for Care Act assessments are long and some people wait more "
                   "than six months for an assessment."),
         corpus._h("Recommendations", 2),
         corpus._li("Reduce waiting lists for assessments with a clear plan.", number="1"),
         corpus._li("Keep the workforce strategy under review with staff.", number="2")],
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    base = tmp_path_factory.mktemp("memory")
    letters = corpus.write(base / "corpus")
    write_extra(letters.root / "letters")
    corpus.build_site(letters.root, base / "first")
    corpus.build_site(letters.root, base / "second")
    return SimpleNamespace(site=base / "first", again=base / "second", root=letters.root)


def text(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    html = html[html.index("<h1 ") : html.index("</article>")]
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)  # a chart's name and description
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_two_builds_for_one_date_are_byte_identical_new_files_included(built) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and not p.relative_to(root).as_posix().startswith(PAGEFIND)
        }

    first, second = files(built.site), files(built.again)
    assert first.keys() == second.keys()
    for name in ("follow-up/reviews.ics", "follow-up/reviews.xml", "data/council-theme-matrix.csv",
                 "data/council-theme-matrix-wide.csv", "find/feeds/theme-carers.xml",
                 "find/feeds/index.json", "authorities/walsall/reviews.ics",
                 "authorities/walsall/reviews.xml", "learning/recurring/index.html"):  # fmt: skip
        assert name in first, name
    assert [n for n in first if first[n] != second[n]] == []


# ---------------------------------------------------------------------------------------------
# The council × theme matrix, and what passages say


def matrix_cells(site: Path) -> dict[tuple[str, str], tuple[int, ...]]:
    rows = csv.DictReader(io.StringIO((site / "data/council-theme-matrix.csv").read_text()))
    keys = ("letters", "strength", "development", "recommendation")
    return {(r["council"], r["theme"]): tuple(int(r[k]) for k in keys) for r in rows}


def test_the_matrix_csv_counts_each_councils_letters_by_theme_and_what_they_say(built) -> None:
    cells = matrix_cells(built.site)
    assert len(cells) == 14 * 21  # every West Midlands council by every theme, zeros included
    # (letters, as a strength, as an area for development, in recommendations):
    # waiting lists: walsall/2021-11 and 2023-06 each under "Areas for development" and
    # "Recommendations"; workforce: both under "Strengths" and "Recommendations"; carers:
    # walsall/2023-06's sentence under "Strengths" ("Strengthen the voice of carers." is
    # too short to be quoted for carers); safeguarding: walsall/2019-03's only paragraph, under
    # no heading; dudley/2021-10 and coventry/2022-05 have no such sections.
    assert cells["walsall", "assessment-waiting-lists"] == (2, 0, 2, 2)
    assert cells["walsall", "workforce"] == (2, 2, 0, 2)
    assert cells["walsall", "carers"] == (1, 1, 0, 0)
    assert cells["walsall", "safeguarding"] == (1, 0, 0, 0)
    assert cells["dudley", "housing"] == (1, 0, 0, 0)
    assert cells["coventry", "carers"] == (1, 0, 0, 0)
    assert cells["dudley", "carers"] == (0, 0, 0, 0)
    assert ("leicestershire", "carers") not in cells  # not a West Midlands council
    # walsall: workforce 2, carers 1, waiting lists 2, safeguarding 1; dudley: workforce,
    # housing; coventry: carers, safeguarding.
    assert sum(c[0] for c in cells.values()) == 6 + 2 + 2
    wide_csv = (built.site / "data/council-theme-matrix-wide.csv").read_text()
    wide = list(csv.reader(io.StringIO(wide_csv)))
    walsall = next(row for row in wide if row[0] == "walsall")
    assert walsall[wide[0].index("Assessment and waiting lists")] == "2"


def test_the_matrix_on_the_themes_page_is_a_table_whose_cells_link_to_their_passages(built):
    html = page(built.site, "themes")
    table = html[html.index('<table class="fl-table fl-matrix">') :]
    table = table[: table.index("</table>")]
    assert '<caption id="matrix-caption">' in table
    assert table.count('<th scope="row">') == 14 + 1  # every council, and the totals
    assert table.count('<th scope="col">') == 1 + 21
    cell = (
        '<td class="fl-heat fl-heat--2">'
        '<a href="assessment-waiting-lists/?council=Walsall#letters">'
        '2<span class="fl-visually-hidden"> letters from Walsall on Assessment and waiting lists'
        '</span></a><span class="fl-matrix__split"><span aria-hidden="true">S0 D2 R2</span>'
        '<span class="fl-visually-hidden">0 as a strength, 2 as an area for development, 2 in '
        "recommendations</span></span></td>"
    )
    assert cell in table
    # The link's target holds the cell's letters, marked with their council for themes.js.
    theme = page(built.site, "themes/assessment-waiting-lists")
    assert theme.count('data-council="Walsall"') == 2


def test_theme_pages_say_what_each_passage_says(built) -> None:
    shown = text(built.site, "themes/assessment-waiting-lists")
    assert "Area for development: Waiting lists for Care Act assessments are long" in shown
    assert "Recommendation: Reduce waiting lists for assessments with a clear plan." in shown
    assert "Of the 4: 2 among areas for development, 2 among recommendations." in shown
    rows = list(csv.DictReader(io.StringIO(
        (built.site / "data/themes/assessment-waiting-lists.csv").read_text(encoding="utf-8")
    )))  # fmt: skip
    assert sorted(r["says"] for r in rows) == ["development"] * 2 + ["recommendation"] * 2
    data = json.loads((built.site / "data/letters.json").read_text(encoding="utf-8"))
    walsall = next(x for x in data["letters"] if x["id"] == "walsall/2021-11")
    assert {t["id"]: t["says"] for t in walsall["themes"]} == {
        "assessment-waiting-lists": ["development", "recommendation"],
        "workforce": ["strength", "recommendation"],
    }


def test_the_finder_offers_what_the_letter_says_as_a_filter(built) -> None:
    listing = json.loads((built.site / "find/letters.json").read_text(encoding="utf-8"))
    keys, values = listing["keys"], listing["values"]
    n = keys.index("says")
    says = {row[0]: [values["says"][i] for i in row[-1][n]] for row in listing["letters"]}
    assert says["letters/walsall/2021-11/"] == [
        "Strength", "Area for development", "Recommendation"
    ]  # fmt: skip
    assert says["letters/dudley/2021-10/"] == []
    finder = page(built.site, "find")
    assert 'data-key="says"' in finder
    assert 'Area for development <span class="fl-finder__count">(2)</span>' in finder
    letter = page(built.site, "letters/walsall/2021-11")
    assert '<span data-pagefind-filter="says">Area for development</span>' in letter


# ---------------------------------------------------------------------------------------------
# Raised again


def test_a_council_page_and_regional_learning_show_what_was_raised_again(built) -> None:
    shown = text(built.site, "authorities/walsall")
    pair = (
        "Assessment and waiting lists: raised again in 2023, first raised in 2021 An area for "
        "development in 2 of the council’s peer challenges."
    )
    assert pair in shown
    first = shown.index("First raised, 2021 Waiting lists for Care Act assessments are long")
    again = shown.index("Raised again, 2023 Waiting lists for Care Act assessments remain long")
    assert first < again
    assert "Walsall, November 2021: paragraph 1 of ‘Areas for development’" in shown
    assert "No theme has been raised" in text(built.site, "authorities/dudley")
    learning = text(built.site, "learning")
    assert "Walsall Assessment and waiting lists (2021, 2023)" in learning
    recurring = text(built.site, "learning/recurring")
    assert "1 theme raised again, with 1 council." in recurring
    assert "First raised, 2021 Waiting lists for Care Act assessments are long" in recurring
    assert 'href="recurring/#recurring-walsall-assessment-waiting-lists"' in page(
        built.site, "learning"
    )
    assert 'id="recurring-walsall-assessment-waiting-lists"' in page(
        built.site, "learning/recurring"
    )


# ---------------------------------------------------------------------------------------------
# Follow-up on the build date, and its alerts


def test_the_follow_up_page_counts_what_is_overdue_on_the_build_date(built) -> None:
    shown = text(built.site, "follow-up")
    assert "stand on 1 March 2023 , the day this site was built" in shown
    # Recommendations on 1 March 2023. Overdue: dudley/2021-10's R1 (due 2 November 2022) and
    # walsall/2021-11's R1 (revised to 15 February 2023). Due soon: coventry/2022-05's six (12
    # May 2023). Not yet due: walsall/2023-06's R2 and R3 (15 June 2024). Done: walsall/2023-06's
    # R1 and walsall/2021-11's R2.
    assert (
        "Recommendations: 2 overdue, 6 due soon, 2 not yet due, 0 no due date, 2 done, 0 dropped."
        in shown
    )
    # Reviews overdue: walsall/2019-03, dudley/2021-10, leicestershire/2022-02; due soon:
    # coventry/2022-05; held: both other Walsall letters.
    assert "Progress reviews: 3 overdue, 1 due soon, 0 not yet due, 2 done, 0 no due date." in shown
    assert "4 letters of 6 with something overdue." in shown
    order = [shown.index(name) for name in ("Walsall, March 2019 Sample Overdue",
             "Dudley, October 2021", "Leicestershire, February 2022", "Walsall, November 2021",
             "Coventry, May 2022", "Walsall, June 2023")]  # fmt: skip
    assert order == sorted(order), "overdue first, the longest overdue first"
    assert "Overdue since 8 March 2020" in shown
    # By council: Walsall's 3 letters, 2 with something overdue, and their 5 recommendations.
    assert "Walsall 3 2 1 overdue, 2 not yet due, 2 done" in shown


def test_each_recommendation_has_its_due_date_and_its_status_with_date_and_source(built) -> None:
    shown = text(built.site, "follow-up")
    assert (
        "R1 : Overdue . Due 15 February 2023, revised: Agreed with the council at the progress "
        "review. In progress on 1 June 2022, from the action plan."
    ) in shown
    assert (
        "R2 : Done. Due 11 November 2022. Done on 20 October 2022, from the progress review. "
        "Before that: In progress on 1 March 2022, from the action plan."
    ) in shown
    letter = text(built.site, "letters/walsall/2021-11")
    assert (
        "Status: In progress on 1 June 2022, from the action plan. Due 15 February 2023, "
        "revised: Agreed with the council at the progress review."
    ) in letter


def test_a_letters_bar_says_its_numbers_and_the_page_writes_them_beside_it(built) -> None:
    html = page(built.site, "follow-up")
    bar = html[html.index('<svg class="fl-chart fl-chart--stack" id="bar-walsall-2021-11"') :]
    bar = bar[: bar.index("</svg>")]
    assert 'role="img"' in bar
    assert '<desc id="bar-walsall-2021-11-desc">Overdue: 1; Done: 1</desc>' in bar
    assert bar.count("<rect") == 3  # overdue, done, and the outline
    assert "2: 1 overdue, 1 done" in text(built.site, "follow-up")


def test_the_alerts_parse_as_atom_and_icalendar(built) -> None:
    feed = feedparser.parse((built.site / "follow-up/reviews.xml").read_bytes())
    assert feed.bozo == 0
    # Overdue: walsall/2019-03, dudley/2021-10, leicestershire/2022-02 (reviews) and
    # walsall/2021-11 (R1); due soon: coventry/2022-05.
    assert len(feed.entries) == 5
    cal = icalendar.Calendar.from_ical((built.site / "follow-up/reviews.ics").read_bytes())
    assert len(list(cal.walk("VEVENT"))) == 6  # and walsall/2023-06's R2 and R3, not yet due
    walsall = feedparser.parse((built.site / "authorities/walsall/reviews.xml").read_bytes())
    assert walsall.bozo == 0
    assert sorted(e.link.rsplit("/", 3)[-3:-1] for e in walsall.entries) == [
        ["walsall", "2019-03"],
        ["walsall", "2021-11"],
    ]
    council = page(built.site, "authorities/walsall")
    assert 'href="reviews.xml" type="application/atom+xml"' in council
    assert 'href="reviews.ics" type="text/calendar"' in council
    follow = page(built.site, "follow-up")
    assert 'href="reviews.xml" type="application/atom+xml"' in follow
    assert 'href="reviews.ics" type="text/calendar"' in follow


def test_a_subscribed_filter_feed_lists_exactly_what_the_finder_shows(built) -> None:
    listing = json.loads((built.site / "find/letters.json").read_text(encoding="utf-8"))
    keys, values = listing["keys"], listing["values"]

    def shown(chosen: dict[str, str]) -> list[str]:
        found = []
        for row in listing["letters"]:  # [url, title, date, recommendations, indexes]
            url, indexes = row[0], row[-1]
            filters = {key: [values[key][i] for i in indexes[n]] for n, key in enumerate(keys)}
            if all(value in filters[key] for key, value in chosen.items()):
                found.append(url)
        return found

    index = json.loads((built.site / "find/feeds/index.json").read_text(encoding="utf-8"))
    for name, chosen, expected in (
        ("theme-carers.year-2022", {"theme": "Carers", "year": "2022"}, 2),
        ("council-walsall", {"council": "Walsall"}, 3),
        ("council-walsall.theme-assessment-waiting-lists",
         {"council": "Walsall", "theme": "Assessment and waiting lists"}, 2),
    ):  # fmt: skip
        assert name in index["feeds"]
        feed = feedparser.parse((built.site / f"find/feeds/{name}.xml").read_bytes())
        assert feed.bozo == 0
        site_url = feed.feed.link.split("find/")[0]
        assert sorted(e.link.removeprefix(site_url) for e in feed.entries) == sorted(shown(chosen))
        assert len(feed.entries) == expected


# ---------------------------------------------------------------------------------------------
# CQC beside the peer challenge


def test_a_council_page_shows_cqcs_rating_with_its_source(built) -> None:
    shown = text(built.site, "authorities/walsall")
    assert "Overall rating Good Source: An invented CQC press release (a CQC page)" in shown
    assert "Published 9 February 2024 Source: An invented CQC press release" in shown
    assert "Assessing needs 2: some shortfalls Source: An invented CQC press release" in shown
    assert "Area for development: Waiting lists for Care Act assessments remain long" in shown
    assert "Safeguarding Not recorded yet" in shown  # no source states its score
    html = page(built.site, "authorities/walsall")
    assert 'href="https://example.org/cqc/walsall-press-release" rel="external noopener"' in html


def test_a_council_without_an_assessment_says_it_is_not_recorded_yet(built) -> None:
    assert "CQC’s assessment of Dudley is not recorded yet" in text(
        built.site, "authorities/dudley"
    )


# ---------------------------------------------------------------------------------------------
# The evaluation's asks, and the tool's precision


def test_regional_learning_measures_the_evaluations_asks_per_year(built) -> None:
    shown = text(built.site, "learning")
    # Teams recorded: 2019 none; 2021 dudley/2021-10 (lead only) and walsall/2021-11 (lived
    # experience, OT, data, PSW); 2022 coventry/2022-05 (lead, coordinator); 2023
    # walsall/2023-06 (lead, elected member, lived experience, PSW). Reviews within twelve
    # months, of the challenges whose twelve months are over by 1 March 2023: 2019 none of 1;
    # 2021 walsall/2021-11 of 2; 2022 none of 1 (leicestershire/2022-02; coventry/2022-05's
    # year is not over); 2023 none of 1 (held 20 June 2024, after 15 June 2024).
    for row in (
        "2019 1 0 – – – – – 0 of 1 (0%)",
        "2021 2 2 1 of 2 (50%) 0 of 2 (0%) 1 of 2 (50%) 1 of 2 (50%) 1 of 2 (50%) 1 of 2 (50%)",
        "2022 2 1 0 of 1 (0%) 0 of 1 (0%) 0 of 1 (0%) 0 of 1 (0%) 0 of 1 (0%) 0 of 1 (0%) "
        "(1 not yet twelve months after the visit)",
        "2023 1 1 1 of 1 (100%) 1 of 1 (100%) 0 of 1 (0%) 0 of 1 (0%) 1 of 1 (100%) 0 of 1 (0%)",
    ):
        assert row in shown, row
    chart = page(built.site, "learning")
    chart = chart[chart.index('<svg class="fl-chart" id="asks-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert chart.count(">50%</text>") == 5  # 2021: four roles and the reviews
    assert chart.count(">–</text>") == 5  # 2019: no team recorded


def test_about_publishes_the_tools_precision_and_recall_per_theme(built) -> None:
    loaded = catalogue.load(built.root, draft=True)
    proposed = {x.id: sorted(s.id for s in x.theme_scores) for x in loaded.letters}
    # What the tool proposes from each letter's text (the analyser's themes), beside what a
    # person kept (letter.yml `themes`):
    assert proposed == {
        "walsall/2023-06": ["assessment-waiting-lists", "carers",
                            "co-production-lived-experience", "leadership-governance",
                            "workforce"],  # kept: workforce, carers, waiting lists
        "walsall/2021-11": ["assessment-waiting-lists", "workforce"],  # kept: the same
        "walsall/2019-03": ["safeguarding"],  # kept: safeguarding
        "dudley/2021-10": [],  # kept: workforce, housing
        "leicestershire/2022-02": ["carers"],  # kept: carers
        "coventry/2022-05": ["carers", "safeguarding"],  # kept: the same
    }  # fmt: skip
    shown = text(built.site, "about")
    # workforce: proposed 2, kept 3, both 2; carers 3, 3, 3; housing 0, 1, 0; co-production and
    # leadership 1, 0, 0. All: proposed 11, kept 11, both 9 (82%).
    assert "Workforce 2 3 2 100% 67%" in shown
    assert "Carers 3 3 3 100% 100%" in shown
    assert "Housing and accommodation 0 1 0 – 0%" in shown
    assert "Co-production and lived experience 1 0 0 0% –" in shown
    assert "Leadership and governance 1 0 0 0% –" in shown
    assert "All themes 11 11 9 82% 82%" in shown
    assert "over the 6 letters whose themes a person has reviewed" in shown
    assert "80% across all themes" not in shown
    assert "82% across all themes (9 of 11 proposals)" in shown


def test_each_theme_tag_says_where_it_comes_from(built) -> None:
    shown = text(built.site, "letters/walsall/2021-11")
    assert "Assessment and waiting lists (Proposed by the tool, confirmed by a person)" in shown
    assert "Workforce (Added by a person)" in shown
    assert "Proposed by the tool and removed by a person: Housing and accommodation." in shown
    dudley = text(built.site, "letters/dudley/2021-10")
    assert "Workforce (Set by a person; the tool does not find it in the text)" in dudley


def test_the_figures_on_about_are_those_of_letters_evaluate_on_the_repositorys_letters() -> None:
    root = corpus.REPO
    site = context.Site(catalogue=catalogue.load(root), site_url="/")
    _, rows = trust.measured(site)
    reference = register.load(root / "letters")
    report = evaluate.evaluate(evaluate.repository_truths(root, reference), reference)
    for a in rows:
        count = report.themes.get(a.theme)
        if count is None:
            assert a.both == a.proposed_only == a.reviewed_only == 0
            continue
        assert (a.both, a.proposed_only, a.reviewed_only) == (count.tp, count.fp, count.fn)
