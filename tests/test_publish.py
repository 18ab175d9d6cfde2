"""Publishing needs a complete letter: strict by default, drafts allowed while under review."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from finalletters import cli, extract, lettermd, publish
from finalletters.model import LetterMeta
from finalletters.site.context import ROOT_VARIABLE
from tests import pdfs

REPO = Path(__file__).parents[1]

INCOMPLETE = """\
authority: dudley
sample: true
inferred: [team, themes]
"""
COMPLETE = """\
authority: dudley
visit: {start: 2023-06-13, end: 2023-06-15}
published: 2023-09-01
sample: true
themes: [workforce]
recommendations: []
no_recommendations_reason: The letter gives its findings only; the council wrote its own plan.
"""


def write_letter(repo: Path, yml: str) -> Path:
    folder = repo / "letters" / "dudley" / "2023-06"
    folder.mkdir(parents=True)
    pdf = pdfs.letter_pdf([("title", "Peer challenge: Dudley"), ("p", "Dear Director, thanks.")])
    (folder / "letter.pdf").write_bytes(pdf)
    md = lettermd.letter_md(extract.extract(pdf, "letter.pdf"), extract.sha256(pdf))
    (folder / "letter.md").write_text(md, encoding="utf-8")
    (folder / "letter.yml").write_text(yml, encoding="utf-8")
    return folder


def run(repo: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["--root", str(repo), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_fails_an_incomplete_letter_with_one_clear_line_per_missing_field(repo, capsys):
    write_letter(repo, INCOMPLETE)
    code, out, err = run(repo, "check", capsys=capsys)
    assert code == 1
    shown = "error: letters/dudley/2023-06/letter.yml: "
    assert err.splitlines() == [
        shown + "title: has no title and no date: add `letter_date:` (the date on the letter)",
        shown + "published: is missing: add `published: YYYY-MM-DD`, the day it was made public",
        shown + "themes: lists no theme: add at least one id from letters/themes.yml",
        shown + "recommendations: lists none: add the letter's recommendations, or write "
        "`recommendations: []` and say why in `no_recommendations_reason:`",
        shown + "inferred: still lists 'team': check team against the letter, then remove it",
        shown + "inferred: still lists 'themes': check themes against the letter, then remove it",
    ]
    assert out.strip() == "checked 1 letters: 6 errors, 0 warnings"


def test_check_passes_the_same_letter_as_a_draft_saying_what_remains(repo, capsys):
    write_letter(repo, INCOMPLETE)
    code, out, err = run(repo, "check", "--draft", capsys=capsys)
    assert code == 0, err
    assert out.strip() == "checked 1 letters: 0 errors, 6 warnings"
    assert len(err.splitlines()) == 6
    assert all(
        line.startswith("warning: letters/dudley/2023-06/letter.yml: ") for line in err.splitlines()
    )


def test_a_letter_with_no_recommendations_and_a_reason_is_ready(repo, capsys):
    write_letter(repo, COMPLETE)
    code, _, err = run(repo, "check", capsys=capsys)
    assert (code, err) == (0, "")


def test_a_reason_for_no_recommendations_beside_recommendations_is_an_error(repo, capsys):
    write_letter(
        repo,
        COMPLETE.replace("recommendations: []", "recommendations:\n  - {id: R1, text: Do it.}"),
    )
    code, _, err = run(repo, "check", "--draft", capsys=capsys)
    assert code == 1
    assert "no_recommendations_reason is given but the letter lists recommendations" in err


def test_the_rules_are_warnings_in_draft_mode_and_errors_otherwise():
    meta = LetterMeta.model_validate({"authority": "dudley"})
    strict = publish.problems(meta, "x/letter.yml")
    draft = publish.problems(meta, "x/letter.yml", draft=True)
    assert [p.field for p in strict] == ["title", "published", "themes", "recommendations"]
    assert {p.severity.value for p in strict} == {"error"}
    assert {p.severity.value for p in draft} == {"warning"}
    assert [p.problem for p in draft] == [p.problem for p in strict]


def test_the_build_that_deploys_refuses_a_letter_that_is_not_ready(repo, monkeypatch, caplog):
    """(The preview build, with FINAL_LETTERS_DRAFT=1, is the one tests/corpus.py makes.)"""
    write_letter(repo, INCOMPLETE.replace("inferred: [team, themes]", "themes: [workforce]"))
    monkeypatch.setenv(ROOT_VARIABLE, str(repo))
    monkeypatch.delenv(publish.DRAFT_VARIABLE, raising=False)
    config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(repo / "site"))
    config.strict = True
    with pytest.raises((Abort, PluginError)):
        build(config)
    assert "published: is missing" in caplog.text
    assert not (repo / "site" / "letters" / "dudley").exists()
