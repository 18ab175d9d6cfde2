"""One static web server for the benchmark and the browser tests: a built site on 127.0.0.1.

It behaves like GitHub Pages: text is sent gzipped to clients that accept it, every file may be
cached for ten minutes (Pages sends `Cache-Control: max-age=600`), files get the content types
Pages gives them, a missing path gets the site's own 404 page, and a site can be
served under a base path (Pages serves a project at /<repository>/).
"""

from __future__ import annotations

import contextlib
import gzip
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map", ".csv", ".ics"}


class StaticHandler(SimpleHTTPRequestHandler):
    """Static files as a CDN serves them, without a log line per request."""

    extensions_map = {  # noqa: RUF012 (the base class declares it as an instance attribute)
        **SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/atom+xml",
        ".json": "application/json",
        ".csv": "text/csv",
        ".ics": "text/calendar",
        ".pdf": "application/pdf",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }
    gzipped: ClassVar[dict[Path, bytes]] = {}  # shared by the handler's threads: same files
    not_found: Path | None = None  # the site's 404 page, sent for any missing path

    def __init__(self, *args: Any, not_found: Path | None = None, **kwargs: Any) -> None:
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            super().do_GET()
            return
        if path not in self.gzipped:
            self.gzipped[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self.gzipped[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404 or self.not_found is None or not self.not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A probe closes its page at the first result, while later responses may still be on
        # their way: a closed connection is expected, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path, base_path: str = "/") -> Iterator[str]:
    """Serve folder on 127.0.0.1 at a free port while the block runs; yields the site's root
    URL. With base_path "/final-letters/", folder is the site itself, served at that path."""
    base = base_path.strip("/")
    root = folder.parent if base else folder
    if base and folder.name != base:
        raise ValueError(f"to serve {folder} at /{base}/, name its folder {base}")
    StaticHandler.gzipped.clear()
    handler = partial(StaticHandler, directory=str(root), not_found=folder / "404.html")
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{base + '/' if base else ''}"
    finally:
        server.shutdown()
        server.server_close()
