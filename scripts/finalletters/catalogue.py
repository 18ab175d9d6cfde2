"""Load and check every letter in the repository → one Catalogue.

`letters check`, CI and the site build all call `load`: what one accepts, the others accept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ValidationError

from . import extract, placeholders, register, yamlio
from .analyse import ThemeScore, theme_scores
from .errors import LetterError, Problem, Severity, did_you_mean
from .model import (
    CQC_QUALITY_STATEMENTS,
    LETTER_ID,
    ROLE_LABELS,
    WM_DOMAINS,
    Authority,
    FollowUp,
    LetterMeta,
    Recommendation,
    Role,
    Status,
    TeamMember,
    Theme,
    Visit,
)

LETTER_FILES = {"letter.pdf", "letter.md", "letter.yml", "action-plan.pdf", "progress-review.pdf"}
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
ROLE_MAILBOXES = re.compile(r"^(info|enquiries|contact|adult|adults|asc|social|care|peer|wm|admin)")
PHONE = re.compile(r"(?<![\d/])(?:\+44\s?7\d{3}|07\d{3})\s?\d{3}\s?\d{3}(?!\d)")


@dataclass(frozen=True, slots=True)
class PdfFile:
    """A PDF in a letter's folder, described without opening it."""

    name: str
    size: int
    pages: int | None = None
    sha256: str = ""


@dataclass
class Letter:
    """One Final Letter: its metadata, its text and the PDFs beside it."""

    id: str  # "<authority>/<yyyy-mm>", derived from the folder by `letter_id`
    folder: Path
    meta: LetterMeta
    authority: Authority
    body: str
    pdf: PdfFile
    attachments: dict[str, PdfFile]
    text_edited: bool
    reference: register.Reference = field(repr=False)

    @property
    def year(self) -> int:
        return self.meta.year or int(self.id[-7:-3])

    @property
    def month(self) -> str:
        return self.id[-7:]

    @property
    def title(self) -> str:
        if self.meta.title:
            return self.meta.title
        when = dt.date(int(self.month[:4]), int(self.month[5:]), 1).strftime("%B %Y")
        return f"Peer challenge: {self.authority.short_name}, {when}"

    @property
    def url(self) -> str:
        """The permanent site path, relative to the site root."""
        return f"letters/{self.id}/"

    @property
    def date(self) -> dt.date:
        """The date a feed or a sort uses: letter, else published, else visit, else the month."""
        meta = self.meta
        return (
            meta.letter_date
            or meta.published
            or (meta.visit.end if meta.visit else None)
            or dt.date(int(self.month[:4]), int(self.month[5:]), 1)
        )

    @cached_property
    def blocks(self) -> tuple[extract.Block, ...]:
        """The blocks of letter.md's body (headings, paragraphs, list items, table rows)."""
        return extract.read_blocks(self.body)

    @cached_property
    def theme_scores(self) -> list[ThemeScore]:
        """Themes with their evidence, recomputed from letter.md and the taxonomy (never stored)."""
        return theme_scores(self.blocks, self.reference)

    # --- What the site, the data files and the feeds say about a letter, said once here -----

    STATUS_LABELS: ClassVar[dict[Status, str]] = {
        Status.OPEN: "Open",
        Status.IN_PROGRESS: "In progress",
        Status.DONE: "Done",
        Status.DROPPED: "Dropped",
    }
    STATUS_ORDER: ClassVar[tuple[Status, ...]] = tuple(STATUS_LABELS)

    @property
    def label(self) -> str:
        """Walsall, June 2023: the council's short name and the month of the letter's id."""
        when = dt.date(int(self.month[:4]), int(self.month[5:]), 1).strftime("%B %Y")
        return f"{self.authority.short_name}, {when}"

    @property
    def themes(self) -> list[Theme]:
        """The letter's themes (letter.yml's `themes`), in the order letter.yml lists them."""
        return [self.reference.themes[t] for t in self.meta.themes]

    @property
    def cqc_statements(self) -> list[str]:
        """The CQC quality statements the letter's themes relate to, in the framework's order."""
        wanted = {key for theme in self.themes for key in theme.cqc}
        return [label for key, label in CQC_QUALITY_STATEMENTS.items() if key in wanted]

    @property
    def wm_domains(self) -> list[str]:
        """The West Midlands self-assessment domains the letter's themes relate to."""
        wanted = {key for theme in self.themes for key in theme.wm_domains}
        return [label for key, label in WM_DOMAINS.items() if key in wanted]

    @property
    def roles(self) -> list[str]:
        """The roles present in the review team, in the order the schema lists them."""
        present = {member.role for member in self.meta.team}
        return [ROLE_LABELS[role] for role in Role if role in present]

    @property
    def kind(self) -> str:
        """Sample or published, as the finder's filter names it."""
        return "Sample letter" if self.meta.sample else "Published letter"

    @cached_property
    def filter_values(self) -> dict[str, list[str]]:
        """The letter's value for each of the finder's filters (council, year, theme, CQC
        quality statement, self-assessment domain, team role, sample or published)."""
        return {
            "council": [self.authority.short_name],
            "year": [str(self.year)],
            "theme": [theme.label for theme in self.themes],
            "cqc": self.cqc_statements,
            "wm": self.wm_domains,
            "role": self.roles,
            "kind": [self.kind],
        }

    @property
    def updated(self) -> dt.date:
        """The last date the record of the letter changed, as far as the letter itself says."""
        meta = self.meta
        dates = [self.date, meta.published]
        if meta.follow_up:
            dates.append(meta.follow_up.review_date)
        return max(d for d in dates if d)

    @property
    def statuses_known(self) -> bool:
        """Whether anyone has recorded progress on the recommendations: until then every status
        is the default, open, and saying so would claim too much."""
        meta = self.meta
        return any(r.status is not Status.OPEN for r in meta.recommendations) or bool(
            meta.follow_up and meta.follow_up.review_date
        )

    def status_label(self, recommendation: Recommendation) -> str:
        """The status as a reader sees it ("In progress"); empty while none is recorded."""
        return self.STATUS_LABELS[recommendation.status] if self.statuses_known else ""

    def status_counts(self) -> dict[Status, int]:
        """How many recommendations have each status, in the order open … dropped."""
        counts = Counter(r.status for r in self.meta.recommendations)
        return {status: counts[status] for status in self.STATUS_ORDER}

    @property
    def listed_recommendations(self) -> list[Recommendation]:
        """The recommendations the letter lists as such, in its order."""
        return [r for r in self.meta.recommendations if r.listed]

    @property
    def prose_recommendations(self) -> list[Recommendation]:
        """The recommendations drawn from advice in the letter's prose, not from its list."""
        return [r for r in self.meta.recommendations if not r.listed]

    @cached_property
    def placeholders(self) -> list[str]:
        """Template placeholders left in the text (`<<DATE>>`, `[Council name]`): see
        placeholders.py. The letter is published as sent; its page says so."""
        return placeholders.find(self.body)

    def pdf_page(self, block: int) -> int | None:
        """The page of the PDF that the n-th block (1-based) of letter.md is on, when letter.md
        records it; None when it does not."""
        if 1 <= block <= len(self.blocks):
            return self.blocks[block - 1].page or None
        return None


@dataclass
class Catalogue:
    """Every letter that loaded, and every problem found on the way."""

    root: Path
    reference: register.Reference
    letters: list[Letter]
    problems: list[Problem]
    checked: int = 0  # letter folders examined, including those that failed to load

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def by_authority(self) -> dict[str, list[Letter]]:
        return _group(self.letters, lambda letter: [letter.authority.slug])

    def by_theme(self) -> dict[str, list[Letter]]:
        return _group(self.letters, lambda letter: letter.meta.themes)

    def by_year(self) -> dict[int, list[Letter]]:
        return _group(self.letters, lambda letter: [letter.year])


def _group(letters: Iterable[Letter], keys) -> dict:
    groups: dict = defaultdict(list)
    for letter in letters:
        for key in keys(letter):
            groups[key].append(letter)
    return dict(groups)


def letter_id(folder: Path, letters_dir: Path) -> str:
    """The id a folder stands for ("walsall/2023-06"), or a LetterError if it is misplaced."""
    try:
        relative = folder.resolve().relative_to(letters_dir.resolve())
    except ValueError:
        raise LetterError(
            folder, f"is outside {letters_dir}", "letters live in letters/<authority>/<yyyy-mm>/"
        ) from None
    text = relative.as_posix()
    if not LETTER_ID.match(text):
        raise LetterError(
            folder,
            "is not a letter folder",
            "use letters/<authority-slug>/<yyyy-mm>/, e.g. letters/walsall/2023-06/",
        )
    return text


def letter_folders(letters_dir: Path, paths: Iterable[Path] = ()) -> list[Path]:
    """Folders to check: those holding letter.yml under the given paths (default: all)."""
    wanted = list(paths) or [letters_dir]
    folders: set[Path] = set()
    for path in wanted:
        if path.is_file():
            path = path.parent
        if (path / "letter.yml").exists() or (path / "letter.pdf").exists():
            folders.add(path)
        else:
            folders.update(p.parent for p in path.glob("*/*/letter.yml"))
            folders.update(p.parent for p in path.glob("*/letter.yml"))
    return sorted(folders)


def load(root: Path, paths: Sequence[Path] = ()) -> Catalogue:
    """Load the register, the taxonomy and every letter under root/letters; never raises for a
    single bad letter: its problems are collected and the rest go on."""
    letters_dir = root / "letters"
    reference = register.load(letters_dir)
    letters: list[Letter] = []
    problems: list[Problem] = []
    inside: list[Path] = []
    for path in paths:
        if path.resolve().is_relative_to(letters_dir.resolve()):
            inside.append(path)
        else:
            problems.append(
                Problem(str(path), f"is outside {letters_dir}", "check only paths under letters/")
            )
    if paths and not inside:
        return Catalogue(root, reference, [], problems)
    folders = letter_folders(letters_dir, inside)
    for folder in folders:
        letter, found = load_letter(folder, letters_dir, reference, root)
        problems.extend(found)
        if letter:
            letters.append(letter)
    problems.extend(_duplicates(letters, root))
    letters.sort(key=lambda letter: (letter.date, letter.id), reverse=True)
    return Catalogue(root, reference, letters, problems, len(folders))


def load_letter(
    folder: Path, letters_dir: Path, reference: register.Reference, root: Path
) -> tuple[Letter | None, list[Problem]]:
    """One letter and its problems; the letter is None when it cannot be shown."""
    shown = _display(folder, root)
    try:
        lid = letter_id(folder, letters_dir)
    except LetterError as exc:
        return None, [exc.detail]
    problems: list[Problem] = []
    meta = _meta(folder / "letter.yml", f"{shown}/letter.yml", problems)
    if meta is None:
        return None, problems
    problems.extend(_references(meta, lid, f"{shown}/letter.yml", reference))
    pdf, body, edited = _text(folder, shown, problems)
    attachments = _attachments(folder, shown, meta, problems)
    problems.extend(_personal_data(body, f"{shown}/letter.md"))
    problems.extend(placeholders.problems(body, f"{shown}/letter.md"))
    problems.extend(
        Problem(
            f"{shown}/letter.yml",
            f"{name} was proposed by `letters add` and has not been reviewed",
            f"check {name} against the letter, then remove '{name}' from inferred",
            "inferred",
            Severity.WARNING,
        )
        for name in meta.inferred
    )
    if any(p.severity is Severity.ERROR for p in problems) or pdf is None:
        return None, problems
    letter = Letter(
        id=lid,
        folder=folder,
        meta=meta,
        authority=reference.authorities[meta.authority],
        body=body,
        pdf=pdf,
        attachments=attachments,
        text_edited=edited,
        reference=reference,
    )
    return letter, problems


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _meta(path: Path, shown: str, problems: list[Problem]) -> LetterMeta | None:
    if not path.is_file():
        problems.append(Problem(shown, "is missing", "run `letters add FILE.pdf` to create it"))
        return None
    try:
        data = yamlio.load(path, shown)
    except LetterError as exc:
        problems.append(exc.detail)
        return None
    if not isinstance(data, dict):
        problems.append(Problem(shown, "must be a mapping of fields", "see letters/README.md"))
        return None
    try:
        return LetterMeta.model_validate(data)
    except ValidationError as exc:
        problems.extend(_schema_problems(exc, shown))
        return None


def _schema_problems(exc: ValidationError, shown: str) -> list[Problem]:
    """One Problem per schema error, with 'did you mean' for misspelt keys."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        if error["type"] == "extra_forbidden":
            key = str(error["loc"][-1])
            model = _model_at(error["loc"][:-1])
            hint = did_you_mean(key, set(model.model_fields))
            problems.append(
                Problem(
                    shown,
                    f"unknown key '{key}'{hint}",
                    "remove it or correct the spelling; letter.schema.json lists every key",
                    where,
                )
            )
        else:
            problems.append(
                Problem(shown, error["msg"], "see letter.schema.json for what it takes", where)
            )
    return problems


def _model_at(loc: tuple) -> type[BaseModel]:
    """The pydantic model that a location in letter.yml refers to."""
    nested: dict[str, type[BaseModel]] = {
        "visit": Visit,
        "team": TeamMember,
        "recommendations": Recommendation,
        "follow_up": FollowUp,
    }
    for part in reversed(loc):
        if part in nested:
            return nested[part]
    return LetterMeta


def _references(
    meta: LetterMeta, lid: str, shown: str, reference: register.Reference
) -> list[Problem]:
    """Authority and themes on the register, and the folder's name in step with them."""
    problems = []
    folder_authority, month = lid.split("/")
    if meta.authority not in reference.authorities:
        hint = did_you_mean(meta.authority, set(reference.authorities))
        problems.append(
            Problem(
                shown,
                f"'{meta.authority}' is not in letters/authorities.yml{hint}",
                "use a slug from letters/authorities.yml",
                "authority",
            )
        )
    elif meta.authority != folder_authority:
        problems.append(
            Problem(
                shown,
                f"'{meta.authority}' does not match the folder letters/{folder_authority}/",
                "move the folder or correct the authority",
                "authority",
            )
        )
    when = meta.visit.start if meta.visit else meta.letter_date
    if when and when.strftime("%Y-%m") != month:
        problems.append(
            Problem(
                shown,
                f"{'visit.start' if meta.visit else 'letter_date'} {when} is not in {month}",
                f"name the folder {when:%Y-%m} (the month the visit started)",
                "visit.start" if meta.visit else "letter_date",
            )
        )
    themed = [("themes", t) for t in meta.themes] + [
        (f"recommendations.{r.id}.themes", t) for r in meta.recommendations for t in r.themes
    ]
    for where, theme in themed:
        if theme not in reference.themes:
            hint = did_you_mean(theme, set(reference.themes))
            problems.append(
                Problem(
                    shown,
                    f"theme '{theme}' is not in letters/themes.yml{hint}",
                    "use an id from letters/themes.yml, or add the theme there first",
                    where,
                )
            )
    return problems


def _text(folder: Path, shown: str, problems: list[Problem]) -> tuple[PdfFile | None, str, bool]:
    """The PDF, the body of letter.md, and whether a person has edited it.

    A PDF whose hash matches letter.md's front matter was read successfully when letter.md was
    made, so it is not opened again: that keeps a build of thousands of letters fast.
    """
    pdf_path, md_path = folder / "letter.pdf", folder / "letter.md"
    if not pdf_path.is_file():
        problems.append(
            Problem(f"{shown}/letter.pdf", "is missing", "add the Final Letter as letter.pdf")
        )
        return None, "", False
    data = pdf_path.read_bytes()
    digest = extract.sha256(data)
    if not md_path.is_file():
        problems.extend(_pdf_problems(data, f"{shown}/letter.pdf"))
        problems.append(
            Problem(f"{shown}/letter.md", "is missing", "run `letters extract` to create it")
        )
        return None, "", False
    try:
        front, body = extract.read_letter_md(
            md_path.read_text(encoding="utf-8"), f"{shown}/letter.md"
        )
    except (LetterError, UnicodeDecodeError) as exc:
        detail = (
            exc.detail
            if isinstance(exc, LetterError)
            else Problem(f"{shown}/letter.md", "is not UTF-8 text", "save it as UTF-8")
        )
        problems.append(detail)
        return None, "", False
    edited = bool(front.get("edited"))
    if front.get("source_sha256") != digest:
        problems.extend(_pdf_problems(data, f"{shown}/letter.pdf"))
        if not edited:
            problems.append(
                Problem(
                    f"{shown}/letter.md",
                    "was made from a different letter.pdf",
                    "run `letters extract` to read the new PDF",
                    "source_sha256",
                )
            )
    elif not edited and front.get("text_sha256") != extract.sha256(body.encode("utf-8")):
        problems.append(
            Problem(
                f"{shown}/letter.md",
                "has been changed by hand but is not marked as edited",
                "set `edited: true` in its front matter to keep your corrections, or run "
                "`letters extract --refresh` to discard them",
                "edited",
            )
        )
    return PdfFile("letter.pdf", len(data), front.get("pages"), digest), body, edited


def _pdf_problems(data: bytes, shown: str) -> list[Problem]:
    try:
        extract.extract(data, shown)
    except LetterError as exc:
        return [exc.detail]
    return []


def _attachments(
    folder: Path, shown: str, meta: LetterMeta, problems: list[Problem]
) -> dict[str, PdfFile]:
    """The action plan and progress review, when letter.yml names them."""
    found: dict[str, PdfFile] = {}
    follow = meta.follow_up
    named = [
        ("follow_up.action_plan", follow.action_plan if follow else None),
        ("follow_up.progress_review", follow.progress_review if follow else None),
    ]
    for where, name in named:
        if not name:
            continue
        path = folder / name
        if not path.is_file():
            problems.append(
                Problem(
                    f"{shown}/letter.yml",
                    f"names {name}, which is not in the folder",
                    f"add {name} beside letter.pdf or remove the field",
                    where,
                )
            )
            continue
        found[name] = PdfFile(name, path.stat().st_size)
    for path in sorted(folder.iterdir()):
        if path.name not in LETTER_FILES:
            problems.append(
                Problem(
                    f"{shown}/{path.name}",
                    "is not a file a letter folder holds",
                    f"keep only {', '.join(sorted(LETTER_FILES))}",
                    "",
                    Severity.WARNING,
                )
            )
    return found


def _personal_data(body: str, shown: str) -> list[Problem]:
    """Individuals' email addresses and mobile numbers must not be published."""
    problems = []
    for match in EMAIL.finditer(body) if "@" in body else ():
        if not ROLE_MAILBOXES.match(match.group().lower()):
            problems.append(
                Problem(
                    shown,
                    f"contains an email address ({match.group()})",
                    "remove an individual's contact details before publishing, and set "
                    "`edited: true`",
                    "personal data",
                )
            )
    for match in PHONE.finditer(body) if ("07" in body or "+44" in body) else ():
        problems.append(
            Problem(
                shown,
                f"contains a mobile phone number ({match.group()})",
                "remove an individual's contact details before publishing, and set `edited: true`",
                "personal data",
            )
        )
    return problems


def _duplicates(letters: list[Letter], root: Path) -> list[Problem]:
    """The same PDF committed twice, under two folders."""
    seen: dict[str, str] = {}
    problems = []
    for letter in sorted(letters, key=lambda letter: letter.id):
        digest = letter.pdf.sha256
        if digest in seen:
            problems.append(
                Problem(
                    f"{_display(letter.folder, root)}/letter.pdf",
                    f"is the same file as letters/{seen[digest]}/letter.pdf",
                    "remove one of the two folders",
                )
            )
        else:
            seen[digest] = letter.id
    return problems
