"""Browser fixtures: the site built once from the test corpus, served on 127.0.0.1, and
Debian's Chromium driven by Playwright, with every request that would leave 127.0.0.1 blocked
and recorded.

The site is served under /final-letters/, the path it has on GitHub Pages (mkdocs.yml's
site_url), so that the 404 page, whose links are absolute, works as it will there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from finalletters.tools import bench
from finalletters.tools.serve import serve
from tests import corpus

CHROMIUM = Path(bench.CHROMIUM)
CHROMIUM_ARGS = bench.CHROMIUM_ARGS
BASE_PATH = "/final-letters/"


@dataclass
class Served:
    url: str  # the site's root, e.g. http://127.0.0.1:43210/final-letters/
    site: Path
    corpus: corpus.Corpus


@dataclass
class Guard:
    """Requests the page tried to make to anywhere but 127.0.0.1 (all of them were blocked)."""

    blocked: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The site, built once per session, on a free port of 127.0.0.1."""
    base = tmp_path_factory.mktemp("browser")
    letters = corpus.write(base / "corpus")
    www = base / "www"
    site = www / BASE_PATH.strip("/")
    corpus.build_site(letters.root, site)
    with serve(site, BASE_PATH) as url:
        yield Served(url, site, letters)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Debian's Chromium is not at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so browser tests must run)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def guard() -> Guard:
    return Guard()


@pytest.fixture
def page(browser, guard: Guard):
    """A fresh page; any request to a host other than 127.0.0.1 is blocked, recorded, and
    fails the test."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})

    def route(route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        # chrome: and chrome-extension: are the browser's own PDF viewer, never the network.
        internal = ("data:", "blob:", "about:", "chrome:", "chrome-extension:")
        if url.startswith(internal) or host == "127.0.0.1":
            route.continue_()
        else:
            guard.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    yield page
    context.close()
    assert not guard.blocked, f"requests left 127.0.0.1: {guard.blocked}"
