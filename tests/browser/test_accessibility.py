"""axe-core on one page of each type: no violation of any WCAG 2.2 A or AA rule."""

from __future__ import annotations

import pytest

from tests.browser import wcag
from tests.browser.site_pages import PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_has_no_wcag_violations(served, page, path):
    page.goto(served.url + path)
    page.wait_for_load_state("networkidle")
    # Folded parts opened, so that axe sees them too: a citation, a year's passages, a table.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = wcag.violations(page)
    assert violations == [], f"{path or 'home'}:\n{wcag.report(violations)}"


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_has_one_visible_h1_and_a_skip_link(served, page, path):
    page.goto(served.url + path)
    assert page.locator("h1").count() == 1
    assert page.locator("h1").is_visible()
    assert page.locator("a.md-skip").count() == 1
