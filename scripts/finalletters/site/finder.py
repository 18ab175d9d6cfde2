"""The letter finder at /find/: a page that searches inside every letter, and its index.

The page is static HTML; docs/javascripts/finder.js drives it with Pagefind's JavaScript API,
which fetches only the parts of the index a query needs. `index` runs Pagefind over the built
site after mkdocs has written it (the `on_post_build` hook), so one `mkdocs build` makes
everything. Pagefind reads what the letter pages mark: `data-pagefind-body` on the letter, its
filters (`data-pagefind-filter`), its date for sorting (`data-pagefind-sort`) and the ids of
the letter's blocks (b1, b2, …) that results link to. Then `write_loader` puts into the page's
<head> the script that makes Pagefind (templates/finder-loader.js): a shared search (?q=)
starts while the page's style sheets and scripts are still loading.

Filtering without words does not use Pagefind: a search without words makes Pagefind fetch
every chunk of its index (about 10 MB at 2,000 letters), so the page filters a small listing
of every letter's filter values instead (`listing`, /find/letters.json, about 160 bytes a
letter), and loads Pagefind only when the reader types words.
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
from dataclasses import dataclass
from html import escape
from pathlib import Path

import cbor2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..catalogue import Catalogue, Letter
from . import urls
from .context import letter_cqc, letter_roles, letter_themes, letter_wm

log = logging.getLogger("mkdocs.plugins.finalletters")

BUNDLE = "pagefind"  # the index's folder in the site: /pagefind/
LISTING = "find/letters.json"  # every letter's filter values, for filtering without words
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


@dataclass(frozen=True, slots=True)
class Group:
    """One filter: the key the letter pages give `data-pagefind-filter`, and its legend."""

    key: str
    legend: str
    open: bool = False  # shown expanded before anything is chosen
    order: str = "name"  # how its values are listed: "name" (A to Z) or "newest" (years)


GROUPS: tuple[Group, ...] = (
    Group("council", "Council", open=True),
    Group("year", "Year", open=True, order="newest"),
    Group("theme", "Theme", open=True),
    Group("cqc", "CQC quality statement"),
    Group("wm", "West Midlands self-assessment domain"),
    Group("role", "Review team included"),
    Group("kind", "Sample or published"),
)
SORTS: tuple[tuple[str, str], ...] = (
    ("", "Relevance"),
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
)


# ---------------------------------------------------------------------------------------------
# The page


def add_files(files: Files, config: MkDocsConfig, catalogue: Catalogue) -> Files:
    """Add the generated /find/ page and its listing of letters to the build."""
    src = urls.source(urls.FIND)
    for path in (src, LISTING):
        if files.get_file_from_path(path) is not None:
            raise PluginError(
                f"docs/{path} would hide a generated file of the letter finder: remove it, or "
                "change it in scripts/finalletters/site/finder.py"
            )
    files.append(File.generated(config, src, content=page(len(catalogue.letters))))
    files.append(File.generated(config, LISTING, content=listing(catalogue)))
    return files


def filter_values(letter: Letter) -> dict[str, list[str]]:
    """A letter's values for each filter, as its page gives them to Pagefind
    (`data-pagefind-filter`) and as the listing gives them to the finder."""
    return {
        "council": [letter.authority.short_name],
        "year": [str(letter.year)],
        "theme": [theme.label for theme in letter_themes(letter)],
        "cqc": letter_cqc(letter),
        "wm": letter_wm(letter),
        "role": letter_roles(letter),
        "kind": ["Sample letter" if letter.meta.sample else "Published letter"],
    }


def listing(catalogue: Catalogue) -> str:
    """Every letter, newest first, with its filter values, as compact JSON:

    {"keys": ["council", "year", ...], "values": {"council": ["Dudley", "Walsall"], ...},
     "letters": [["letters/walsall/2023-06/", "Peer challenge: …", "2023-07-20",
                  [[1], [0], [2, 5], ...]], ...]}

    A letter's last item holds, for each key in turn, indexes into that key's values."""
    letters = sorted(catalogue.letters, key=lambda x: (-x.date.toordinal(), x.id))
    found = [(letter, filter_values(letter)) for letter in letters]
    keys = [group.key for group in GROUPS]
    values = {key: sorted({v for _, each in found for v in each[key]}) for key in keys}
    where = {key: {value: n for n, value in enumerate(vs)} for key, vs in values.items()}
    rows = [
        [
            letter.url,
            letter.title,
            letter.date.isoformat(),
            [[where[key][v] for v in each[key]] for key in keys],
        ]
        for letter, each in found
    ]
    data = {"keys": keys, "values": values, "letters": rows}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def page(letters: int) -> str:
    """The finder page as Markdown: front matter, then one raw HTML block with no blank lines
    (Python-Markdown passes it through untouched)."""
    root = urls.relative("", urls.FIND)  # "../": the site root, from /find/
    html = "\n".join(
        [
            '<div class="fl-page fl-finder-page" markdown="0">',
            '<h1 id="title">Find letters</h1>',
            f"<p>Search inside {_letters(letters)}: the text of each letter, its title and its "
            "recommendations. Narrow the results by council, year, theme and more, or use the "
            "filters on their own.</p>",
            _noscript(root),
            _finder(root),
            f'<link rel="stylesheet" href="{root}stylesheets/finder.css">',
            # A classic script, before Material's bundle: it must see ?q= first (see finder.js).
            f'<script src="{root}javascripts/finder.js"></script>',
            "</div>",
        ]
    )
    front = (
        "---\n"
        "title: Find letters\n"
        "finder: true\n"  # main.html marks where `write_loader` writes its script
        "description: Search inside every Final Letter, with filters by council, year, theme, "
        "CQC quality statement and review team.\n"
        "hide:\n  - navigation\n  - toc\n"
        "---\n"
    )
    return f"{front}\n{html}\n"


def _letters(n: int) -> str:
    return "one letter" if n == 1 else f"all {n} letters"


def _noscript(root: str) -> str:
    return (
        '<noscript><div class="fl-finder-nojs" role="note">'
        "<p><strong>The letter finder needs JavaScript</strong>, which is turned off or not "
        "available in this browser.</p>"
        f'<p>You can still browse every letter by <a href="{root}{urls.AUTHORITIES}">council</a>, '
        f'by <a href="{root}{urls.THEMES}">theme</a> or by '
        f'<a href="{root}{urls.YEARS}">year</a>.</p>'
        "</div></noscript>"
    )


def _finder(root: str) -> str:
    """The form, the filters and the results; hidden until finder.js has loaded, so that a
    reader without JavaScript never meets controls that do nothing."""
    sorts = "".join(f'<option value="{value}">{label}</option>' for value, label in SORTS)
    groups = "\n".join(_group(group) for group in GROUPS)
    return "\n".join(
        [
            f'<div class="fl-finder" id="finder" data-root="{root}" data-listing="{root}{LISTING}"'
            " hidden>",
            '<form class="fl-finder__form" role="search" aria-label="Letters" action="./" '
            'method="get">',
            '<div class="fl-finder__query">',
            '<label for="finder-q">Search inside letters</label>',
            '<span class="fl-finder__hint" id="finder-q-hint">For example: hospital discharge, '
            "waiting lists, carers’ assessments</span>",
            '<div class="fl-finder__row">',
            '<input type="search" id="finder-q" name="q" autocomplete="off" spellcheck="true" '
            'aria-describedby="finder-q-hint">',
            '<button type="submit" class="md-button md-button--primary">Search</button>',
            "</div>",
            "</div>",
            '<div class="fl-finder__sort">',
            '<label for="finder-sort">Sort by</label>',
            f'<select id="finder-sort" name="sort">{sorts}</select>',
            "</div>",
            "</form>",
            '<div class="fl-finder__filters" id="finder-filters">',
            '<h2 id="filters" class="fl-finder__heading">Filters</h2>',
            groups,
            "</div>",
            '<div class="fl-finder__output">',
            '<h2 id="results" class="fl-finder__heading" tabindex="-1">Results</h2>',
            '<div class="fl-finder__applied" id="finder-applied" hidden>',
            '<p class="fl-finder__applied-label" id="finder-applied-label">Filters applied:</p>',
            '<ul class="fl-finder__chips" aria-labelledby="finder-applied-label"></ul>',
            '<button type="button" class="fl-finder__clear" id="finder-clear">'
            "Clear all filters</button>",
            "</div>",
            '<p class="fl-finder__status" id="finder-status" role="status" aria-live="polite" '
            'aria-atomic="true">Loading the letter finder…</p>',
            '<div class="fl-finder__empty" id="finder-empty" hidden></div>',
            '<ol class="fl-finder__results" id="finder-results" aria-labelledby="results"></ol>',
            '<button type="button" class="md-button fl-finder__more" id="finder-more" hidden>'
            "Show more results</button>",
            "</div>",
            "</div>",
        ]
    )


def _group(group: Group) -> str:
    """A filter group: its checkboxes are filled in by finder.js, with their counts."""
    opened = " open" if group.open else ""
    return (
        f'<details class="fl-finder__group" data-key="{group.key}" data-order="{group.order}"'
        f"{opened}>"
        f'<summary>{escape(group.legend)}<span class="fl-finder__selected"></span></summary>'
        f'<fieldset><legend class="fl-visually-hidden">{escape(group.legend)}</legend>'
        '<ul class="fl-finder__options"></ul>'
        '<p class="fl-finder__none" hidden>None among these letters.</p></fieldset>'
        "</details>"
    )


# ---------------------------------------------------------------------------------------------
# The index


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
LOADER = Path(__file__).with_name("templates") / "finder-loader.js"


def write_loader(page: Path, bundle: Path) -> None:
    """Write into the finder's page, where main.html marks it (before the style sheets), the
    facts of the index and the script that loads Pagefind (templates/finder-loader.js): the
    index's version, and the files Pagefind fetches before its first search, which the script
    preloads when the page opens with words to search for."""
    html = page.read_text(encoding="utf-8")
    if LOADER_MARK not in html:
        raise PluginError(f"{page} has no {LOADER_MARK} (see docs/overrides/main.html)")
    languages = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]
    script = ""
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
        code = LOADER.read_text(encoding="utf-8").strip()
        script = (
            f'<script type="application/json" id="finder-index">{data}</script>'
            f"<script>\n{code}\n</script>"
        )
    page.write_text(html.replace(LOADER_MARK, script, 1), encoding="utf-8")


def _tail(output: str, lines: int = 20) -> str:
    return "\n".join(output.splitlines()[-lines:])
