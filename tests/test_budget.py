"""No file can stall a command: PDFs are read in a worker process within a time, memory and page
budget, and YAML that would expand without end is refused before it is built.

The budgets here are small (FINAL_LETTERS_PDF_* in the environment, or a Budget) so that each
hostile file is refused in about a second; the message says which limit it met."""

from __future__ import annotations

import pytest

from finalletters import catalogue, extract, lettermd, pdfworker, yamlio
from finalletters.errors import LetterError
from tests import pdfs
from tests.test_cli import VALID_YML, good_pdf, run, write_letter

SMALL = pdfworker.Budget(seconds=1.0, memory_mb=1024, pages=50)
WALSALL_YML = "authority: walsall\nvisit: {start: 2022-03-01, end: 2022-03-03}\n"

HOSTILE_PDFS = {
    "crawl": (pdfs.crawl_pdf, "took longer than 1 s to read; is it a real letter?"),
    "xobject-chain": (pdfs.xobject_chain_pdf, "took longer than 1 s to read"),
    "100000-page-references": (pdfs.page_references_pdf, "has 100,000 pages, more than the 50"),
    "page-references-with-a-false-count": (
        lambda: pdfs.page_references_pdf(count=1),
        # pypdf's own limit on page tree entries (0.8 s here), or the time limit on a busy machine
        "could not be read as a PDF|took longer than 1 s to read",
    ),
}


def memory_bomb() -> bytes:
    """A 60 KB page whose content stream inflates to 60 MB of numbers: gigabytes once parsed."""
    return pdfs.assemble_pdf(pdfs.page_objects(b"0 " * 30_000_000))


@pytest.fixture(scope="module")
def reader():
    with pdfworker.Reader(SMALL) as worker:
        yield worker


@pytest.mark.parametrize("case", sorted(HOSTILE_PDFS))
def test_a_hostile_pdf_is_refused_within_the_budget(reader, case):
    make, message = HOSTILE_PDFS[case]
    data = make()
    assert len(data) < 100_000, "the file itself is small"
    with pytest.raises(LetterError, match=message) as refused:
        reader.extract(data, "letter.pdf")
    assert "tip:" in str(refused.value)


def test_a_pdf_that_needs_more_memory_than_the_budget_is_refused():
    with pdfworker.Reader(pdfworker.Budget(seconds=30, memory_mb=150)) as worker:
        with pytest.raises(LetterError, match="needed more than 150 MB of memory to read"):
            worker.extract(memory_bomb(), "letter.pdf")
        assert worker.extract(good_pdf(), "good.pdf").pages == 1


def test_the_worker_reads_the_next_file_after_one_that_was_refused():
    # 5 s: the crawl takes about 11 s, a good letter a few hundredths even on a busy machine.
    with pdfworker.Reader(pdfworker.Budget(seconds=5)) as worker:
        with pytest.raises(LetterError, match="took longer than 5 s"):
            worker.extract(pdfs.crawl_pdf(), "crawl.pdf")
        assert worker.extract(good_pdf(), "good.pdf") == extract.extract(good_pdf(), "good.pdf")


def test_the_worker_reads_exactly_what_extract_reads_in_process():
    with pdfworker.Reader(pdfworker.Budget()) as worker:
        for data in (pdfs.simple_letter(), pdfs.table_letter(), pdfs.long_letter(8)):
            assert worker.extract(data, "letter.pdf") == extract.extract(data, "letter.pdf")
        assert worker.count_pages(pdfs.long_letter(8), "plan.pdf") == 8


def test_check_verify_refuses_a_crawl_pdf_and_still_reports_the_other_letters(
    repo, capsys, monkeypatch
):
    monkeypatch.setenv(pdfworker.ENV_SECONDS, "3")
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    crawl = pdfs.crawl_pdf()
    folder = write_letter(repo, "walsall/2022-03", crawl, WALSALL_YML, md=False)
    # A letter.md that vouches for the crawl PDF by its hash: only --verify reads it.
    body = "A letter.\n"
    (folder / "letter.md").write_text(lettermd.letter_md_for(body, extract.sha256(crawl), 1))
    assert run(repo, "check", "--draft", capsys=capsys)[0] == 0
    code, out, err = run(repo, "check", "--draft", "--verify", capsys=capsys)
    assert code == 1
    assert "letters/walsall/2022-03/letter.pdf: took longer than 3 s to read" in err, err
    assert "FINAL_LETTERS_PDF_SECONDS" in err
    assert "letters/dudley" not in err
    assert "checked 2 letters: 1 errors" in out


def test_add_and_extract_refuse_a_crawl_pdf_within_the_budget(repo, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(pdfworker.ENV_SECONDS, "3")
    source = tmp_path / "crawl.pdf"
    source.write_bytes(pdfs.crawl_pdf())
    code, _, err = run(repo, "add", str(source), "--authority", "dudley", capsys=capsys)
    assert code == 1
    assert "took longer than 3 s to read" in err, err
    write_letter(repo, "walsall/2022-03", pdfs.crawl_pdf(), WALSALL_YML, md=False)
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML, md=False)
    code, _, err = run(repo, "extract", capsys=capsys)
    assert code == 1
    assert "took longer than 3 s to read" in err
    assert (repo / "letters" / "dudley" / "2023-06" / "letter.md").is_file()


def test_a_bad_budget_in_the_environment_is_named(monkeypatch):
    monkeypatch.setenv(pdfworker.ENV_PAGES, "many")
    with pytest.raises(LetterError, match="FINAL_LETTERS_PDF_PAGES: is 'many', not a positive"):
        pdfworker.Budget.from_env()


# --- YAML ---------------------------------------------------------------------------------------

# Nine lists of nine aliases, each of the one before: 9**9 (387 million) strings when walked.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_an_alias_bomb_in_letter_yml_is_refused_before_it_is_built(repo, capsys):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML + ALIAS_BOMB.replace("a:", "z:", 1))
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/dudley/2023-06/letter.yml: " in err
    assert "by an alias (*name) or a merge (<<)" in err, err


def test_an_alias_bomb_in_letter_md_front_matter_is_refused(repo, capsys):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    md = folder / "letter.md"
    md.write_text(md.read_text("utf-8").replace("edited: false\n", "edited: false\n" + ALIAS_BOMB))
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/dudley/2023-06/letter.md: " in err and "alias" in err, err


def test_a_merge_key_is_refused_too():
    with pytest.raises(LetterError, match="by an alias"):
        yamlio.loads("base: &b {start: 2023-06-13}\nvisit:\n  <<: *b\n  end: 2023-06-15\n", "x")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: " + "[" * 40 + "]" * 40 + "\n", "is nested more than 32 levels deep"),
        ("x" * (yamlio.MAX_BYTES + 1), "over the 1024 KB limit"),
        ("a: [" + "1, " * (yamlio.MAX_NODES + 1) + "]\n", "values"),
    ],
    ids=["deep", "large", "many-values"],
)
def test_yaml_over_its_limits_is_refused(text, message):
    with pytest.raises(LetterError, match=message):
        yamlio.loads(text, "letter.yml")


def test_the_strict_loader_reads_the_repository_s_own_files_as_before():
    import yaml

    for path in sorted((catalogue.Path(__file__).parents[1] / "letters").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert yamlio.loads(text, str(path)) == yaml.safe_load(text), path
