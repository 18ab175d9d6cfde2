"""The letter finder at /find/ (Pagefind) and the header search's hand-off to it, in Chromium.

Uses the site built once from tests/corpus.py (the `served` fixture). Expected counts come
from the catalogue, not from the page: the finder must agree with the letters themselves.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from finalletters import catalogue as catalogue_module
from finalletters.model import CQC_QUALITY_STATEMENTS, ROLE_LABELS, WM_DOMAINS, Role
from finalletters.tools import synthetic
from finalletters.tools.serve import serve
from tests import corpus
from tests.browser import wcag

pytestmark = pytest.mark.browser

FIND = "find/"
GROUPS = ("council", "year", "theme", "says", "cqc", "wm", "role", "kind")
# What a letter says of its themes, from the kind of section each passage stands in.
SAYS = {"strengths": "Strength", "development": "Area for development",
        "recommendations": "Recommendation"}  # fmt: skip
SEARCH_INSIDE = Path(__file__).parents[2] / "docs" / "javascripts" / "search-inside.js"
LABEL = re.compile(r"^(?P<value>.+) \((?P<count>\d+)\)$")


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected(served) -> dict[str, Counter]:
    """Each filter's values and how many letters have them, from the catalogue."""
    loaded = catalogue_module.load(served.corpus.root, draft=True)  # built as a preview
    assert not loaded.errors, loaded.errors
    counts: dict[str, Counter] = {group: Counter() for group in GROUPS}
    for letter in loaded.letters:
        themes = [loaded.reference.themes[t] for t in letter.meta.themes]
        cqc = {key for theme in themes for key in theme.cqc}
        wm = {key for theme in themes for key in theme.wm_domains}
        roles = {member.role for member in letter.meta.team}
        counts["council"][letter.authority.short_name] += 1
        counts["year"][str(letter.year)] += 1
        counts["theme"].update(theme.label for theme in themes)
        counts["cqc"].update(CQC_QUALITY_STATEMENTS[key] for key in cqc)
        counts["wm"].update(WM_DOMAINS[key] for key in wm)
        counts["role"].update(ROLE_LABELS[Role(role)] for role in roles)
        counts["kind"]["Sample letter" if letter.meta.sample else "Published letter"] += 1
        counts["says"].update(
            {
                SAYS[e.kind]
                for score in letter.theme_scores
                if score.id in letter.meta.themes
                for e in score.evidence
                if e.kind in SAYS
            }
        )
    counts["_letters"] = Counter({letter.title: 1 for letter in loaded.letters})
    return counts


def open_finder(page, served, query: str = "") -> None:
    page.goto(served.url + FIND + query)
    settled(page)


def settled(page) -> None:
    """Wait until the finder has shown the results of the latest change, and then the
    filters' counts (which follow the results)."""
    page.wait_for_function(
        "() => { const r = document.querySelector('#finder-results');"
        " const f = document.querySelector('#finder-filters');"
        " const s = document.querySelector('#finder-status');"
        " return r && !r.hasAttribute('aria-busy') && !f.hasAttribute('aria-busy')"
        " && /found/.test(s.textContent); }",
        timeout=15_000,
    )


def status(page) -> str:
    return page.locator("#finder-status").inner_text()


def found(page) -> int:
    text = status(page)
    if text.startswith("No letters"):
        return 0
    return int(re.match(r"(\d+) letters? found", text).group(1))


def titles(page) -> list[str]:
    return page.locator(".fl-result__title").all_inner_texts()


def councils_of_results(page) -> set[str]:
    metas = page.locator(".fl-result__meta").all_inner_texts()
    return {meta.split(" · ")[0] for meta in metas}


def options(page, group: str) -> dict[str, int]:
    """A filter's values as shown, with their counts."""
    labels = page.locator(f'.fl-finder__group[data-key="{group}"] label').all_text_contents()
    shown = {}
    for label in labels:
        match = LABEL.match(" ".join(label.split()))
        assert match, f"{group}: label without a count: {label!r}"
        shown[match["value"]] = int(match["count"])
    return shown


def tick(page, group: str, value: str) -> None:
    details = page.locator(f'.fl-finder__group[data-key="{group}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    details.get_by_label(re.compile(rf"^{re.escape(value)} \(\d+\)$")).check()
    settled(page)


def state_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- searching --------------------------------------------------------------------------------


def test_a_query_finds_letters_from_at_least_three_councils(served, page):
    open_finder(page, served)
    page.get_by_label("Search inside letters").fill("carers")
    page.get_by_role("button", name="Search", exact=True).click()
    settled(page)
    assert len(councils_of_results(page)) >= 3, councils_of_results(page)
    assert status(page) == f"{found(page)} letters found for “carers”."
    assert page.locator("#finder-status").get_attribute("aria-live") == "polite"


def test_results_quote_the_passages_with_the_words_marked_and_link_to_them(served, page):
    open_finder(page, served, "?q=waiting+lists")
    result = page.locator(".fl-result").filter(has_text="Walsall").first
    marks = [m.lower() for m in result.locator("mark").all_inner_texts()]
    assert any(m.startswith("waiting") for m in marks), marks
    passage = result.locator(".fl-result__passages li").filter(
        has=page.locator("mark", has_text=re.compile("^waiting", re.I))
    )
    link = passage.first.locator("a")
    href = link.get_attribute("href")
    assert re.search(r"/letters/walsall/2023-06/\?found=waiting&found=lists#b\d+$", href), href
    link.click()
    page.wait_for_load_state()
    target = page.locator(f"#{href.rsplit('#', 1)[1]}")
    assert "Waiting lists" in target.inner_text()
    # On arrival the searched words are marked in the letter, and the finder is a link away.
    assert "waiting" in [m.lower() for m in target.locator("mark.fl-found").all_inner_texts()]
    back = page.get_by_role("link", name="Back to results")
    assert back.get_attribute("href").endswith("/find/?q=waiting+lists")


def test_a_query_that_finds_nothing_says_what_to_try(served, page):
    open_finder(page, served, "?q=zyxwvut&council=Walsall")
    assert status(page) == "No letters found for “zyxwvut” with 1 filter."
    empty = page.locator("#finder-empty")
    assert empty.is_visible()
    assert "Check the spelling" in empty.inner_text()
    empty.get_by_role("button", name="search all letters for “zyxwvut”").click()
    settled(page)
    assert "council" not in state_of(page.url)
    for name in ("council", "theme", "year"):
        assert empty.get_by_role("link", name=name).count() == 1


def test_markup_in_a_letter_stays_text_in_the_results(served, page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_finder(page, served, "?q=carers")
    assert "Coventry" in councils_of_results(page), "the hostile letter is among the results"
    results = page.locator("#finder-results")
    assert results.locator("script, img, b, iframe").count() == 0
    page.wait_for_timeout(200)
    assert dialogs == []


# --- filters ----------------------------------------------------------------------------------


def test_without_a_query_every_letter_is_listed_newest_first(served, page, expected):
    open_finder(page, served)
    assert found(page) == len(served.corpus.letters)
    assert sorted(titles(page)) == sorted(expected["_letters"])
    assert page.locator("#finder-sort").input_value() == "newest"
    letters = catalogue_module.load(served.corpus.root).letters
    newest = sorted(letters, key=lambda letter: letter.date, reverse=True)
    assert titles(page) == [letter.title for letter in newest]


def test_the_counts_beside_every_filter_match_the_catalogue(served, page, expected):
    open_finder(page, served)
    for group in GROUPS:
        assert options(page, group) == dict(expected[group]), group


@pytest.mark.parametrize("group", GROUPS)
def test_each_filter_narrows_the_results_to_its_count(served, page, expected, group):
    open_finder(page, served)
    value, count = min(expected[group].items(), key=lambda item: (item[1], item[0]))
    tick(page, group, value)
    assert found(page) == count < len(served.corpus.letters)
    chip = f"Remove filter {_legend(page, group)}: {value}"
    assert page.get_by_role("button", name=chip).count() == 1
    assert state_of(page.url)[group] == [value]


def test_values_of_one_filter_add_up_and_different_filters_narrow(served, page, expected):
    open_finder(page, served)
    tick(page, "council", "Walsall")
    tick(page, "council", "Dudley")
    assert found(page) == expected["council"]["Walsall"] + expected["council"]["Dudley"]
    # With councils ticked, a council's count is what ticking it would add.
    assert options(page, "council")["Leicestershire"] == expected["council"]["Leicestershire"]
    tick(page, "theme", "Workforce")
    assert councils_of_results(page) <= {"Walsall", "Dudley"}
    assert found(page) == options(page, "theme")["Workforce"]


def test_a_filter_chip_removes_its_filter(served, page):
    open_finder(page, served, "?council=Walsall&year=2023")
    assert found(page) == 1
    page.get_by_role("button", name="Remove filter Year: 2023").click()
    settled(page)
    assert found(page) == 2
    assert state_of(page.url) == {"council": ["Walsall"]}
    page.get_by_role("button", name="Clear all filters").click()
    settled(page)
    assert found(page) == len(served.corpus.letters)
    assert page.locator("#finder-applied").is_hidden()


def test_sorting_by_date_both_ways(served, page):
    open_finder(page, served, "?q=carers")
    page.get_by_label("Sort by").select_option("oldest")
    settled(page)
    oldest = titles(page)
    page.get_by_label("Sort by").select_option("newest")
    settled(page)
    assert titles(page) == list(reversed(oldest))
    assert state_of(page.url)["sort"] == ["newest"]


# --- the address ------------------------------------------------------------------------------


def test_a_shared_address_restores_the_search(served, page, browser):
    open_finder(page, served)
    page.get_by_label("Search inside letters").fill("carers")
    page.keyboard.press("Enter")
    settled(page)
    tick(page, "kind", "Sample letter")
    page.get_by_label("Sort by").select_option("oldest")
    settled(page)
    shared, shown = page.url, titles(page)
    assert state_of(shared) == {"q": ["carers"], "kind": ["Sample letter"], "sort": ["oldest"]}

    other = browser.new_context().new_page()
    try:
        other.goto(shared)
        settled(other)
        assert other.get_by_label("Search inside letters").input_value() == "carers"
        assert other.get_by_label("Sample letter (", exact=False).is_checked()
        assert other.get_by_label("Sort by").input_value() == "oldest"
        assert titles(other) == shown
        # The header search leaves the finder's words alone.
        assert other.locator("[data-md-component=search-query]").input_value() == ""
        assert other.url == shared
    finally:
        other.context.close()


# --- keyboard, accessibility, no JavaScript ---------------------------------------------------


def _focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {id: e.id, tag: e.tagName, text: (e.innerText || e.value || '').trim(),"
        " label: e.labels && e.labels[0] ? e.labels[0].innerText : '',"
        " aria: e.getAttribute('aria-label') || ''}; }"
    )


def _tab_until(page, test, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if test(focused):
            return focused
    raise AssertionError(f"never reached by Tab; last: {_focused(page)}")


def test_the_finder_works_with_the_keyboard_only(served, page):
    open_finder(page, served)
    _tab_until(page, lambda f: f["id"] == "finder-q")
    page.keyboard.type("carers")
    page.keyboard.press("Enter")
    settled(page)
    everything = found(page)
    assert everything >= 3

    _tab_until(page, lambda f: f["label"].startswith("Walsall ("))
    page.keyboard.press("Space")
    settled(page)
    assert found(page) < everything
    assert councils_of_results(page) == {"Walsall"}

    chip = _tab_until(page, lambda f: f["aria"].startswith("Remove filter"))
    assert chip["aria"] == "Remove filter Council: Walsall"
    page.keyboard.press("Enter")
    settled(page)
    assert found(page) == everything
    assert _focused(page)["id"] == "results"  # no chip left: focus goes to the results

    link = _tab_until(page, lambda f: f["tag"] == "A" and f["text"] in titles(page))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/letters/[a-z-]+/\d{4}-\d{2}/\?found=carers$"))
    assert page.locator("h1").inner_text() == link["text"]


@pytest.mark.parametrize(
    "query",
    ["", "?q=carers", "?q=carers&council=Walsall&council=Coventry&year=2023", "?q=zyxwvut"],
    ids=["all letters", "a query", "query and filters", "no results"],
)
def test_the_finder_has_no_wcag_violations(served, page, query):
    open_finder(page, served, query)
    page.evaluate("document.querySelectorAll('.fl-finder__group').forEach(d => d.open = true)")
    violations = wcag.violations(page)
    assert violations == [], f"{FIND}{query}:\n{wcag.report(violations)}"


def test_every_control_has_a_name_and_every_filter_a_legend(served, page):
    open_finder(page, served)
    assert page.get_by_role("search", name="Letters").count() == 1
    for group in GROUPS:
        fieldset = page.locator(f'.fl-finder__group[data-key="{group}"] fieldset')
        assert fieldset.locator("legend").text_content().strip()
    unnamed = page.evaluate(
        "() => [...document.querySelectorAll('#finder input, #finder select, #finder button')]"
        ".filter(e => !e.hidden && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
        " && !e.textContent.trim()).map(e => e.outerHTML)"
    )
    assert unnamed == []


def test_without_javascript_the_page_says_so_and_links_to_the_lists(served, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served.url + FIND)
        notice = page.locator(".fl-finder-nojs")
        assert notice.is_visible()
        assert "needs JavaScript" in notice.inner_text()
        for name, path in (("council", "authorities/"), ("theme", "themes/"), ("year", "years/")):
            href = notice.get_by_role("link", name=name).get_attribute("href")
            assert href == f"../{path}"
        assert page.locator("#finder").is_hidden()
    finally:
        context.close()


def test_words_load_pagefind_and_nothing_from_elsewhere(served, page, guard):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_finder(page, served, "?q=carers")
    pagefind = [url for url in requested if "/pagefind/" in url]
    assert any(url.endswith("/pagefind/pagefind.js") for url in pagefind)
    assert not any("pagefind-ui" in url or "playground" in url for url in pagefind)
    assert guard.blocked == []


def test_a_shared_search_runs_pagefind_in_its_worker_and_fetches_each_file_once(served, page):
    """The page's thread loads Pagefind's code only; Pagefind's worker fetches the index and
    searches it, for the results and for the filters' counts, so that the page's thread is
    free for the reader."""
    workers: list = []
    page.on("worker", lambda worker: workers.append(worker))
    open_finder(page, served, "?q=carers")
    own = page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.includes('/pagefind/'))"
    )
    assert sorted(urlsplit(url).path.split("/pagefind/")[1] for url in own) == [
        "pagefind-worker.js",
        "pagefind.js",
    ]
    everything = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not [url for url in everything if "/feeds/" in url]  # fetched when a filter is chosen
    worker = next(w for w in workers if w.url.endswith("/pagefind/pagefind-worker.js"))
    fetched = worker.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    pagefind = [urlsplit(url).path.split("/pagefind/")[1] for url in fetched]
    for start_up in ("pagefind-entry.json", ".pf_meta", "wasm.en.pagefind"):
        assert len([name for name in pagefind if name.endswith(start_up)]) == 1, pagefind
    entry = next(url for url in fetched if "pagefind-entry.json" in url)
    version = page.evaluate("JSON.parse(document.getElementById('finder-index').textContent)")
    assert urlsplit(entry).query == f"ts={version['version']}"  # never an old cache's
    assert any(name.startswith("fragment/") for name in pagefind)  # results made there too
    counts = options(page, "council")  # with the words counted, not the listing's
    assert counts["Dudley"] == 0 and counts["Walsall"] == 1, counts


def test_the_first_result_is_fetched_before_the_others(served, page):
    fragments: list[tuple[str, str]] = []  # ("start" | "end", url), in the order seen
    page.on("request", lambda r: "/fragment/" in r.url and fragments.append(("start", r.url)))
    page.on("requestfinished", lambda r: "/fragment/" in r.url and fragments.append(("end", r.url)))
    open_finder(page, served, "?q=carers")
    assert found(page) > 1
    first = fragments[0][1]
    assert fragments[1] == ("end", first), fragments[:4]


def test_an_address_without_words_fetches_nothing_of_pagefind(served, page):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_finder(page, served)
    page.wait_for_load_state("networkidle")
    assert [url for url in requested if "/pagefind/" in url] == []
    assert found(page) == len(served.corpus.letters)


def test_filters_without_words_use_the_listing_and_not_pagefind(served, page):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_finder(page, served, "?theme=Carers")
    assert any(url.endswith("/find/letters.json") for url in requested)
    assert not any("/pagefind/" in url for url in requested)
    assert found(page) == 3


# --- the header search's hand-off -------------------------------------------------------------


def test_the_header_search_offers_to_search_inside_letters(served, page):
    page.goto(served.url)
    if page.locator('script[src$="search-inside.js"]').count() == 0:
        # Not yet listed in mkdocs.yml's extra_javascript: load it as that would.
        page.add_script_tag(path=str(SEARCH_INSIDE))
    page.locator("[data-md-component=search-query]").click()
    page.keyboard.type("carers")
    link = page.get_by_role("link", name="Search inside letters for “carers”")
    link.wait_for()
    assert link.get_attribute("href").endswith("/find/?q=carers")
    page.keyboard.press("ArrowDown")  # Material's keys reach it first, before the pages found
    assert link.evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/find/\?q=carers$"))
    settled(page)
    assert page.get_by_label("Search inside letters").input_value() == "carers"
    assert found(page) >= 3


def test_materials_scripts_wait_until_the_reader_reaches_for_the_header(served, page):
    """On the finder, Material's scripts are loaded when the reader first reaches for the
    header (here its search box), not before or between the results; its search then works
    as on every page, and the finder's words stay the finder's."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_finder(page, served, "?q=carers")
    page.wait_for_load_state("networkidle")
    material = re.compile(r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")
    assert not [url for url in requested if material.search(url)]
    assert page.evaluate("() => typeof window.component$") == "undefined"  # Material's, unset
    page.locator("[data-md-component=search-query]").click()
    page.keyboard.type("carers")
    link = page.get_by_role("link", name="Search inside letters for “carers”")
    link.wait_for()
    assert [url for url in requested if material.search(url)]
    assert state_of(page.url) == {"q": ["carers"]}
    assert page.locator("#finder-q").input_value() == "carers"


def _legend(page, group: str) -> str:
    return page.locator(f'.fl-finder__group[data-key="{group}"] legend').text_content().strip()


# --- more letters than one page of results ----------------------------------------------------


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory):
    """A site of 45 synthetic letters, for paging through results; its root URL."""
    base = tmp_path_factory.mktemp("many")
    synthetic.write_corpus(base / "corpus", 45, seed=5)
    corpus.build_site(base / "corpus", base / "site")
    with serve(base / "site") as url:
        yield url


def test_show_more_results_adds_the_next_twenty_and_moves_focus_to_them(many, page):
    page.goto(many + FIND)
    settled(page)
    assert status(page) == "45 letters found."
    assert page.locator(".fl-result").count() == 20
    more = page.get_by_role("button", name="Show more results (25 more)")
    more.click()
    page.wait_for_function("() => document.querySelectorAll('.fl-result').length === 40")
    first_new = page.locator(".fl-result").nth(20).locator("a").first
    assert first_new.evaluate("e => e === document.activeElement")
    page.get_by_role("button", name="Show more results (5 more)").click()
    page.wait_for_function("() => document.querySelectorAll('.fl-result').length === 45")
    assert page.locator("#finder-more").is_hidden()


def test_the_first_results_fetch_only_part_of_the_index(many, page):
    fetched: dict[str, int] = {}
    page.on(
        "requestfinished",
        lambda r: fetched.__setitem__(r.url, len(r.response().body()) if r.response() else 0),
    )
    page.goto(many + FIND + "?q=hospital+discharge")
    settled(page)
    assert found(page) > 0
    pagefind = {url: size for url, size in fetched.items() if "/pagefind/" in url}
    fragments = [url for url in pagefind if "/fragment/" in url]
    assert len(fragments) <= 20  # one per result shown, never one per letter
    assert sum(pagefind.values()) < 600_000, pagefind


def test_words_after_filters_find_the_same_values_as_the_listing(many, page):
    """The listing (no words) and Pagefind (words) must name every filter value alike."""
    page.goto(many + FIND)
    settled(page)
    listed = {group: set(options(page, group)) for group in GROUPS}
    page.get_by_label("Search inside letters").fill("the")
    page.keyboard.press("Enter")
    settled(page)
    for group in GROUPS:
        shown = set(options(page, group))
        assert shown, f"{group}: no values to compare"
        assert shown <= listed[group], group


def test_the_listing_and_the_letter_pages_give_the_same_filter_values(served):
    """Filtering without words (the listing) and with words (Pagefind reading the pages)
    must agree on every letter's values."""
    loaded = catalogue_module.load(served.corpus.root, draft=True)  # built as a preview
    assert loaded.letters
    span = re.compile(r'<span data-pagefind-filter="(\w+)">([^<]*)</span>')
    for letter in loaded.letters:
        html = (served.site / letter.url / "index.html").read_text(encoding="utf-8")
        on_page: dict[str, list[str]] = {}
        for key, value in span.findall(html):
            on_page.setdefault(key, []).append(unescape(value))
        expected = {k: v for k, v in letter.filter_values.items() if v}
        assert on_page == expected, letter.id
