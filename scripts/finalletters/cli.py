"""The `letters` command: coordinators' tools for adding, reading and checking letters.

The library raises LetterError; this module formats it, prints `error:` and a `tip:` on stderr,
and exits 1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from . import __version__, catalogue, cqc, extract, lettermd, pdfworker, register, safefs, yamlio
from .analyse import Analysis, Evidence, analyse
from .errors import LetterError, Problem, Severity, did_you_mean
from .evaluate import evaluate_command
from .followup import due_command, progress_command
from .model import LetterMeta, json_schema, labels_json_schema
from .paths import LABELS_SCHEMA_FILE, SCHEMA_FILE, find_root
from .search import search_command
from .tools.bench import bench_command


class Context:
    def __init__(self, root: Path | None) -> None:
        self.root = find_root(root)
        self._reference: register.Reference | None = None

    @property
    def reference(self) -> register.Reference:
        if self._reference is None:
            self._reference = register.load(self.root / "letters")
        return self._reference


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="letters")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The repository (default: found from the current folder).",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """Add, read and check peer challenge Final Letters."""
    ctx.obj = root


def _context(ctx: click.Context) -> Context:
    return Context(ctx.obj)


# --- inspect --------------------------------------------------------------------------------


def _read_pdf(path: Path) -> tuple[bytes, lettermd.Extracted]:
    """A PDF named on the command line (a link the coordinator made is theirs: followed), read
    within the budget."""
    real = Path(os.path.realpath(path))
    data = safefs.read_bytes(real, extract.MAX_BYTES, str(path), extract.SIZE_TIP)
    return data, pdfworker.reader().extract(data, str(path))


def analysis_json(analysis: Analysis, reference: register.Reference, pages: int) -> dict[str, Any]:
    """What `inspect --json` prints: the keys documented in the README."""
    authority = reference.authorities.get(analysis.authority or "")
    visit = (
        {"start": analysis.visit_start.isoformat(), "end": analysis.visit_end.isoformat()}
        if analysis.visit_start and analysis.visit_end
        else None
    )
    return {
        "authority": (
            {"slug": authority.slug, "name": authority.name, "gss": authority.gss}
            if authority
            else None
        ),
        "authority_evidence": _evidence(analysis.authority_evidence),
        "authority_mentions": analysis.authority_mentions,
        "year": analysis.year,
        "year_evidence": (
            {**_evidence(analysis.year_evidence), "rule": analysis.year_rule}
            if analysis.year_evidence
            else None
        ),
        "visit": visit,
        "visit_month": analysis.visit_month,
        "letter_date": analysis.letter_date.isoformat() if analysis.letter_date else None,
        "letter_month": analysis.letter_month,
        "dates": [
            {
                "role": d.role,
                "precision": d.precision,
                "start": d.start.isoformat() if d.precision == "day" else None,
                "end": d.end.isoformat() if d.precision == "day" else None,
                "month": d.month if d.precision != "year" else None,
                "year": d.year,
                **_evidence(d.evidence),
            }
            for d in analysis.dates
        ],
        "pages": pages,
        "team": [vars_of(member) for member in analysis.team],
        "sections": [vars_of(section) for section in analysis.sections],
        "recommendations": [
            {
                "text": r.text,
                "themes": list(r.themes),
                "where": r.where,
                "listed": r.listed,
                "number": r.number,
            }
            for r in analysis.recommendations
        ],
        "themes": [
            {
                "id": t.id,
                "score": t.score,
                "sentences": t.sentences,
                "reason": t.reason,
                "evidence": [_evidence(e) for e in t.evidence],
            }
            for t in analysis.themes
        ],
        "warnings": [{"field": w.field, "message": w.message} for w in analysis.warnings],
    }


def _evidence(evidence: Evidence | None) -> dict[str, str]:
    return {"text": evidence.text, "where": evidence.where} if evidence else {}


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


@cli.command()
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a summary.")
@click.pass_context
def inspect(ctx: click.Context, pdf: Path, as_json: bool) -> None:
    """Show what would be recorded for PDF, without writing anything."""
    context = _context(ctx)
    _, extracted = _read_pdf(pdf)
    analysis = analyse(lettermd.to_markdown(extracted.blocks), context.reference)
    result = analysis_json(analysis, context.reference, extracted.pages)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    _summary(result)


def _summary(result: dict[str, Any]) -> None:
    authority = result["authority"]
    click.echo(f"council:      {authority['name'] if authority else 'not found'}")
    visit = result["visit"]
    shown = visit["start"] + " to " + visit["end"] if visit else result["visit_month"]
    click.echo(f"visit:        {shown or 'not found'}")
    click.echo(f"letter date:  {result['letter_date'] or result['letter_month'] or 'not found'}")
    rule = f" (from the {result['year_evidence']['rule']})" if result["year_evidence"] else ""
    click.echo(f"year:         {result['year'] or 'not found'}{rule}")
    click.echo(f"pages:        {result['pages']}")
    click.echo(f"team:         {len(result['team'])} people")
    for member in result["team"]:
        click.echo(
            f"  - {member['role']}: {member['name'] or '?'}, {member['organisation'] or '?'}"
        )
    click.echo(f"themes:       {', '.join(t['id'] for t in result['themes']) or 'none'}")
    for theme in result["themes"]:
        click.echo(f"  - {theme['id']}: {theme['reason']}")
    click.echo(f"recommendations: {len(result['recommendations'])}")
    for recommendation in result["recommendations"]:
        mark = (
            f"{recommendation['number']}."
            if recommendation["number"]
            else ("-" if recommendation["listed"] else "~")
        )
        click.echo(f"  {mark} {recommendation['text'][:110]}")
    for warning in result["warnings"]:
        click.echo(f"warning: {warning['field']}: {warning['message']}", err=True)


# --- add ------------------------------------------------------------------------------------


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2023-06-13") from None


@cli.command()
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--authority", help="The council's slug from letters/authorities.yml.")
@click.option("--visit-start", callback=_parse_date, help="First day of the visit (YYYY-MM-DD).")
@click.option("--visit-end", callback=_parse_date, help="Last day of the visit (YYYY-MM-DD).")
@click.pass_context
def add(
    ctx: click.Context,
    pdf: Path,
    authority: str | None,
    visit_start: dt.date | None,
    visit_end: dt.date | None,
) -> None:
    """Add PDF as a new letter: its folder, letter.pdf, letter.md and a proposed letter.yml."""
    context = _context(ctx)
    reference = context.reference
    data, extracted = _read_pdf(pdf)
    digest = extract.sha256(data)
    _refuse_same_pdf(context.root, digest)
    body = lettermd.to_markdown(extracted.blocks)
    analysis = analyse(body, reference)
    meta = propose_meta(analysis, reference, authority, visit_start, visit_end, pdf)
    month = folder_month(meta)
    if month is None:  # propose_meta refuses a letter with no date
        raise LetterError(pdf, "gives no date to name its folder by", "give --visit-start")
    letters_dir = context.root / "letters"
    folder = safefs.inside(letters_dir / meta.authority / month, letters_dir)
    if folder.exists() or folder.is_symlink():
        raise LetterError(
            folder.relative_to(context.root),
            "already exists",
            "a letter is never overwritten; correct that folder by hand, or give "
            "--visit-start if this is another visit",
        )
    with _staged(folder) as staging:
        safefs.write_bytes(staging / "letter.pdf", data, letters_dir)
        safefs.write_text(staging / "letter.md", lettermd.letter_md(extracted, digest), letters_dir)
        safefs.write_text(staging / "letter.yml", letter_yml(meta), letters_dir)
    shown = folder.relative_to(context.root).as_posix()
    click.echo(f"added {shown}/ (letter.pdf, letter.md, letter.yml)")
    click.echo("Review these proposed fields in letter.yml, then remove them from 'inferred':")
    for name, reasons in meta.inferred.items():
        click.echo(f"  - {name}")
        for reason in reasons:
            click.echo(f"      warning: {reason}")
    for weak in analysis.warnings:
        if weak.field not in meta.inferred:
            click.echo(f"warning: {weak}", err=True)
    click.echo(f"Then run: letters check {shown}")


def folder_month(meta: LetterMeta) -> str | None:
    """The folder's yyyy-mm: the visit's first day, else the letter's date (as `letters check`
    wants it), else the visit's month, else the document's."""
    when = meta.visit.start if meta.visit else meta.letter_date
    return f"{when:%Y-%m}" if when else meta.visit_month or meta.letter_month


def propose_meta(
    analysis: Analysis,
    reference: register.Reference,
    authority: str | None,
    visit_start: dt.date | None,
    visit_end: dt.date | None,
    pdf: Path,
) -> LetterMeta:
    """letter.yml as `add` proposes it: what the coordinator gave, else what was read, with
    the fields it read listed under `inferred` beside the warnings about them."""
    inferred: dict[str, list[str]] = {}
    if authority is None:
        authority = analysis.authority
        inferred["authority"] = []
        if authority is None:
            raise LetterError(
                pdf,
                "names no council that the letter could be about",
                "give the council with --authority SLUG",
            )
    elif authority not in reference.authorities:
        raise LetterError(
            pdf,
            f"'{authority}' is not in letters/authorities.yml"
            f"{did_you_mean(authority, set(reference.authorities))}",
            "use a slug from letters/authorities.yml",
            "--authority",
        )
    start = visit_start or analysis.visit_start
    end = visit_end or (analysis.visit_end if not visit_start else None) or start
    visit_month = None if start else analysis.visit_month
    if start and not visit_start:
        inferred["visit"] = []
    if visit_month:
        inferred["visit_month"] = []
    letter_month = None if analysis.letter_date else analysis.letter_month
    if not (start or visit_month or analysis.letter_date or letter_month):
        raise LetterError(
            pdf,
            "gives no visit dates or letter date that could be read",
            "give the first day of the visit with --visit-start YYYY-MM-DD",
        )
    data: dict[str, Any] = {
        "authority": authority,
        "visit": {"start": start, "end": end} if start else None,
        "visit_month": visit_month,
        "letter_date": analysis.letter_date,
        "letter_month": letter_month,
        "sample": False,
        "team": [vars_of(m) for m in analysis.team],
        "themes": analysis.theme_ids,
        "proposed_themes": analysis.theme_ids,
        "recommendations": [
            {
                "id": f"R{n}",
                "text": r.text,
                "listed": r.listed,
                "number": r.number if r.number and NUMBER.match(r.number) else None,
                "themes": list(r.themes),
            }
            for n, r in enumerate(analysis.recommendations, start=1)
        ],
    }
    for name in ("letter_date", "letter_month"):
        if data[name]:
            inferred[name] = []
    inferred.update((name, []) for name in ("team", "themes", "recommendations") if data[name])
    for warning in analysis.warnings:
        # The year is no field of letter.yml: its warnings go with the dates it rests on.
        names = DATE_FIELDS if warning.field == "year" else (warning.field,)
        target = next((name for name in names if name in inferred), None)
        if target:
            inferred[target].append(warning.message)
    data["inferred"] = inferred
    try:
        return LetterMeta.model_validate(data)
    except ValidationError as exc:
        raise LetterError(
            pdf,
            f"the dates read from it do not fit together: {exc.errors()[0]['msg']}",
            "give them with --visit-start and --visit-end",
        ) from None


NUMBER = re.compile(r"^[0-9A-Za-z.]{1,12}$")  # as model.Recommendation.number allows
DATE_FIELDS = ("visit", "visit_month", "letter_date", "letter_month")


def letter_yml(meta: LetterMeta) -> str:
    header = (
        "# Metadata for this Final Letter. Fields listed under 'inferred' were proposed by\n"
        "# `letters add` from the text, some with warnings about what they rest on: check each\n"
        "# one, correct it, and remove its name (and its warnings) from 'inferred'.\n"
        "# The schema: letters/letter.schema.json. No command overwrites this file.\n"
    )
    data = meta.model_dump(mode="json", exclude_defaults=False)
    for name in ("visit_month", "letter_month"):
        if data[name] is None:
            del data[name]  # kept out of the way unless the text gives only a month
    return header + yamlio.dump(data)


def _refuse_same_pdf(root: Path, digest: str) -> None:
    for folder in catalogue.letter_folders(root / "letters").folders:
        existing = folder / "letter.pdf"
        try:
            data = safefs.read_bytes(existing, extract.MAX_BYTES)
        except LetterError:
            continue  # missing, a link, too big: `letters check` reports it
        if extract.sha256(data) == digest:
            raise LetterError(
                existing.relative_to(root),
                "is the same PDF",
                "this letter is already in the repository",
            )


@contextmanager
def _staged(folder: Path) -> Iterator[Path]:
    """Write into a temporary folder beside the letter's (in the council's folder, checked to
    be no link) and move it into place only when all went well; a killed run leaves a
    `.adding-*` folder, which `letters check` names."""
    council = folder.parent
    made_council = not council.exists()
    council.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".adding-", dir=council))
    try:
        yield staging
        os.rename(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if made_council and not any(council.iterdir()):
            council.rmdir()


# --- check ----------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--draft", is_flag=True, help="Allow what publishing needs to be missing (warnings).")
@click.option(
    "--verify",
    is_flag=True,
    help="Also read every PDF again and compare it with letter.md: its text (unless marked "
    "edited) and its page count; attachments are opened too. Each PDF is read within the time, "
    "memory and page limits (FINAL_LETTERS_PDF_SECONDS, _MEMORY_MB, _PAGES).",
)
@click.pass_context
def check(ctx: click.Context, paths: Sequence[Path], draft: bool, verify: bool) -> None:
    """Check every letter, or those under PATHS (letter folders, council folders or files
    under letters/), and letters/cqc-assessments.yml; list every problem; exit 1 on any
    error, 0 otherwise.

    Without --verify, a PDF whose hash matches letter.md's front matter is checked by its bytes
    only (a PDF, within the size limit): fast enough for every build. With --verify each PDF is
    read again: CI runs `letters check --verify PATH...` on the letters a pull request adds or
    changes, and on all letters weekly.
    """
    context = _context(ctx)
    result = catalogue.load(context.root, list(paths), draft=draft, verify=verify)
    assessments = cqc.load(context.root / "letters", result.reference.authorities)
    problems = [*result.problems, *assessments.problems]
    for problem in sorted(problems, key=lambda p: (p.file, p.severity != Severity.ERROR)):
        click.echo(str(problem), err=True)
    schema = _schema_problem(context.root)
    errors = len(result.errors) + len(assessments.problems) + (1 if schema else 0)
    if schema:
        click.echo(str(schema), err=True)
    click.echo(
        f"checked {result.checked} letters: {errors} errors, {len(result.warnings)} warnings"
    )
    if errors:
        ctx.exit(1)


SCHEMAS = {SCHEMA_FILE: json_schema, cqc.SCHEMA_FILE: cqc.json_schema}


def _schema_problem(root: Path) -> Problem | None:
    for name, schema_of in SCHEMAS.items():
        try:
            published = json.loads(safefs.read_text(root / name, yamlio.MAX_BYTES, name))
        except LetterError as exc:
            return Problem(exc.detail.file, exc.detail.problem, "run `letters schema` to write it")
        except ValueError as exc:  # json.JSONDecodeError, or a number too long to read
            return Problem(name, f"is not JSON ({exc})", "run `letters schema` to write it")
        if published != schema_of():
            return Problem(name, "is not the schema of this version", "run `letters schema`")
    return None


@cli.command()
@click.pass_context
def schema(ctx: click.Context) -> None:
    """Write the JSON Schemas of letter.yml, cqc-assessments.yml and a labels file of
    `letters evaluate` from the code."""
    context = _context(ctx)
    for name, schema_of in {**SCHEMAS, LABELS_SCHEMA_FILE: labels_json_schema}.items():
        text = json.dumps(schema_of(), indent=2) + "\n"
        safefs.write_text(context.root / name, text, context.root / "letters")
        click.echo(f"wrote {name}")


# --- extract --------------------------------------------------------------------------------


@cli.command(name="extract")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--refresh", is_flag=True, help="Rewrite letter.md even where the PDF is unchanged.")
@click.pass_context
def extract_command(ctx: click.Context, paths: Sequence[Path], refresh: bool) -> None:
    """Write letter.md where the PDF changed; never touches letter.yml or an edited letter.md.

    Every letter under PATHS (default: all) is tried, whatever happens to one; each PDF is read
    within the time, memory and page limits (see `letters check --help`).
    """
    context = _context(ctx)
    letters_dir = context.root / "letters"
    found = catalogue.letter_folders(letters_dir, list(paths))
    for problem in found.problems:
        click.echo(str(problem), err=True)
    failed, written = 0, 0
    with click.progressbar(found.folders, label="Reading letters", file=sys.stderr) as progress:
        for folder in progress:
            try:
                written += refresh_text(folder, refresh, letters_dir)
            except LetterError as exc:
                failed += 1
                click.echo(f"\n{exc.detail}", err=True)
            except Exception as exc:  # one letter's fault must not stop the others
                failed += 1
                shown = folder.relative_to(context.root).as_posix()
                what = f"could not be read ({type(exc).__name__}: {exc})"
                click.echo(f"\nerror: {shown}: {what}", err=True)
    click.echo(
        f"wrote {written} letter.md files; {failed} failed; {len(found.folders)} letters"
        + (f"; {len(found.problems)} other problems" if found.problems else "")
    )
    if failed or found.problems:
        ctx.exit(1)


def refresh_text(folder: Path, refresh: bool, letters_dir: Path) -> bool:
    """Regenerate one letter.md when needed; True when written. Never writes through a link:
    letter.md is replaced by a new file (see safefs), and a link is refused."""
    pdf, md = folder / "letter.pdf", folder / "letter.md"
    shown = folder.relative_to(letters_dir.parent).as_posix()
    data = safefs.read_bytes(pdf, extract.MAX_BYTES, f"{shown}/letter.pdf", extract.SIZE_TIP)
    digest = extract.sha256(data)
    if md.exists() or md.is_symlink():
        text = safefs.read_text(md, catalogue.MAX_TEXT_BYTES, f"{shown}/letter.md")
        front, _ = lettermd.read_letter_md(text, f"{shown}/letter.md")
        if front.edited:
            return False
        if front.source_sha256 == digest and not refresh:
            return False
    text = lettermd.letter_md(pdfworker.reader().extract(data, f"{shown}/letter.pdf"), digest)
    for leftover in safefs.leftovers(folder, md.name):  # from a run that was killed
        leftover.unlink()
    safefs.write_text(md, text, letters_dir)
    return True


cli.add_command(search_command)
cli.add_command(bench_command)
cli.add_command(progress_command)
cli.add_command(due_command)
cli.add_command(evaluate_command)


# --- entry point ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (tests call this directly)."""
    try:
        code = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="letters",
            standalone_mode=False,
        )
    except LetterError as exc:
        problem = exc.detail
        where = f"{problem.file}: {problem.field}: " if problem.field else f"{problem.file}: "
        click.echo(f"error: {where}{problem.problem}", err=True)
        if problem.tip:
            click.echo(f"tip: {problem.tip}", err=True)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
