"""The proposal bundle of the web-only route: its format, its validation, the pull-request
comment made from it, and applying it to a checkout. Standard library only.

Two workflows share this module. `propose.yml` runs on `pull_request` with a read-only token:
it may be running a fork's code, so everything it produces is untrusted. It writes
proposal/proposal.json with `python -m finalletters.propose` and uploads it as an artifact.
`propose-apply.yml` runs on `workflow_run` from the default branch, with write permissions and
without installing anything: it downloads the artifact and calls `python -m finalletters.proposal`
from its own checkout, which

1. validates the bundle (`validate`): only known keys and types, sizes within limits, letter ids
   of the form <council>/<yyyy-mm>, only letter.md and letter.yml written, and only into that
   letter's folder under letters/, a PDF moved only from a PDF under letters/ to letter.pdf in
   that folder;
2. checks with the API that the pull request named in it is open and at the commit the bundle
   was made from (the bundle's claim is not trusted);
3. for a branch of this repository, writes the files into a checkout of that commit and stages
   them (`apply`), never through a symbolic link and only if the PDF there is the one that was
   read; the workflow then commits and pushes;
4. renders the comment from the validated data, every value escaped (`render_comment`), and
   posts it, or updates the one it posted before (found by MARKER).

    python -m finalletters.proposal check BUNDLE             validate; print what it holds
    python -m finalletters.proposal verify BUNDLE            2: step outputs (env: GITHUB_TOKEN,
        GITHUB_REPOSITORY, HEAD_SHA, HEAD_REPOSITORY, GITHUB_OUTPUT)
    python -m finalletters.proposal apply BUNDLE CHECKOUT    3: write and stage the files
    python -m finalletters.proposal comment BUNDLE [--same-repo] [--run-url URL] [--post]   4
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "final-letters-proposal/1"
MARKER = "<!-- final-letters:proposal -->"
BOT_LOGIN = "github-actions[bot]"
MAX_BUNDLE = 8 * 1024 * 1024
MAX_FILE = 2 * 1024 * 1024
MAX_TEXT = 4000  # one value in the summary
MAX_ITEMS = 300
MAX_COMMENT = 60_000  # GitHub refuses comments over 65,536 characters
LETTER_FILES = ("letter.md", "letter.yml")
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
LETTER_ID = re.compile(rf"^{SLUG}/\d{{4}}-(?:0[1-9]|1[0-2])$")
PDF_SOURCE = re.compile(
    rf"^letters/(?:{SLUG}/(?:\d{{4}}-\d{{2}}/)?)?[A-Za-z0-9 ._()+-]{{1,120}}\.pdf$"
)
SHA = re.compile(r"^[0-9a-f]{40}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BundleError(ValueError):
    """The bundle is not what `finalletters.propose` writes: it is refused whole."""


# --- validation -----------------------------------------------------------------------------


def load(path: Path) -> dict[str, Any]:
    """Read and validate a bundle file."""
    if path.is_symlink() or not path.is_file():
        raise BundleError(f"{path} is not a file")
    if path.stat().st_size > MAX_BUNDLE:
        raise BundleError(f"{path} is over {MAX_BUNDLE} bytes")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{path} is not JSON: {exc}") from None
    return validate(data)


def validate(data: Any) -> dict[str, Any]:
    """The bundle, if it has exactly the shape `finalletters.propose` writes; else BundleError."""
    _keys(data, "bundle", {"format", "pull_request", "head_sha", "proposed", "changed", "refused"})
    if data["format"] != FORMAT:
        raise BundleError(f"format is not {FORMAT}")
    if not isinstance(data["pull_request"], int) or not 0 < data["pull_request"] < 10**9:
        raise BundleError("pull_request is not a number")
    if not isinstance(data["head_sha"], str) or not SHA.match(data["head_sha"]):
        raise BundleError("head_sha is not a commit")
    ids: set[str] = set()
    for n, letter in enumerate(_list(data["proposed"], "proposed")):
        where = f"proposed[{n}]"
        _keys(letter, where, {"id", "pdf", "files", "summary"})
        letter_id = _letter_id(letter["id"], where)
        if letter_id in ids:
            raise BundleError(f"{where}: {letter_id} is proposed twice")
        ids.add(letter_id)
        pdf = letter["pdf"]
        _keys(pdf, f"{where}.pdf", {"from", "to", "sha256", "size"})
        if not isinstance(pdf["from"], str) or not PDF_SOURCE.match(pdf["from"]):
            raise BundleError(f"{where}.pdf.from is not a PDF under letters/")
        if ".." in pdf["from"].split("/"):
            raise BundleError(f"{where}.pdf.from leaves letters/")
        if pdf["to"] != f"letters/{letter_id}/letter.pdf":
            raise BundleError(f"{where}.pdf.to is not letters/{letter_id}/letter.pdf")
        if not isinstance(pdf["sha256"], str) or not SHA256.match(pdf["sha256"]):
            raise BundleError(f"{where}.pdf.sha256 is not a SHA-256")
        if not isinstance(pdf["size"], int) or pdf["size"] < 0:
            raise BundleError(f"{where}.pdf.size is not a size")
        files = letter["files"]
        _keys(files, f"{where}.files", set(LETTER_FILES))
        for name in LETTER_FILES:
            if not isinstance(files[name], str) or len(files[name].encode("utf-8")) > MAX_FILE:
                raise BundleError(f"{where}.files.{name} is not text within {MAX_FILE} bytes")
        _summary(letter["summary"], f"{where}.summary")
    for n, letter in enumerate(_list(data["changed"], "changed")):
        _keys(letter, f"changed[{n}]", {"id", "remaining"})
        _letter_id(letter["id"], f"changed[{n}]")
        _texts(letter["remaining"], f"changed[{n}].remaining")
    for n, refused in enumerate(_list(data["refused"], "refused")):
        _keys(refused, f"refused[{n}]", {"path", "problem"})
        _text(refused["path"], f"refused[{n}].path")
        _text(refused["problem"], f"refused[{n}].problem")
    return data


SUMMARY_KEYS = {
    "council": (str, True),
    "council_name": (str, True),
    "council_from": (str, False),
    "visit": (str, True),
    "letter_date": (str, True),
    "team": (list, False),
    "themes": (list, False),
    "recommendations": (list, False),
    "warnings": (list, False),
    "inferred": (list, False),
    "remaining": (list, False),
}


def _summary(summary: Any, where: str) -> None:
    _keys(summary, where, set(SUMMARY_KEYS))
    for key, (kind, nullable) in SUMMARY_KEYS.items():
        value = summary[key]
        if value is None and nullable:
            continue
        if kind is str:
            _text(value, f"{where}.{key}")
    if summary["council_from"] not in ("folder", "text"):
        raise BundleError(f"{where}.council_from is not 'folder' or 'text'")
    for n, member in enumerate(_list(summary["team"], f"{where}.team")):
        _keys(member, f"{where}.team[{n}]", {"role", "name", "organisation"})
        for key in ("role", "name", "organisation"):
            if member[key] is not None:
                _text(member[key], f"{where}.team[{n}].{key}")
    for n, theme in enumerate(_list(summary["themes"], f"{where}.themes")):
        _keys(theme, f"{where}.themes[{n}]", {"id", "label", "passage"})
        for key in ("id", "label", "passage"):
            _text(theme[key], f"{where}.themes[{n}].{key}")
    for n, rec in enumerate(_list(summary["recommendations"], f"{where}.recommendations")):
        _keys(rec, f"{where}.recommendations[{n}]", {"id", "text"})
        _text(rec["id"], f"{where}.recommendations[{n}].id")
        _text(rec["text"], f"{where}.recommendations[{n}].text")
    for key in ("warnings", "inferred", "remaining"):
        _texts(summary[key], f"{where}.{key}")


def _keys(value: Any, where: str, keys: set[str]) -> None:
    if not isinstance(value, dict) or set(value) != keys:
        raise BundleError(f"{where} does not have exactly the keys {sorted(keys)}")


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise BundleError(f"{where} is not a list of at most {MAX_ITEMS}")
    return value


def _text(value: Any, where: str) -> None:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise BundleError(f"{where} is not text of at most {MAX_TEXT} characters")


def _texts(value: Any, where: str) -> None:
    for n, item in enumerate(_list(value, where)):
        _text(item, f"{where}[{n}]")


def _letter_id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not LETTER_ID.match(value):
        raise BundleError(f"{where}.id is not <council>/<yyyy-mm>")
    return value


# --- the comment ----------------------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\*_{}\[\]()#+!|~])")  # backticks stay: a code span is inert


def inline(text: str) -> str:
    """Untrusted text as inert Markdown on one line: no markup, link, mention or HTML."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN.sub(r"\\\1", text)
    text = text.replace("@", "@\u2060").replace("://", ":\u2060//")
    return text


def code(text: str) -> str:
    """Untrusted text as a code span: nothing inside one is markup."""
    text = " ".join(text.split()).replace("`", "'")
    return f"`{text}`" if text else "(none)"


def fenced(text: str, info: str = "") -> str:
    """Untrusted text in a code block whose fence no line of it can close."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip()}\n{fence}"


def render_comment(bundle: dict[str, Any], same_repo: bool, run_url: str = "") -> str:
    """The pull request's one comment: what was read, what to review, what remains."""
    parts = [MARKER, "## Final Letters: what was read and what to review", ""]
    artifact = (
        f"the `letter-proposal` artifact of [this run]({run_url})"
        if run_url
        else ("the `letter-proposal` artifact of the workflow run")
    )
    for letter in bundle["proposed"]:
        parts += _proposed(letter, same_repo, artifact)
    for letter in bundle["changed"]:
        parts.append(f"### `letters/{letter['id']}/`")
        parts.append("")
        parts += _remaining(letter["remaining"])
    if bundle["refused"]:
        parts += ["### Files that were not read", ""]
        parts += [f"- {code(r['path'])}: {inline(r['problem'])}" for r in bundle["refused"]]
        parts.append("")
    parts += [
        "---",
        "This comment is updated after every push. The checks below say whether the letters "
        "pass `letters check`; the site preview is the `site-preview` artifact of the "
        "*Check and build* run.",
    ]
    body = "\n".join(parts)
    if len(body) > MAX_COMMENT:
        body = body[:MAX_COMMENT] + f"\n\n…(shortened: the whole proposal is {artifact})"
    return body


def _proposed(letter: dict[str, Any], same_repo: bool, artifact: str) -> list[str]:
    s = letter["summary"]
    pdf = letter["pdf"]
    folder = f"letters/{letter['id']}/"
    read = "from the folder" if s["council_from"] == "folder" else "read from the letter"
    council = f"{inline(s['council_name'] or '')} ({code(s['council'] or '')}, {read})"
    team = [
        f"{inline(m['role'])}: {inline(m['name'] or 'name not given')}"
        + (f", {inline(m['organisation'])}" if m["organisation"] else "")
        for m in s["team"]
    ]
    lines = [
        f"### `{folder}` from {code(pdf['from'])}",
        "",
        "| What | Read from the letter |",
        "| --- | --- |",
        f"| Council | {council} |",
        f"| Visit | {inline(s['visit'] or 'not found')} |",
        f"| Letter date | {inline(s['letter_date'] or 'not found')} |",
        f"| Team | {'<br>'.join(team) or 'nobody found'} |",
        "",
        f"**Themes** ({len(s['themes'])}), each with one passage that led to it:",
        "",
    ]
    lines += [f"- **{inline(t['label'])}** ({code(t['id'])}): “{inline(t['passage'])}”"
              for t in s["themes"]] or ["- none found"]  # fmt: skip
    lines += ["", f"**Recommendations** ({len(s['recommendations'])}):", ""]
    lines += [f"{n}. {inline(r['text'])} ({code(r['id'])})"
              for n, r in enumerate(s["recommendations"], 1)] or ["- none found"]  # fmt: skip
    lines.append("")
    if s["warnings"]:
        lines += ["**Warnings**:", ""] + [f"- {inline(w)}" for w in s["warnings"]] + [""]
    if s["inferred"]:
        names = ", ".join(f"{code(n)}" for n in s["inferred"])
        lines += [
            f"**Review in `letter.yml`**: {names} were proposed from the text. Check each against "
            "the letter, correct it, then delete its name from the `inferred:` list.",
            "",
        ]
    lines += _remaining(s["remaining"])
    moved = pdf["from"] != pdf["to"]
    if same_repo:
        lines.append(
            f"The proposal has been committed to this branch: `{folder}letter.md` and "
            f"`{folder}letter.yml`"
            + (f", and the PDF moved to {code(pdf['to'])}." if moved else ".")
            + " Edit `letter.yml` on this branch (the pencil icon in *Files changed*) to review it."
        )
        lines.append("")
    else:
        lines += [
            "This pull request comes from a fork, so nothing was pushed to it. Add these files to "
            f"your branch (they are also in {artifact})"
            + (f", and rename {code(pdf['from'])} to {code(pdf['to'])}:" if moved else ":"),
            "",
            f"`{folder}letter.yml`:",
            "",
            fenced(letter["files"]["letter.yml"], "yaml"),
            "",
            f"<details><summary><code>{folder}letter.md</code></summary>",
            "",
            fenced(letter["files"]["letter.md"], "markdown"),
            "",
            "</details>",
            "",
        ]
    return lines


def _remaining(remaining: list[str]) -> list[str]:
    if not remaining:
        return ["**Ready to publish**: `letters check` finds nothing left to do.", ""]
    return (
        ["**Still to do before it can be published**:", ""]
        + [f"- {inline(item)}" for item in remaining]
        + [""]
    )


# --- applying it to a checkout --------------------------------------------------------------


def apply(
    bundle: dict[str, Any], checkout: Path, run: Callable[..., Any] = subprocess.run
) -> list[str]:
    """Write each proposed letter's files into checkout and stage them with git; the paths.

    Refuses (BundleError) a symbolic link anywhere on the way, a file that already exists, and a
    PDF that is not the one the proposal was made from.
    """
    staged: list[str] = []
    for letter in bundle["proposed"]:
        pdf = letter["pdf"]
        source = _plain_path(checkout, pdf["from"])
        if not source.is_file() or source.is_symlink():
            raise BundleError(f"{pdf['from']} is not a file in the checkout")
        if hashlib.sha256(source.read_bytes()).hexdigest() != pdf["sha256"]:
            raise BundleError(f"{pdf['from']} is not the PDF the proposal was made from")
        folder = _plain_path(checkout, f"letters/{letter['id']}")
        folder.mkdir(parents=True, exist_ok=True)
        _plain_path(checkout, f"letters/{letter['id']}")  # again, now that it exists
        if pdf["from"] != pdf["to"]:
            target = _plain_path(checkout, pdf["to"])
            if target.exists() or target.is_symlink():
                raise BundleError(f"{pdf['to']} already exists")
            run(["git", "-C", str(checkout), "mv", "--", pdf["from"], pdf["to"]], check=True)
            staged += [pdf["from"], pdf["to"]]
        for name in LETTER_FILES:
            relative = f"letters/{letter['id']}/{name}"
            path = _plain_path(checkout, relative)
            if path.exists() or path.is_symlink():
                raise BundleError(f"{relative} already exists")
            with open(path, "x", encoding="utf-8", newline="") as handle:  # never through a link
                handle.write(letter["files"][name])
            staged.append(relative)
        run(["git", "-C", str(checkout), "add", "--", *staged[-2:]], check=True)
    return staged


def _plain_path(checkout: Path, relative: str) -> Path:
    """checkout/relative, refusing `..` and any symbolic link on the way."""
    parts = relative.split("/")
    if parts[0] != "letters" or any(p in ("", ".", "..") for p in parts):
        raise BundleError(f"{relative} is not a path under letters/")
    here = checkout
    for part in parts:
        here = here / part
        if here.is_symlink():
            raise BundleError(f"{relative} passes through a symbolic link")
    return here


# --- posting it -----------------------------------------------------------------------------


@dataclass
class GitHub:
    """The few REST calls the trusted workflow makes, with its token."""

    repository: str
    token: str
    api: str = "https://api.github.com"

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(  # noqa: S310 (a fixed https address)
            f"{self.api}/repos/{self.repository}{path}",
            data=json.dumps(body).encode("utf-8") if body is not None else None,
            method=method,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {self.token}",
                "X-GitHub-Api-Version": "2022-11-28",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read() or b"null")


def upsert_comment(call: Callable[..., Any], number: int, body: str) -> str:
    """Update the comment this workflow posted on the pull request before, or post one."""
    page = 1
    while True:
        comments = call("GET", f"/issues/{number}/comments?per_page=100&page={page}")
        for comment in comments:
            if comment["user"]["login"] == BOT_LOGIN and comment["body"].startswith(MARKER):
                call("PATCH", f"/issues/comments/{comment['id']}", {"body": body})
                return "updated"
        if len(comments) < 100:
            break
        page += 1
    call("POST", f"/issues/{number}/comments", {"body": body})
    return "posted"


def pull_request_matches(call: Callable[..., Any], bundle: dict[str, Any], head_sha: str,
                         head_repository: str) -> bool:  # fmt: skip
    """The pull request the bundle names is open, at the commit this run was for, from the
    repository GitHub says (the bundle's own word is not enough)."""
    pull = call("GET", f"/pulls/{bundle['pull_request']}")
    return (
        pull["state"] == "open"
        and pull["head"]["sha"] == head_sha == bundle["head_sha"]
        and (pull["head"]["repo"] or {}).get("full_name") == head_repository
    )


def verify(bundle: dict[str, Any], env: dict[str, str]) -> dict[str, str]:
    """Step 2: what the workflow may do with this bundle, as step outputs."""
    github = GitHub(env["GITHUB_REPOSITORY"], env["GITHUB_TOKEN"])
    current = pull_request_matches(github.call, bundle, env["HEAD_SHA"], env["HEAD_REPOSITORY"])
    same_repo = env["HEAD_REPOSITORY"] == env["GITHUB_REPOSITORY"]
    anything = bool(bundle["proposed"] or bundle["changed"] or bundle["refused"])
    return {
        "pull_request": str(bundle["pull_request"]),
        "comment": str(current and anything).lower(),
        "apply": str(current and same_repo and bool(bundle["proposed"])).lower(),
        "same_repo": str(same_repo).lower(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m finalletters.proposal")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check").add_argument("bundle", type=Path)
    sub.add_parser("verify").add_argument("bundle", type=Path)
    applying = sub.add_parser("apply")
    applying.add_argument("bundle", type=Path)
    applying.add_argument("checkout", type=Path)
    commenting = sub.add_parser("comment")
    commenting.add_argument("bundle", type=Path)
    commenting.add_argument("--same-repo", action="store_true")
    commenting.add_argument("--run-url", default="")
    commenting.add_argument("--post", action="store_true", help="Post or update it on GitHub.")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    try:
        bundle = load(args.bundle)
        if args.command == "check":
            print(json.dumps({
                "pull_request": bundle["pull_request"],
                "proposed": [letter["id"] for letter in bundle["proposed"]],
                "changed": [letter["id"] for letter in bundle["changed"]],
            }))  # fmt: skip
        elif args.command == "verify":
            outputs = verify(bundle, env)
            with open(env["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
                handle.writelines(f"{key}={value}\n" for key, value in outputs.items())
            print(json.dumps(outputs))
        elif args.command == "apply":
            print("\n".join(apply(bundle, args.checkout)))
        else:
            body = render_comment(bundle, args.same_repo, args.run_url)
            if args.post:
                github = GitHub(env["GITHUB_REPOSITORY"], env["GITHUB_TOKEN"])
                print(upsert_comment(github.call, bundle["pull_request"], body))
            else:
                print(body)
    except BundleError as exc:
        print(f"error: the proposal was refused: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
