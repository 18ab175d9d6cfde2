"""The finder's index: Pagefind run over the built letter pages, made the same bytes on every
build, and the facts the finder's page needs to load it.

`index` runs after mkdocs has written the site (the `on_post_build` hook), so one `mkdocs
build` makes everything. Pagefind reads what the letter pages mark: `data-pagefind-body` on the
letter, `data-pagefind-ignore` on the site's own words, its filters (`data-pagefind-filter`),
its date for sorting (`data-pagefind-sort`), its number of recommendations (meta) and the ids
of the letter's blocks (b1, b2, …) that results link to. Then `write_loader` writes into the
finder page's <head> the index's facts, as JSON (not a script), and the script that loads
Pagefind (docs/javascripts/finder-loader.js): a shared search (?q=) starts while the page's
style sheets and scripts are still loading. No script is written inline: the pages' Content
Security Policy allows none.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import cbor2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from . import urls

log = logging.getLogger("mkdocs.plugins.finalletters")

BUNDLE = "pagefind"  # the index's folder in the site: /pagefind/
LETTER_PAGES = "letters/*/*/index.html"  # the only pages Pagefind reads
LANGUAGE = "en"  # one English index (the pages say en-GB; Pagefind stems by language)
# Pagefind also writes its ready-made search interfaces and the index for pages in no known
# language; the finder uses neither, so they are not published.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "wasm.unknown.pagefind",
)
INDEXED = re.compile(r"Indexed (\d+) pages?")
BODY_FOUND = "Found a data-pagefind-body element"  # Pagefind's words when pages mark it


def index(config: MkDocsConfig) -> None:
    """Run Pagefind over the built site's letter pages; its bundle goes to /pagefind/. Fails
    the build with Pagefind's own message when it fails, and when a letter page was not
    indexed as a letter."""
    site = Path(config.site_dir)
    letters = len(list(site.glob(LETTER_PAGES)))
    bundle = site / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)  # no stale chunks from an earlier build
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-subdir",
        BUNDLE,
        "--glob",
        LETTER_PAGES,
        "--force-language",
        LANGUAGE,
    ]
    started = time.perf_counter()
    try:
        # S603: the arguments are our own, not a reader's.
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as exc:
        raise PluginError(f"The letter finder's index could not be made: {exc}") from exc
    output = f"{done.stdout}\n{done.stderr}".strip()
    if done.returncode != 0:
        raise PluginError(
            "The letter finder's index could not be made: Pagefind failed "
            f"(exit {done.returncode}).\n{_tail(output)}\n"
            "Tip: check that the `pagefind[bin]` package is installed (`make test` installs "
            "it), then build again."
        )
    found = INDEXED.search(output)
    indexed = int(found.group(1)) if found else 0
    if letters and (BODY_FOUND not in output or indexed != letters):
        raise PluginError(
            f"The letter finder's index holds {indexed} of {letters} letter pages: every "
            "letter page must mark its letter with data-pagefind-body (see "
            "scripts/finalletters/site/templates/letter.html).\n" + _tail(output)
        )
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    stabilise(bundle)
    write_loader(site / urls.FIND / "index.html", bundle)
    log.debug(
        "Letter finder: Pagefind indexed %d of %d letter pages in %.1f s",
        indexed,
        letters,
        time.perf_counter() - started,
    )


SIGNATURE = b"pagefind_dcd"  # how Pagefind's index files begin, before their CBOR


def stabilise(bundle: Path) -> None:
    """Make Pagefind's filter indexes the same bytes on every build.

    Pagefind writes each filter's values, and so the files' hashed names and the metadata
    that lists them, in an order that changes from run to run (Pagefind issue #638). The
    values are rewritten sorted, each file under a name from its new content, and the
    metadata and entry point are rewritten to match. What a search returns is unchanged.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read_index(meta_path)
        prefix = language["hash"].split("_")[0]
        renamed = {}
        for path in sorted((bundle / "filter").glob(f"{prefix}_*.pf_filter")):
            name, values = _read_index(path)
            values = sorted([value, sorted(pages)] for value, pages in values)
            renamed[path.stem] = _write_index(bundle / "filter", prefix, [name, values], 7)
            path.unlink()
        meta = [_renamed(part, renamed) for part in meta]
        language["hash"] = _write_index(bundle, f"pagefind.{prefix}", meta, 10)
        meta_path.unlink()
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _renamed(part: object, renamed: dict[str, str]) -> object:
    """One part of Pagefind's metadata, its filter files renamed; the list of filters (pairs
    of filter and file) sorted, since it too comes in a changing order."""
    if not isinstance(part, list):
        return part
    if part and all(_is_filter_pair(x, renamed) for x in part):
        return sorted([name, renamed[old]] for name, old in part)
    return part


def _is_filter_pair(item: object, renamed: dict[str, str]) -> bool:
    return (
        isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)
        and item[1] in renamed
    )  # fmt: skip


def _read_index(path: Path) -> list:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise PluginError(f"{path} is not a Pagefind index file this build understands")
    return cbor2.loads(data[len(SIGNATURE) :])


def _write_index(folder: Path, prefix: str, value: list, digits: int) -> str:
    """Write one index file, named by its content as Pagefind names them; its hash name."""
    data = SIGNATURE + cbor2.dumps(value)
    digest = hashlib.sha256(data).hexdigest()[:digits]
    stem = f"{prefix}_{digest}"
    suffix = ".pf_filter" if folder.name == "filter" else ".pf_meta"
    (folder / f"{stem}{suffix}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return stem.removeprefix("pagefind.")


LOADER_MARK = "<!--finder:loader-->"  # written by docs/overrides/main.html on /find/
LOADER = "javascripts/finder-loader.js"


def write_loader(page: Path, bundle: Path) -> None:
    """Write into the finder's page, where main.html marks it (before the style sheets), the
    facts of the index as JSON and the script that loads Pagefind (finder-loader.js): the
    index's version, and the files Pagefind fetches before its first search, which the script
    preloads when the page opens with words to search for."""
    html = page.read_text(encoding="utf-8")
    if LOADER_MARK not in html:
        raise PluginError(f"{page} has no {LOADER_MARK} (see docs/overrides/main.html)")
    languages = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]
    written = ""
    if LANGUAGE in languages:  # else no letters yet: the finder says it cannot search
        version, wasm = languages[LANGUAGE]["hash"], languages[LANGUAGE]["wasm"]
        facts = {
            "version": version,
            "root": urls.relative("", urls.FIND),
            "bundle": urls.relative(f"{BUNDLE}/", urls.FIND),
            "preload": [
                f"pagefind-entry.json?ts={version}",
                f"pagefind.{version}.pf_meta",
                f"wasm.{wasm}.pagefind",
            ],
        }
        data = json.dumps(facts, separators=(",", ":")).replace("</", "<\\/")
        written = (
            f'<script type="application/json" id="finder-index">{data}</script>'
            f'<script src="{urls.relative(LOADER, urls.FIND)}"></script>'
        )
    page.write_text(html.replace(LOADER_MARK, written, 1), encoding="utf-8")


def _tail(output: str, lines: int = 20) -> str:
    return "\n".join(output.splitlines()[-lines:])
