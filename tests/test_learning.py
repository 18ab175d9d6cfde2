"""Regional learning (/learning/, /learning/<yyyy>/) and follow-up (/follow-up/), built from the
site test corpus plus two letters of 2023, so that themes recur across three councils:

    sandwell/2023-03    workforce and carers; a review date set by hand; one recommendation
                        without a theme; statuses done, dropped and open
    dudley/2023-09      workforce; a hostile recommendation that also raises housing
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from finalletters.model import LetterMeta
from finalletters.site import urls
from tests import corpus

HOSTILE_RECOMMENDATION = "<img src=x onerror=\"alert('rec')\">Recruit <b>social workers</b>"
SANDWELL_REVIEW_DUE = dt.date(2024, 1, 31)


def _extra_letters(letters_dir: Path) -> None:
    corpus._write(
        letters_dir / "sandwell" / "2023-03",
        {
            "authority": "sandwell",
            "visit": {"start": dt.date(2023, 3, 7), "end": dt.date(2023, 3, 9)},
            "letter_date": dt.date(2023, 4, 12),
            "sample": True,
            "themes": ["workforce", "carers"],
            "recommendations": [
                {"id": "R1", "text": "Grow your own social workers.", "themes": ["workforce"],
                 "status": "done"},
                {"id": "R2", "text": "Open a carers hub in each town.", "themes": ["carers"],
                 "status": "dropped"},
                {"id": "R3", "text": "Publish the Final Letter on the council website.",
                 "themes": [], "status": "open"},
            ],
            "follow_up": {"review_due": SANDWELL_REVIEW_DUE},
        },
        [corpus._h("Strengths", 2),
         corpus._p("The workforce strategy is ambitious and the workforce is stable."),
         corpus._p("Recruitment and retention have improved since the last peer challenge."),
         corpus._h("Areas for development", 2),
         corpus._p("Unpaid carers said that the carers hub had closed last spring."),
         corpus._p("Waits for a carers assessment were long in the north of the borough.")],
    )  # fmt: skip
    corpus._write(
        letters_dir / "dudley" / "2023-09",
        {
            "authority": "dudley",
            "visit": {"start": dt.date(2023, 9, 12), "end": dt.date(2023, 9, 14)},
            "letter_date": dt.date(2023, 10, 20),
            "sample": True,
            "themes": ["workforce"],
            "recommendations": [
                {"id": "R1", "text": HOSTILE_RECOMMENDATION, "themes": ["workforce", "housing"],
                 "status": "in-progress"},
            ],
        },
        [corpus._p("Recruitment and retention of the workforce remain the main risk.")],
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    base = tmp_path_factory.mktemp("learning")
    letters = corpus.write(base / "corpus")
    _extra_letters(letters.root / "letters")
    corpus.build_site(letters.root, base / "site")
    metas = {
        p.parent.relative_to(letters.root / "letters").as_posix(): LetterMeta.model_validate(
            yaml.safe_load(p.read_text(encoding="utf-8"))
        )
        for p in sorted((letters.root / "letters").glob("*/*/letter.yml"))
    }
    return SimpleNamespace(site=base / "site", metas=metas)


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _content(page: str) -> str:
    """The generated part of a page, without Material's navigation around it."""
    start = page.index('<div class="fl-page">')
    return page[start : page.index("</article>", start)]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


class _Table(HTMLParser):
    """The rows of every table on a page: each row the text of its cells, header cells too."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.scopes: list[tuple[str, str | None]] = []
        self.captions: list[str] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
            self.scopes.append((tag, dict(attrs).get("scope")))
        elif tag == "caption":
            self._caption = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self.captions.append("".join(self._caption).strip())
            self._caption = None

    def handle_data(self, data):
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def _table(page: str) -> _Table:
    parser = _Table()
    parser.feed(_content(page))
    return parser


def _raised(metas: dict[str, LetterMeta]) -> dict[tuple[str, int], set[str]]:
    """(theme, year) → the councils whose letter.yml lists the theme, for the letter or for one
    of its recommendations: worked out here from the files, independently of the site code."""
    raised: dict[tuple[str, int], set[str]] = {}
    for meta in metas.values():
        themes = set(meta.themes) | {t for r in meta.recommendations for t in r.themes}
        for theme in themes:
            raised.setdefault((theme, meta.year), set()).add(meta.authority)
    return raised


# ---------------------------------------------------------------------------------------------
# Pages and links


def test_learning_and_follow_up_pages_exist_for_every_year_and_are_in_the_navigation(built):
    years = {meta.year for meta in built.metas.values()}
    for url in (urls.LEARNING, urls.FOLLOW_UP, *(urls.learning(y) for y in years)):
        assert (built.site / url / "index.html").is_file(), url
    home = _html(built.site, "")
    nav = home[home.index('data-md-type="navigation"') : home.index('data-md-type="toc"')]
    assert re.search(
        r'href="learning/"[^>]*>\s*<span class="md-ellipsis">\s*Regional learning', nav
    )
    assert re.search(r'href="follow-up/"[^>]*>\s*<span class="md-ellipsis">\s*Follow-up', nav)


def test_year_pages_link_to_their_learning_page_and_the_home_page_to_follow_up(built):
    assert '<a href="../../learning/2023/">Regional learning from 2023</a>' in _html(
        built.site, "years/2023"
    )
    home = _content(_html(built.site, ""))
    assert '<a href="follow-up/">Following up action plans</a>' in home
    assert '<a href="learning/">Regional learning</a>' in home


def test_a_learning_year_lists_its_letters_by_council_and_month(built):
    page = _content(_html(built.site, "learning/2023"))
    letters = page[page.index('<h2 id="letters">') : page.index("</ul>")]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', letters) == [
        ("../../letters/dudley/2023-09/", "Dudley, September 2023"),
        ("../../letters/walsall/2023-06/", "Walsall, June 2023"),
        ("../../letters/sandwell/2023-03/", "Sandwell, March 2023"),
    ]


# ---------------------------------------------------------------------------------------------
# Recurring themes


def test_recurring_themes_are_counted_by_council_with_the_councils_named(built):
    page = _content(_html(built.site, "learning/2023"))
    recurring = page[page.index('<h2 id="recurring">') : page.index('<h2 id="once">')]
    once = page[page.index('<h2 id="once">') : page.index('<h2 id="unthemed">')]
    assert re.findall(r'<h3 id="theme-([a-z-]+)"', recurring) == ["workforce", "carers"]
    assert re.findall(r'<h3 id="theme-([a-z-]+)"', once) == [
        "assessment-waiting-lists",
        "housing",  # raised only by a recommendation's theme
    ]
    text = _text(recurring)
    assert "Raised with 3 of the 3 councils visited in 2023: Dudley, Sandwell, Walsall." in text
    assert "Raised with 2 of the 3 councils visited in 2023: Sandwell, Walsall." in text
    assert '<a href="../../letters/sandwell/2023-03/">Sandwell</a>' in recurring
    assert "Raised with 1 of the 3 councils visited in 2023: Dudley." in _text(once)


def test_a_year_with_one_council_says_that_nothing_could_recur(built):
    text = _text(_content(_html(built.site, "learning/2019")))
    assert "Only one council was visited in 2019, so no theme could recur" in text
    assert "Raised in the letter to Walsall." in text


def test_the_table_across_the_years_matches_the_letters(built):
    page = _html(built.site, "learning")
    table = _table(page[: page.index('<h2 id="recurring">')] + "</article>")
    assert table.captions == [
        "Councils whose letters raised each theme, by year of visit, oldest year first"
    ]
    header, visited, *rows = table.rows
    years = [int(y) for y in header[1:-1]]
    assert years == sorted({meta.year for meta in built.metas.values()})
    assert header[0] == "Theme" and header[-1] == "Total"
    councils = {y: {m.authority for m in built.metas.values() if m.year == y} for y in years}
    assert visited == ["Councils visited", *(str(len(councils[y])) for y in years), "7"]
    raised = _raised(built.metas)
    labels = {
        t["label"]: t["id"]
        for t in yaml.safe_load((corpus.REPO / "letters/themes.yml").read_text())["themes"]
    }
    expected = {
        labels[label]: [len(raised.get((labels[label], y), ())) for y in years]
        for label in labels
        if any((labels[label], y) in raised for y in years)
    }
    found = {labels[row[0]]: [int(n) for n in row[1:-1]] for row in rows}
    assert found == expected
    assert all(int(row[-1]) == sum(int(n) for n in row[1:-1]) for row in rows)
    totals = [int(row[-1]) for row in rows]
    assert totals == sorted(totals, reverse=True), "the most frequent themes come first"
    assert found["workforce"] == [0, 1, 0, 3] and found["carers"] == [0, 0, 2, 2]
    assert ("th", "col") in table.scopes and ("th", "row") in table.scopes
    assert ("th", None) not in table.scopes
    assert '<th scope="col"><a href="2023/">2023</a></th>' in page


def test_the_learning_index_names_each_years_recurring_themes(built):
    text = _text(_content(_html(built.site, "learning")))
    assert (
        "Regional learning from 2023: 3 letters. Raised with more than one council: "
        "Workforce (3) and Carers (2)."
    ) in text
    assert "Regional learning from 2019: 1 letter. One council visited." in text


# ---------------------------------------------------------------------------------------------
# Recommendations and evidence


def test_recommendations_are_grouped_by_theme_with_their_council_and_status(built):
    page = _content(_html(built.site, "learning/2023"))
    workforce = page[page.index('<h3 id="theme-workforce"') : page.index('<h3 id="theme-carers"')]
    text = _text(workforce)
    assert "Grow your own social workers. Sandwell, recommendation R1. Status: Done." in text
    assert (
        "Develop a workforce strategy with partners. Walsall, recommendation R1. Status: Done."
        in (text)
    )
    assert 'href="../../letters/sandwell/2023-03/#r1"' in workforce
    carers = _text(page[page.index('<h3 id="theme-carers"') : page.index('<h2 id="once">')])
    assert "Open a carers hub in each town. Sandwell, recommendation R2. Status: Dropped." in carers
    unthemed = _text(page[page.index('<h2 id="unthemed">') :])
    assert "Publish the Final Letter on the council website. Sandwell, recommendation R3." in (
        unthemed
    )


def test_statuses_are_not_claimed_for_letters_whose_progress_nobody_recorded(built):
    text = _text(_content(_html(built.site, "learning/2022")))
    assert "Coventry, recommendation R2." in text
    assert "Status:" not in text


def test_evidence_is_quoted_and_links_to_the_passage_in_the_letter(built):
    page = _content(_html(built.site, "learning/2023"))
    evidence = page[page.index('<h4 id="theme-workforce-evidence">') :]
    assert "<q>The workforce strategy is clear and staff morale is high;" in evidence
    link = re.search(
        r'href="\.\./\.\./(letters/walsall/2023-06/)#(b\d+)">Walsall, June 2023:', evidence
    )
    assert link, "the evidence links to its passage"
    letter = _html(built.site, link.group(1))
    assert f'id="{link.group(2)}"' in letter
    assert re.search(r'href="\.\./\.\./letters/sandwell/2023-03/#b\d+">Sandwell, March 2023:', page)


def test_recommendation_and_evidence_links_point_at_anchors_that_exist(built):
    checked = 0
    for year in (2019, 2021, 2022, 2023):
        page = _content(_html(built.site, urls.learning(year)))
        for target, anchor in re.findall(r'href="\.\./\.\./(letters/[^"#]+/)#([^"]+)"', page):
            assert f'id="{anchor}"' in _html(built.site, target), f"{target}#{anchor}"
            checked += 1
    assert checked, "the learning pages link to no passage or recommendation"


def test_hostile_recommendation_text_is_shown_as_text(built):
    for url, shown in (
        ("learning/2023", "&lt;img src=x onerror=&#34;alert(&#39;rec&#39;)&#34;&gt;Recruit"),
        ("learning/2022", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; do better"),
    ):
        page = _content(_html(built.site, url))
        assert shown in page, url
        assert "<img" not in page and "<b>" not in page and "<script" not in page, url


# ---------------------------------------------------------------------------------------------
# Follow-up


def _follow_up_rows(built) -> dict[str, list[str]]:
    """The letters' table of /follow-up/ (its second table; the first is by council)."""
    rows = _table(_html(built.site, "follow-up")).rows
    start = rows.index(["Letter", "Where it stands", "Progress review", "Recommendations",
                        "Action plan"])  # fmt: skip
    return {row[0].removesuffix(" Sample"): row for row in rows[start + 1 :]}


def test_review_dates_are_twelve_months_after_the_visit_unless_set(built):
    rows = _follow_up_rows(built)
    assert len(rows) == len(built.metas)
    # The tests build as of 1 March 2023 (corpus.BUILD_DATE).
    assert rows["Walsall, March 2019"][2] == "Overdue since 8 March 2020"  # visit ended 7 March
    assert rows["Dudley, October 2021"][2] == "Overdue since 3 November 2022"
    assert rows["Coventry, May 2022"][2] == "Due soon, on 12 May 2023"
    assert rows["Sandwell, March 2023"][2] == "Due on 31 January 2024"  # set by hand
    for meta in built.metas.values():
        due = meta.review_due
        if meta.follow_up and meta.follow_up.review_due:
            assert due == meta.follow_up.review_due
        else:
            assert due == meta.visit.end.replace(year=meta.visit.end.year + 1)


def test_a_visit_ending_on_29_february_is_reviewed_on_28_february():
    meta = LetterMeta(
        authority="walsall", visit={"start": dt.date(2024, 2, 27), "end": dt.date(2024, 2, 29)}
    )
    assert meta.review_due == dt.date(2025, 2, 28)


def test_follow_up_lists_overdue_first_then_due_soon_then_the_rest_soonest_first(built):
    # Overdue on 1 March 2023: reviews due 7 March 2020, 2 November 2022, 10 February 2023; due
    # soon: 12 May 2023; not yet due: 31 January, 15 June and 14 September 2024.
    assert list(_follow_up_rows(built)) == [
        "Walsall, March 2019",
        "Dudley, October 2021",
        "Leicestershire, February 2022",
        "Coventry, May 2022",
        "Sandwell, March 2023",
        "Walsall, June 2023",
        "Dudley, September 2023",
    ]


def test_follow_up_shows_action_plans_reviews_and_each_status_with_what_is_known(built):
    rows = _follow_up_rows(built)
    walsall = rows["Walsall, June 2023"]
    assert walsall[4] == "Action plan for Walsall, June 2023 (PDF, 1 KB)"
    assert walsall[2] == "Held on 20 June 2024: progress review for Walsall, June 2023 (PDF, 1 KB)"
    assert "3: 2 not yet due, 1 done" in walsall[3]
    assert "R1: Done. Due 15 June 2024. Done (date and source not recorded)." in walsall[3]
    sandwell = rows["Sandwell, March 2023"]
    assert sandwell[4] == "Not published"
    assert "3: 1 not yet due, 1 done, 1 dropped" in sandwell[3]
    assert "R3: Not yet due. Due 31 January 2024. Open." in sandwell[3]
    assert "R1: Due soon. Due 12 May 2023. No progress recorded." in rows["Coventry, May 2022"][3]
    assert rows["Leicestershire, February 2022"][3] == "None recorded"
    page = _html(built.site, "follow-up")
    assert 'href="../letters/walsall/2023-06/action-plan.pdf"' in page
    assert 'href="../letters/walsall/2023-06/progress-review.pdf"' in page
    text = _text(_content(page))
    assert "3 letters of 7 with something overdue." in text
    assert "Progress reviews: 3 overdue, 1 due soon, 2 not yet due, 1 done, 0 no due date." in text
    assert (
        "Recommendations: 1 overdue, 6 due soon, 4 not yet due, 0 no due date, 2 done, 1 dropped."
        in text
    )


def test_follow_up_is_as_of_the_build_date(built):
    text = _text(_content(_html(built.site, "follow-up")))
    assert "stand on 1 March 2023, the day this site was built" in text
    assert "twelve months" in text


def test_findings_are_quoted_before_the_scene_setting_of_an_introduction():
    from finalletters.analyse import Evidence
    from finalletters.site import learning

    passages = (
        Evidence(
            "The council asked us to look at its front door.",
            "'Introduction', paragraph 2",
            kind="background",
        ),
        Evidence("A paragraph before any heading.", "paragraph 1"),
        Evidence("Waits are long.", "'Areas for development', paragraph 9", kind="development"),
        Evidence("Staff are proud to work here.", "'Strengths', list item 5", kind="strengths"),
    )
    assert [e.text for e in learning.findings(passages)] == [
        "Staff are proud to work here.",
        "Waits are long.",
    ]


# ---------------------------------------------------------------------------------------------
# Words true for the year's numbers, charts


def _year(letters: list[tuple[str, list[str]]], year: int = 2023):
    """A learning.Year of made-up letters: (council, themes) each."""
    from types import SimpleNamespace as Stub

    from finalletters.site import learning

    made = [
        Stub(authority=Stub(slug=council, short_name=council.title()), meta=Stub(themes=themes))
        for council, themes in letters
    ]
    grouped = learning.Year(year, made)  # type: ignore[arg-type]
    for letter in made:
        for theme in letter.meta.themes:
            grouped.themes.setdefault(theme, []).append(learning.Raised(letter))  # type: ignore[arg-type]
    return grouped


def _ranked(grouped) -> list:
    from types import SimpleNamespace as Stub

    order = sorted(grouped.themes, key=lambda t: (-grouped.councils(grouped.themes[t]), t))
    return [(Stub(label=t.title()), grouped.councils(grouped.themes[t])) for t in order]


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        ([("walsall", ["carers", "workforce"])],
         "In 2023 one council was visited, Walsall. Its letter raised 2 themes: Carers and "
         "Workforce."),
        ([("walsall", [])], "In 2023 one council was visited, Walsall; no theme is recorded."),
        ([("walsall", ["carers"]), ("dudley", ["workforce"])],
         "In 2023, 2 councils were visited. No theme was raised with more than one of them: "
         "their letters raised 2 themes between them."),
        ([("walsall", ["carers", "housing"]), ("dudley", ["carers"])],
         "In 2023, 2 councils were visited. Carers was raised with both councils. One other "
         "theme was raised with one council."),
        ([("walsall", ["carers", "housing"]), ("dudley", ["carers", "housing"]),
          ("sandwell", ["carers", "equity"])],
         "In 2023, 3 councils were visited. Carers was raised with all 3 councils and Housing "
         "with 2. One other theme was raised with one council."),
    ],
)  # fmt: skip
def test_a_years_summary_is_true_for_its_numbers(letters, expected):
    from finalletters.site import learning

    grouped = _year(letters)
    assert learning.year_summary(grouped, _ranked(grouped)) == expected


def test_a_year_of_one_letter_promises_no_recurring_theme(built):
    page = _content(_html(built.site, "learning/2019"))
    assert "more than one council</h2>" not in page
    assert '<h2 id="once">Themes raised in the letter</h2>' in page


def test_a_year_page_folds_each_themes_passages_and_has_a_chart_with_a_text_alternative(built):
    page = _content(_html(built.site, "learning/2023"))
    assert page.count('<details class="fl-fold">') == len(re.findall(r'<h3 id="theme-', page))
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img" aria-labelledby="chart-2023-title chart-2023-desc"' in svg
    assert '<title id="chart-2023-title">Councils whose letters raised each theme in 2023' in svg
    assert "Workforce: 3; Carers: 2" in svg  # the description holds every figure
    assert "<script" not in svg and "<img" not in svg


def test_the_heat_map_holds_the_table_figures_and_shades_by_share(built):
    page = _content(_html(built.site, "learning"))
    svg = page[page.index('<svg class="fl-chart" id="heat-map"') : page.index("</svg>")]
    numbers = re.findall(r"/><text[^>]*>(\d+)</text>", svg)  # a cell's number, after its rect
    across = _html(built.site, "learning")
    table = _table(across[: across.index('<h2 id="recurring">')] + "</article>")
    _, _, *rows = table.rows
    assert [int(n) for n in numbers] == [int(n) for row in rows for n in row[1:-1] if n != "0"]
    from finalletters.site import charts

    assert charts.shade(1.0) == charts.SHADES[-1] and charts.shade(0.25) == charts.SHADES[0]
    assert "Across 5" not in page
    assert re.search(
        r"From 2019 to 2023, 7 peer challenges\. Workforce was raised most often", page
    )
