"""The regional memory in Chromium, on the site built from tests/corpus.py as of its BUILD_DATE
(1 March 2023): from the matrix a reader reaches a cell's passages; the follow-up page flags
an overdue review; council pages show CQC's rating with its source, or "not recorded yet";
the finder offers to subscribe to its results. axe, reflow and the policy are checked on every
page type in test_accessibility.py and test_reflow.py (site_pages.py lists these too)."""

from __future__ import annotations

import json
import re

import feedparser
import pytest

from tests.browser import wcag
from tests.browser.test_reflow import LISTEN, wider_than

pytestmark = pytest.mark.browser
LETTER = re.compile(r"letters/[a-z-]+/\d{4}-\d{2}/")


def test_from_the_matrix_a_reader_reaches_the_passages_of_a_cell(served, page):
    page.goto(served.url + "themes/")
    matrix = page.get_by_role("table", name=re.compile("^Letters raising each theme, by council"))
    row = matrix.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Walsall"))
    cell = row.get_by_role("link", name="1 letter from Walsall on Assessment and waiting lists")
    assert cell.inner_text().strip().startswith("1")
    cell.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Assessment and waiting lists"
    assert page.locator("#theme-council").input_value() == "Walsall"
    shown = page.locator("#theme-letters .fl-entry:visible")
    assert shown.count() == 1
    entry = shown.first
    assert "Walsall" in entry.inner_text()
    passage = entry.locator(".fl-evidence li").filter(has_text="Waiting lists for Care Act")
    assert passage.locator(".fl-says").inner_text() == "Area for development:"
    passage.get_by_role("link").click()
    page.wait_for_load_state()
    assert "/letters/walsall/2023-06/" in page.url
    target = page.locator(f"#{page.url.rsplit('#', 1)[1]}")
    assert "Waiting lists for Care Act assessments" in target.inner_text()


def test_the_follow_up_page_flags_an_overdue_review(served, page):
    page.goto(served.url + "follow-up/")
    table = page.get_by_role("table", name=re.compile("^Letters on 1 March 2023"))
    first = table.locator("tbody tr").first
    assert first.get_by_role("rowheader").inner_text().startswith("Walsall, March 2019")
    flag = first.locator(".fl-state--overdue")
    assert flag.inner_text() == "Overdue"
    assert flag.evaluate("e => getComputedStyle(e).color") == "rgb(168, 32, 13)"
    assert "Overdue since 8 March 2020" in first.inner_text()
    dudley = table.get_by_role("row").filter(has_text="Dudley, October 2021")
    dudley.get_by_text("Each recommendation").click()
    assert dudley.get_by_text("R1: Overdue. Due 2 November 2022.").is_visible()
    bar = dudley.get_by_role("img", name="Recommendations of Dudley, October 2021 by where")
    assert bar.count() == 1


def test_a_council_page_shows_cqcs_rating_with_its_source(served, page):
    page.goto(served.url + "authorities/walsall/")
    facts = page.locator("dl.fl-cqc")
    rating = facts.locator("dd").first
    assert rating.locator(".fl-cqc-rating").inner_text() == "Good"
    source = rating.get_by_role("link", name="An invented CQC press release")
    assert source.get_attribute("href") == "https://example.org/cqc/walsall-press-release"
    statements = page.get_by_role("table", name=re.compile("^CQC’s score for each quality"))
    row = statements.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Assessing needs")
    )
    assert "2: some shortfalls" in row.inner_text()
    assert "Area for development:" in row.inner_text()


def test_a_council_without_an_assessment_says_not_recorded_yet(served, page):
    page.goto(served.url + "authorities/dudley/")
    section = page.locator("#cqc + p")
    assert "CQC’s assessment of Dudley is not recorded yet" in section.inner_text()
    assert page.locator("dl.fl-cqc").count() == 0


def test_the_finder_offers_a_feed_of_the_results_it_shows(served, page):
    page.goto(served.url + "find/?theme=Carers&year=2022")
    page.wait_for_function("() => !document.getElementById('finder-subscribe').hidden")
    link = page.get_by_role("link", name="Subscribe to these results")
    href = link.get_attribute("href")
    assert href.endswith("/find/feeds/theme-carers.year-2022.xml")
    assert link.get_attribute("type") == "application/atom+xml"
    # The feed lists exactly the letters the finder shows.
    page.wait_for_function(
        "() => /found/.test(document.getElementById('finder-status').textContent)"
    )
    shown = page.locator(".fl-result__title a").evaluate_all("links => links.map(a => a.href)")
    feed = feedparser.parse(page.request.get(href).body())
    listed = [LETTER.search(entry.link).group(0) for entry in feed.entries]
    assert listed == [LETTER.search(url).group(0) for url in shown]
    assert len(listed) == 2
    # Two values of one filter have no feed: the finder says so.
    page.goto(served.url + "find/?council=Walsall&council=Dudley")
    page.wait_for_function("() => !document.getElementById('finder-subscribe').hidden")
    assert "choose fewer filters" in page.locator("#finder-subscribe").inner_text()
    index = json.loads(page.request.get(served.url + "find/feeds/index.json").text())
    assert "council-walsall" in index["feeds"]


# --- the pages with everything in them ---------------------------------------------------------
# The shared test site has no theme raised again and no recorded status history; this one adds
# tests/test_memory_site.py's walsall/2021-11, so that axe, reflow and the policy see them too.

FULL_PAGES = {
    "council with recurring findings and CQC": "authorities/walsall/",
    "raised again": "learning/recurring/",
    "learning with recurring findings": "learning/",
    "follow-up with history": "follow-up/",
    "letter with tag provenance and history": "letters/walsall/2021-11/",
    "about with the tool's precision": "about/",
    "themes with the matrix": "themes/",
    "theme": "themes/assessment-waiting-lists/",
}


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    from finalletters.tools.serve import serve
    from tests import corpus
    from tests.browser.conftest import BASE_PATH
    from tests.test_memory_site import write_extra

    base = tmp_path_factory.mktemp("memory-browser")
    letters = corpus.write(base / "corpus")
    write_extra(letters.root / "letters")
    site = base / "www" / BASE_PATH.strip("/")
    corpus.build_site(letters.root, site)
    with serve(site, BASE_PATH) as url:
        yield url


@pytest.mark.parametrize("path", FULL_PAGES.values(), ids=FULL_PAGES.keys())
def test_the_full_memory_pages_have_no_wcag_violations_and_work_under_the_policy(full, page, path):
    refused: list[str] = []
    page.on("console", lambda m: m.type == "error" and refused.append(m.text))
    page.add_init_script(LISTEN)
    page.goto(full + path)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    found = wcag.violations(page)
    assert found == [], f"{path}:\n{wcag.report(found)}"
    assert page.evaluate("window.__refused") == [] and refused == []


@pytest.mark.parametrize("width", [320, 390])
def test_the_full_memory_pages_reflow_on_a_narrow_screen(full, browser, width):
    wider = wider_than(browser, full, FULL_PAGES, width)
    assert wider == {}, f"wider than {width} px: {wider}"
