"""The reader's side, in Chromium: what a Director, a member of the public and a keyboard user
meet first on a letter, on the finder, on the home page and on a theme's page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

LETTER = "letters/walsall/2023-06/"
PDF = re.compile(r"^Open the original letter \(PDF, \d+ KB, 2 pages\)$")
# Words only the site writes on a letter's page, never the letter: an excerpt must not hold them.
FURNITURE = (
    "Status:",
    "Themes:",
    "GSS code",
    "Review team",
    "The Final Letter of the West Midlands",
    "Open the original letter",
    "Available at:",
    "Lead Director of Adult Social Services:",
    "Table 1 in the letter",
    "From the letter’s text",
)
# Records layout shifts from the first moment of the page (the CLS of Core Web Vitals).
SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


def _settled(page) -> None:
    page.wait_for_function(
        "() => { const r = document.querySelector('#finder-results');"
        " const f = document.querySelector('#finder-filters');"
        " return r && !r.hasAttribute('aria-busy') && !f.hasAttribute('aria-busy')"
        " && /found/.test(document.querySelector('#finder-status').textContent); }",
        timeout=15_000,
    )


# --- the letter page --------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_pdf_button_is_in_the_first_screen(served, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(served.url + LETTER)
        button = page.get_by_role("link", name=PDF)
        box = button.bounding_box()
        assert box and box["y"] + box["height"] <= height, box
        assert button.get_attribute("download") is None  # opens in the browser
        assert "md-button" in button.get_attribute("class")
        toolbar = page.locator(".fl-toolbar")
        assert (
            toolbar.get_by_role("link", name="Search inside Walsall’s letters").get_attribute(
                "href"
            )
            == "../../../find/?council=Walsall"
        )
    finally:
        context.close()


def test_cite_gives_a_citation_to_paste(served, page):
    page.goto(served.url + LETTER)
    page.get_by_text("Cite", exact=True).click()
    citation = page.locator("#citation")
    assert citation.is_visible()
    text = citation.inner_text()
    assert text == (
        "West Midlands ADASS (2023) Peer challenge: Walsall, June 2023. Final Letters. "
        "Available at: https://wm-adass.github.io/final-letters/letters/walsall/2023-06/"
    )
    assert page.get_by_role("button", name="Copy the citation").count() == 1


def test_a_printed_letter_starts_with_the_letter(served, page):
    page.goto(served.url + LETTER)
    page.emulate_media(media="print")
    first = page.evaluate(
        """() => {
            const shown = (e) => e.getClientRects().length > 0
                && getComputedStyle(e).visibility !== "hidden";
            const blocks = [...document.querySelectorAll("body p, body h1, body h2, body h3,"
                + " body li, body dt, body a, body button, body input")].filter(shown);
            blocks.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
            return blocks.slice(0, 3).map((e) => ({
                tag: e.tagName, text: e.innerText.trim().slice(0, 60),
                inLetter: !!e.closest(".fl-body"),
            }));
        }"""
    )
    title = {"tag": "H1", "text": "Peer challenge: Walsall, June 2023", "inLetter": False}
    assert first[0] == title
    assert first[1]["inLetter"] and first[1]["text"].startswith("Adult Social Care Peer"), first
    # The facts come after the letter, with the addresses of their links printed.
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.fl-about a[data-print]'), '::after').content"
    )
    assert "https://wm-adass.github.io/final-letters/" in after
    for hidden in (".md-header", ".md-sidebar--primary", ".fl-toolbar", ".md-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden


def test_listed_recommendations_are_numbered_as_printed_and_the_others_marked(served, page):
    page.goto(served.url + LETTER)
    listed = page.locator("ol.fl-recommendations > li")
    assert listed.count() == 3
    assert listed.first.locator(".fl-recommendations__number").inner_text() == "1."
    assert page.locator("#recommendations-from-text").count() == 0
    assert page.locator("#recommendations").count() == 1  # shown once


def test_a_sample_letter_says_so_before_its_text(served, page):
    page.goto(served.url + "letters/dudley/2021-10/")
    notice = page.locator(".fl-notice--sample")
    assert notice.is_visible()
    assert notice.bounding_box()["y"] < page.locator(".fl-body").bounding_box()["y"]


# --- the finder -------------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_first_result_is_five_tabs_or_fewer_from_the_search_box(served, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(served.url + "find/?q=carers")
        _settled(page)
        first = page.locator("#finder-results > li a").first
        page.locator("#finder-q").focus()
        presses = 0
        while presses < 5 and not first.evaluate("e => e === document.activeElement"):
            page.keyboard.press("Tab")
            presses += 1
        assert first.evaluate("e => e === document.activeElement"), "more than 5 Tab presses"
    finally:
        context.close()


def test_on_a_narrow_screen_the_filters_fold_behind_a_button_after_the_results_count(
    served, browser
):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(served.url + "find/?q=carers&council=Walsall")
        _settled(page)
        toggle = page.get_by_role("button", name="Filter (1 selected)")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.locator("#finder-filters").is_hidden()
        results = page.locator("#finder-results").bounding_box()
        assert results["y"] < 844, "the first result is not in the first screen"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        filters = page.locator("#finder-filters")
        assert filters.is_visible()
        assert filters.bounding_box()["y"] < page.locator("#finder-results").bounding_box()["y"]
    finally:
        context.close()


def test_a_skip_link_goes_to_the_results(served, page):
    page.goto(served.url + "find/?q=carers")
    _settled(page)
    skip = page.get_by_role("link", name="Skip to results")
    skip.focus()
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"


@pytest.mark.parametrize("query", ["carers", "status", "themes", "walsall", "review team", "cite"])
def test_no_excerpt_quotes_the_sites_own_words(served, page, query):
    page.goto(served.url + f"find/?q={query}")
    _settled(page)
    for excerpt in page.locator(".fl-result__excerpt").all_inner_texts():
        for words in FURNITURE:
            assert words not in excerpt, (query, excerpt)


def test_excerpts_are_whole_sentences_of_the_letter(served, page):
    page.goto(served.url + "find/?q=morale")
    _settled(page)
    excerpt = page.locator(".fl-result__excerpt").first.inner_text().strip()
    assert excerpt == (
        "The workforce strategy is clear and staff morale is high; recruitment and retention "
        "have improved over the last year."
    )


def test_each_result_shows_its_themes_and_recommendations(served, page):
    page.goto(served.url + "find/?q=waiting+lists")
    _settled(page)
    walsall = page.locator(".fl-result").filter(has_text="Peer challenge: Walsall, June 2023")
    assert "3 recommendations" in walsall.locator(".fl-result__meta").inner_text()
    themes = walsall.locator(".fl-result__themes")
    assert themes.inner_text().startswith("Themes: Assessment and waiting lists")
    assert themes.locator("strong").all_inner_texts() == ["Assessment and waiting lists"]


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_nothing_moves_when_the_results_and_counts_arrive(served, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        context.add_init_script(SHIFTS)
        page = context.new_page()
        page.goto(served.url + "find/?q=carers")
        _settled(page)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__shift") == 0
    finally:
        context.close()


def test_back_to_results_returns_to_the_search_as_it_was_left(served, page):
    page.goto(served.url + "find/?q=carers&council=Walsall")
    _settled(page)
    page.locator("#finder-results > li h3 a").first.click()
    page.wait_for_url(re.compile(r"/letters/walsall/2023-06/\?found=carers$"))
    assert page.locator(".fl-body mark.fl-found").count() >= 1
    page.get_by_role("link", name="Back to results").click()
    page.wait_for_url(re.compile(r"/find/\?"))
    _settled(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["carers"], "council": ["Walsall"]}


# --- home and the header search ---------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_home_shows_the_search_box_and_the_common_themes_in_the_first_screen(
    served, browser, width, height
):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(served.url)
        box = page.get_by_role("searchbox", name="Search inside the letters").bounding_box()
        assert box["y"] + box["height"] <= height
        themes = page.locator("ul.fl-chips li")
        assert themes.count() >= 3
        assert themes.first.bounding_box()["y"] < height
    finally:
        context.close()


def test_the_home_search_box_works_without_javascript(served, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served.url)
        page.get_by_role("searchbox", name="Search inside the letters").fill("carers")
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_url(re.compile(r"/find/\?q=carers$"))
        assert page.locator("h1").inner_text() == "Find letters"
    finally:
        context.close()


def test_enter_in_the_header_search_opens_the_finder(served, page):
    page.goto(served.url + "about/")
    page.locator("[data-md-component=search-query]").click()
    page.keyboard.type("carers")
    page.get_by_role("link", name="Search inside letters for “carers”").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/find/\?q=carers$"))
    _settled(page)
    assert re.match(r"\d+ letters? found for “carers”", page.locator("#finder-status").inner_text())


def test_the_header_search_says_what_it_searches(served, page):
    page.goto(served.url)
    box = page.locator("[data-md-component=search-query]")
    assert box.get_attribute("placeholder") == "Search page titles and summaries"
    link = page.locator(".fl-search-inside a")
    assert link.get_attribute("href").endswith("/find/")  # a link, even before anything is typed


# --- a theme's page ---------------------------------------------------------------------------


def test_a_theme_page_puts_the_letters_first_and_narrows_them_by_year_and_council(served, page):
    page.goto(served.url + "themes/workforce/")
    headings = page.locator("h2").all_inner_texts()
    assert headings.index("Letters and passages") < headings.index(
        "Links to the assessment frameworks"
    )
    entries = page.locator(".fl-entry")
    total = entries.count()
    assert total == 2
    page.get_by_label("Council").select_option("Walsall")
    assert page.locator(".fl-entry:visible").count() == 1
    assert page.locator("#theme-status").inner_text() == "Showing 1 of 2 letters."
    assert parse_qs(urlsplit(page.url).query) == {"council": ["Walsall"]}
    page.get_by_label("Year").select_option("2021")
    assert page.locator(".fl-entry:visible").count() == 0
    page.reload()
    assert page.get_by_label("Year").input_value() == "2021"  # the address keeps the choice


def test_a_theme_page_without_javascript_is_the_plain_list(served, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served.url + "themes/workforce/")
        assert page.locator("#theme-filter").is_hidden()
        assert page.locator(".fl-entry:visible").count() == 2
    finally:
        context.close()


def test_a_theme_page_cites_passages_a_reader_can_find_and_offers_them_as_csv(served, page):
    page.goto(served.url + "themes/workforce/")
    first = page.locator(".fl-evidence li").first
    link = first.locator("a")
    assert link.inner_text() == "Walsall, June 2023: paragraph 1 of ‘Strengths’, page 1 of the PDF"
    download = page.get_by_role("link", name=re.compile(r"^Download these passages \(CSV, "))
    response = page.request.get(served.url + "themes/workforce/" + download.get_attribute("href"))
    assert response.status == 200
    assert "paragraph 1 of ‘Strengths’, page 1 of the PDF" in response.text()
    link.click()
    page.wait_for_url(re.compile(r"#b\d+$"))
    target = page.locator(":target")
    assert target.inner_text().startswith("The workforce strategy is clear")
    # "paragraph 1 of 'Strengths'": the first paragraph after the heading Strengths.
    assert target.evaluate(
        "e => { let h = e; while ((h = h.previousElementSibling) && !/^H\\d$/.test(h.tagName)); "
        "return h && h.innerText }"
    ) == ("Strengths")


# --- the page that is not there ---------------------------------------------------------------


def test_the_404_page_gives_an_example_that_works_and_a_search_box(served, page):
    response = page.goto(served.url + "letters/nowhere/1999-01/")
    assert response.status == 404
    example = page.locator("main a code").first
    example.click()
    assert page.locator("h1").inner_text() == "Peer challenge: Walsall, June 2023"
    page.go_back()
    page.get_by_role("searchbox", name="Search inside the letters").fill("carers")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/find/\?q=carers$"))
