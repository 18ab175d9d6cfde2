"""axe-core on one page of each type: no violation of any WCAG 2.2 A or AA rule."""

from __future__ import annotations

import pytest

from tests.browser import wcag

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "letter": "letters/walsall/2023-06/",
    "hostile letter": "letters/coventry/2022-05/",
    "sample letter": "letters/dudley/2021-10/",
    "letters": "letters/",
    "authority": "authorities/walsall/",
    "authorities": "authorities/",
    "theme": "themes/carers/",
    "themes": "themes/",
    "year": "years/2023/",
    "years": "years/",
    "learning": "learning/",
    "learning year": "learning/2022/",
    "follow-up": "follow-up/",
    "data": "data/",
    "statement": "accessibility/",
    "about": "about/",
    "add a letter": "add-a-letter/",
    "privacy": "privacy/",
    "404": "no/such/page/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_has_no_wcag_violations(served, page, path):
    page.goto(served.url + path)
    page.wait_for_load_state("networkidle")
    violations = wcag.violations(page)
    assert violations == [], f"{path or 'home'}:\n{wcag.report(violations)}"


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_has_one_visible_h1_and_a_skip_link(served, page, path):
    page.goto(served.url + path)
    assert page.locator("h1").count() == 1
    assert page.locator("h1").is_visible()
    assert page.locator("a.md-skip").count() == 1
