"""What a pull request adds or changes, letter by letter, from `git diff --name-status`.

    python -m finalletters.tools.changes BASE             Markdown for the job summary
    python -m finalletters.tools.changes BASE --folders   the letter folders to check, one a line

The pull-request workflow appends the Markdown to $GITHUB_STEP_SUMMARY, and passes the folders
to `letters check --verify`. Every value from the pull request (paths, titles) is escaped.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .. import extract, lettermd, pdfworker, safefs, yamlio
from ..errors import LetterError
from ..model import LETTER_ID
from ..paths import find_root
from ..proposal import code, fenced, inline

STATUS = {"A": "added", "M": "changed", "D": "removed", "T": "changed"}
SHOWN_OTHERS = 20
SHOWN_DIFF_LINES = 200  # of a hand-corrected letter.md against the text read from its PDF
MD_LIMIT = 5 * 1024 * 1024


@dataclass
class LetterChange:
    id: str
    files: dict[str, str] = field(default_factory=dict)  # name → added | changed | removed

    @property
    def kind(self) -> str:
        states = set(self.files.values())
        if self.files.get("letter.yml") == "added" or self.files.get("letter.pdf") == "added":
            return "new letter"
        if states == {"removed"}:
            return "removed"
        return "changed"


def diff(root: Path, base: str) -> list[tuple[str, str]]:
    """(A|M|D|T, path) for each file changed between base and HEAD; renames as remove + add."""
    listed = subprocess.run(  # noqa: S603 (git from PATH, our own arguments)
        ["git", "-C", str(root), "diff", "--name-status", "--no-renames", "-z", base, "HEAD"],  # noqa: S607
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode("utf-8", "replace")
    fields = listed.split("\0")
    return [(fields[i][:1], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]


def group(
    changes: list[tuple[str, str]],
) -> tuple[dict[str, LetterChange], list[str], list[tuple[str, str]]]:
    """Changes by letter folder; PDFs uploaded outside a letter's folder; everything else."""
    letters: dict[str, LetterChange] = defaultdict(lambda: LetterChange(""))
    uploads: list[str] = []
    others: list[tuple[str, str]] = []
    for status, path in changes:
        parts = path.split("/")
        letter_id = "/".join(parts[1:3])
        if parts[0] == "letters" and len(parts) == 4 and LETTER_ID.match(letter_id):
            letters[letter_id].id = letter_id
            letters[letter_id].files[parts[3]] = STATUS.get(status, "changed")
        elif parts[0] == "letters" and path.lower().endswith(".pdf") and status != "D":
            uploads.append(path)
        else:
            others.append((path, STATUS.get(status, "changed")))
    return dict(sorted(letters.items())), uploads, others


def describe(root: Path, letter_id: str) -> str:
    """The letter's title and visit, from its letter.yml if it can be read."""
    path = root / "letters" / letter_id / "letter.yml"
    if path.is_symlink() or not path.is_file():
        return ""
    try:
        data = yamlio.load(path, f"letters/{letter_id}/letter.yml")
    except LetterError:
        return "letter.yml cannot be read: see the checks"
    if not isinstance(data, dict):
        return ""
    title = data.get("title") or data.get("authority") or ""
    visit = data.get("visit") if isinstance(data.get("visit"), dict) else {}
    when = f", visit {visit.get('start')} to {visit.get('end')}" if visit else ""
    return inline(f"{title}{when}")


def corrections(root: Path, letter_id: str) -> str | None:
    """How a letter.md marked `edited: true` differs from the text read from its PDF, as a
    unified diff (None when it is not marked edited, or cannot be read: the checks say why)."""
    folder = root / "letters" / letter_id
    shown = f"letters/{letter_id}"
    try:
        text = safefs.read_text(folder / "letter.md", MD_LIMIT, f"{shown}/letter.md")
        front, body = lettermd.read_letter_md(text, f"{shown}/letter.md")
        if not front.edited:
            return None
        data = safefs.read_bytes(folder / "letter.pdf", extract.MAX_BYTES, f"{shown}/letter.pdf")
        read = lettermd.to_markdown(pdfworker.reader().extract(data, f"{shown}/letter.pdf").blocks)
    except LetterError:
        return None
    lines = list(
        difflib.unified_diff(
            read.splitlines(), body.splitlines(), "read from letter.pdf", "letter.md", lineterm=""
        )
    )
    if len(lines) > SHOWN_DIFF_LINES:
        lines = [*lines[:SHOWN_DIFF_LINES], f"... and {len(lines) - SHOWN_DIFF_LINES} more lines"]
    return "\n".join(lines)


def markdown(root: Path, changes: list[tuple[str, str]]) -> str:
    letters, uploads, others = group(changes)
    lines = ["## What this pull request adds or changes", ""]
    if letters:
        lines += ["| Letter | What | Files |", "| --- | --- | --- |"]
        for change in letters.values():
            files = ", ".join(f"{code(n)} {s}" for n, s in sorted(change.files.items()))
            about = describe(root, change.id)
            lines.append(
                f"| {code(f'letters/{change.id}/')}{'<br>' + about if about else ''} "
                f"| {change.kind} | {files} |"
            )
        lines.append("")
        for change in letters.values():
            corrected = corrections(root, change.id) if "letter.md" in change.files else None
            if corrected is not None:
                lines += [
                    f"### Corrected by hand: {code(f'letters/{change.id}/letter.md')}",
                    "",
                    "How the text differs from what was read from its PDF:",
                    "",
                    fenced(corrected or "(no difference)", "diff"),
                    "",
                ]
    else:
        lines += ["No letter is added or changed.", ""]
    if uploads:
        lines += ["PDFs uploaded outside a letter's folder (the proposal comment says where "
                  "each belongs):", ""]  # fmt: skip
        lines += [f"- {code(path)}" for path in uploads] + [""]
    if others:
        lines.append(f"Other files: {len(others)}.")
        lines.append("")
        lines += [f"- {code(path)} ({status})" for path, status in others[:SHOWN_OTHERS]]
        if len(others) > SHOWN_OTHERS:
            lines.append(f"- and {len(others) - SHOWN_OTHERS} more")
        lines.append("")
    return "\n".join(lines)


def folders(root: Path, changes: list[tuple[str, str]]) -> list[str]:
    """The letter folders added or changed that hold a letter.yml, as paths from root."""
    letters, _, _ = group(changes)
    return [
        f"letters/{letter_id}"
        for letter_id in letters
        if (root / "letters" / letter_id / "letter.yml").is_file()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m finalletters.tools.changes")
    parser.add_argument("base", help="The commit to compare HEAD with.")
    parser.add_argument("--folders", action="store_true", help="List letter folders instead.")
    parser.add_argument("--root", type=Path)
    args = parser.parse_args(argv)
    root = find_root(args.root)
    changes = diff(root, args.base)
    print("\n".join(folders(root, changes)) if args.folders else markdown(root, changes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
