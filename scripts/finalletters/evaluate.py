"""`letters evaluate`: how far to trust what `letters inspect` proposes, field by field.

Each document's PDF is read as `inspect` reads it, and what it proposes is compared with
metadata a person reviewed: every letter's letter.yml in the repository, or a labels file
(`--labels FILE`; its schema is letters/labels.schema.json, model.Labels). For each field it
counts true positives, false positives and false negatives and gives precision, recall and
F1, per theme too, and lists the confusions: themes missed and added, wrong years and dates
with the sentence they were read from, reviewers and recommendations missed.

How things are matched:
- authority, year, visit (first and last day), letter_date: equal values. A value proposed
  where the truth has none is a false positive; a wrong value is a false positive and a
  false negative.
- themes: each (document, theme) pair; micro-averaged over documents.
- team: reviewers are paired by name (names compared without titles such as "Cllr" or
  post-nominals such as "OBE", case and punctuation; a pair needs a similarity of
  NAME_MATCH); a reviewer the truth names without a name pairs with an unpaired proposal
  of the same role and council. `team` counts pairs;
  `team (name, role, council)` counts pairs that also agree on role and council.
- recommendations: paired one to one, most similar first, when the Dice overlap of their words
  (2·shared / (words of one + words of the other), words of three letters or more, compared
  by stem: "tested" is "test") reaches
  RECOMMENDATION_MATCH, or one's words are nearly all in the other (CONTAINED). Listed and
  prose recommendations are also counted apart, by the truth's `listed`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from . import extract, lettermd, register, yamlio
from .analyse import Analysis, analyse
from .analyse.units import stem
from .errors import LetterError
from .model import LabelledMember, LabelledRecommendation, Labels, LetterMeta
from .paths import find_root

NAME_MATCH = 0.85
RECOMMENDATION_MATCH = 0.6
CONTAINED = 0.85
TITLES = re.compile(
    r"\b(?:cllr|councillor|dr|mr|mrs|ms|miss|mx|prof|professor|sir|dame|"
    r"obe|mbe|cbe|dbe|kbe|bem)\b\.?"
)
FIELDS = (
    "authority",
    "year",
    "visit",
    "letter_date",
    "themes",
    "team",
    "team (name, role, council)",
    "recommendations",
    "recommendations (listed)",
    "recommendations (prose)",
)


@dataclass(frozen=True)
class Truth:
    """What a person reviewed about one document."""

    id: str
    pdf: Path
    authority: str
    year: int | None
    visit: tuple[dt.date, dt.date] | None
    letter_date: dt.date | None
    themes: frozenset[str]
    team: tuple[LabelledMember, ...]
    recommendations: tuple[LabelledRecommendation, ...]
    split: str = ""
    genre: str = ""


@dataclass
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Count) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class Report:
    documents: int = 0
    fields: dict[str, Count] = field(default_factory=lambda: {name: Count() for name in FIELDS})
    themes: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    confusions: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self, details: bool = True) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "fields": {name: count.as_dict() for name, count in self.fields.items()},
            "themes": {tid: self.themes[tid].as_dict() for tid in sorted(self.themes)},
            **({"confusions": self.confusions} if details else {}),
        }


# --- comparing one document -------------------------------------------------------------------


def _exact(found: object, wanted: object) -> Count:
    if found is not None and found == wanted:
        return Count(tp=1)
    return Count(fp=int(found is not None), fn=int(wanted is not None))


def _name(text: str | None) -> str:
    return " ".join(re.findall(r"[a-z]+", TITLES.sub(" ", (text or "").lower())))


def pair_team(
    found: Sequence[LabelledMember], wanted: Sequence[LabelledMember]
) -> list[tuple[int, int]]:
    """(found index, wanted index) pairs: by name, most similar first, then nameless reviewers
    by role and council."""
    candidates = sorted(
        (
            (difflib.SequenceMatcher(None, _name(f.name), _name(w.name)).ratio(), i, j)
            for i, f in enumerate(found)
            for j, w in enumerate(wanted)
            if f.name and w.name
        ),
        reverse=True,
    )
    pairs = _one_to_one((i, j) for score, i, j in candidates if score >= NAME_MATCH)
    used_found, used_wanted = {i for i, _ in pairs}, {j for _, j in pairs}
    for j, w in enumerate(wanted):
        if w.name or j in used_wanted:
            continue
        i = next(
            (
                i
                for i, f in enumerate(found)
                if i not in used_found and (f.role, f.organisation) == (w.role, w.organisation)
            ),
            None,
        )
        if i is not None:
            pairs.append((i, j))
            used_found.add(i)
    return pairs


def _one_to_one(candidates: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    left: set[int] = set()
    right: set[int] = set()
    for i, j in candidates:
        if i not in left and j not in right:
            pairs.append((i, j))
            left.add(i)
            right.add(j)
    return pairs


def _words(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) >= 3}


def similarity(a: str, b: str) -> float:
    """How alike two recommendations are: their words' Dice overlap, or 1.0 when one's words
    are nearly all in the other (a recommendation quoted inside a longer sentence)."""
    x, y = _words(a), _words(b)
    if not x or not y:
        return 0.0
    shared = len(x & y)
    if shared / min(len(x), len(y)) >= CONTAINED and min(len(x), len(y)) >= 4:
        return 1.0
    return 2 * shared / (len(x) + len(y))


def pair_recommendations(found: Sequence[str], wanted: Sequence[str]) -> list[tuple[int, int]]:
    candidates = sorted(
        ((similarity(f, w), i, j) for i, f in enumerate(found) for j, w in enumerate(wanted)),
        reverse=True,
    )
    return _one_to_one((i, j) for score, i, j in candidates if score >= RECOMMENDATION_MATCH)


def compare(truth: Truth, analysis: Analysis, report: Report) -> None:
    """Add one document's counts and confusions to the report."""
    fields = report.fields
    confusion: dict[str, Any] = {"id": truth.id}
    visit = (
        (analysis.visit_start, analysis.visit_end)
        if analysis.visit_start and analysis.visit_end
        else None
    )
    for name, found, wanted in (
        ("authority", analysis.authority, truth.authority),
        ("year", analysis.year, truth.year),
        ("visit", visit, truth.visit),
        ("letter_date", analysis.letter_date, truth.letter_date),
    ):
        count = _exact(found, wanted)
        fields[name].add(count)
        if count.fp or count.fn:
            confusion[name] = {"found": _plain(found), "wanted": _plain(wanted)}
            evidence = analysis.year_evidence if name == "year" else None
            if evidence:
                confusion[name]["evidence"] = f"{evidence.text} ({evidence.where})"
    themes = set(analysis.theme_ids)
    for tid in themes | truth.themes:
        count = Count(
            tp=int(tid in themes and tid in truth.themes),
            fp=int(tid in themes and tid not in truth.themes),
            fn=int(tid not in themes and tid in truth.themes),
        )
        report.themes[tid].add(count)
        fields["themes"].add(count)
    if themes != truth.themes:
        confusion["themes"] = {
            "missed": sorted(truth.themes - themes),
            "added": sorted(themes - truth.themes),
        }
    _compare_team(truth, analysis, fields, confusion)
    _compare_recommendations(truth, analysis, fields, confusion)
    report.documents += 1
    if len(confusion) > 1:
        report.confusions.append(confusion)


def _compare_team(
    truth: Truth, analysis: Analysis, fields: dict[str, Count], confusion: dict[str, Any]
) -> None:
    found = [LabelledMember.model_construct(**vars_of(m)) for m in analysis.team]
    pairs = pair_team(found, truth.team)
    full = [
        (i, j)
        for i, j in pairs
        if (found[i].role, found[i].organisation)
        == (truth.team[j].role, truth.team[j].organisation)
    ]
    fields["team"].add(Count(len(pairs), len(found) - len(pairs), len(truth.team) - len(pairs)))
    fields["team (name, role, council)"].add(
        Count(len(full), len(found) - len(full), len(truth.team) - len(full))
    )
    paired_found, paired_wanted = {i for i, _ in pairs}, {j for _, j in pairs}
    wrong = [
        {"found": _member(found[i]), "wanted": _member(truth.team[j])}
        for i, j in pairs
        if (i, j) not in full
    ]
    missed = [_member(m) for j, m in enumerate(truth.team) if j not in paired_wanted]
    added = [_member(m) for i, m in enumerate(found) if i not in paired_found]
    if missed or added or wrong:
        confusion["team"] = {"missed": missed, "added": added, "wrong": wrong}


def _compare_recommendations(
    truth: Truth, analysis: Analysis, fields: dict[str, Count], confusion: dict[str, Any]
) -> None:
    found = analysis.recommendations
    wanted = truth.recommendations
    pairs = pair_recommendations([r.text for r in found], [r.text for r in wanted])
    fields["recommendations"].add(
        Count(len(pairs), len(found) - len(pairs), len(wanted) - len(pairs))
    )
    paired_found, paired_wanted = {i for i, _ in pairs}, {j for _, j in pairs}
    for listed, name in ((True, "recommendations (listed)"), (False, "recommendations (prose)")):
        tp = sum(1 for _, j in pairs if wanted[j].listed is listed)
        fn = sum(1 for j, r in enumerate(wanted) if r.listed is listed and j not in paired_wanted)
        fp = sum(1 for i, r in enumerate(found) if r.listed is listed and i not in paired_found)
        fields[name].add(Count(tp, fp, fn))
    missed = [r.text for j, r in enumerate(wanted) if j not in paired_wanted]
    added = [r.text for i, r in enumerate(found) if i not in paired_found]
    if missed or added:
        confusion["recommendations"] = {"missed": missed, "added": added}


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def _member(member: LabelledMember) -> str:
    return f"{member.role}: {member.name or '?'}, {member.organisation or '?'}"


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


# --- sources of truth -------------------------------------------------------------------------


def repository_truths(root: Path, reference: register.Reference) -> list[Truth]:
    """Every letter in the repository, with its letter.yml as the truth (a reviewer's
    organisation counts only when it is a council of the register)."""
    truths = []
    letters = root / "letters"
    for yml in sorted(letters.glob("*/*/letter.yml")):
        folder = yml.parent
        if folder.is_symlink() or yml.is_symlink():
            continue
        shown = yml.relative_to(root).as_posix()
        try:
            meta = LetterMeta.model_validate(yamlio.load(yml, shown))
        except ValidationError as exc:
            raise LetterError(shown, exc.errors()[0]["msg"], "run `letters check`") from None
        truths.append(
            Truth(
                id=folder.relative_to(letters).as_posix(),
                pdf=folder / "letter.pdf",
                authority=meta.authority,
                year=meta.year,
                visit=(meta.visit.start, meta.visit.end) if meta.visit else None,
                letter_date=meta.letter_date,
                themes=frozenset(meta.themes),
                team=tuple(
                    LabelledMember(
                        role=m.role,
                        name=m.name,
                        organisation=m.organisation
                        if m.organisation in reference.authorities
                        else None,
                    )
                    for m in meta.team
                ),
                recommendations=tuple(
                    LabelledRecommendation(text=r.text, listed=r.listed)
                    for r in meta.recommendations
                ),
                genre="final-letter",
            )
        )
    return truths


def load_labels(path: Path, split: str | None = None) -> list[Truth]:
    """The documents of a labels file (those of one split, if given)."""
    if not path.is_file():
        raise LetterError(path, "does not exist", "give the path of a labels file")
    try:
        labels = Labels.model_validate(yamlio.load(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LetterError(
            path, first["msg"], "see letters/labels.schema.json for the format", where
        ) from None
    base = path.parent.resolve()
    truths = []
    for document in labels.documents:
        if split and document.split != split:
            continue
        pdf = base / document.file
        if pdf.is_symlink() or not pdf.resolve().is_relative_to(base):
            raise LetterError(
                path,
                f"{document.file} leaves the labels file's folder",
                "give a path inside it",
                f"documents.{document.id}.file",
            )
        truths.append(
            Truth(
                id=document.id,
                pdf=pdf,
                authority=document.authority,
                year=document.year,
                visit=(document.visit.start, document.visit.end) if document.visit else None,
                letter_date=document.letter_date,
                themes=frozenset(document.themes),
                team=tuple(document.team),
                recommendations=tuple(document.recommendations),
                split=document.split,
                genre=document.genre,
            )
        )
    return truths


def inspect_pdf(pdf: Path, reference: register.Reference) -> Analysis:
    """What `letters inspect` proposes for a PDF."""
    if not pdf.is_file():
        raise LetterError(pdf, "does not exist", "check the labels file's `file`")
    extracted = extract.extract(pdf.read_bytes(), str(pdf))
    return analyse(lettermd.to_markdown(extracted.blocks), reference)


def evaluate(truths: Iterable[Truth], reference: register.Reference) -> Report:
    report = Report()
    for truth in truths:
        compare(truth, inspect_pdf(truth.pdf, reference), report)
    return report


# --- the command ------------------------------------------------------------------------------


def table(report: Report, details: bool = True) -> str:
    """The report as text: fields, themes, then (with details) each document's confusions."""
    lines = [f"{report.documents} documents", ""]
    lines += _rows("field", [(name, report.fields[name]) for name in FIELDS])
    lines += ["", *_rows("theme", sorted(report.themes.items()))]
    if details and report.confusions:
        lines += ["", "confusions:"]
        for confusion in report.confusions:
            lines.append(f"  {confusion['id']}")
            for name, value in confusion.items():
                if name != "id":
                    lines.append(f"    {name}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _rows(title: str, counts: Sequence[tuple[str, Count]]) -> list[str]:
    width = max([len(title), *(len(name) for name, _ in counts)])
    head = f"{title:<{width}}  {'tp':>4} {'fp':>4} {'fn':>4}  precision  recall     F1"
    rows = [head, "-" * len(head)]
    for name, count in counts:
        cells = [_percent(count.precision), _percent(count.recall), _percent(count.f1)]
        rows.append(
            f"{name:<{width}}  {count.tp:>4} {count.fp:>4} {count.fn:>4}  "
            f"{cells[0]:>9}  {cells[1]:>6} {cells[2]:>6}"
        )
    return rows


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


@click.command(name="evaluate")
@click.option(
    "--labels",
    "labels_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A labels file (see letters/labels.schema.json); default: the repository's letters.",
)
@click.option("--split", type=click.Choice(["dev", "test"]), help="Only this half of the labels.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--totals", is_flag=True, help="Leave out each document's confusions.")
@click.pass_context
def evaluate_command(
    ctx: click.Context, labels_file: Path | None, split: str | None, as_json: bool, totals: bool
) -> None:
    """Compare what `inspect` proposes with reviewed metadata, field by field."""
    root = find_root(ctx.obj)
    reference = register.load(root / "letters")
    if labels_file is None and split:
        raise click.UsageError("--split needs --labels: the repository's letters have no halves")
    truths = load_labels(labels_file, split) if labels_file else repository_truths(root, reference)
    if not truths:
        raise LetterError(labels_file or root / "letters", "has no documents to evaluate")
    report = evaluate(truths, reference)
    if as_json:
        click.echo(json.dumps(report.as_dict(not totals), indent=2, ensure_ascii=False))
    else:
        click.echo(table(report, not totals), nl=False)
