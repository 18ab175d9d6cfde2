"""A reader's journeys through the built site, in Debian's Chromium: with a mouse, and with
the keyboard only. No request may leave 127.0.0.1 (the `page` fixture fails the test if one
tries)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

FOCUS_YELLOW = "rgb(255, 221, 0)"
LETTER = "Peer challenge: Walsall, June 2023"
PDF_LINK = re.compile(r"^Open the original letter \(PDF, \d+ KB, 2 pages\)$")


def _opens_in_the_browser(link) -> None:
    """A link to the PDF that the browser opens, not saves: no `download` attribute."""
    assert link.get_attribute("download") is None
    assert link.get_attribute("type") == "application/pdf"
    assert link.get_attribute("target") is None


def test_a_reader_goes_from_home_to_a_council_to_a_letter_and_opens_its_pdf(served, page):
    page.goto(served.url)
    assert page.locator("h1").inner_text() == "Final Letters"
    page.get_by_role("navigation", name="Navigation").get_by_role("link", name="Councils").click()
    assert page.locator("h1").inner_text() == "Councils"
    page.get_by_role("link", name="Walsall Metropolitan Borough Council").click()
    assert page.url == served.url + "authorities/walsall/"
    page.get_by_role("link", name=LETTER).click()
    assert page.url == served.url + "letters/walsall/2023-06/"
    assert page.locator("h1").inner_text() == LETTER

    link = page.get_by_role("link", name=PDF_LINK)
    _opens_in_the_browser(link)
    address = served.url + "letters/walsall/2023-06/" + link.get_attribute("href")
    assert address == served.url + "letters/walsall/2023-06/letter.pdf"
    response = page.request.get(address)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {
                tag: el.tagName.toLowerCase(),
                text: (el.innerText || el.value || '').trim(),
                href: el.getAttribute('href') || '',
                className: el.className || '',
                background: style.backgroundColor,
                outline: style.outlineStyle + ' ' + style.outlineWidth,
                shadow: style.boxShadow,
                opacity: style.opacity,
                visible: box.width > 0 && box.height > 0,
            };
        }"""
    )


def _visibly_focused(state: dict) -> bool:
    """Our focus style: a yellow background on links, a yellow outline on other controls."""
    return state["visible"] and (
        state["background"] == FOCUS_YELLOW
        or (state["outline"].split()[0] != "none" and state["shadow"] != "none")
    )


def _tab_to(page, text: str | re.Pattern, limit: int = 150) -> dict:
    """Press Tab until a link with this text has the focus, checking that every element that
    receives focus on the way shows it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = _focused(page)
        assert state["tag"] != "body", "focus fell back to the page: a keyboard trap or a gap"
        assert _visibly_focused(state), f"focus is not visible on {state}"
        found = state["text"] == text if isinstance(text, str) else text.match(state["text"])
        if found:
            return state
    raise AssertionError(f"no focusable element with the text {text!r} after {limit} tabs")


def test_the_same_journey_works_with_the_keyboard_only(served, page):
    page.goto(served.url)

    page.keyboard.press("Tab")
    skip = _focused(page)
    assert "md-skip" in skip["className"] and skip["text"] == "Skip to content"
    page.wait_for_timeout(400)  # the skip link slides into view
    skip = _focused(page)
    assert skip["opacity"] == "1" and _visibly_focused(skip), skip
    page.keyboard.press("Enter")
    assert page.url.endswith("#title")

    _tab_to(page, "Walsall")
    page.keyboard.press("Enter")
    page.wait_for_url(served.url + "authorities/walsall/")

    _tab_to(page, LETTER)
    page.keyboard.press("Enter")
    page.wait_for_url(served.url + "letters/walsall/2023-06/")

    _tab_to(page, PDF_LINK)
    _opens_in_the_browser(page.locator(":focus"))
    page.keyboard.press("Enter")  # the browser's own PDF viewer opens it
    page.wait_for_url(served.url + "letters/walsall/2023-06/letter.pdf")


def test_a_missing_page_answers_with_a_useful_404(served, page):
    response = page.goto(served.url + "letters/walsall/1999-01/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    page.get_by_role("link", name="Letters by council").click()
    assert page.locator("h1").inner_text() == "Councils"


def test_markup_in_a_letter_is_shown_as_text_and_never_run(served, page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(served.url + f"letters/{served.corpus.hostile}/")
    assert page.locator("h1").inner_text().startswith("Peer challenge: <script>alert('x')</script>")
    assert (
        page.locator("h1 script, h1 b, .fl-body script, .fl-body img, .fl-about img").count() == 0
    )
    assert "<img src=x onerror=" in page.locator(".fl-about").inner_text()
    assert (
        "</div></article><script>alert('break out')</script>"
        in page.locator(".fl-body").inner_text()
    )
    page.wait_for_timeout(200)
    assert dialogs == []
