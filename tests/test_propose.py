"""The web-only route: a bare PDF in a pull request becomes a proposed letter and one comment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from finalletters import proposal, propose
from finalletters.model import LetterMeta
from finalletters.tools import changes
from tests import pdfs
from tests.conftest import empty_repository

REPO = Path(__file__).parents[1]

LETTER = [
    ("title", "Adult Social Care Peer Challenge: Dudley Metropolitan Borough Council"),
    ("p", "Date: 14 July 2023"),
    ("p", "Dear Director,"),
    (
        "p",
        "Thank you for hosting the peer challenge of adult social care in Dudley, which took "
        "place from 13 to 15 June 2023. The team was led by Sam Patel, Director of Adult "
        "Social Services at Shropshire Council.",
    ),
    ("h2", "Strengths"),
    (
        "p",
        "Support for unpaid carers is strong: carers' assessments are completed quickly and "
        "carers told us that respite was easy to arrange.",
    ),
    ("h2", "Areas for development"),
    (
        "p",
        "Waiting lists for Care Act assessments have grown to over 600 people. Recruitment and "
        "retention of social workers is difficult and agency staff fill many vacancies.",
    ),
    ("h2", "Recommendations"),
    ("number", "Agree a plan to reduce waiting lists for assessments and reviews."),
    ("number", "Develop a workforce strategy that reduces reliance on agency social workers."),
]
HEAD = "0123456789abcdef0123456789abcdef01234567"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True)
    return done.stdout.decode().strip()


@pytest.fixture
def branch(tmp_path: Path) -> tuple[Path, str]:
    """A repository with a base commit (register and taxonomy) and a pull-request commit that
    uploads a bare PDF into the council's folder, as GitHub's web pages would: (root, base)."""
    root = empty_repository(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "user.name", "Test")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    (root / "letters" / "dudley").mkdir()
    (root / "letters" / "dudley" / "Final letter (signed).pdf").write_bytes(pdfs.letter_pdf(LETTER))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add files via upload")
    return root, base


def run_propose(root: Path, base: str, out: Path) -> tuple[dict[str, Any], str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "finalletters.propose",
            "--root",
            str(root),
            "--base",
            base,
            "--pull-request",
            "7",
            "--head-sha",
            HEAD,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads((out / "proposal.json").read_text(encoding="utf-8")), done.stdout


def test_a_bare_pdf_becomes_the_files_to_commit_and_one_comment(branch, tmp_path):
    root, base = branch
    bundle, printed = run_propose(root, base, tmp_path / "out")
    assert [letter["id"] for letter in bundle["proposed"]] == ["dudley/2023-06"]
    letter = bundle["proposed"][0]
    assert letter["pdf"]["from"] == "letters/dudley/Final letter (signed).pdf"
    assert letter["pdf"]["to"] == "letters/dudley/2023-06/letter.pdf"
    assert sorted(letter["files"]) == ["letter.md", "letter.yml"]
    meta = LetterMeta.model_validate(yaml.safe_load(letter["files"]["letter.yml"]))
    assert meta.authority == "dudley"
    assert (meta.visit.start.isoformat(), meta.visit.end.isoformat()) == (
        "2023-06-13",
        "2023-06-15",
    )
    assert "authority" not in meta.inferred  # the coordinator chose the council's folder
    assert {"visit", "letter_date", "themes", "recommendations"} <= set(meta.inferred)
    assert "Waiting lists for Care Act assessments" in letter["files"]["letter.md"]
    summary = letter["summary"]
    assert summary["council_from"] == "folder"
    assert [t["id"] for t in summary["themes"]] == meta.themes != []
    assert all(t["passage"] in letter["files"]["letter.md"] for t in summary["themes"])
    assert [r["id"] for r in summary["recommendations"]] == ["R1", "R2"]
    assert any("published: is missing" in line for line in summary["remaining"])
    assert any("inferred: still lists 'visit'" in line for line in summary["remaining"])
    assert bundle["changed"] == [] and bundle["refused"] == []
    assert git(root, "status", "--porcelain") == "", "proposing must change nothing"

    comment = proposal.render_comment(bundle, same_repo=True)
    assert "`letters/dudley/Final letter (signed).pdf` → `letters/dudley/2023-06/`" in printed
    assert comment.startswith(proposal.MARKER)
    for expected in (
        "### `letters/dudley/2023-06/` from `letters/dudley/Final letter (signed).pdf`",
        "| Council | Dudley Metropolitan Borough Council (`dudley`, from the folder) |",
        "| Visit | 2023-06-13 to 2023-06-15 |",
        "| Letter date | 2023-07-14 |",
        "1. Agree a plan to reduce waiting lists for assessments and reviews. (`R1`)",
        "**Review in `letter.yml`**: `visit`, `letter_date`",
        "**Still to do before it can be published**:",
        "The proposal has been committed to this branch",
        "and the PDF moved to `letters/dudley/2023-06/letter.pdf`.",
    ):
        assert expected in comment, expected
    first = summary["themes"][0]
    assert f"- **{first['label']}** (`{first['id']}`): “" in comment

    fork = proposal.render_comment(bundle, same_repo=False, run_url="https://example.org/run/1")
    assert "comes from a fork, so nothing was pushed" in fork
    assert "```yaml\n" + letter["files"]["letter.yml"].rstrip() + "\n```" in fork
    assert "[this run](https://example.org/run/1)" in fork


def test_applying_the_proposal_commits_exactly_those_files(branch, tmp_path):
    root, base = branch
    bundle, _ = run_propose(root, base, tmp_path / "out")
    checked = proposal.load(tmp_path / "out" / "proposal.json")
    staged = proposal.apply(checked, root)
    assert staged == [
        "letters/dudley/Final letter (signed).pdf",
        "letters/dudley/2023-06/letter.pdf",
        "letters/dudley/2023-06/letter.md",
        "letters/dudley/2023-06/letter.yml",
    ]
    status = git(root, "status", "--porcelain").splitlines()
    assert sorted(status) == [
        "A  letters/dudley/2023-06/letter.md",
        "A  letters/dudley/2023-06/letter.yml",
        'R  "letters/dudley/Final letter (signed).pdf" -> letters/dudley/2023-06/letter.pdf',
    ]
    folder = root / "letters" / "dudley" / "2023-06"
    assert (folder / "letter.yml").read_text(encoding="utf-8") == bundle["proposed"][0]["files"][
        "letter.yml"
    ]
    git(root, "commit", "-q", "-m", "Proposed letter.md and letter.yml")
    again, _ = run_propose(root, base, tmp_path / "again")
    assert again["proposed"] == []  # the PDF now has its letter.yml
    assert [letter["id"] for letter in again["changed"]] == ["dudley/2023-06"]
    assert any("published" in line for line in again["changed"][0]["remaining"])


def test_the_folder_month_chosen_by_the_coordinator_is_kept(branch, tmp_path):
    root, base = branch
    source = root / "letters" / "dudley" / "Final letter (signed).pdf"
    (root / "letters" / "dudley" / "2023-07").mkdir()
    source.rename(root / "letters" / "dudley" / "2023-07" / "letter.pdf")
    bundle = propose.build_bundle(root, base, 7, HEAD)
    letter = bundle["proposed"][0]
    assert letter["id"] == "dudley/2023-07"
    assert letter["pdf"]["from"] == letter["pdf"]["to"] == "letters/dudley/2023-07/letter.pdf"
    assert any("the folder says 2023-07" in w for w in letter["summary"]["warnings"])


def test_a_pdf_in_letters_itself_is_placed_by_what_it_says(branch, tmp_path):
    root, base = branch
    (root / "letters" / "dudley" / "Final letter (signed).pdf").rename(root / "letters" / "x.pdf")
    bundle = propose.build_bundle(root, base, 7, HEAD)
    letter = bundle["proposed"][0]
    assert letter["id"] == "dudley/2023-06"
    assert letter["summary"]["council_from"] == "text"
    assert "authority" in letter["summary"]["inferred"]


# --- what is refused ------------------------------------------------------------------------


def test_a_symbolic_link_is_refused_and_never_read(branch, tmp_path):
    root, base = branch
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(pdfs.letter_pdf([*LETTER, ("p", "A secret of the build machine.")]))
    (root / "letters" / "walsall").mkdir()
    (root / "letters" / "walsall" / "letter.pdf").symlink_to(secret)
    bundle = propose.build_bundle(root, base, 7, HEAD)
    assert [r["path"] for r in bundle["refused"]] == ["letters/walsall/letter.pdf"]
    assert "is a symbolic link (to " in bundle["refused"][0]["problem"]
    assert "nothing is read through it" in bundle["refused"][0]["problem"]
    assert "secret of the build machine" not in json.dumps(bundle)


def test_a_pdf_outside_letters_is_refused(branch, tmp_path):
    root, base = branch
    (root / "letter.pdf").write_bytes(pdfs.letter_pdf(LETTER))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "upload at the top")
    bundle = propose.build_bundle(root, base, 7, HEAD)
    assert bundle["refused"] == [
        {"path": "letter.pdf", "problem": "is outside letters/: move it into letters/<council>/"}
    ]
    with pytest.raises(propose.LetterError, match="is outside letters/"):
        propose.place("letters/../letter.pdf", propose.register.load(root / "letters"))


def test_a_file_over_the_size_limit_is_refused(branch, tmp_path):
    root, base = branch
    big = root / "letters" / "dudley" / "2023-09" / "letter.pdf"
    big.parent.mkdir()
    with open(big, "wb") as handle:  # sparse: the size is what counts
        handle.truncate(propose.extract.MAX_BYTES + 1)
    bundle = propose.build_bundle(root, base, 7, HEAD)
    refused = {r["path"]: r["problem"] for r in bundle["refused"]}
    assert "over the 50 MB limit" in refused["letters/dudley/2023-09/letter.pdf"]


def test_a_folder_that_is_not_a_council_is_refused_with_a_suggestion(branch, tmp_path):
    root, base = branch
    (root / "letters" / "dudley").rename(root / "letters" / "dudly")
    bundle = propose.build_bundle(root, base, 7, HEAD)
    assert "did you mean 'dudley'?" in bundle["refused"][0]["problem"]


# --- the trusted side: validation, escaping, the one comment --------------------------------


def test_the_trusted_side_refuses_a_bundle_that_writes_anywhere_else(branch, tmp_path):
    root, base = branch
    bundle, _ = run_propose(root, base, tmp_path / "out")

    def changed(change) -> dict[str, Any]:
        copy = json.loads(json.dumps(bundle))
        change(copy["proposed"][0])
        return copy

    hostile = [
        changed(lambda p: p["files"].update({"../../.github/workflows/x.yml": "on: push"})),
        changed(lambda p: p.update(id="../../etc")),
        changed(lambda p: p["pdf"].update({"from": "letters/../../etc/passwd.pdf"})),
        changed(lambda p: p["pdf"].update({"to": "letters/walsall/2023-06/letter.pdf"})),
        changed(lambda p: p.update(extra=1)),
        changed(lambda p: p["summary"].update(council_name="x" * 5000)),
    ]
    for case in hostile:
        with pytest.raises(proposal.BundleError):
            proposal.validate(case)
    proposal.validate(bundle)


def test_apply_refuses_a_pdf_that_is_not_the_one_that_was_read(branch, tmp_path):
    root, base = branch
    bundle, _ = run_propose(root, base, tmp_path / "out")
    (root / "letters" / "dudley" / "Final letter (signed).pdf").write_bytes(b"%PDF-1.4 other")
    with pytest.raises(proposal.BundleError, match="not the PDF the proposal was made from"):
        proposal.apply(proposal.validate(bundle), root)
    assert not (root / "letters" / "dudley" / "2023-06").exists()


def test_untrusted_text_in_the_comment_is_inert():
    text = proposal.inline("<img src=x onerror=alert(1)> @maintainers [go](https://evil.example)")
    assert "<img" not in text and "[go]" not in text
    assert "@maintainers" not in text and "https://evil" not in text
    block = proposal.fenced("```\nclosing the fence\n```")
    assert block.startswith("````\n") and block.endswith("\n````")


def test_the_comment_is_posted_once_and_then_updated_in_place():
    comments: list[dict[str, Any]] = [
        {"id": 1, "user": {"login": "someone"}, "body": proposal.MARKER + " quoted by a person"}
    ]
    calls: list[tuple[str, str]] = []

    def call(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        calls.append((method, path))
        if method == "GET":
            return comments
        if method == "POST":
            comments.append({"id": 2, "user": {"login": proposal.BOT_LOGIN}, **(body or {})})
        if method == "PATCH":
            next(c for c in comments if c["id"] == 2).update(body or {})
        return {}

    assert proposal.upsert_comment(call, 7, proposal.MARKER + " first") == "posted"
    assert proposal.upsert_comment(call, 7, proposal.MARKER + " second") == "updated"
    assert [c["body"] for c in comments] == [
        proposal.MARKER + " quoted by a person",
        proposal.MARKER + " second",
    ]
    assert ("PATCH", "/issues/comments/2") in calls


# --- the job summary ------------------------------------------------------------------------


def test_the_job_summary_says_what_the_pull_request_adds_letter_by_letter(branch, tmp_path):
    root, base = branch
    proposal.apply(propose.build_bundle(root, base, 7, HEAD), root)
    (root / "README.md").write_text("# <b>hi</b>\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "proposal and a README")
    summary = changes.markdown(root, changes.diff(root, base))
    row = next(line for line in summary.splitlines() if "letters/dudley/2023-06/" in line)
    assert row.startswith("| `letters/dudley/2023-06/`<br>dudley, visit 2023-06-13 to 2023-06-15 |")
    assert "| new letter |" in row
    assert "`letter.md` added, `letter.pdf` added, `letter.yml` added |" in summary
    assert "Other files: 1." in summary and "- `README.md` (added)" in summary
    assert "Corrected by hand" not in summary, "letter.md is as read from the PDF"
    assert changes.folders(root, changes.diff(root, base)) == ["letters/dudley/2023-06"]
    assert changes.folders(root, changes.diff(root, "HEAD")) == []


def test_the_job_summary_shows_a_hand_correction_against_the_text_of_the_pdf(branch, tmp_path):
    root, base = branch
    proposal.apply(propose.build_bundle(root, base, 7, HEAD), root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "proposal")
    md = root / "letters" / "dudley" / "2023-06" / "letter.md"
    text = md.read_text(encoding="utf-8").replace("edited: false", "edited: true")
    md.write_text(text.replace("over 600 people", "over 650 people ```"), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "correct a figure")
    summary = changes.markdown(root, changes.diff(root, base))
    assert "### Corrected by hand: `letters/dudley/2023-06/letter.md`" in summary
    removed = next(line for line in summary.splitlines() if line.startswith("-") and "600" in line)
    added = next(line for line in summary.splitlines() if line.startswith("+") and "650" in line)
    assert "over 600 people" in removed and "over 650 people" in added
    assert "````diff" in summary, "the fence is longer than any run of backticks in the text"
    assert "Corrected by hand" in changes.markdown(root, changes.diff(root, "HEAD~1"))
    md.write_text(text, encoding="utf-8")  # edited: true, but the same text as the PDF's
    git(root, "commit", "-qam", "undo the correction")
    assert "(no difference)" in changes.markdown(root, changes.diff(root, "HEAD~1"))
