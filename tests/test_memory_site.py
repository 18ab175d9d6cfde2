"""The regional memory in the built site, from tests/corpus.py as of its BUILD_DATE (1 March
2023): the matrix, the follow-up page, CQC on council pages, the alerts and the filter feeds,
each checked against figures worked out by hand; and two builds for one date byte for byte."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import feedparser
import icalendar
import pytest

from tests import corpus

PAGEFIND = "pagefind/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    base = tmp_path_factory.mktemp("memory")
    letters = corpus.write(base / "corpus")
    corpus.build_site(letters.root, base / "first")
    corpus.build_site(letters.root, base / "second")
    return SimpleNamespace(site=base / "first", again=base / "second")


def text(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    html = html[html.index('<h1 id="title"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


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
                 "find/feeds/theme-carers.xml", "authorities/walsall/reviews.ics"):  # fmt: skip
        assert name in first, name
    assert [n for n in first if first[n] != second[n]] == []


def test_the_matrix_csv_counts_each_councils_letters_by_theme(built) -> None:
    rows = list(
        csv.DictReader(io.StringIO((built.site / "data/council-theme-matrix.csv").read_text()))
    )
    assert len(rows) == 14 * 21  # every West Midlands council by every theme, zeros included
    cells = {(r["council"], r["theme"]): r for r in rows}

    def cell(council: str, theme: str) -> tuple[int, ...]:
        r = cells[council, theme]
        return tuple(int(r[k]) for k in ("letters", "strength", "development", "recommendation"))

    # walsall/2023-06: workforce among its strengths and recommendations, waiting lists among
    # its areas for development and recommendations. Carers is one sentence under Strengths
    # (the recommendation on carers is too short to count), below the analyser's threshold, so
    # no passage is quoted for it and the cell says nothing of strength or development.
    assert cell("walsall", "workforce") == (1, 1, 0, 1)
    assert cell("walsall", "carers") == (1, 0, 0, 0)
    assert cell("walsall", "assessment-waiting-lists") == (1, 0, 1, 1)
    assert cell("walsall", "safeguarding")[0] == 1  # walsall/2019-03
    assert cell("dudley", "housing")[0] == 1
    assert cell("coventry", "carers")[0] == 1
    assert cell("dudley", "carers") == (0, 0, 0, 0)
    assert ("leicestershire", "carers") not in cells  # not a West Midlands council


def test_the_matrix_on_the_themes_page_links_each_cell_to_its_passages(built) -> None:
    html = (built.site / "themes/index.html").read_text(encoding="utf-8")
    assert '<caption id="matrix-caption">' in html
    assert 'href="assessment-waiting-lists/?council=Walsall#letters"' in html
    assert 'aria-label="Walsall, Assessment and waiting lists: 1 letter (0 as a strength, ' in html


def test_the_follow_up_page_counts_what_is_overdue_on_the_build_date(built) -> None:
    page = text(built.site, "follow-up/")
    # Overdue: dudley/2021-10's R1 (due 2 November 2022). Due soon: coventry/2022-05's six
    # (12 May 2023). Not yet due: walsall/2023-06's R2 and R3 (15 June 2024). Done: its R1.
    assert (
        "Recommendations: 1 overdue, 6 due soon, 2 not yet due, 0 no due date, 1 done, 0 dropped."
        in page
    )
    # Reviews overdue: walsall/2019-03, dudley/2021-10 and leicestershire/2022-02.
    assert "3 letters with something overdue; 3 progress reviews overdue." in page
    order = [page.index(name) for name in ("Walsall, March 2019", "Dudley, October 2021",
             "Leicestershire, February 2022", "May 2022", "Walsall, June 2023")]  # fmt: skip
    assert order == sorted(order), "overdue first, the longest overdue first"
    assert "Overdue since 3 November 2022" in page


def test_the_alerts_parse_as_atom_and_icalendar(built) -> None:
    feed = feedparser.parse((built.site / "follow-up/reviews.xml").read_bytes())
    assert feed.bozo == 0 and len(feed.entries) == 4  # three overdue, one due soon
    cal = icalendar.Calendar.from_ical((built.site / "follow-up/reviews.ics").read_bytes())
    assert len(list(cal.walk("VEVENT"))) == 5  # and walsall/2023-06, not yet due
    walsall = feedparser.parse((built.site / "authorities/walsall/reviews.xml").read_bytes())
    assert [e.link.rsplit("/", 3)[-3:] for e in walsall.entries] == [["walsall", "2019-03", ""]]


def test_a_council_page_shows_cqcs_rating_with_its_source(built) -> None:
    page = text(built.site, "authorities/walsall/")
    assert "Overall rating Good Source: An invented CQC press release" in page
    assert "Assessing needs 2: some shortfalls" in page
    html = (built.site / "authorities/walsall/index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/cqc/walsall-press-release"' in html


def test_a_council_without_an_assessment_says_it_is_not_recorded_yet(built) -> None:
    assert "CQC’s assessment of Dudley is not recorded yet" in text(
        built.site, "authorities/dudley/"
    )


def test_a_subscribed_filter_feed_lists_exactly_what_the_finder_shows(built) -> None:
    listing = json.loads((built.site / "find/letters.json").read_text(encoding="utf-8"))
    keys, values = listing["keys"], listing["values"]
    shown = []
    for row in listing["letters"]:  # [url, title, date, …, indexes]
        url, indexes = row[0], row[-1]
        filters = {key: [values[key][i] for i in indexes[n]] for n, key in enumerate(keys)}
        if "Carers" in filters["theme"] and "2022" in filters["year"]:
            shown.append(url)
    feed = feedparser.parse((built.site / "find/feeds/theme-carers.year-2022.xml").read_bytes())
    assert feed.bozo == 0
    site_url = feed.feed.link.split("find/")[0]
    assert sorted(e.link.removeprefix(site_url) for e in feed.entries) == sorted(shown)
    assert len(shown) == 2  # coventry/2022-05 and leicestershire/2022-02
    index = json.loads((built.site / "find/feeds/index.json").read_text(encoding="utf-8"))
    assert "theme-carers.year-2022" in index["feeds"]
