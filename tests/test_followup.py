"""`letters progress` and `letters due`: follow-up recorded without editing YAML by hand."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
import yaml

from finalletters import cli, extract, followup, lettermd
from finalletters.errors import LetterError
from finalletters.model import LetterMeta
from tests import pdfs
from tests.conftest import empty_repository

REPO = Path(__file__).parents[1]

LETTER_YML = """\
# Reviewed by the coordinator on 2 March 2024.
authority: dudley
title: 'Peer challenge: Dudley, June 2023'
visit: {start: 2023-06-13, end: 2023-06-15}
letter_date: 2023-07-14
published: 2023-09-01
sample: true
themes: [workforce, assessment-waiting-lists]
recommendations:
  - id: R1
    text: Agree a plan to reduce waiting lists for assessments and reviews, with a date by which
      nobody waits longer than 28 days.
    themes:
      - assessment-waiting-lists
    status: in-progress  # the action plan says so
  - id: R2
    text: Develop a workforce strategy that reduces reliance on agency social workers.
    themes: [workforce]

  # R3 was added after the letter was sent.
  - id: R3
    text: Review the strategy after a year.
    status: open
    history:
      - date: 2023-09-01
        status: open
        source: action-plan
follow_up:
  review_due: 2024-06-15
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the real register and taxonomy and one letter, dudley/2023-06."""
    empty_repository(tmp_path)
    folder = tmp_path / "letters" / "dudley" / "2023-06"
    folder.mkdir(parents=True)
    pdf = pdfs.letter_pdf([("title", "Peer challenge: Dudley"), ("p", "Dear Director, thanks.")])
    (folder / "letter.pdf").write_bytes(pdf)
    md = lettermd.letter_md(extract.extract(pdf, "letter.pdf"), extract.sha256(pdf))
    (folder / "letter.md").write_text(md, encoding="utf-8")
    (folder / "letter.yml").write_text(LETTER_YML, encoding="utf-8")
    return tmp_path


def run(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def yml(repo: Path) -> str:
    return (repo / "letters" / "dudley" / "2023-06" / "letter.yml").read_text(encoding="utf-8")


def meta(repo: Path) -> LetterMeta:
    return LetterMeta.model_validate(yaml.safe_load(yml(repo)))


# --- progress: success ----------------------------------------------------------------------


def test_progress_records_the_status_and_its_history_keeping_every_other_line(repo, capsys):
    code, out, err = run(
        repo,
        *("progress", "dudley/2023-06", "R1", "--status", "done"),
        *("--note", "Nobody waits longer than 28 days: board report", "--date", "2024-05-02"),
        *("--source", "progress-review"),
        capsys=capsys,
    )
    assert code == 0, err
    assert out.strip() == "dudley/2023-06 R1: in-progress → done (2024-05-02)"
    diff = list(difflib.ndiff(LETTER_YML.splitlines(), yml(repo).splitlines()))
    assert [line[2:] for line in diff if line.startswith("+ ")] == [
        "    status: done",
        "    history:",
        "      - date: 2024-05-02",
        "        status: done",
        "        source: progress-review",
        "        note: 'Nobody waits longer than 28 days: board report'",
    ]
    assert [line[2:] for line in diff if line.startswith("- ")] == [
        "    status: in-progress  # the action plan says so"
    ]
    rec = meta(repo).recommendations[0]
    assert rec.status == "done" and rec.history[-1].note.startswith("Nobody waits")


def test_progress_adds_a_status_where_there_was_none_and_appends_to_a_history(repo, capsys):
    first = ("progress", "dudley/2023-06", "R2", "--status", "in-progress", "--date", "2024-01-10")
    assert run(repo, *first, capsys=capsys)[0] == 0
    second = ("progress", "letters/dudley/2023-06/letter.yml", "R3", "--status", "done")
    assert run(repo, *second, "--date", "2024-02-01", capsys=capsys)[0] == 0
    recs = meta(repo).recommendations
    assert recs[1].status == "in-progress"
    assert [(c.date.isoformat(), c.status.value) for c in recs[1].history] == [
        ("2024-01-10", "in-progress")
    ]
    assert [(c.source.value, c.status.value) for c in recs[2].history] == [
        ("action-plan", "open"),
        ("coordinator", "done"),
    ]
    text = yml(repo)
    assert "  # R3 was added after the letter was sent." in text
    assert text.startswith("# Reviewed by the coordinator on 2 March 2024.\n")


def test_progress_revises_a_due_date_with_its_reason(repo, capsys):
    code, out, err = run(
        repo,
        *("progress", "https://wm-adass.github.io/final-letters/letters/dudley/2023-06/", "R2"),
        *("--due", "2024-12-31", "--due-reason", "The action plan moved it to the new year"),
        capsys=capsys,
    )
    assert code == 0, err
    assert "now due 2024-12-31" in out
    letter = meta(repo)
    rec = letter.recommendations[1]
    assert (rec.due.isoformat(), rec.due_reason) == (
        "2024-12-31",
        "The action plan moved it to the new year",
    )
    assert letter.due(rec).isoformat() == "2024-12-31"
    assert letter.due(letter.recommendations[0]).isoformat() == "2024-06-15"


# --- progress: refusals, each leaving the file byte for byte ----------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dudley/2023-07", "R1", "--status", "done"], "letters/dudley/2023-07/: is not a letter"),
        (["dudley", "R1", "--status", "done"], "dudley: does not name a letter"),
        (["dudley/2023-06", "R9", "--status", "done"], "has no recommendation R9"),
        (["dudley/2023-06", "R1", "--status", "finished"], "'finished' is not a status"),
        (["dudley/2023-06", "R1", "--status", "dne"], "did you mean 'done'?"),
        (["dudley/2023-06", "R1", "--status", "done", "--source", "rumour"], "not a source"),
        (["dudley/2023-06", "R1", "--status", "done", "--date", "2999-01-01"], "in the future"),
        (["dudley/2023-06", "R1", "--status", "done", "--date", "2023-01-01"], "before 2023-06-13"),
        (["dudley/2023-06", "R3", "--status", "done", "--date", "2023-08-01"], "before the last"),
        (["dudley/2023-06", "R1", "--due", "2025-01-01"], "needs a reason"),
        (["dudley/2023-06", "R1"], "nothing to record"),
    ],
)
def test_progress_refuses_and_leaves_the_file_untouched(repo, capsys, args, message):
    path = repo / "letters" / "dudley" / "2023-06" / "letter.yml"
    before = path.read_bytes()
    code, out, err = run(repo, "progress", *args, capsys=capsys)
    assert code == 1, out
    assert message in err, err
    assert path.read_bytes() == before
    left = sorted(p.name for p in path.parent.iterdir())
    assert left == ["letter.md", "letter.pdf", "letter.yml"]


def test_progress_refuses_a_letter_yml_that_fails_the_check(repo, capsys):
    path = repo / "letters" / "dudley" / "2023-06" / "letter.yml"
    path.write_text(LETTER_YML.replace("authority: dudley", "authorty: dudley"), encoding="utf-8")
    before = path.read_bytes()
    code, _, err = run(repo, "progress", "dudley/2023-06", "R1", "--status", "done", capsys=capsys)
    assert code == 1
    assert "does not pass `letters check`" in err
    assert path.read_bytes() == before


def test_progress_never_writes_through_a_symbolic_link(repo, tmp_path, capsys):
    outside = tmp_path / "outside.yml"
    outside.write_text(LETTER_YML, encoding="utf-8")
    path = repo / "letters" / "dudley" / "2023-06" / "letter.yml"
    path.unlink()
    path.symlink_to(outside)
    code, _, err = run(repo, "progress", "dudley/2023-06", "R1", "--status", "done", capsys=capsys)
    assert code == 1
    assert "is a symbolic link" in err
    assert outside.read_text(encoding="utf-8") == LETTER_YML


def test_an_edit_that_would_change_anything_else_is_refused(repo):
    flow = LETTER_YML.replace(
        "  - id: R2\n    text: Develop a workforce strategy that reduces reliance on agency social "
        "workers.\n    themes: [workforce]\n",
        "  - {id: R2, text: Develop a workforce strategy., themes: [workforce]}\n",
    )
    path = repo / "letters" / "dudley" / "2023-06" / "letter.yml"
    path.write_text(flow, encoding="utf-8")
    with pytest.raises(LetterError) as caught:
        followup.record(repo, followup.Progress("dudley/2023-06", "R2", "done"))
    assert "could not be edited safely" in str(caught.value)
    assert path.read_text(encoding="utf-8") == flow


# --- due --------------------------------------------------------------------------------------


def test_due_lists_what_is_overdue_or_due_within_the_period(repo, capsys):
    code, out, err = run(repo, "due", "--on", "2024-05-01", "--within", "60d", capsys=capsys)
    assert code == 0, err
    rows = [line.split()[:4] for line in out.splitlines()]
    assert rows == [
        ["dudley/2023-06", "R1", "in-progress", "2024-06-15"],
        ["dudley/2023-06", "R2", "open", "2024-06-15"],
        ["dudley/2023-06", "R3", "open", "2024-06-15"],
    ]
    assert "3 recommendations due by 2024-06-30: 0 overdue" in err


def test_due_leaves_out_what_is_done_and_what_falls_due_later(repo, capsys):
    run(repo, "progress", "dudley/2023-06", "R3", "--status", "done", "--date", "2024-01-01",
        capsys=capsys)  # fmt: skip
    run(repo, "progress", "dudley/2023-06", "R2", "--due", "2025-03-31", "--due-reason",
        "Moved by the action plan", capsys=capsys)  # fmt: skip
    code, out, _ = run(repo, "due", "--on", "2024-07-01", "--within", "8w", "--json", capsys=capsys)
    assert code == 0
    found = json.loads(out)
    assert [(d["recommendation"], d["days"], d["overdue"]) for d in found] == [("R1", -16, True)]
    code, out, _ = run(repo, "due", "--on", "2024-07-01", "--within", "12m", "--json",
                       capsys=capsys)  # fmt: skip
    assert [(d["recommendation"], d["due_reason"]) for d in json.loads(out)] == [
        ("R1", None),
        ("R2", "Moved by the action plan"),
    ]


def test_due_refuses_a_period_it_cannot_read(repo, capsys):
    code, _, err = run(repo, "due", "--within", "two months", capsys=capsys)
    assert code == 2
    assert "is not a period like 60d, 8w or 3m" in err


# --- the issue form ---------------------------------------------------------------------------

ISSUE_BODY = """\
### Letter

https://wm-adass.github.io/final-letters/letters/dudley/2023-06/

### Recommendation

r1

### Status

done

### Date

2024-05-02

### Where the status comes from

progress-review

### Note

Reported at the May board; `$(rm -rf /)` stays text.
"""


def test_the_issue_form_becomes_the_same_change(repo, monkeypatch, capsys):
    monkeypatch.setenv("ISSUE_BODY", ISSUE_BODY)
    monkeypatch.chdir(repo)
    assert followup.from_issue() == 0
    assert capsys.readouterr().out.strip() == "dudley/2023-06 R1: in-progress → done (2024-05-02)"
    change = meta(repo).recommendations[0].history[-1]
    assert (change.source.value, change.note) == (
        "progress-review",
        "Reported at the May board; `$(rm -rf /)` stays text.",
    )


def test_an_issue_form_with_no_response_where_one_is_needed_is_refused(repo, monkeypatch, capsys):
    monkeypatch.setenv("ISSUE_BODY", ISSUE_BODY.replace("\ndone\n", "\n_No response_\n"))
    monkeypatch.chdir(repo)
    before = yml(repo)
    assert followup.from_issue() == 1
    assert "does not give Status" in capsys.readouterr().out
    assert yml(repo) == before
