"""`letters bench`: the build, the finder and extraction, measured on synthetic letters.

For each corpus size, our site (hooks and the finder's index) and a plain Material site over the
same letters are each built in a fresh child process and timed. Peak memory is the child's own
peak resident size plus that of its largest child (Pagefind): an upper bound. Both sites are
then served on 127.0.0.1, gzipped as GitHub Pages serves them, and opened in Debian's Chromium
from a cold cache, to time the first search result and count the bytes fetched before it.
Extraction is timed on a few multi-page PDFs against raw pypdf and, if present, pdftotext.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click

from .. import extract, lettermd, register
from ..analyse import analyse
from . import synthetic
from .serve import serve

REPO = synthetic.REPO
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUERIES = ("hospital discharge", "carers", "waiting lists")
FINDER_RESULT = "#finder-results > li"  # a result in the finder's list (site/finder.py)
MATERIAL_RESULT = ".md-search-result__item"
PROBE_TIMEOUT_S = 120
EXTRACTION_PDFS = 5

# The targets of issue #5 (2-core machine, median of runs).
TARGET_LETTERS = 2_000
BUILD_S = 30.0
PEAK_MB = 1_536.0
FIRST_RESULT_MS = 250.0  # after DOMContentLoaded: the search's own time, not the page's
FETCHED_KB = 250.0
# The targets of issue #11, Lighthouse 12 mobile preset.
PERFORMANCE = 95  # at least, on the home page, a letter and the finder with words
LAYOUT_SHIFT = 0.0  # at most, on the same three
BLOCKING_MS = 150.0  # at most: total blocking time of the finder with words

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_QUERY = QUERIES[1]
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_TIMEOUT_S = 300
# Lighthouse starts Chromium itself: the same flags as the probes, headless, and no host but
# 127.0.0.1 can be reached, so that nothing is downloaded whatever a page asks for.
LIGHTHOUSE_CHROME_FLAGS = [
    "--headless=new",
    *CHROMIUM_ARGS,
    '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"',
]
GROWTH_AT_5000 = 1.5  # finder at 5,000 letters: within 1.5x of 2,000
LINEAR = 1.0  # build time per letter may not grow from 500 letters up
EXTRACTION_RATIO = 0.5  # extract + analyse against raw pypdf, pages per second


def progress(message: str) -> None:
    click.echo(message, err=True)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# --- corpora ----------------------------------------------------------------------------------

BASELINE_CONFIG = """\
site_name: Baseline
site_url: https://example.org/
theme:
  name: material
  font: false
plugins:
  - search
nav:
  - Home: index.md
"""


def write_baseline(corpus: Path, folder: Path) -> None:
    """A plain Material project: one page per letter (title and body), a flat navigation."""
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    (docs / "index.md").write_text("# Letters\n\nEvery letter, one page each.\n", "utf-8")
    for letter_id, body in synthetic.iter_bodies(corpus):
        page = docs / f"{letter_id}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        demoted = body.replace("\n# ", "\n## ")
        page.write_text(f"# Letter {letter_id}\n\n{demoted}", encoding="utf-8")


# --- builds -----------------------------------------------------------------------------------

# Runs `mkdocs` in this child and writes its own peak memory, and that of its children (the
# finder's indexer), to the file named first.
CHILD = """
import json, resource, runpy, sys, traceback
out, sys.argv = sys.argv[1], ["mkdocs", *sys.argv[2:]]
code = 0
try:
    runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
except BaseException:
    traceback.print_exc()
    code = 1
usage = {"self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
         "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "code": code}
with open(out, "w") as f:
    json.dump(usage, f)
sys.exit(code)
"""


@dataclass
class Build:
    """The runs of one site's build at one size; summaries are medians of the runs."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    child_mb: list[float] = field(default_factory=list)  # the largest child's part of peak_mb
    site_mb: float | None = None
    finder_index: bool | None = None
    error: str | None = None

    def summary(self, letters: int) -> dict[str, Any]:
        wall = median(self.seconds)
        return {
            "wall_s": _round(wall, 2),
            "ms_per_letter": _round(wall * 1000 / letters if wall else None, 1),
            "peak_mb": _round(median(self.peak_mb), 0),
            "peak_child_mb": _round(median(self.child_mb), 0),
            "site_mb": _round(self.site_mb, 1),
            "runs_s": [round(s, 2) for s in self.seconds],
            "finder_index": self.finder_index,
            "error": self.error,
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def build_once(config: Path, site: Path, env: dict[str, str], build: Build) -> None:
    """Build one site in a fresh child process; add its time and peak memory to build."""
    shutil.rmtree(site, ignore_errors=True)
    usage_file, log_file = site.with_suffix(".usage.json"), site.with_suffix(".log")
    command = [sys.executable, "-c", CHILD, str(usage_file), "build", "-f", str(config)]
    command += ["-d", str(site)]
    start = time.perf_counter()
    with log_file.open("w", encoding="utf-8") as log:
        done = subprocess.run(command, env=env, cwd=REPO, stdout=log, stderr=log, check=False)  # noqa: S603 (our interpreter, our paths)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-6:]
        build.error = f"mkdocs build exited {done.returncode}: " + " / ".join(tail)
        return
    usage = json.loads(usage_file.read_text(encoding="utf-8"))
    build.seconds.append(seconds)
    build.peak_mb.append((usage["self_kb"] + usage["children_kb"]) / 1024)
    build.child_mb.append(usage["children_kb"] / 1024)


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024**2


def our_env(corpus: Path) -> dict[str, str]:
    """The environment of our build: letters from the corpus, the package from this tree."""
    env = dict(os.environ, FINAL_LETTERS_ROOT=str(corpus))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "scripts"), env.get("PYTHONPATH", "")) if p
    )
    return env


def measure_builds(corpus: Path, baseline: Path, work: Path, repeat: int) -> dict[str, Build]:
    """Both sites, built repeat times each, alternately so that drift affects both alike."""
    ours, plain = Build(), Build()
    targets = [
        ("ours", REPO / "mkdocs.yml", work / "site-ours", our_env(corpus), ours),
        ("baseline", baseline / "mkdocs.yml", work / "site-baseline", dict(os.environ), plain),
    ]
    for run in range(1, repeat + 1):
        for name, config, site, env, build in targets:
            if build.error:
                continue
            build_once(config, site, env, build)
            took = f"{build.seconds[-1]:.1f} s" if not build.error else f"failed: {build.error}"
            progress(f"  build {name} {run}/{repeat}: {took}")
    for _, _, site, _, build in targets:
        if not build.error:
            build.site_mb = folder_mb(site)
    ours.finder_index = (work / "site-ours" / "pagefind" / "pagefind.js").is_file()
    if not ours.error and not ours.finder_index:
        progress("  warning: our build made no finder index (site/pagefind/)")
    return {"ours": ours, "baseline": plain}


# --- the browser ------------------------------------------------------------------------------

# Notes performance.now() (milliseconds since navigation start) when the first result is
# visible: on every DOM change, and on every frame in case only styles change.
WATCH = """
(() => {
  const selector = %s;
  const shown = (el) => el.getClientRects().length > 0;
  const check = () => {
    if (window.__firstResult !== undefined) return true;
    const el = document.querySelector(selector);
    if (el && shown(el)) { window.__firstResult = performance.now(); return true; }
    return false;
  };
  new MutationObserver((_, observer) => { if (check()) observer.disconnect(); })
    .observe(document, {childList: true, subtree: true, attributes: true});
  const frame = () => { if (!check()) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();
"""


@dataclass
class Probe:
    """One cold page load: ms to the first result, and what was fetched before it."""

    ms: float | None
    kb: float
    requests: int
    dom_ready_ms: float | None = None  # DOMContentLoaded ended: how much was the page itself
    error: str | None = None

    @property
    def after_ready_ms(self) -> float | None:
        """The first result's time after the page was ready: the search's own time; 0 when
        the result was shown before the page was ready."""
        if self.ms is None or not self.dom_ready_ms:
            return None
        return round(max(0.0, self.ms - self.dom_ready_ms), 1)


def probe(browser: Any, url: str, selector: str) -> Probe:
    """Open url in a fresh context (a cold cache) and time the first visible result."""
    context = browser.new_context()
    try:
        context.add_init_script(WATCH % json.dumps(selector))
        finished: list[Any] = []
        context.on("requestfinished", lambda request: finished.append(request))
        page = context.new_page()
        page.goto(url, wait_until="commit")
        try:
            # A function, not an expression: Playwright evaluates an expression with eval(),
            # which the pages' Content Security Policy refuses.
            page.wait_for_function(
                "() => window.__firstResult !== undefined", timeout=PROBE_TIMEOUT_S * 1000
            )
        except Exception as exc:  # Playwright's TimeoutError, or the page went away
            return Probe(None, _kb(list(finished)), len(finished), error=type(exc).__name__)
        # The page may show its first result before it is itself ready: wait for that too,
        # so that the time after DOMContentLoaded is 0, not the time from navigation.
        page.wait_for_load_state("domcontentloaded")
        ms, loaded, origin = page.evaluate(
            "[window.__firstResult, performance.getEntriesByType('navigation')[0]"
            "?.domContentLoadedEventEnd ?? null, performance.timeOrigin]"
        )
        # Only what had arrived when the result was shown: later requests may finish before
        # this side hears of the result.
        before = [r for r in finished if _arrived(r) <= origin + ms]
        return Probe(round(ms, 1), _kb(before), len(before), _round(loaded, 1))
    finally:
        context.close()


def _arrived(request: Any) -> float:
    """When a request's response had fully arrived, in ms since the epoch (the clock of
    `performance.timeOrigin`)."""
    timing = request.timing
    return timing["startTime"] + max(timing["responseEnd"], 0.0)


def _kb(requests: list[Any]) -> float:
    """Bytes on the wire: each response's Content-Length (the gzipped size, when gzipped; the
    browser reports no body size for worker scripts) and its headers. A negative body size is
    Chromium's mark for a response taken from its memory cache: nothing was fetched."""
    total = 0
    for request in requests:
        sizes, response = request.sizes(), request.response()
        if sizes["responseBodySize"] < 0:
            continue
        length = response.headers.get("content-length") if response else None
        total += int(length) if length else sizes["responseBodySize"]
        total += max(0, sizes["responseHeadersSize"])
    return round(total / 1024, 1)


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def measure_search(browser: Any, site: Path, kind: str, repeat: int) -> dict[str, Any]:
    """Time to the first result, and bytes before it, for each query: median of repeat."""
    if kind == "ours" and not (site / "find" / "index.html").is_file():
        return {"error": "the site has no /find/ page"}
    path, selector = ("find/", FINDER_RESULT) if kind == "ours" else ("", MATERIAL_RESULT)
    results: dict[str, Any] = {}
    with serve(site) as base:
        for query in QUERIES:
            probes: list[Probe] = []
            for _ in range(repeat):
                probes.append(probe(browser, f"{base}{path}?q={quote(query)}", selector))
                if probes[-1].error:
                    break
            results[query] = _probe_summary(probes)
            shown = results[query]
            progress(f"  {kind} '{query}': {shown['ms']} ms, {shown['kb']} KB")
    return results


def _probe_summary(probes: list[Probe]) -> dict[str, Any]:
    good = [p for p in probes if p.error is None]
    errors = [p.error for p in probes if p.error]
    return {
        "ms": _round(median([p.ms for p in good if p.ms is not None]), 1),
        "kb": _round(median([p.kb for p in good]), 1),
        "requests": int(median([p.requests for p in good]) or 0),
        "dom_ready_ms": _round(median([p.dom_ready_ms for p in good if p.dom_ready_ms]), 1),
        "after_ready_ms": _round(
            median([a for p in good if (a := p.after_ready_ms) is not None]), 1
        ),
        "runs": [asdict(p) | {"after_ready_ms": p.after_ready_ms} for p in probes],
        "error": errors[0] if errors else None,
    }


def browser_reason() -> str | None:
    """Why the browser stage cannot run here, or None when it can."""
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401 (only checking that it is installed)
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


# --- Lighthouse -------------------------------------------------------------------------------


def lighthouse_reason() -> str | None:
    """Why Lighthouse cannot run here, or None when it can."""
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    if not shutil.which("node"):
        return "node is not installed (apt-get install nodejs)"
    if not LIGHTHOUSE.is_file():
        return f"{LIGHTHOUSE} is missing (make installs it: npm ci --ignore-scripts)"
    return None


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run (mobile preset) on url: its category scores (0-100) and the
    measures the targets name; the full report is kept at out."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
        f"--chrome-flags={' '.join(LIGHTHOUSE_CHROME_FLAGS)}",
    ]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    try:
        done = subprocess.run(  # noqa: S603 (our own command line, our own URL)
            command, env=env, capture_output=True, text=True, timeout=LIGHTHOUSE_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return {"error": f"Lighthouse took longer than {LIGHTHOUSE_TIMEOUT_S} s"}
    if done.returncode != 0 or not out.is_file():
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": f"Lighthouse exited {done.returncode}: " + " / ".join(tail)}
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    if report.get("runtimeError"):
        return {"error": report["runtimeError"].get("message", "runtime error")}

    def value(audit: str) -> float | None:
        found = audits.get(audit, {}).get("numericValue")
        return None if found is None else round(float(found), 3)

    return {
        "scores": {
            name: None if category["score"] is None else round(category["score"] * 100)
            for name, category in report["categories"].items()
        },
        "layout_shift": value("cumulative-layout-shift"),
        "blocking_ms": value("total-blocking-time"),
        "contentful_paint_ms": value("first-contentful-paint"),
        "largest_paint_ms": value("largest-contentful-paint"),
        "error": None,
    }


def lighthouse_pages(site: Path, kind: str) -> dict[str, str]:
    """The three pages Lighthouse scores on a site: home, a letter, and a search for words."""
    search = f"?q={quote(LIGHTHOUSE_QUERY)}"
    if kind == "ours":
        letter = next(iter(sorted(site.glob("letters/*/*/index.html"))), None)
        finder = f"find/{search}"
    else:
        letter = next(
            (p for p in sorted(site.glob("*/*/index.html")) if p.parts[-3] not in ("assets",)),
            None,
        )
        finder = search  # Material opens its search with ?q=
    pages = {"home": "", "search": finder}
    if letter is not None:
        pages["letter"] = letter.parent.relative_to(site).as_posix() + "/"
    return pages


def measure_lighthouse(site: Path, kind: str, work: Path) -> dict[str, Any]:
    """Lighthouse on a site's home page, a letter and a search, once each."""
    results: dict[str, Any] = {}
    with serve(site) as base:
        for name, path in lighthouse_pages(site, kind).items():
            found = lighthouse(base + path, work / f"lighthouse-{kind}-{name}.json")
            found["path"] = path
            results[name] = found
            scores = found.get("scores") or {}
            progress(
                f"  lighthouse {kind} {name}: performance {scores.get('performance')}, "
                f"layout shift {found.get('layout_shift')}, "
                f"blocking {found.get('blocking_ms')} ms"
                + (f" ({found['error']})" if found.get("error") else "")
            )
    return results


# --- extraction -------------------------------------------------------------------------------


def _timed(works: Mapping[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median seconds of each piece of work, run in turns so that drift affects all alike."""
    times: dict[str, list[float]] = {name: [] for name in works}
    for work in works.values():
        work()  # warm up: imports, compiled patterns
    for _ in range(repeat):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


EXTRACTORS = ("ours", "pypdf", "pdftotext")


def measure_extraction(folder: Path, repeat: int) -> dict[str, Any]:
    """Pages per second of extract + analyse, raw pypdf and pdftotext on the same PDFs."""
    from pypdf import PdfReader

    paths = synthetic.write_pdfs(folder, EXTRACTION_PDFS)
    pdfs = [(path.name, path.read_bytes()) for path in paths]
    pages = sum(len(PdfReader(BytesIO(data)).pages) for _, data in pdfs)
    reference = register.load(REPO / "letters")

    def ours() -> None:
        for name, data in pdfs:
            analyse(lettermd.to_markdown(extract.extract(data, name).blocks), reference)

    def raw() -> None:
        for _, data in pdfs:
            for page in PdfReader(BytesIO(data)).pages:
                page.extract_text()

    def poppler() -> None:
        for path in paths:
            command = ["pdftotext", "-q", str(path), "-"]
            subprocess.run(command, check=True, capture_output=True)  # noqa: S603 (fixed command)

    works = {"ours": ours, "pypdf": raw}
    if shutil.which("pdftotext"):
        works["pdftotext"] = poppler
    seconds = _timed(works, repeat)
    rates = {
        name: round(pages / seconds[name], 1) if name in seconds else None for name in EXTRACTORS
    }
    progress("  pages/s: " + ", ".join(f"{name} {rate}" for name, rate in rates.items()))
    return {
        "pdfs": len(pdfs),
        "pages": pages,
        "ours_pages_per_s": rates["ours"],
        "pypdf_pages_per_s": rates["pypdf"],
        "pdftotext_pages_per_s": rates["pdftotext"],
        "ratio_pypdf": _ratio(rates["ours"], rates["pypdf"]),
        "ratio_pdftotext": _ratio(rates["ours"], rates["pdftotext"]),
    }


def _ratio(ours: float | None, other: float | None) -> float | None:
    return round(ours / other, 2) if ours is not None and other else None


# --- one size ---------------------------------------------------------------------------------


def measure_size(
    n: int,
    work: Path,
    repeat: int,
    browser: Any | None,
    seed: int = 0,
    with_lighthouse: bool = False,
) -> dict[str, Any]:
    """Write a corpus of n letters, build both sites, and probe their search."""
    work.mkdir(parents=True, exist_ok=True)
    corpus, baseline = work / "corpus", work / "baseline"
    start = time.perf_counter()
    synthetic.write_corpus(corpus, n, seed)
    write_baseline(corpus, baseline)
    made = time.perf_counter() - start
    progress(f"[{n} letters] corpus written in {made:.1f} s")
    builds = measure_builds(corpus, baseline, work, repeat)
    ours, plain = (builds[k].summary(n) for k in ("ours", "baseline"))
    result: dict[str, Any] = {
        "letters": n,
        "corpus_s": round(made, 2),
        "corpus_mb": round(folder_mb(corpus), 1),
        "build": {
            "ours": ours,
            "baseline": plain,
            "ratio": {
                key: _ratio(ours[key], plain[key]) for key in ("wall_s", "peak_mb", "site_mb")
            },
        },
        "search": None,
        "lighthouse": None,
    }
    if browser is not None:
        result["search"] = {
            engine: {"error": "the build failed"}
            if builds[site].error
            else measure_search(browser, work / f"site-{site}", engine, repeat)
            for engine, site in (("ours", "ours"), ("material", "baseline"))
        }
    if with_lighthouse:
        result["lighthouse"] = {
            engine: {"error": "the build failed"}
            if builds[site].error
            else measure_lighthouse(work / f"site-{site}", site, work)
            for engine, site in (("ours", "ours"), ("material", "baseline"))
        }
    return result


# --- verdicts and the table -------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    letters: str
    ours: float | None
    baseline: float | None = None
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None  # None: no target for this row


def worst(search: dict[str, Any] | None, key: str) -> float | None:
    """The slowest (or heaviest) query's median, or None when any query failed."""
    if not search or search.get("error"):
        return None
    values = [search[q][key] for q in QUERIES if q in search]
    return None if not values or None in values else max(values)


def size_rows(size: dict[str, Any], at_2000: dict[str, Any] | None) -> list[Row]:
    """Rows for one corpus size, judged against the targets that apply to it."""
    n, build = size["letters"], size["build"]
    ours, plain, ratio = build["ours"], build["baseline"], build["ratio"]
    judged = n <= TARGET_LETTERS
    rows = [
        _limit_row("build wall (s)", n, ours["wall_s"], plain["wall_s"], ratio["wall_s"],
                   BUILD_S if judged else None),
        Row("build per letter (ms)", str(n), ours["ms_per_letter"], plain["ms_per_letter"],
            ratio["wall_s"]),
        _limit_row("build peak memory (MB)", n, ours["peak_mb"], plain["peak_mb"],
                   ratio["peak_mb"], PEAK_MB if judged else None),
        Row("site size (MB)", str(n), ours["site_mb"], plain["site_mb"], ratio["site_mb"]),
    ]  # fmt: skip
    search = size.get("search")
    if search is not None:
        ms_limit, kb_limit = FIRST_RESULT_MS, FETCHED_KB
        if not judged:
            ms_limit = GROWTH_AT_5000 * (worst(at_2000, "after_ready_ms") or FIRST_RESULT_MS)
            kb_limit = GROWTH_AT_5000 * (worst(at_2000, "kb") or FETCHED_KB)
        for label, key, limit in (
            ("first result, slowest query (ms)", "ms", None),
            ("first result after DOMContentLoaded (ms)", "after_ready_ms", ms_limit),
            ("fetched before it (KB)", "kb", kb_limit),
        ):
            mine, theirs = worst(search["ours"], key), worst(search["material"], key)
            rows.append(_limit_row(label, n, mine, theirs, _ratio(mine, theirs), limit))
        # How much of the first result's time is the page itself, before any search.
        mine, theirs = (
            worst(search["ours"], "dom_ready_ms"),
            worst(search["material"], "dom_ready_ms"),
        )
        rows.append(
            Row("page ready, DOMContentLoaded (ms)", str(n), mine, theirs, _ratio(mine, theirs))
        )
    if size.get("lighthouse"):
        rows += lighthouse_rows(size["lighthouse"], n)
    return rows


def lighthouse_rows(found: dict[str, Any], n: int) -> list[Row]:
    """Lighthouse's scores beside Material's, and the targets: performance on the three
    pages, no layout shift on them, little blocking time on the finder with words."""
    ours, theirs = found.get("ours") or {}, found.get("material") or {}

    def score(site: dict[str, Any], page: str, key: str) -> float | None:
        run = site.get(page) or {}
        if key in ("layout_shift", "blocking_ms"):
            return run.get(key)
        return (run.get("scores") or {}).get(key)

    rows = []
    for page in ("home", "letter", "search"):
        mine, base = score(ours, page, "performance"), score(theirs, page, "performance")
        passed = mine is not None and mine >= PERFORMANCE
        rows.append(Row(f"lighthouse performance, {page}", str(n), mine, base,
                        _ratio(mine, base), f">= {PERFORMANCE}", passed))  # fmt: skip
        rows.append(
            _limit_row(
                f"lighthouse layout shift, {page}",
                n,
                score(ours, page, "layout_shift"),
                score(theirs, page, "layout_shift"),
                None,
                LAYOUT_SHIFT,
            )
        )
    mine, base = score(ours, "search", "blocking_ms"), score(theirs, "search", "blocking_ms")
    rows.append(
        _limit_row(
            "lighthouse blocking time, search (ms)",
            n,
            mine,
            base,
            _ratio(mine, base),
            BLOCKING_MS,
        )
    )
    for category in LIGHTHOUSE_CATEGORIES[1:]:
        for page in ("home", "letter", "search"):
            mine, base = score(ours, page, category), score(theirs, page, category)
            rows.append(Row(f"lighthouse {category}, {page}", str(n), mine, base))
    return rows


def _limit_row(
    measure: str,
    n: int,
    ours: float | None,
    baseline: float | None,
    ratio: float | None,
    limit: float | None,
) -> Row:
    if limit is None:
        return Row(measure, str(n), ours, baseline, ratio)
    passed = ours is not None and ours <= limit
    return Row(measure, str(n), ours, baseline, ratio, f"<= {limit:g}", passed)


def growth(sizes: list[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """Build time per letter at each size over the previous one: 1.0 is exactly linear."""
    found = {}
    for small, large in itertools.pairwise(sizes):
        key = f"{small['letters']}->{large['letters']}"
        scale = large["letters"] / small["letters"]
        found[key] = {
            site: _ratio(large["build"][site]["wall_s"], small["build"][site]["wall_s"] * scale)
            if small["build"][site]["wall_s"]
            else None
            for site in ("ours", "baseline")
        }
    return found


def all_rows(report: dict[str, Any]) -> list[Row]:
    sizes = report["sizes"]
    at_2000 = next(
        (s["search"]["ours"] for s in sizes if s["letters"] == TARGET_LETTERS and s["search"]),
        None,
    )
    rows = [row for size in sizes for row in size_rows(size, at_2000)]
    for pair, values in report["growth"].items():
        judged = int(pair.split("->")[0]) >= 500
        rows.append(
            Row(
                f"build growth {pair} (x linear)",
                "",
                values["ours"],
                values["baseline"],
                target=f"<= {LINEAR:g}" if judged else "",
                passed=(values["ours"] is not None and values["ours"] <= LINEAR)
                if judged
                else None,
            )
        )
    ex = report["extraction"]
    if ex:
        mine, raw = ex["ours_pages_per_s"], ex["pypdf_pages_per_s"]
        rows.append(
            Row(
                "extract+analyse vs pypdf (pages/s)",
                "",
                mine,
                raw,
                ex["ratio_pypdf"],
                f">= {EXTRACTION_RATIO:g} x",
                ex["ratio_pypdf"] is not None and ex["ratio_pypdf"] >= EXTRACTION_RATIO,
            )
        )
        if ex["pdftotext_pages_per_s"] is not None:
            rows.append(
                Row(
                    "extract+analyse vs pdftotext",
                    "",
                    mine,
                    ex["pdftotext_pages_per_s"],
                    ex["ratio_pdftotext"],
                )
            )
    return rows


HEADERS = ("measure", "letters", "ours", "baseline", "ratio", "target", "result")


def table(rows: list[Row]) -> str:
    """Plain-text table, columns aligned; "baseline" is plain Material (its search for the
    finder rows, raw pypdf or pdftotext for extraction)."""
    cells = [HEADERS] + [
        (
            r.measure,
            r.letters,
            _cell(r.ours),
            _cell(r.baseline),
            _cell(r.ratio),
            r.target,
            {True: "PASS", False: "MISS", None: ""}[r.passed],
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS))]
    lines = []
    for row in cells:
        left = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:5], widths[1:5], strict=True)]
        lines.append("  ".join([left, *rest, row[5].ljust(widths[5]), row[6]]).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


# --- the command ------------------------------------------------------------------------------


def parse_sizes(_ctx: click.Context, _param: click.Parameter, value: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in value.split(",") if part.strip()})
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a comma-separated list like 100,500") from None
    if not sizes or sizes[0] < 1:
        raise click.BadParameter("give at least one size, each 1 or more")
    return sizes


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def run(
    sizes: list[int], repeat: int, work: Path, with_browser: bool, with_lighthouse: bool = True
) -> dict[str, Any]:
    """Every stage, in order; the report is what --json writes."""
    report: dict[str, Any] = {
        "machine": machine(),
        "settings": {"letters": sizes, "repeat": repeat, "queries": list(QUERIES)},
        "browser": {"used": False, "reason": None, "chromium": None},
        "lighthouse": {"used": False, "reason": None},
        "sizes": [],
        "growth": {},
        "extraction": None,
    }
    reason = browser_reason() if with_browser else "--skip-browser"
    with contextlib.ExitStack() as stack:
        browser = None
        if reason is None:
            from playwright.sync_api import sync_playwright

            browser = launch(stack.enter_context(sync_playwright()))
            report["browser"] = {"used": True, "reason": None, "chromium": browser.version}
        else:
            report["browser"]["reason"] = reason
            progress(f"browser stage skipped: {reason}")
        skipped = lighthouse_reason() if with_lighthouse else "--skip-lighthouse"
        report["lighthouse"] = {"used": skipped is None, "reason": skipped}
        if skipped:
            progress(f"Lighthouse stage skipped: {skipped}")
        for n in sizes:
            report["sizes"].append(
                measure_size(n, work / str(n), repeat, browser, with_lighthouse=skipped is None)
            )
    report["growth"] = growth(report["sizes"])
    progress("[extraction]")
    report["extraction"] = measure_extraction(work / "pdfs", repeat)
    rows = all_rows(report)
    report["verdicts"] = [asdict(row) for row in rows if row.passed is not None]
    report["table"] = table(rows)
    return report


@click.command("bench")
@click.option(
    "--letters",
    "sizes",
    default="100,500,2000",
    show_default=True,
    callback=parse_sizes,
    metavar="N,N,...",
    help="Corpus sizes, comma-separated.",
)
@click.option(
    "--json",
    "json_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the results as JSON to FILE.",
)
@click.option(
    "--repeat",
    default=3,
    show_default=True,
    type=click.IntRange(1),
    help="Runs per measure (median).",
)
@click.option("--skip-browser", is_flag=True, help="Do not time search in Chromium.")
@click.option("--skip-lighthouse", is_flag=True, help="Do not run Lighthouse.")
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep the corpora and built sites in DIR (default: a temporary folder, removed).",
)
def bench_command(
    sizes: list[int],
    json_file: Path | None,
    repeat: int,
    skip_browser: bool,
    skip_lighthouse: bool,
    keep: Path | None,
) -> None:
    """Measure the build, the finder and extraction on synthetic letters.

    Prints one table, with PASS or MISS against each target; progress goes to stderr. A run at
    2,000 letters takes several minutes: each build runs --repeat times.
    """
    if not (REPO / "mkdocs.yml").is_file():
        raise click.ClickException(f"{REPO} has no mkdocs.yml: run bench from a clone")
    with contextlib.ExitStack() as stack:
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            work = keep
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="letters-bench-")))
        report = run(sizes, repeat, work, not skip_browser, not (skip_browser or skip_lighthouse))
    click.echo(report["table"])
    if json_file:
        json_file.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        progress(f"wrote {json_file}")
    failed = [s["letters"] for s in report["sizes"] if s["build"]["ours"]["error"]]
    if failed:
        raise click.ClickException(f"our site did not build at {failed} letters; see above")
