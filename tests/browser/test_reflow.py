"""Every page type reflows on a narrow screen (WCAG 1.4.10) and works under the pages' Content
Security Policy, in Chromium: no page is wider than the viewport at 320 or 390 px, no script or
style is refused on any page, and a script that found its way into a letter would not run."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.browser.site_pages import PAGES

pytestmark = pytest.mark.browser

POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
# Collects the policy's refusals from the first moment of the page.
LISTEN = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__refused.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ""}`.trim()));
"""


def wider_than(browser, base: str, pages: dict[str, str], width: int) -> dict[str, int]:
    """The pages (name: path under base) wider than a screen `width` px wide, each with its
    width; every <details> opened first, so that folded content is measured too."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.route(re.compile(r"^(?!http://127\.0\.0\.1)"), lambda route: route.abort())
    try:
        page = context.new_page()
        wider = {}
        for name, path in pages.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            found = page.evaluate("document.documentElement.scrollWidth")
            if found > width:
                wider[name] = found
        return wider
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_is_wider_than_a_narrow_screen(served, browser, width):
    wider = wider_than(browser, served.url, PAGES, width)
    assert wider == {}, f"wider than {width} px: {wider}"


def test_wide_tables_and_charts_scroll_in_a_labelled_region_a_keyboard_can_reach(served, page):
    page.set_viewport_size({"width": 320, "height": 800})
    checked = 0
    for path in ("follow-up/", "learning/", "letters/walsall/2023-06/", "data/"):
        page.goto(served.url + path)
        regions = page.locator(".fl-scroll")
        assert regions.count(), path
        for n in range(regions.count()):
            region = regions.nth(n)
            assert region.get_attribute("role") == "region"
            assert region.get_attribute("tabindex") == "0"
            label = region.get_attribute("aria-labelledby")
            assert page.locator(f"#{label}").count() == 1, (path, label)
            checked += 1
    assert checked >= 4


# --- the Content Security Policy --------------------------------------------------------------


def test_every_page_carries_the_policy_and_a_referrer_policy(served):
    pages = sorted(served.site.rglob("*.html"))
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        shown = path.relative_to(served.site)
        assert f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">' in head, shown
        assert '<meta name="referrer" content="strict-origin-when-cross-origin">' in head, shown
        assert head.index("Content-Security-Policy") < head.index("<script"), shown
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert inline == [], f"{shown}: inline scripts {inline}"
        assert " style=" not in html and "<style" not in html, shown


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_type_works_under_the_policy(served, page, path):
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(LISTEN)
    response = page.goto(served.url + path)
    page.wait_for_load_state("networkidle")
    if path == "find/?q=carers":
        page.locator("#finder-results > li").first.wait_for()
    expected = ["404"] if response.status == 404 else []  # the 404 page's own status line
    assert page.evaluate("window.__refused") == []
    assert [p for p in problems if not (expected and "404" in p)] == []


def test_the_finder_and_the_header_search_work_under_the_policy(served, page):
    page.add_init_script(LISTEN)
    page.goto(served.url + "find/?q=waiting+lists")
    page.locator("#finder-results > li").first.wait_for()
    page.get_by_label("Search inside letters").fill("carers")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => /for “carers”/.test(document.querySelector('#finder-status').textContent)"
    )
    assert page.locator("#finder-results mark").count() > 0
    page.locator("[data-md-component=search-query]").click()
    page.keyboard.type("Walsall")
    page.locator(".md-search-result__item:not(.fl-search-inside)").first.wait_for()
    assert page.evaluate("window.__refused") == []


@pytest.fixture
def injected(served):
    """A copy of the hostile letter's page into which a script and a handler have got past
    the escaping, in its text and in its facts: as if a bug had let them through."""
    source = served.site / "letters" / served.corpus.hostile / "index.html"
    target = served.site / "letters" / "coventry" / "2099-01"
    target.mkdir(parents=True, exist_ok=True)
    html = source.read_text(encoding="utf-8")
    html = html.replace(
        '<div class="fl-body" data-search-exclude>',
        '<div class="fl-body" data-search-exclude><script>window.__ran = "text"</script>',
        1,
    )
    html = html.replace(
        '<dl class="fl-facts">',
        '<dl class="fl-facts"><img src="missing.png" onerror="window.__ran = \'facts\'">',
        1,
    )
    assert "window.__ran" in html
    (target / "index.html").write_text(html, encoding="utf-8")
    yield "letters/coventry/2099-01/"
    shutil.rmtree(target)


def test_a_script_that_got_into_a_letter_is_refused(served, page, injected):
    page.add_init_script(LISTEN)
    page.goto(served.url + injected)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__ran") is None
    refused = page.evaluate("window.__refused")
    assert len([r for r in refused if r.startswith("script-src")]) >= 2, refused
