"""Recording follow-up without editing YAML: `letters progress` and `letters due`.

`letters progress LETTER R3 --status done --note "..."` records a change of a recommendation's
status in its letter.yml: the status, and an entry in its history (date, status, source, note).
`--due DATE --due-reason "..."` revises when progress is due. `letters due --within 60d` lists
the open recommendations that are overdue or fall due soon.

letter.yml belongs to people, so an edit must keep its comments and layout. The file is first
read and validated as every command reads it (the safe loader and the schema); ruamel.yaml's
round-trip parser then says where the recommendation stands in the text, and only those lines
are changed. The result is validated again and compared with what the change should give before
it replaces the file (a temporary file in the same folder, then os.replace; never through a
symbolic link). Any refusal leaves the file as it was, byte for byte.

The issue form "Record progress on a recommendation" reaches the same code through
`python -m finalletters.followup from-issue`, which reads the form from the ISSUE_BODY variable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import click
from dateutil.relativedelta import relativedelta
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import catalogue, safefs, yamlio
from .clock import OPEN_STATES, clocks
from .errors import LetterError, did_you_mean
from .model import LETTER_ID, LetterMeta, Status, StatusSource
from .paths import find_root

LETTER_REF = re.compile(r"(?:^|/)(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*/\d{4}-(?:0[1-9]|1[0-2]))/?$")
WITHIN = re.compile(r"^(?P<n>\d{1,4})(?P<unit>[dwm])$")


@dataclass(frozen=True)
class Progress:
    """One change to record: a new status, a revised due date, or both."""

    letter: str  # "walsall/2021-11", or a path or page address naming it
    recommendation: str  # "R3"
    status: str | None = None
    note: str | None = None
    date: dt.date | None = None
    source: str = StatusSource.COORDINATOR.value
    due: dt.date | None = None
    due_reason: str | None = None


@dataclass(frozen=True)
class Recorded:
    letter_id: str
    recommendation: str
    before: str
    after: str
    date: dt.date
    path: Path

    due: dt.date | None = None

    def __str__(self) -> str:
        change = f"{self.before} → {self.after}" if self.before != self.after else self.after
        if self.due:
            return f"{self.letter_id} {self.recommendation}: {change}, now due {self.due}"
        return f"{self.letter_id} {self.recommendation}: {change} ({self.date})"


# --- recording a change ---------------------------------------------------------------------


def record(root: Path, change: Progress, today: dt.date | None = None) -> Recorded:
    """Apply one change to its letter.yml; LetterError, and the file untouched, if it is wrong."""
    today = today or dt.date.today()
    letter_id = letter_id_of(change.letter)
    letters = root / "letters"
    folder = letters / letter_id
    shown = f"letters/{letter_id}/letter.yml"
    path = safefs.inside(folder / "letter.yml", letters, shown)
    if not folder.is_dir():
        raise LetterError(
            f"letters/{letter_id}/",
            "is not a letter in this repository",
            _known(letters, letter_id),
        )
    text = safefs.read_text(path, yamlio.MAX_BYTES, shown)
    meta = _valid(yamlio.loads(text, shown))
    if meta is None:
        raise LetterError(shown, "does not pass `letters check`", f"run `letters check {shown}`")
    ids = [r.id for r in meta.recommendations]
    if change.recommendation not in ids:
        raise LetterError(
            shown,
            f"has no recommendation {change.recommendation}"
            f"{did_you_mean(change.recommendation, ids)}",
            f"use one of {', '.join(ids)}" if ids else "this letter lists no recommendations",
            "recommendations",
        )
    where = f"recommendations.{change.recommendation}"
    status = (
        _choice(change.status, Status, "status", shown, f"{where}.status")
        if change.status
        else None
    )
    source = _choice(change.source, StatusSource, "source", shown, f"{where}.history")
    when = change.date or today
    if when > today:
        raise LetterError(shown, f"{when} is in the future", "give the date it happened", where)
    if status is None and change.due is None:
        raise LetterError(shown, "nothing to record", "give --status, or --due and --due-reason")
    if change.due and not change.due_reason:
        raise LetterError(shown, "a revised due date needs a reason", "add --due-reason", where)
    index = ids.index(change.recommendation)
    before = meta.recommendations[index]
    if status is not None and before.history and when < before.history[-1].date:
        raise LetterError(
            shown,
            f"{when} is before the last change recorded ({before.history[-1].date})",
            "record changes in the order they happened",
            f"{where}.history",
        )
    entry: dict[str, Any] = {"date": when, "status": status, "source": source}
    if change.note:
        entry["note"] = change.note
    new_text = edit(text, index, entry if status else None, change.due, change.due_reason)
    expected = meta.model_dump()
    rec = expected["recommendations"][index]
    if status:
        rec["status"] = status
        rec["history"] = [*rec.get("history", []), _entry_model(entry)]
    if change.due:
        rec["due"], rec["due_reason"] = change.due, change.due_reason
    try:
        wanted = LetterMeta.model_validate(expected)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise LetterError(shown, message, "check the date and the status", where) from None
    try:
        after = _valid(yamlio.loads(new_text, shown))
    except LetterError:
        after = None
    if after is None or after.model_dump() != wanted.model_dump():
        raise LetterError(  # the edit would change something else too, or break the file
            shown, "could not be edited safely", "make this change by hand, then run letters check"
        )
    safefs.write_text(path, new_text, letters)
    after_status = status or before.status
    return Recorded(
        letter_id, change.recommendation, before.status, after_status, when, path, change.due
    )


def letter_id_of(reference: str) -> str:
    """'walsall/2021-11' from an id, a path (letters/walsall/2021-11/letter.yml) or an address."""
    cleaned = reference.strip().split("?")[0].split("#")[0]
    cleaned = re.sub(r"/(letter\.(yml|md|pdf)|index\.html)$", "", cleaned)
    match = LETTER_REF.search(cleaned)
    if not match or not LETTER_ID.match(match.group("id")):
        raise LetterError(
            reference,
            "does not name a letter",
            "give the letter as <council>/<yyyy-mm>, e.g. walsall/2021-11, or its page address",
        )
    return match.group("id")


def _known(letters: Path, letter_id: str) -> str:
    known = sorted(p.parent.relative_to(letters).as_posix() for p in letters.glob("*/*/letter.yml"))
    hint = did_you_mean(letter_id, known)
    return f"check the council and month{hint.replace('; ', ': ') if hint else ''}"


def _valid(data: Any) -> LetterMeta | None:
    try:
        return LetterMeta.model_validate(data)
    except (ValidationError, ValueError):
        return None


def _choice(value: str, kind: type[StrEnum], noun: str, shown: str, field: str) -> str:
    """value, when it is one of kind's values; else an error naming the field and the choices."""
    choices = [c.value for c in kind]
    if value not in choices:
        raise LetterError(
            shown,
            f"'{value}' is not a {noun}{did_you_mean(value, choices)}",
            f"use one of {', '.join(choices)}",
            field,
        )
    return value


def _entry_model(entry: dict[str, Any]) -> dict[str, Any]:
    return {"note": None, **entry}


# --- editing the text -----------------------------------------------------------------------


def edit(
    text: str,
    index: int,
    entry: dict[str, Any] | None,
    due: dt.date | None = None,
    due_reason: str | None = None,
) -> str:
    """letter.yml with recommendation `index` changed, every other line as it was.

    The round-trip parser gives the line and column of each key; values are written by the
    project's YAML writer (yamlio.dump) and indented to fit.
    """
    parser = YAML(typ="rt")
    document = parser.load(text)
    recommendations = document["recommendations"]
    rec = recommendations[index]
    if not isinstance(rec, CommentedMap) or not isinstance(recommendations, CommentedSeq):
        raise ValueError("recommendations must be a list of mappings")
    lines = text.splitlines(keepends=True)
    column = rec.lc.col  # where the recommendation's keys start
    end = _end_of_item(lines, recommendations, index, column)
    edits: list[tuple[int, int, list[str]]] = []  # (first line, lines replaced, new lines)
    if entry and "status" not in rec:  # open by default: write the status, then its history
        block = yamlio.dump({"status": entry["status"], "history": [entry]})
        edits.append((end, 0, _indented(block, column)))
    elif entry:
        edits.append(_set_scalar(lines, rec, "status", entry["status"], column, end))
        if "history" in rec:
            history_end = _end_of_key(lines, rec, "history", column, end)
            edits.append((history_end, 0, _indented(yamlio.dump([entry]), column + 2)))
        else:
            after = _end_of_key(lines, rec, "status", column, end)
            edits.append((after, 0, _indented(yamlio.dump({"history": [entry]}), column)))
    if due:
        added = {}
        for key, value in (("due", due), ("due_reason", due_reason)):
            if key in rec:
                edits.append(_set_scalar(lines, rec, key, value, column, end))
            else:
                added[key] = value
        if added:
            edits.append((end, 0, _indented(yamlio.dump(added), column)))
    for first, count, new in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[first : first + count] = new
    return "".join(lines)


def _set_scalar(
    lines: list[str], rec: CommentedMap, key: str, value: Any, column: int, end: int
) -> tuple[int, int, list[str]]:
    """Replace the value of a key that the recommendation has, in place."""
    first = rec.lc.key(key)[0]
    new = _indented(yamlio.dump({key: value}), column)
    return first, _end_of_key(lines, rec, key, column, end) - first, new


def _indented(block: str, column: int) -> list[str]:
    pad = " " * column
    return [pad + line if line.strip() else line for line in block.splitlines(keepends=True)]


def _end_of_item(lines: list[str], seq: CommentedSeq, index: int, column: int) -> int:
    """The line after the last line of the recommendation (comments before the next kept)."""
    if index + 1 < len(seq):
        limit = seq.lc.item(index + 1)[0]
    else:
        limit = next(
            (
                n
                for n in range(seq.lc.item(index)[0] + 1, len(lines))
                if _outdented(lines[n], column)
            ),
            len(lines),
        )
    return _back_over_blanks(lines, limit)


def _end_of_key(lines: list[str], rec: CommentedMap, key: str, column: int, end: int) -> int:
    keys = list(rec)
    position = keys.index(key)
    limit = rec.lc.key(keys[position + 1])[0] if position + 1 < len(keys) else end
    return max(_back_over_blanks(lines, limit), rec.lc.key(key)[0] + 1)


def _outdented(line: str, column: int) -> bool:
    stripped = line.lstrip(" ")
    if not stripped.strip() or stripped.startswith("#"):
        return False
    indent = len(line) - len(stripped)
    return indent < column - 2 or (indent == column - 2 and not stripped.startswith("- "))


def _back_over_blanks(lines: list[str], limit: int) -> int:
    while limit > 0 and (not lines[limit - 1].strip() or lines[limit - 1].lstrip().startswith("#")):
        limit -= 1
    return limit


# --- what falls due -------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    letter: str
    recommendation: str
    status: str
    due: dt.date
    due_reason: str | None
    days: int  # negative when overdue
    text: str

    def as_json(self) -> dict[str, Any]:
        return {
            "letter": self.letter,
            "recommendation": self.recommendation,
            "status": self.status,
            "due": self.due.isoformat(),
            "due_reason": self.due_reason,
            "days": self.days,
            "overdue": self.days < 0,
            "text": self.text,
        }


def falling_due(loaded: catalogue.Catalogue, until: dt.date, today: dt.date) -> list[Due]:
    """Open and in-progress recommendations due on or before `until`, soonest first: the same
    clocks as the site's follow-up page."""
    found = []
    for letter in loaded.letters:
        for clock in clocks(letter.meta):
            when = clock.due
            if clock.state(today) not in OPEN_STATES or when is None or when > until:
                continue
            rec = clock.recommendation
            found.append(
                Due(
                    letter.id,
                    rec.id,
                    clock.status,
                    when,
                    clock.due_reason,
                    (when - today).days,
                    rec.text,
                )
            )
    return sorted(found, key=lambda d: (d.due, d.letter, int(d.recommendation[1:])))


def horizon(within: str, today: dt.date) -> dt.date:
    """'60d', '8w' or '3m' after today."""
    match = WITHIN.match(within.strip())
    if not match:
        raise click.BadParameter(
            f"'{within}' is not a period like 60d, 8w or 3m", param_hint="--within"
        )
    n, unit = int(match.group("n")), match.group("unit")
    if unit == "m":
        return today + relativedelta(months=n)
    return today + dt.timedelta(days=n * (7 if unit == "w" else 1))


# --- the commands ---------------------------------------------------------------------------


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2025-06-13") from None


@click.command(name="progress")
@click.argument("letter")
@click.argument("recommendation")
@click.option("--status", help="open, in-progress, done or dropped.")
@click.option("--note", help="What happened, in a sentence; shown on the follow-up page.")
@click.option("--date", "when", callback=_parse_date, help="When it happened (default: today).")
@click.option(
    "--source",
    default=StatusSource.COORDINATOR.value,
    show_default=True,
    help="progress-review, action-plan or coordinator: where the status was learnt.",
)
@click.option("--due", callback=_parse_date, help="A revised due date (YYYY-MM-DD).")
@click.option("--due-reason", help="Why the due date was revised (needed with --due).")
@click.pass_context
def progress_command(
    ctx: click.Context,
    letter: str,
    recommendation: str,
    status: str | None,
    note: str | None,
    when: dt.date | None,
    source: str,
    due: dt.date | None,
    due_reason: str | None,
) -> None:
    """Record progress on RECOMMENDATION (R3) of LETTER (walsall/2021-11) in its letter.yml.

    \b
    letters progress walsall/2021-11 R3 --status done --note "Reported done at the June board"
    letters progress walsall/2021-11 R5 --due 2023-03-31 --due-reason "Moved by the action plan"
    """
    root = find_root(ctx.obj)
    change = Progress(letter, recommendation, status, note, when, source, due, due_reason)
    click.echo(str(record(root, change)))


@click.command(name="due")
@click.option("--within", default="60d", show_default=True, help="How far ahead: 60d, 8w or 3m.")
@click.option("--on", "today", callback=_parse_date, help="Count from this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def due_command(ctx: click.Context, within: str, today: dt.date | None, as_json: bool) -> None:
    """List open recommendations that are overdue or fall due within a period."""
    today = today or dt.date.today()
    until = horizon(within, today)
    loaded = catalogue.load(find_root(ctx.obj), draft=True)  # a draft's clock runs too
    if loaded.errors:
        click.echo("warning: some letters could not be read; run `letters check`", err=True)
    found = falling_due(loaded, until, today)
    if as_json:
        click.echo(json.dumps([d.as_json() for d in found], indent=2, ensure_ascii=False))
        return
    for d in found:
        when = f"overdue by {-d.days} days" if d.days < 0 else f"due in {d.days} days"
        click.echo(f"{d.letter:28} {d.recommendation:4} {d.status:11} {d.due}  {when}")
    overdue = sum(1 for d in found if d.days < 0)
    click.echo(f"{len(found)} recommendations due by {until}: {overdue} overdue", err=True)


# --- the issue form -------------------------------------------------------------------------

FORM_FIELDS = {  # the issue form's labels (.github/ISSUE_TEMPLATE/record-progress.yml)
    "Letter": "letter",
    "Recommendation": "recommendation",
    "Status": "status",
    "Date": "date",
    "Where the status comes from": "source",
    "Note": "note",
}
NO_RESPONSE = "_No response_"


def parse_issue_form(body: str) -> Progress:
    """The fields of an issue made with the form, as GitHub writes them ('### Label' + value)."""
    values: dict[str, str] = {}
    for section in re.split(r"^### ", body.replace("\r\n", "\n"), flags=re.MULTILINE)[1:]:
        label, _, value = section.partition("\n")
        key = FORM_FIELDS.get(label.strip())
        if key and value.strip() and value.strip() != NO_RESPONSE:
            values[key] = value.strip()
    missing = [label for label, key in FORM_FIELDS.items() if key in REQUIRED and key not in values]
    if missing:
        raise LetterError("the issue", f"does not give {', '.join(missing)}", "edit the issue")
    date = None
    if "date" in values:
        try:
            date = dt.date.fromisoformat(values["date"])
        except ValueError:
            raise LetterError(
                "the issue", f"'{values['date']}' is not a date", "write it as 2025-06-13", "Date"
            ) from None
    return Progress(
        letter=values["letter"],
        recommendation=values["recommendation"].upper(),
        status=values["status"],
        note=values.get("note"),
        date=date,
        source=values.get("source", StatusSource.COORDINATOR.value),
    )


REQUIRED = {"letter", "recommendation", "status"}


def from_issue(argv: Sequence[str] | None = None) -> int:
    """`python -m finalletters.followup from-issue`: ISSUE_BODY → letter.yml; prints the change."""
    try:
        change = parse_issue_form(os.environ.get("ISSUE_BODY", ""))
        done = record(find_root(None), change)
    except LetterError as exc:
        print(f"error: {exc.detail.file}: {exc.detail.problem}\ntip: {exc.detail.tip}")
        return 1
    print(done)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["from-issue"]:
        sys.exit("usage: python -m finalletters.followup from-issue  (reads ISSUE_BODY)")
    sys.exit(from_issue(sys.argv[2:]))
