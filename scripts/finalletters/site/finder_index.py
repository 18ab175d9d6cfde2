"""The finder's index: Pagefind run over the built letter pages, made the same bytes on every
build, and the facts the finder's page needs to load it.

`index` runs after mkdocs has written the site (the `on_post_build` hook), so one `mkdocs
build` makes everything. Pagefind reads what the letter pages mark: `data-pagefind-body` on the
letter, `data-pagefind-ignore` on the site's own words, its filters (`data-pagefind-filter`),
its date for sorting (`data-pagefind-sort`), its number of recommendations (meta) and the ids
of the letter's blocks (b1, b2, …) that results link to. The index is then made the same
bytes on every build, its words cut into small chunks (`stabilise`, `rechunk`) and its worker
made to start a search as soon as it can (`quicken_worker`), and `write_facts` writes into the
finder page's <head> the index's facts, as JSON (not a script), which
docs/javascripts/finder-start.js reads to load Pagefind. No script is written inline: the
pages' Content Security Policy allows none.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
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
    quicken_worker(bundle)
    write_facts(site / urls.FIND / "index.html", bundle)
    log.debug(
        "Letter finder: Pagefind indexed %d of %d letter pages in %.1f s",
        indexed,
        letters,
        time.perf_counter() - started,
    )


SIGNATURE = b"pagefind_dcd"  # how Pagefind's index files begin, before their CBOR
# The words' index is cut into chunks of about this many places each (a page a word is on,
# and each place on it, as Pagefind counts them): a search fetches the chunk of each of its
# words, so smaller chunks mean fewer bytes before the first result, and more chunks a
# slightly larger metadata file, fetched once. Measured on the benchmark's 2,000 letters
# (6,546 words): Pagefind's own chunks (20,000 places) are 193 files of up to 277 KB, and a
# search for "carers" fetched 44 KB of them, "waiting lists" 127 KB; cut at 3,000 places
# they are about 640 files, about 5 KB for each of those searches, and the metadata grows
# from 21.8 to about 26 KB. A word used on every page ("the") stays one chunk of its own.
CHUNK_PLACES = 3_000


def stabilise(bundle: Path) -> None:
    """Make Pagefind's index the same bytes on every build, in chunks a search can afford.

    Pagefind writes each filter's values, and so the files' hashed names and the metadata
    that lists them, in an order that changes from run to run (Pagefind issue #638). The
    values are rewritten sorted, each file under a name from its new content, and the
    metadata and entry point are rewritten to match. The words' index is cut again into
    smaller chunks (`rechunk`). What a search returns is unchanged.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read_index(meta_path)
        prefix = language["hash"].split("_")[0]
        meta = rechunk(bundle / "index", prefix, meta)
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


def rechunk(folder: Path, prefix: str, meta: list) -> list:
    """Cut Pagefind's words' index (folder: index/) into chunks of about CHUNK_PLACES, and
    return the metadata listing them; the old chunk files are removed.

    The words stay in order and each word's entry is kept as Pagefind wrote it; only where
    one chunk ends and the next begins changes. A word that extends the one before it
    ("waiter" after "wait") stays in its chunk, since a search for a word also finds the words
    it begins. The metadata gives each chunk the range of words a search looks it up by:
    from the shortest beginning of its first word that sorts after the chunk before, to its
    last word, so that every word, and every beginning of one, falls in exactly one chunk.
    """
    at = next((n for n, part in enumerate(meta) if _is_chunk_list(part, folder)), None)
    if at is None:
        raise PluginError(f"{folder.parent} has a metadata file this build does not understand")
    old = [name for _, _, name in meta[at]]
    words = [word for name in old for word in _read_index(folder / f"{name}.pf_index")[0]]
    chunks = _cut(words)
    listed = []
    for n, chunk in enumerate(chunks):
        first, last = chunk[0][0], chunk[-1][0]
        if n:  # the shortest beginning of `first` that sorts after the last word before
            # RUF071: a character-by-character common beginning is what is wanted here.
            same = os.path.commonprefix([first, chunks[n - 1][-1][0]])  # noqa: RUF071
            first = first[: len(same) + 1]
        listed.append([first, last, _write_index(folder, prefix, [chunk], 7, level=6)])
    kept = {name for _, _, name in listed}
    for name in old:
        if name not in kept:
            (folder / f"{name}.pf_index").unlink()
    return [*meta[:at], listed, *meta[at + 1 :]]


def _cut(words: list) -> list[list]:
    """Words (Pagefind's [word, [[page, places, …], …], …], in order) in chunks of about
    CHUNK_PLACES places."""
    chunks: list[list] = []
    size = 0
    for word in words:
        cost = sum(len(page[1]) + 1 for page in word[1])
        extends = bool(chunks) and word[0].startswith(chunks[-1][-1][0])
        if not chunks or (size + cost > CHUNK_PLACES and not extends):
            chunks.append([])
            size = 0
        chunks[-1].append(word)
        size += cost
    return chunks


def _is_chunk_list(part: object, folder: Path) -> bool:
    """Whether a part of Pagefind's metadata is its list of word chunks: [from, to, file]."""
    return (
        isinstance(part, list)
        and bool(part)
        and all(isinstance(x, list) and len(x) == 3 and all(isinstance(y, str) for y in x)
                for x in part)
        and (folder / f"{part[0][2]}.pf_index").is_file()
    )  # fmt: skip


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


def _write_index(folder: Path, prefix: str, value: list, digits: int, level: int = 9) -> str:
    """Write one index file, named by its content as Pagefind names them; its hash name. The
    words' chunks are many: they are compressed at level 6, 0.7 % larger and three times
    quicker to write than at 9."""
    data = SIGNATURE + cbor2.dumps(value)
    digest = hashlib.sha256(data).hexdigest()[:digits]
    stem = f"{prefix}_{digest}"
    suffix = {"filter": ".pf_filter", "index": ".pf_index"}.get(folder.name, ".pf_meta")
    (folder / f"{stem}{suffix}").write_bytes(gzip.compress(data, compresslevel=level, mtime=0))
    return stem.removeprefix("pagefind.")


# Pagefind's worker (1.5.2) looks every 50 ms for its WebAssembly and metadata to be ready, and
# a search asked for before then waits for the next look: up to 50 ms lost before the first
# result, on every visit. It looks every 4 ms instead. Measured on the benchmark's 2,000
# letters, 15 cold loads of /find/?q=… each: first result after DOMContentLoaded, median 233 →
# 217 ms, mean 252 → 220 ms. Drop this when Pagefind's search awaits its start-up itself.
WORKER = "pagefind-worker.js"
WORKER_LOOK = "await asyncSleep(50);}if(!this.raw_ptr)"
WORKER_LOOK_SOONER = "await asyncSleep(4);}if(!this.raw_ptr)"


def quicken_worker(bundle: Path) -> None:
    """Make Pagefind's worker start a search as soon as it is ready (`WORKER_LOOK`). A
    Pagefind whose worker reads otherwise (a new release) is left as it is, with a warning:
    the finder still works, a little later, in a preview; a strict build, as the deploy's,
    stops at the warning until `WORKER_LOOK` is brought up to date or removed."""
    worker = bundle / WORKER
    text = worker.read_text(encoding="utf-8")
    if text.count(WORKER_LOOK) != 1:
        log.warning(
            "Letter finder: %s no longer waits as Pagefind 1.5.2 did; it is left as it is "
            "(see WORKER_LOOK in scripts/finalletters/site/finder_index.py)",
            worker,
        )
        return
    worker.write_text(text.replace(WORKER_LOOK, WORKER_LOOK_SOONER), encoding="utf-8")


FACTS_MARK = "<!--finder:index-->"  # written by docs/overrides/main.html on /find/


def write_facts(page: Path, bundle: Path) -> None:
    """Write into the finder's page, where main.html marks it (in its <head>), the facts of
    the index that finder-start.js loads Pagefind with, as JSON: its version and where it is."""
    html = page.read_text(encoding="utf-8")
    if FACTS_MARK not in html:
        raise PluginError(f"{page} has no {FACTS_MARK} (see docs/overrides/main.html)")
    languages = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]
    written = ""
    if LANGUAGE in languages:  # else no letters yet: the finder says it cannot search
        facts = {
            "version": languages[LANGUAGE]["hash"],
            "root": urls.relative("", urls.FIND),
            "bundle": urls.relative(f"{BUNDLE}/", urls.FIND),
        }
        data = json.dumps(facts, separators=(",", ":")).replace("</", "<\\/")
        written = f'<script type="application/json" id="finder-index">{data}</script>'
    page.write_text(html.replace(FACTS_MARK, written, 1), encoding="utf-8")


def _tail(output: str, lines: int = 20) -> str:
    return "\n".join(output.splitlines()[-lines:])
