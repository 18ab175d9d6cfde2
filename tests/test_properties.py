"""Properties that must hold for any input, checked on generated and mutated files (hypothesis):
reading a PDF, a letter.md, a letter.yml or any text either succeeds or says what is wrong
(LetterError / Problem); it never raises anything else and never runs past its budget.

Derandomized, with example counts chosen so that the whole file runs in a few seconds: CI sees
the same examples on every run; a failure prints the smallest input that shows it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finalletters import catalogue, extract, lettermd, pdfworker, yamlio
from finalletters.analyse import FieldWarning, analyse, theme_scores
from finalletters.errors import LetterError, Problem
from finalletters.model import LetterMdFront
from tests import pdfs
from tests.conftest import empty_repository
from tests.test_cli import VALID_YML, good_pdf

REPO = Path(__file__).parents[1]
QUICK = settings(
    derandomize=True,
    deadline=None,  # no wall clock here: the worker's budget is the limit that matters
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SEED_PDFS = (pdfs.simple_letter(), pdfs.table_letter(), pdfs.raw_pdf([(72, 700, "ﬁnal • letter")]))

# --- PDFs -------------------------------------------------------------------------------------


@st.composite
def mutated_pdf(draw: st.DrawFn) -> bytes:
    """A small valid PDF with a few bytes changed, removed or repeated, or cut short."""
    data = bytearray(draw(st.sampled_from(SEED_PDFS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["set", "delete", "repeat", "cut"]))
        if action == "set":
            data[at] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 256))] * draw(st.integers(1, 8))
        else:
            del data[at:]
        if not data:
            break
    return bytes(data)


@pytest.fixture(scope="module")
def worker():
    with pdfworker.Reader(pdfworker.Budget(seconds=5, memory_mb=1024, pages=50)) as reader:
        yield reader


def _read_or_refuse(read, data: bytes) -> extract.Extracted | None:
    try:
        return read(data, "letter.pdf")
    except LetterError as exc:
        assert exc.detail.problem and exc.detail.tip, exc.detail
        return None


@QUICK
@given(data=mutated_pdf())
def test_extract_reads_or_refuses_any_mutated_pdf_in_process(data):
    extracted = _read_or_refuse(extract.extract, data)
    if extracted is not None:
        text = lettermd.to_markdown(extracted.blocks)
        text.encode("utf-8")  # what letter.md is written as: no lone surrogates
        assert extracted.pages >= 1


@QUICK
@given(data=mutated_pdf())
def test_the_worker_reads_or_refuses_any_mutated_pdf_within_its_budget(worker, data):
    _read_or_refuse(worker.extract, data)


# Any text a font can map to, on one line of a page (raw_pdf maps up to 128 other characters).
LINE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=60
).filter(lambda t: len({c for c in t if not 32 <= ord(c) < 127}) <= 100)


@QUICK
@given(lines=st.lists(LINE_TEXT, min_size=1, max_size=12))
def test_any_text_on_a_page_comes_out_as_letter_md_that_reads_back(lines):
    data = pdfs.raw_pdf([(72, 760 - 18 * n, line) for n, line in enumerate(lines)])
    extracted = _read_or_refuse(extract.extract, data)
    if extracted is None:
        return
    text = lettermd.letter_md(extracted, extract.sha256(data))
    front, body = lettermd.read_letter_md(text, "letter.md")
    assert front.source_sha256 == extract.sha256(data)
    assert body == lettermd.to_markdown(extracted.blocks)
    lettermd.read_blocks(body)


# --- text and analysis ------------------------------------------------------------------------

MARKDOWN_LINE = st.one_of(
    st.text(max_size=80),
    st.builds(lambda t: "# " + t, st.text(max_size=40)),
    st.builds(lambda t: "- " + t, st.text(max_size=40)),
    st.builds(lambda n, t: f"{n}. {t}", st.integers(0, 999), st.text(max_size=40)),
    st.builds(lambda a, b: f"| {a} | {b} |", st.text(max_size=20), st.text(max_size=20)),
    st.sampled_from(
        [
            "",
            "| --- | --- |",
            "Recommendations",
            "The visit took place from 13 to 15 June 2023.",
            "Dear Director,",
            "Date: 14 July 2023",
        ]
    ),
)


@QUICK
@given(lines=st.lists(MARKDOWN_LINE, max_size=30))
def test_analysis_of_any_markdown_body_never_fails(reference, lines):
    body = "\n".join(lines)
    analysis = analyse(body, reference)
    assert all(isinstance(w, FieldWarning) and w.field and w.message for w in analysis.warnings)
    theme_scores(lettermd.read_blocks(body), reference)


@QUICK
@given(text=st.text(max_size=400))
def test_letter_md_with_any_front_matter_is_read_or_refused(text):
    for candidate in (text, f"---\n{text}\n---\nbody\n"):
        try:
            front, _ = lettermd.read_letter_md(candidate, "letter.md")
        except LetterError:
            continue
        assert isinstance(front, LetterMdFront)


# --- YAML -------------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=30),
    st.dates(),
    st.floats(allow_nan=False),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)


@QUICK
@given(document=DOCUMENTS)
def test_the_strict_loader_reads_any_plain_document_as_pyyaml_does(document):
    text = yaml.safe_dump(document, allow_unicode=True)
    assert yamlio.loads(text, "x.yml") == yaml.safe_load(text)


@QUICK
@given(text=st.text(max_size=300))
def test_the_strict_loader_reads_or_refuses_any_text(text):
    try:
        yamlio.loads(text, "x.yml")
    except LetterError as exc:
        assert exc.detail.file == "x.yml"


@pytest.fixture(scope="module")
def one_letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with one good letter, whose letter.yml the next test rewrites."""
    root = empty_repository(tmp_path_factory.mktemp("repo"))
    folder = root / "letters" / "dudley" / "2023-06"
    folder.mkdir(parents=True)
    (folder / "letter.pdf").write_bytes(good_pdf())
    text = lettermd.letter_md(extract.extract(good_pdf(), "letter.pdf"), extract.sha256(good_pdf()))
    (folder / "letter.md").write_text(text, encoding="utf-8")
    return root


@st.composite
def mutated_yml(draw: st.DrawFn) -> str:
    """VALID_YML with a few characters changed, removed or inserted."""
    text = list(VALID_YML + "follow_up: {action_plan: action-plan.pdf, review_due: 2024-06-15}\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text) - 1))
        piece = draw(st.sampled_from([":", " ", "\n", "-", "*", "&", "[", "{", "'", "0", "9", "x"]))
        if draw(st.booleans()):
            text[at] = piece
        else:
            text.insert(at, piece)
    return "".join(text)


@QUICK
@given(yml=mutated_yml())
def test_any_mutation_of_letter_yml_is_read_or_reported_as_problems(one_letter, yml):
    (one_letter / "letters" / "dudley" / "2023-06" / "letter.yml").write_text(yml, "utf-8")
    loaded = catalogue.load(one_letter)
    assert loaded.checked == 1
    assert all(isinstance(p, Problem) and p.file.startswith("letters/") for p in loaded.problems)
    assert bool(loaded.letters) != bool(loaded.errors)
