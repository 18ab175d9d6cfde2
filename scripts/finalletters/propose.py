"""The web-only route: a PDF uploaded under letters/ becomes a proposed letter.

A coordinator who uploads `letter.pdf` (or any PDF name) through GitHub's web pages, into
`letters/<council>/<yyyy-mm>/`, `letters/<council>/` or `letters/`, and opens a pull request,
never runs `letters add`. The pull-request workflow runs this instead, with the same code as
`letters add`: for every PDF under letters/ whose folder has no letter.yml it reads the text,
proposes letter.md and letter.yml (the council and month from the folder when the coordinator
chose them, otherwise from the text), and names the folder the letter belongs in. For the
letters the pull request already holds in full, it says what `letters check` still wants.

    python -m finalletters.propose --base BASE_SHA --pull-request N --head-sha SHA --out DIR

writes DIR/proposal.json (the format is finalletters.proposal's) and prints a summary of it.
Nothing in the repository is changed: the trusted workflow applies the proposal.

A PDF outside letters/, a symbolic link, a file that is not a regular file, and a file over
extract.MAX_BYTES are refused and listed, never read.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from . import catalogue, extract, lettermd, pdfworker, proposal, register, safefs
from .analyse import Analysis, analyse
from .cli import folder_month, letter_yml, propose_meta
from .errors import LetterError, did_you_mean
from .model import LETTER_ID, LetterMeta
from .paths import find_root

MONTH = LETTER_ID  # "<council>/<yyyy-mm>"
ATTACHMENTS = {"action-plan.pdf", "progress-review.pdf"}


def changed_files(root: Path, base: str) -> list[tuple[str, str]]:
    """(status, path) for every file the commits since base add, change or remove."""
    command = ["git", "-C", str(root), "diff", "--name-status", "--no-renames", "-z", base, "HEAD"]
    listed = subprocess.run(  # noqa: S603 (git from PATH, our own arguments; base is a commit)
        command,
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode("utf-8", "replace")
    fields = listed.split("\0")
    return [(fields[i], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]


def bare_pdfs(root: Path) -> list[str]:
    """PDFs under letters/ in a folder without letter.yml, as paths from root (links included,
    so that they are refused by name rather than skipped)."""
    found = []
    letters = root / "letters"
    for folder, dirs, files in os.walk(letters, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if (here / "letter.yml").exists() or (here / "letter.yml").is_symlink():
            continue
        found += [
            (here / name).relative_to(root).as_posix()
            for name in sorted(files)
            if name.lower().endswith(".pdf")
        ]
        found += [
            (here / d).relative_to(root).as_posix()
            for d in dirs
            if d.lower().endswith(".pdf") and (here / d).is_symlink()
        ]
    return found


def place(relative: str, reference: register.Reference) -> tuple[str | None, str | None]:
    """The council and month that a PDF's folder names: (walsall, 2025-06), (walsall, None) or
    (None, None); LetterError for a folder that is neither."""
    parts = relative.split("/")
    if parts[0] != "letters" or ".." in parts or len(parts) < 2:
        raise LetterError(relative, "is outside letters/", "upload the PDF into letters/<council>/")
    folders = parts[1:-1]
    if len(folders) > 2 or (len(folders) == 2 and not MONTH.match("/".join(folders))):
        raise LetterError(
            relative,
            "is not in a letter's folder",
            "put it in letters/<council>/ or letters/<council>/<yyyy-mm>/",
        )
    council = folders[0] if folders else None
    if council is not None and council not in reference.authorities:
        raise LetterError(
            relative,
            f"'{council}' is not a council in letters/authorities.yml"
            f"{did_you_mean(council, set(reference.authorities))}",
            "move the PDF into the folder of a council listed there",
        )
    return council, folders[1] if len(folders) == 2 else None


def read_pdf(root: Path, relative: str) -> bytes:
    """The PDF's bytes: a regular file under letters/, not reached through a link, not too big."""
    path = safefs.inside(root / relative, root / "letters", relative)
    return safefs.read_bytes(
        path, extract.MAX_BYTES, relative, "a Final Letter is far smaller: is it the right file?"
    )


def _sha256_of(path: Path) -> str | None:
    """The hash of a committed letter.pdf, or None when it cannot be read safely."""
    try:
        return extract.sha256(safefs.read_bytes(path, extract.MAX_BYTES))
    except LetterError:
        return None


def propose_pdf(root: Path, relative: str, reference: register.Reference) -> dict[str, Any]:
    """One entry of the bundle's `proposed` list, made as `letters add` makes a letter."""
    council, month = place(relative, reference)
    data = read_pdf(root, relative)
    digest = extract.sha256(data)
    for existing in sorted((root / "letters").glob("*/*/letter.pdf")):
        reviewed = existing.parent.joinpath("letter.yml").is_file() and not existing.is_symlink()
        if reviewed and _sha256_of(existing) == digest:
            folder = existing.parent.relative_to(root).as_posix()
            raise LetterError(relative, f"is the same PDF as {folder}/letter.pdf", "remove it")
    extracted = pdfworker.reader().extract(data, relative)  # within the time and memory budget
    body = lettermd.to_markdown(extracted.blocks)
    analysis = analyse(body, reference)
    meta = propose_meta(analysis, reference, council, None, None, Path(relative))
    inferred: list[str] = list(meta.inferred)
    month = month or folder_month(meta)
    letter_id = f"{meta.authority}/{month}"
    target = root / "letters" / letter_id
    if (target / "letter.yml").exists():
        raise LetterError(
            relative,
            f"would be letters/{letter_id}/, which already holds a letter",
            "if this is another visit, put the PDF in letters/<council>/<yyyy-mm>/ for its month",
        )
    files = {
        "letter.md": lettermd.letter_md(extracted, digest),
        "letter.yml": letter_yml(meta),
    }
    summary = _summary(analysis, meta, inferred, reference, council is not None)
    summary["remaining"] = remaining(root, reference, letter_id, files, data)
    summary["warnings"] = [str(w) for w in analysis.warnings] + _month_warning(meta, month)
    return {
        "id": letter_id,
        "pdf": {
            "from": relative,
            "to": f"letters/{letter_id}/letter.pdf",
            "sha256": digest,
            "size": len(data),
        },
        "files": files,
        "summary": summary,
    }


def _month_warning(meta: LetterMeta, month: str | None) -> list[str]:
    when = meta.visit.start if meta.visit else meta.letter_date
    if when and month and when.strftime("%Y-%m") != month:
        return [
            f"the folder says {month}, but the letter's "
            f"{'visit started' if meta.visit else 'date is'} {when}: check which is right"
        ]
    return []


def _summary(
    analysis: Analysis,
    meta: LetterMeta,
    inferred: list[str],
    reference: register.Reference,
    from_folder: bool,
) -> dict[str, Any]:
    authority = reference.authorities[meta.authority]
    visit = f"{meta.visit.start} to {meta.visit.end}" if meta.visit else None
    return {
        "council": authority.slug,
        "council_name": authority.name,
        "council_from": "folder" if from_folder else "text",
        "visit": visit,
        "letter_date": meta.letter_date.isoformat() if meta.letter_date else None,
        "team": [
            {"role": m.role.value, "name": m.name, "organisation": m.organisation}
            for m in meta.team
        ],
        "themes": [
            {
                "id": theme.id,
                "label": reference.themes[theme.id].label,
                "passage": theme.evidence[0].text if theme.evidence else "",
            }
            for theme in analysis.themes
            if theme.id in meta.themes
        ],
        "recommendations": [{"id": r.id, "text": r.text} for r in meta.recommendations],
        "warnings": [],
        "inferred": list(inferred),
        "remaining": [],
    }


def remaining(
    root: Path, reference: register.Reference, letter_id: str, files: dict[str, str], pdf: bytes
) -> list[str]:
    """What `letters check --draft` says about the proposed letter, as lines."""
    with tempfile.TemporaryDirectory(prefix="proposal-") as scratch:
        staged = Path(scratch)
        (staged / "letters").mkdir()
        for name in ("authorities.yml", "themes.yml"):
            shutil.copyfile(root / "letters" / name, staged / "letters" / name)
        folder = staged / "letters" / letter_id
        folder.mkdir(parents=True)
        (folder / "letter.pdf").write_bytes(pdf)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        loaded = catalogue.load(staged, [folder], draft=True)
    return [_line(p) for p in loaded.problems]


def _line(problem: Any) -> str:
    where = f"{problem.field}: " if problem.field else ""
    tip = f" ({problem.tip})" if problem.tip else ""
    return f"{problem.file.rsplit('/', 1)[-1]}: {where}{problem.problem}{tip}"


def changed_letters(root: Path, changes: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """For each letter folder with letter.yml that the pull request touches: what remains."""
    folders = sorted(
        {
            "/".join(path.split("/")[1:3])
            for status, path in changes
            if status != "D" and path.startswith("letters/") and path.count("/") == 3
        }
    )
    found = []
    for letter_id in folders:
        folder = root / "letters" / letter_id
        if not MONTH.match(letter_id) or not (folder / "letter.yml").is_file():
            continue
        loaded = catalogue.load(root, [folder], draft=True)
        found.append({"id": letter_id, "remaining": [_line(p) for p in loaded.problems]})
    return found


def build_bundle(root: Path, base: str, pull_request: int, head_sha: str) -> dict[str, Any]:
    reference = register.load(root / "letters")
    changes = changed_files(root, base)
    proposed: list[dict[str, Any]] = []
    refused: list[dict[str, str]] = []
    outside = [
        path
        for status, path in changes
        if status != "D" and path.lower().endswith(".pdf") and not path.startswith("letters/")
    ]
    refused += [
        {"path": path, "problem": "is outside letters/: move it into letters/<council>/"}
        for path in outside
    ]
    for relative in bare_pdfs(root):
        if Path(relative).name in ATTACHMENTS and (root / relative).parent.name[:2].isdigit():
            continue
        try:
            proposed.append(propose_pdf(root, relative, reference))
        except LetterError as exc:
            refused.append({"path": relative, "problem": f"{exc.detail.problem}; {exc.detail.tip}"})
    bundle = {
        "format": proposal.FORMAT,
        "pull_request": pull_request,
        "head_sha": head_sha,
        "proposed": proposed,
        "changed": changed_letters(root, changes),
        "refused": refused,
    }
    return proposal.validate(bundle)  # what the trusted side will accept, checked here too


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m finalletters.propose", description=__doc__)
    parser.add_argument("--base", required=True, help="The commit the pull request is based on.")
    parser.add_argument("--pull-request", type=int, required=True)
    parser.add_argument("--head-sha", required=True, help="The pull request's head commit.")
    parser.add_argument("--out", type=Path, required=True, help="Folder for proposal.json.")
    parser.add_argument("--root", type=Path, help="The repository (default: found from here).")
    args = parser.parse_args(argv)
    root = find_root(args.root)
    bundle = build_bundle(root, args.base, args.pull_request, args.head_sha)
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    (args.out / "proposal.json").write_text(text, encoding="utf-8")
    print(overview(bundle))
    return 0


def overview(bundle: dict[str, Any]) -> str:
    """A few lines for the job summary; the comment itself is made by the trusted workflow."""
    lines = ["## Letters proposed from uploaded PDFs", ""]
    lines += [
        f"- {proposal.code(p['pdf']['from'])} → {proposal.code('letters/' + p['id'] + '/')}"
        for p in bundle["proposed"]
    ] or ["- no PDF without its letter.yml"]
    lines += [f"- {proposal.code('letters/' + c['id'] + '/')}: {len(c['remaining'])} things "
              "still to do" for c in bundle["changed"]]  # fmt: skip
    lines += [f"- not read: {proposal.code(r['path'])}" for r in bundle["refused"]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
