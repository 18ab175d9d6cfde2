"""`letters bench` keeps working: a smoke run on 50 synthetic letters, and the corpus it uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from finalletters import catalogue
from finalletters.model import LetterMeta
from finalletters.tools import synthetic
from finalletters.tools.bench import CHROMIUM, LIGHTHOUSE_CATEGORIES, QUERIES

HAS_CHROMIUM = Path(CHROMIUM).is_file()


def test_synthetic_corpus_passes_the_catalogue_checks(tmp_path: Path) -> None:
    synthetic.write_corpus(tmp_path, 30, seed=7)
    loaded = catalogue.load(tmp_path)
    assert [str(p) for p in loaded.problems] == []
    assert len(loaded.letters) == 30
    assert len({letter.pdf.sha256 for letter in loaded.letters}) == 30
    assert all(letter.meta.sample for letter in loaded.letters)
    words = len(loaded.letters[0].body.split())
    assert 2_000 < words < 3_200, words


def test_synthetic_corpus_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    synthetic.write_corpus(tmp_path / "a", 5, seed=3)
    synthetic.write_corpus(tmp_path / "b", 5, seed=3)
    first = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert first, "write_corpus wrote nothing"
    assert first == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.*"))
    for path in first:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes(), path


def test_synthetic_letter_yml_is_valid_metadata(tmp_path: Path) -> None:
    import yaml

    synthetic.write_corpus(tmp_path, 3)
    paths = sorted((tmp_path / "letters").glob("*/*/letter.yml"))
    assert len(paths) == 3, paths
    for path in paths:
        meta = LetterMeta.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert path.parent.name == f"{meta.visit.start:%Y-%m}"


@pytest.mark.slow
def test_bench_smoke_run_writes_every_measure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["--letters", "50", "--repeat", "1", "--json", str(out)]
    if not HAS_CHROMIUM:
        args.append("--skip-browser")
    # Its own process, as a coordinator runs it: Playwright's sync API refuses to start inside
    # a process where another test's browser is already running.
    result = subprocess.run(
        [sys.executable, "-m", "finalletters.cli", "bench", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "build wall (s)" in result.stdout

    report = json.loads(out.read_text(encoding="utf-8"))
    assert {
        "machine", "settings", "browser", "lighthouse", "sizes", "growth", "extraction",
        "verdicts",
    } <= set(report)  # fmt: skip
    (size,) = report["sizes"]
    assert size["letters"] == 50
    for site in ("ours", "baseline"):
        build = size["build"][site]
        assert build["error"] is None
        assert 0 < build["wall_s"] < 120
        assert 20 < build["peak_mb"] < 4_000
        assert build["site_mb"] > 0
    assert size["build"]["ours"]["finder_index"] is True

    extraction = report["extraction"]
    assert extraction["pages"] >= extraction["pdfs"] >= 1
    assert extraction["ours_pages_per_s"] > 0
    assert extraction["pypdf_pages_per_s"] > 0

    if not HAS_CHROMIUM:
        pytest.skip(f"browser stage not run: {CHROMIUM} is missing")
    assert report["browser"]["used"] is True
    for engine in ("ours", "material"):
        for query in QUERIES:
            found = size["search"][engine][query]
            assert found["error"] is None, (engine, query, found)
            assert 0 < found["ms"] < 60_000
            assert found["kb"] > 0
            assert found["after_ready_ms"] is not None and found["after_ready_ms"] >= 0

    # Lighthouse ran on a home page, a letter and a search of each site, and scored them.
    assert report["lighthouse"]["used"] is True, report["lighthouse"]
    for engine in ("ours", "material"):
        pages = size["lighthouse"][engine]
        assert set(pages) == {"home", "letter", "search"}, pages
        for page, found in pages.items():
            assert found["error"] is None, (engine, page, found)
            assert set(found["scores"]) == set(LIGHTHOUSE_CATEGORIES), found
            assert all(0 <= found["scores"][c] <= 100 for c in LIGHTHOUSE_CATEGORIES), found
            assert found["layout_shift"] >= 0 and found["blocking_ms"] >= 0
    assert "lighthouse performance, search" in result.stdout
