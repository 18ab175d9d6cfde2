"""Material's header search index is fetched only when someone opens the search."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

INDEX = "search/search_index.json"


def requested(page) -> list[str]:
    return page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.endsWith('search/search_index.json'))"
    )


def test_reading_a_page_does_not_download_the_search_index(served, page):
    page.goto(served.url + "themes/")
    page.wait_for_load_state("networkidle")
    assert requested(page) == []


def test_opening_the_search_downloads_the_index_and_finds_pages(served, page):
    page.goto(served.url)
    page.wait_for_load_state("networkidle")
    with page.expect_response(lambda response: response.url.endswith(INDEX)):
        page.locator("[data-md-component=search-query]").click()
    page.keyboard.type("Walsall")
    results = page.locator(".md-search-result__item:not(.fl-search-inside)")
    results.first.wait_for()
    assert results.count() >= 1


def test_the_search_shortcut_key_downloads_the_index(served, page):
    page.goto(served.url + "about/")
    page.wait_for_load_state("networkidle")
    with page.expect_response(lambda response: response.url.endswith(INDEX)):
        page.keyboard.press("/")
    assert page.locator("[data-md-component=search-query]").evaluate(
        "e => e === document.activeElement"
    )
