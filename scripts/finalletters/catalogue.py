"""Load and check every letter in the repository → one Catalogue.

`letters check`, CI and the site build all call `load`: what one accepts, the others accept.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import zip_longest
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ValidationError

from . import (
    extract,
    lettermd,
    pdfworker,
    placeholders,
    publish,
    regional,
    register,
    safefs,
    yamlio,
)
from .analyse import ThemeScore, theme_scores
from .errors import LetterError, Problem, Severity, did_you_mean
from .model import (
    CQC_QUALITY_STATEMENTS,
    LETTER_ID,
    ROLE_LABELS,
    WM_DOMAINS,
    Authority,
    FollowUp,
    LetterMdFront,
    LetterMeta,
    Recommendation,
    Role,
    Status,
    TeamMember,
    Theme,
    Visit,
)

LETTER_FILES = {"letter.pdf", "letter.md", "letter.yml", "action-plan.pdf", "progress-review.pdf"}
REFERENCE_FILES = {
    "authorities.yml",
    "themes.yml",
    "letter.schema.json",
    "cqc-assessments.yml",
    "cqc-assessments.schema.json",
    "labels.schema.json",
    "README.md",
}
MAX_TEXT_BYTES = 5 * 1024 * 1024  # letter.md: a long letter's text is under 200 KB
LINK_TIP = safefs.LINK_TIP
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
    edited_on: dt.date | None = None  # the day a person corrected letter.md, when text_edited
    page_starts: tuple[int, ...] = ()  # letter.md's page_starts: the block each page starts at

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
        """The date a feed or a sort uses: the letter's (its day, else the first of its month),
        else its publication, else the visit's (its last day, else the first of its month),
        else the first of the folder's month."""
        meta = self.meta
        return (
            meta.letter_date
            or (_first_of(meta.letter_month) if meta.letter_month else None)
            or meta.published
            or (meta.visit.end if meta.visit else None)
            or _first_of(meta.visit_month or self.month)
        )

    @property
    def dated(self) -> str:
        """`date` as precisely as it is known, for a reader: 2023-07-20, or 2023-06 when it
        stands for a month the letter gives without a day."""
        meta, day = self.meta, self.date
        exact = meta.letter_date or meta.published or (meta.visit.end if meta.visit else None)
        return day.isoformat() if day == exact else f"{day:%Y-%m}"

    @cached_property
    def blocks(self) -> tuple[lettermd.Block, ...]:
        """The blocks of letter.md's body (headings, paragraphs, list items, table rows)."""
        return lettermd.read_blocks(self.body)

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

    @property
    def says(self) -> list[str]:
        """What the letter's passages on its themes say, from the sections they stand in:
        "Strength", "Area for development", "Recommendation" (regional.py), in that order."""
        found = {stance for said in regional.stances(self).values() for stance in said}
        return [label for stance, label in regional.STANCE_LABELS.items() if stance in found]

    @cached_property
    def filter_values(self) -> dict[str, list[str]]:
        """The letter's value for each of the finder's filters (council, year, theme, what the
        letter says, CQC quality statement, self-assessment domain, team role, sample or
        published)."""
        return {
            "council": [self.authority.short_name],
            "year": [str(self.year)],
            "theme": [theme.label for theme in self.themes],
            "says": self.says,
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
        """The page of the PDF that the n-th block (1-based) of letter.md starts on, when
        letter.md records where each page starts (`page_starts`, in step with the text);
        None when it does not."""
        if not (self.page_starts and 1 <= block <= len(self.blocks)):
            return None
        if self.page_starts[-1] > len(self.blocks) + 1:  # text edited since: blocks removed
            return None
        return bisect_right(self.page_starts, block)


def _first_of(month: str) -> dt.date:
    """2023-06 → 1 June 2023."""
    return dt.date(int(month[:4]), int(month[5:7]), 1)


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


@dataclass
class Found:
    """The letter folders under some paths, and what else was found there that should not be."""

    folders: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def __iadd__(self, other: Found) -> Found:
        self.folders += other.folders
        self.problems += other.problems
        return self


def letter_folders(letters_dir: Path, paths: Iterable[Path] = ()) -> Found:
    """The letter folders to check under the given paths (default: all of letters/).

    Nothing is skipped in silence: a link, a file where a folder belongs, a folder one level
    too deep, or what an interrupted command left behind is a Problem. A path that is outside
    letters/, or reaches it through a link, is a Problem too.
    """
    root = letters_dir.parent
    if letters_dir.is_symlink():
        raise LetterError(_display(letters_dir, root), safefs.link_problem(letters_dir), LINK_TIP)
    wanted = list(paths)
    if not wanted:
        return _scan_letters(letters_dir, root)
    found, targets = Found(), set()
    for path in wanted:
        shown = _display(path, root)
        try:
            lexical = safefs.inside(path, letters_dir, shown)
        except LetterError as exc:
            found.problems.append(
                Problem(exc.detail.file, exc.detail.problem, "check only paths under letters/")
            )
            continue
        if not lexical.exists() and not lexical.is_symlink():
            found.problems.append(Problem(shown, "does not exist", "check the path"))
            continue
        targets.add(letters_dir.joinpath(*lexical.relative_to(letters_dir).parts[:2]))
    for target in sorted(targets):
        depth = len(target.relative_to(letters_dir).parts)
        if depth == 0:
            found += _scan_letters(letters_dir, root)
        elif depth == 1 and _is_folder(target):
            found += _scan_council(target, root)
        elif depth == 2 and _is_folder(target):
            found.folders.append(target)
        else:
            found.problems.extend(_misplaced(target, depth, root))
    found.folders = sorted(set(found.folders))
    return found


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _scan_letters(letters_dir: Path, root: Path) -> Found:
    found = Found()
    for path in _entries(letters_dir):
        if _is_folder(path):
            found += _scan_council(path, root)
        elif not (path.name in REFERENCE_FILES and _regular(path)):
            found.problems.extend(_misplaced(path, 1, root))
    return found


def _scan_council(folder: Path, root: Path) -> Found:
    found = Found()
    for path in _entries(folder):
        if _is_folder(path) and not path.name.startswith(".adding-"):
            found.folders.append(path)
        else:
            found.problems.extend(_misplaced(path, 2, root))
    return found


def _entries(folder: Path) -> list[Path]:
    return sorted(Path(entry.path) for entry in os.scandir(folder))


def _regular(path: Path) -> bool:
    return stat.S_ISREG(path.lstat().st_mode)


def _misplaced(path: Path, depth: int, root: Path) -> list[Problem]:
    """Why something at this depth under letters/ (1: letters/x, 2: letters/a/x) is wrong."""
    shown = _display(path, root)
    special = _special(path, shown)
    if special:
        return [special]
    if depth == 2 and path.name.startswith(".adding-"):
        return [
            Problem(
                shown,
                "was left by an interrupted `letters add`",
                f"delete it (`rm -r {shown}`) and add the letter again",
            )
        ]
    where = "letters/" if depth == 1 else f"{_display(path.parent, root)}/"
    if depth == 1:
        tip = (
            f"letters/ holds {', '.join(sorted(REFERENCE_FILES))} and one folder per council: "
            "move it into a letter's folder or remove it"
        )
    else:
        tip = "a council's folder holds one folder per letter, named <yyyy-mm>: move it into one"
    if path.is_dir() and depth == 1:
        tip = "name a council's folder by its slug from letters/authorities.yml"
    return [Problem(shown, f"does not belong in {where}", tip)]


def _special(path: Path, shown: str) -> Problem | None:
    """A link, a named pipe, a device: never a file of the repository's."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return Problem(shown, safefs.link_problem(path), LINK_TIP)
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return Problem(
            shown, f"is not a regular file (it is {safefs.kind(mode)})", safefs.SPECIAL_TIP
        )
    return None


@dataclass(frozen=True)
class Options:
    """How thoroughly to check: `verify` re-reads every PDF within the budget."""

    verify: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    budget: pdfworker.Budget = field(default_factory=pdfworker.Budget.from_env)
    draft: bool = False  # what publishing needs is a warning, not an error (see publish.py)

    def reader(self) -> pdfworker.Reader:
        return pdfworker.reader(self.budget)


def load(
    root: Path,
    paths: Sequence[Path] = (),
    draft: bool | None = None,
    *,
    verify: bool = False,
    today: dt.date | None = None,
    budget: pdfworker.Budget | None = None,
) -> Catalogue:
    """Load the register, the taxonomy and every letter under root/letters; never raises for a
    single bad letter: its problems are collected and the rest go on.

    What publishing needs is an error unless `draft` (default: FINAL_LETTERS_DRAFT=1), when it
    is a warning. `verify` re-reads every PDF (within the budget) and compares it with
    letter.md; `today` is the date that visit, letter and publication dates must not be after
    (default: today).
    """
    draft = publish.draft_from_environment() if draft is None else draft
    letters_dir = root / "letters"
    try:
        reference = register.load(letters_dir)
    except LetterError as exc:  # named as the repository knows it
        raise LetterError(
            _display(Path(exc.detail.file), root),
            exc.detail.problem,
            exc.detail.tip,
            exc.detail.field,
        ) from None
    options = Options(
        verify, today or dt.date.today(), budget or pdfworker.Budget.from_env(), draft
    )
    found = letter_folders(letters_dir, paths)
    problems = list(found.problems)
    if paths and not found.folders and problems:
        return Catalogue(root, reference, [], problems)
    letters: list[Letter] = []
    for folder in found.folders:
        try:
            letter, more = load_letter(folder, letters_dir, reference, root, options)
        except Exception as exc:  # a bug must stop one letter, not the check of every other
            letter, more = None, [_unexpected(folder, root, exc)]
        problems.extend(more)
        if letter:
            letters.append(letter)
    problems.extend(_duplicates(letters, root))
    problems.extend(_committed_links(root, paths, problems))
    letters.sort(key=lambda letter: (letter.date, letter.id), reverse=True)
    return Catalogue(root, reference, letters, problems, len(found.folders))


def _unexpected(folder: Path, root: Path, exc: Exception) -> Problem:
    return Problem(
        _display(folder, root),
        f"could not be checked ({type(exc).__name__}: {exc})",
        "this is a fault in the checker, not only in the letter: please report it with the "
        "folder's files; the other letters were checked",
    )


def _committed_links(root: Path, paths: Sequence[Path], known: list[Problem]) -> list[Problem]:
    """Symbolic links that git records anywhere in the repository (or under the paths)."""
    reported = {p.file for p in known}
    under = [_display(path, root).rstrip("/") + "/" for path in paths]
    problems = []
    try:
        links = safefs.committed_links(root)
    except LetterError as exc:
        return [replace(exc.detail, file=".git", severity=Severity.WARNING)]
    for link in links:
        if link in reported or (under and not any(f"{link}/".startswith(u) for u in under)):
            continue
        problems.append(
            Problem(link, "is committed as a symbolic link (git mode 120000)", LINK_TIP)
        )
    return problems


def load_letter(
    folder: Path,
    letters_dir: Path,
    reference: register.Reference,
    root: Path,
    options: Options | None = None,
) -> tuple[Letter | None, list[Problem]]:
    """One letter and its problems; the letter is None when it cannot be shown."""
    options = options or Options()
    shown = _display(folder, root)
    try:
        lid = letter_id(folder, letters_dir)
    except LetterError as exc:
        return None, [replace(exc.detail, file=shown)]
    entries = {path.name: path.lstat().st_mode for path in _entries(folder)}
    problems = _folder_problems(folder, shown, entries)
    meta = _meta(folder / "letter.yml", f"{shown}/letter.yml", entries, problems)
    problems.extend(_strays(shown, entries, meta))
    if meta is None:
        return None, problems
    problems.extend(_references(meta, lid, f"{shown}/letter.yml", reference))
    problems.extend(_dates(meta, f"{shown}/letter.yml", options.today))
    text = _text(folder, shown, entries, options, problems)
    attachments = _attachments(folder, shown, meta, entries, options, problems)
    problems.extend(_personal_data(text.body, f"{shown}/letter.md"))
    problems.extend(placeholders.problems(text.body, f"{shown}/letter.md"))
    unpublished = publish.problems(meta, f"{shown}/letter.yml", options.draft)  # still loads
    if any(p.severity is Severity.ERROR for p in problems) or text.pdf is None:
        return None, problems + unpublished
    letter = Letter(
        id=lid,
        folder=folder,
        meta=meta,
        authority=reference.authorities[meta.authority],
        body=text.body,
        pdf=text.pdf,
        attachments=attachments,
        text_edited=text.edited,
        reference=reference,
        edited_on=text.edited_on,
        page_starts=text.page_starts,
    )
    return letter, problems + unpublished


def _folder_problems(folder: Path, shown: str, entries: dict[str, int]) -> list[Problem]:
    """Links, special files, folders and leftovers in a letter's folder."""
    problems = []
    for name, mode in entries.items():
        where = f"{shown}/{name}"
        if stat.S_ISLNK(mode):
            problems.append(Problem(where, safefs.link_problem(folder / name), LINK_TIP))
        elif stat.S_ISDIR(mode):
            problems.append(
                Problem(where, "is a folder, not a file", "remove it or replace it with the file")
                if name in LETTER_FILES
                else Problem(
                    where,
                    "is a folder inside a letter's folder (one level too deep)",
                    f"a letter's files sit directly in {shown}/: move them there, or remove it",
                )
            )
        elif not stat.S_ISREG(mode):
            problems.append(
                Problem(
                    where, f"is not a regular file (it is {safefs.kind(mode)})", safefs.SPECIAL_TIP
                )
            )
        elif name.endswith(safefs.LEFTOVER_SUFFIX):
            problems.append(
                Problem(
                    where,
                    "was left by an interrupted `letters extract` or `letters add`",
                    f"delete it (`rm {where}`); the next `letters extract` also removes it",
                )
            )
    return problems


def _strays(shown: str, entries: dict[str, int], meta: LetterMeta | None) -> list[Problem]:
    """Regular files that a letter's folder does not hold (they would never be published)."""
    follow = meta.follow_up if meta else None
    named = {follow.action_plan, follow.progress_review} if follow else set()
    allowed = LETTER_FILES | {name for name in named if name}
    return [
        Problem(
            f"{shown}/{name}",
            "is not a file a letter folder holds",
            f"keep only {', '.join(sorted(allowed))}: move it elsewhere or name it in "
            "letter.yml's follow_up",
        )
        for name, mode in entries.items()
        if stat.S_ISREG(mode) and name not in allowed and not name.endswith(safefs.LEFTOVER_SUFFIX)
    ]


def _display(path: Path, root: Path) -> str:
    """The path relative to the repository, as written (a link is never followed to name it)."""
    lexical = Path(os.path.normpath(Path(path).absolute()))
    top = Path(os.path.normpath(Path(root).absolute()))
    return lexical.relative_to(top).as_posix() if lexical.is_relative_to(top) else str(path)


def _meta(
    path: Path, shown: str, entries: dict[str, int], problems: list[Problem]
) -> LetterMeta | None:
    mode = entries.get(path.name)
    if mode is None:
        tip = "run `letters add FILE.pdf` to create it, or write it as letters/README.md says"
        if "letter.pdf" in entries:
            tip = "a letter.pdf without letter.yml is not published: write letter.yml beside it"
        problems.append(Problem(shown, "is missing", tip))
        return None
    if not stat.S_ISREG(mode):
        return None  # a link or a folder: already reported
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
        elif error["type"].startswith(("date_", "datetime_")):
            problems.append(
                Problem(
                    shown,
                    f"{error['input']!r} is not a date",
                    "write a day that exists, as YYYY-MM-DD (e.g. 2023-06-13)",
                    where,
                )
            )
        else:
            message = error["msg"].removeprefix("Value error, ")  # pydantic's prefix for ours
            problems.append(
                Problem(shown, message, "see letter.schema.json for what it takes", where)
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


def _dates(meta: LetterMeta, shown: str, today: dt.date) -> list[Problem]:
    """A visit or a letter after today is a typo; so, probably, is a publication after it."""
    problems = []
    dated = [
        ("visit.start", meta.visit.start if meta.visit else None, Severity.ERROR),
        ("visit.end", meta.visit.end if meta.visit else None, Severity.ERROR),
        ("letter_date", meta.letter_date, Severity.ERROR),
        ("published", meta.published, Severity.WARNING),
    ]
    for where, when, severity in dated:
        if when and when > today:
            problems.append(
                Problem(
                    shown,
                    f"{when} is in the future (today is {today})",
                    "check the year and the month",
                    where,
                    severity,
                )
            )
    return problems


@dataclass
class _Text:
    pdf: PdfFile | None = None
    body: str = ""
    edited: bool = False
    edited_on: dt.date | None = None
    page_starts: tuple[int, ...] = ()


def _read(
    folder: Path, name: str, shown: str, entries: dict[str, int], problems: list[Problem]
) -> bytes | None:
    """A PDF of the folder, if it is a regular file that is a PDF by its bytes; else None, with
    the problem said (a missing file is the caller's to report)."""
    mode = entries.get(name)
    if mode is None or not stat.S_ISREG(mode):
        return None  # missing, or a link or a folder: reported by _folder_problems
    try:
        data = safefs.read_bytes(folder / name, extract.MAX_BYTES, shown, extract.SIZE_TIP)
        extract.check_bytes(data, shown)
    except LetterError as exc:
        problems.append(exc.detail)
        return None
    return data


def _text(
    folder: Path, shown: str, entries: dict[str, int], options: Options, problems: list[Problem]
) -> _Text:
    """The PDF, the body of letter.md, and whether and when a person has edited it.

    A PDF whose hash matches letter.md's front matter was read successfully when letter.md was
    made, so without `verify` it is only checked by its bytes (a PDF, within the size limit):
    that keeps a build of thousands of letters fast. `verify` reads it again and compares.
    """
    pdf_shown, md_shown = f"{shown}/letter.pdf", f"{shown}/letter.md"
    if "letter.pdf" not in entries:
        problems.append(Problem(pdf_shown, "is missing", "add the Final Letter as letter.pdf"))
        return _Text()
    data = _read(folder, "letter.pdf", pdf_shown, entries, problems)
    if data is None:
        return _Text()
    digest = extract.sha256(data)
    if "letter.md" not in entries:
        problems.extend(_pdf_problems(data, pdf_shown, options))
        problems.append(Problem(md_shown, "is missing", "run `letters extract` to create it"))
        return _Text()
    if not stat.S_ISREG(entries["letter.md"]):
        return _Text()
    try:
        front, body = lettermd.read_letter_md(
            safefs.read_text(folder / "letter.md", MAX_TEXT_BYTES, md_shown), md_shown
        )
    except LetterError as exc:
        problems.append(exc.detail)
        return _Text()
    edited = front.edited
    edited_on = _edited_on(front, edited, md_shown, options.today, problems)
    pages = _pages(front, md_shown, options.budget.pages, problems)
    if front.source_sha256 != digest:
        extracted = _pdf_problems(data, pdf_shown, options)
        problems.extend(extracted)
        if not edited:
            problems.append(
                Problem(
                    md_shown,
                    "was made from a different letter.pdf",
                    "run `letters extract` to read the new PDF",
                    "source_sha256",
                )
            )
    else:
        if not edited and front.text_sha256 != extract.sha256(body.encode("utf-8")):
            problems.append(
                Problem(
                    md_shown,
                    "has been changed by hand but is not marked as edited",
                    "set `edited: true` and `edited_on: YYYY-MM-DD` in its front matter to keep "
                    "your corrections, or run `letters extract --refresh` to discard them",
                    "edited",
                )
            )
        if options.verify:
            problems.extend(_verify(data, body, pages, front, pdf_shown, md_shown, options))
    starts = tuple(front.page_starts or ())
    if front.page_starts is not None and edited:
        problems.extend(_page_starts_problems(starts, body, md_shown))
    return _Text(PdfFile("letter.pdf", len(data), pages, digest), body, edited, edited_on, starts)


def _page_starts_problems(starts: tuple[int, ...], body: str, shown: str) -> list[Problem]:
    """A text corrected by hand may have lost blocks that page_starts still counts."""
    blocks = len(lettermd.read_blocks(body))
    if not starts or starts[-1] <= blocks + 1:
        return []
    return [
        Problem(
            shown,
            f"says page {len(starts)} starts at block {starts[-1]}, but the text has "
            f"{blocks} blocks",
            "correct page_starts (the heading, paragraph, list item or table row each page "
            "starts at, counted from 1), or remove it: citations then give no page",
            "page_starts",
            Severity.WARNING,
        )
    ]


def _edited_on(
    front: LetterMdFront, edited: bool, shown: str, today: dt.date, problems: list[Problem]
) -> dt.date | None:
    """The day a person corrected letter.md, which the letter's page shows."""
    value = front.edited_on
    if not edited:
        return None
    tip = "give the day you corrected it, as YYYY-MM-DD, e.g. `edited_on: 2024-05-01`"
    if value is None:
        problems.append(
            Problem(
                shown,
                "is marked `edited: true` without the day it was corrected",
                tip,
                "edited_on",
                Severity.WARNING,
            )
        )
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        problems.append(Problem(shown, f"{value!r} is not a date", tip, "edited_on"))
        return None
    if value > today:
        problems.append(
            Problem(shown, f"{value} is in the future (today is {today})", tip, "edited_on")
        )
        return None
    return value


def _pages(front: LetterMdFront, shown: str, limit: int, problems: list[Problem]) -> int | None:
    pages = front.pages
    if isinstance(pages, int) and not 1 <= pages <= limit:
        problems.append(
            Problem(
                shown,
                f"says the PDF has {pages} pages; a letter has 1 to {limit}",
                "run `letters extract --refresh` to count them again",
                "pages",
            )
        )
        return None
    return pages


def _verify(
    data: bytes,
    body: str,
    pages: int | None,
    front: LetterMdFront,
    pdf_shown: str,
    md_shown: str,
    options: Options,
) -> list[Problem]:
    """Read the PDF again and compare it with letter.md: the page count, and the text and where
    each page starts unless a person has corrected it."""
    try:
        extracted = options.reader().extract(data, pdf_shown)
    except LetterError as exc:
        return [exc.detail]
    problems = []
    edited = front.edited
    if pages != extracted.pages:
        problems.append(
            Problem(
                md_shown,
                f"says {pages} pages; letter.pdf has {extracted.pages}",
                "run `letters extract --refresh` to read the PDF again",
                "pages",
            )
        )
    if not edited:
        read = lettermd.to_markdown(extracted.blocks)
        if read != body:
            line = _first_difference(body, read)
            problems.append(
                Problem(
                    md_shown,
                    f"is not the text of letter.pdf (they differ from line {line} of the text)",
                    "run `letters extract --refresh` to read the PDF again; if you corrected "
                    "the text, set `edited: true` and `edited_on: YYYY-MM-DD`",
                )
            )
        elif front.page_starts is not None and front.page_starts != lettermd.page_starts(
            extracted.blocks, extracted.pages, read
        ):
            problems.append(
                Problem(
                    md_shown,
                    "says its pages start at other blocks than letter.pdf's do",
                    "run `letters extract --refresh` to read the PDF again",
                    "page_starts",
                )
            )
    return problems


def _first_difference(one: str, other: str) -> int:
    """The 1-based line number where two texts first differ."""
    pairs = zip_longest(one.splitlines(), other.splitlines())
    return next((n for n, (a, b) in enumerate(pairs, start=1) if a != b), 1)


def _pdf_problems(data: bytes, shown: str, options: Options) -> list[Problem]:
    try:
        options.reader().extract(data, shown)
    except LetterError as exc:
        return [exc.detail]
    return []


def _attachments(
    folder: Path,
    shown: str,
    meta: LetterMeta,
    entries: dict[str, int],
    options: Options,
    problems: list[Problem],
) -> dict[str, PdfFile]:
    """The action plan and progress review, when letter.yml names them: each checked as a PDF
    by its bytes (and opened, with `verify`) before the site may publish it."""
    found: dict[str, PdfFile] = {}
    follow = meta.follow_up
    named = [
        ("follow_up.action_plan", follow.action_plan if follow else None),
        ("follow_up.progress_review", follow.progress_review if follow else None),
    ]
    for where, name in named:
        if not name:
            continue
        if name not in entries:
            problems.append(
                Problem(
                    f"{shown}/letter.yml",
                    f"names {name}, which is not in the folder",
                    f"add {name} beside letter.pdf or remove the field",
                    where,
                )
            )
            continue
        data = _read(folder, name, f"{shown}/{name}", entries, problems)
        if data is None:
            continue
        pages = None
        if options.verify:
            try:
                pages = options.reader().count_pages(data, f"{shown}/{name}")
            except LetterError as exc:
                problems.append(exc.detail)
                continue
        found[name] = PdfFile(name, len(data), pages, extract.sha256(data))
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
