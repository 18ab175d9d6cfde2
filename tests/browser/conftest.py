"""Browser fixtures: the site built once from the test corpus, served on 127.0.0.1, and
Debian's Chromium driven by Playwright, with every request that would leave 127.0.0.1 blocked
and recorded.

The site is served under /final-letters/, the path it has on GitHub Pages (mkdocs.yml's
site_url), so that the 404 page, whose links are absolute, works as it will there.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from finalletters import bench
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


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, the site's own 404 page for anything missing, and no log noise."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/atom+xml",
        ".json": "application/json",
        ".csv": "text/csv",
        ".pdf": "application/pdf",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        page = Path(self.directory) / BASE_PATH.strip("/") / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The site, built once per session, on a free port of 127.0.0.1."""
    base = tmp_path_factory.mktemp("browser")
    letters = corpus.write(base / "corpus")
    www = base / "www"
    site = www / BASE_PATH.strip("/")
    corpus.build_site(letters.root, site)
    handler = functools.partial(_Handler, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_port}{BASE_PATH}", site, letters)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed: apt-get install chromium")
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
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()
        else:
            guard.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    yield page
    context.close()
    assert not guard.blocked, f"requests left 127.0.0.1: {guard.blocked}"
