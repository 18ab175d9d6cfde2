"""Material's header search index and its worker are fetched only when someone opens the
search, and its sitemap look-up never."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

INDEX = "search/search_index.json"
WORKER = ".min.js"  # Material's search worker: assets/javascripts/workers/search.<hash>.min.js


def worker_requests(requested: list[str]) -> list[str]:
    return [url for url in requested if "/workers/search." in url and url.endswith(WORKER)]


def requested(page, ending: str = INDEX) -> list[str]:
    return page.evaluate(
        "ending => performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.endsWith(ending))",
        ending,
    )


def test_reading_a_page_does_not_download_the_search_index_its_worker_or_the_sitemap(served, page):
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(served.url + "themes/")
    page.wait_for_load_state("networkidle")
    assert page.locator('link[rel="alternate"]').count() >= 1  # what makes Material look
    assert requested(page) == []
    assert requested(page, "sitemap.xml") == []
    assert worker_requests(urls) == []


def test_the_finder_does_not_open_the_header_search_for_its_own_query(served, page):
    page.goto(served.url + "find/?q=carers")
    page.locator("#finder-results > li").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert requested(page) == []


def test_opening_the_search_downloads_the_index_and_finds_pages(served, page):
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(served.url)
    page.wait_for_load_state("networkidle")
    assert worker_requests(urls) == []
    with page.expect_response(lambda response: response.url.endswith(INDEX)):
        page.locator("[data-md-component=search-query]").click()
    assert len(worker_requests(urls)) == 1
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
