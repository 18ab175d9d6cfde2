"""A small letters/ tree for site tests, written by code into a temporary folder.

The register and the taxonomy are copied from the repository; the letters are invented:

    walsall/2023-06             a published letter with everything: team, themes, statuses,
                                action plan, progress review, source link, lists and a table
    walsall/2019-03             a sample letter with little more than its dates
    dudley/2021-10              a sample letter, no publication date
    leicestershire/2022-02      a council outside the West Midlands
    coventry/2022-05            hostile: markup, script and spreadsheet formulas in its title,
                                text, team and recommendations (letter.md edited by hand)

letters/cqc-assessments.yml records an (invented) CQC assessment for Walsall only, and every
build is as of BUILD_DATE (SOURCE_DATE_EPOCH).

Every letter.pdf is a real PDF made with fpdf2, with a fixed creation date so that its bytes,
and so the built site, are the same on every run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from fpdf import FPDF
from mkdocs.commands.build import build
from mkdocs.config import load_config

from finalletters import extract, lettermd
from finalletters.lettermd import Block, Extracted

REPO = Path(__file__).resolve().parents[1]
FIXED = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

SCRIPT = "<script>alert('x')</script>"
HOSTILE_TITLE = f'Peer challenge: {SCRIPT} & "Coventry" <b>bold</b>'
HOSTILE_NAME = '<img src=x onerror="alert(1)">Ann'
HOSTILE_ORG = "</div><script>alert('org')</script>"
HOSTILE_SOURCE = "https://example.org/\"><script>alert('src')</script>"
FORMULAS = ['=HYPERLINK("https://example.org","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTabbed"]
HOSTILE_BODY = f"""# {SCRIPT} Peer challenge

<script>alert('body')</script>

<img src=x onerror="alert('img')"> A paragraph about the carers strategy & <b>carers</b>.

[a link](javascript:alert('link')) and &lt;i&gt;escaped&lt;/i&gt; text \\<u\\> too.

- <em>list</em> item about safeguarding adults
- </li></ul><script>alert('li')</script>

| <th>Head</th> | Other |
| --- | --- |
| <td onclick="x">cell</td> | `code` |

</div></article><script>alert('break out')</script>
"""


@dataclass(frozen=True)
class Corpus:
    root: Path
    letters: tuple[str, ...]
    hostile: str
    councils: tuple[str, ...]
    themes: tuple[str, ...]
    years: tuple[int, ...]


def pdf(lines: list[str], pages: int = 1) -> bytes:
    """A small, valid, reproducible PDF: each line on each page, in Helvetica."""
    doc = FPDF(unit="pt", format="A4")
    doc.set_creation_date(FIXED)
    doc.set_auto_page_break(False)
    for page in range(1, pages + 1):
        doc.add_page()
        doc.set_font("Helvetica", "", 11)
        for n, line in enumerate(lines):
            doc.text(72, 100 + 16 * n, line.encode("latin-1", "replace").decode("latin-1"))
        doc.text(72, 800, f"Page {page} of {pages}")
    return bytes(doc.output())


def _write(
    folder: Path,
    meta: dict,
    blocks: list[Block] | None = None,
    body: str | None = None,
    pages: int = 1,
    attachments: tuple[str, ...] = (),
) -> None:
    folder.mkdir(parents=True)
    data = pdf([f"Final Letter {folder.parent.name} {folder.name}"], pages)
    (folder / "letter.pdf").write_bytes(data)
    digest = extract.sha256(data)
    if body is None:
        text = lettermd.letter_md(Extracted(tuple(blocks or ()), pages), digest)
    else:  # a letter.md corrected by hand: any text at all
        text = (
            f"---\nsource: letter.pdf\nsource_sha256: {digest}\npages: {pages}\n"
            f"text_sha256: {extract.sha256(body.encode('utf-8'))}\nedited: true\n---\n{body}"
        )
    (folder / "letter.md").write_text(text, encoding="utf-8")
    (folder / "letter.yml").write_text(
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    for name in attachments:
        (folder / name).write_bytes(pdf([f"{name} for {folder.parent.name} {folder.name}"]))


def _p(text: str) -> Block:
    return Block("paragraph", text, 1)


def _h(text: str, level: int) -> Block:
    return Block("heading", text, 1, level=level)


def _li(text: str, level: int = 0, number: str = "") -> Block:
    return Block("list-item", text, 1, level=level, ordered=bool(number), number=number)


def _row(*cells: str) -> Block:
    return Block("table-row", " | ".join(cells), 1, cells=tuple(cells))


FULL_BLOCKS = [
    _h("Adult Social Care Peer Challenge: Walsall", 1),
    _p("Dear Chief Executive, thank you for inviting the peer team to Walsall in June 2023."),
    _h("Strengths", 2),
    _p("The workforce strategy is clear and staff morale is high; recruitment and retention "
       "have improved over the last year."),
    _p("Carers told us that the carers assessment is quick and that they feel listened to."),
    _li("Strong and visible leadership across the directorate."),
    _li("Staff said leaders are approachable.", level=1),
    _li("A committed workforce who know their communities well."),
    _h("Areas for development", 2),
    _p("Waiting lists for Care Act assessments remain long [see table 1] and *some* people "
       "wait more than six months."),
    _row("Team", "People waiting", "Longest wait"),
    _row("North", "120", "6 months"),
    _row("South", "80", "4 months"),
    # The letter's second page of its PDF starts here (letter.md records it: page_starts).
    replace(_h("Recommendations", 2), page=2),
    replace(_li("Develop a workforce strategy with partners.", number="1"), page=2),
    replace(_li("Reduce waiting lists for assessments and reviews.", number="2"), page=2),
    replace(_li("Strengthen the voice of carers.", number="3"), page=2),
    replace(_p("Yours sincerely, the lead Director of Adult Social Services."), page=2),
]  # fmt: skip


def write(root: Path) -> Corpus:
    """Write the corpus under root/letters and describe it."""
    letters_dir = root / "letters"
    letters_dir.mkdir(parents=True)
    for name in ("authorities.yml", "themes.yml"):
        shutil.copyfile(REPO / "letters" / name, letters_dir / name)

    _write(
        letters_dir / "walsall" / "2023-06",
        {
            "authority": "walsall",
            "visit": {"start": dt.date(2023, 6, 13), "end": dt.date(2023, 6, 15)},
            "letter_date": dt.date(2023, 7, 20),
            "published": dt.date(2023, 9, 1),
            "source_url": "https://www.walsall.gov.uk/peer-challenge-2023",
            "sample": False,
            "team": [
                {"role": "lead-dass", "name": "Jane Director", "organisation": "sandwell"},
                {"role": "elected-member", "name": "Cllr Sam Member", "organisation": "sandwell"},
                {"role": "lived-experience", "name": None, "organisation": None},
                {"role": "principal-social-worker", "name": "Pat Worker",
                 "organisation": "Another Organisation"},
            ],
            "themes": ["workforce", "carers", "assessment-waiting-lists"],
            "recommendations": [
                {"id": "R1", "text": "Develop a workforce strategy with partners.",
                 "themes": ["workforce"], "status": "done"},
                {"id": "R2", "text": "Reduce waiting lists for assessments and reviews.",
                 "themes": ["assessment-waiting-lists"], "status": "in-progress"},
                {"id": "R3", "text": "Strengthen the voice of carers.", "themes": ["carers"],
                 "status": "open"},
            ],
            "follow_up": {
                "action_plan": "action-plan.pdf",
                "progress_review": "progress-review.pdf",
                "review_date": dt.date(2024, 6, 20),
            },
        },
        FULL_BLOCKS,
        pages=2,
        attachments=("action-plan.pdf", "progress-review.pdf"),
    )  # fmt: skip
    _write(
        letters_dir / "walsall" / "2019-03",
        {
            "authority": "walsall",
            "visit": {"start": dt.date(2019, 3, 5), "end": dt.date(2019, 3, 7)},
            "letter_date": dt.date(2019, 4, 10),
            "published": dt.date(2019, 5, 1),
            "sample": True,
            "themes": ["safeguarding"],
        },
        [_p("The team looked at safeguarding adults and the Safeguarding Adults Board.")],
    )
    _write(
        letters_dir / "dudley" / "2021-10",
        {
            "authority": "dudley",
            "visit": {"start": dt.date(2021, 10, 30), "end": dt.date(2021, 11, 2)},
            "letter_date": dt.date(2021, 12, 1),
            "sample": True,
            "team": [{"role": "lead-dass", "name": "Lee Lead", "organisation": "walsall"}],
            "themes": ["workforce", "housing"],
            "recommendations": [
                {"id": "R1", "text": "Plan extra care housing.", "themes": ["housing"]}
            ],
        },
        [
            _h("Peer challenge", 1),
            _p("Extra care housing and the workforce strategy were discussed."),
            _li("First point", number="a"),
            _li("Second point", number="b"),
        ],
    )
    _write(
        letters_dir / "leicestershire" / "2022-02",
        {
            "authority": "leicestershire",
            "visit": {"start": dt.date(2022, 2, 8), "end": dt.date(2022, 2, 10)},
            "letter_date": dt.date(2022, 3, 15),
            "published": dt.date(2022, 4, 1),
            "sample": True,
            "themes": ["carers"],
        },
        [_p("Carers in Leicestershire told the team about the carers strategy.")],
    )
    _write(
        letters_dir / "coventry" / "2022-05",
        {
            "authority": "coventry",
            "title": HOSTILE_TITLE,
            "visit": {"start": dt.date(2022, 5, 10), "end": dt.date(2022, 5, 12)},
            "letter_date": dt.date(2022, 6, 1),
            "published": dt.date(2022, 7, 1),
            "source_url": HOSTILE_SOURCE,
            "sample": True,
            "team": [
                {"role": "lead-dass", "name": HOSTILE_NAME, "organisation": HOSTILE_ORG},
                {"role": "coordinator", "name": FORMULAS[0], "organisation": None},
            ],
            "themes": ["carers", "safeguarding"],
            "recommendations": [
                {"id": f"R{n}", "text": text, "themes": ["carers"]}
                for n, text in enumerate([SCRIPT + " do better", *FORMULAS], start=1)
            ],
        },
        body=HOSTILE_BODY,
    )
    (letters_dir / "cqc-assessments.yml").write_text(CQC_ASSESSMENTS, encoding="utf-8")
    return Corpus(
        root=root,
        letters=(
            "walsall/2023-06",
            "walsall/2019-03",
            "dudley/2021-10",
            "leicestershire/2022-02",
            "coventry/2022-05",
        ),
        hostile="coventry/2022-05",
        councils=("walsall", "dudley", "leicestershire", "coventry"),
        themes=("workforce", "carers", "assessment-waiting-lists", "safeguarding", "housing"),
        years=(2023, 2022, 2021, 2019),
    )


# Walsall's CQC assessment, invented for the tests; Coventry and Dudley have none recorded.
CQC_ASSESSMENTS = """assessments:
  - council: walsall
    sources:
      press:
        url: https://example.org/cqc/walsall-press-release
        kind: primary
        title: An invented CQC press release
    rating: {value: good, sources: [press]}
    published: {value: 2024-02-09, sources: [press]}
    quality_statements:
      assessing-needs: {value: 2, sources: [press]}
"""
# The day every test build is as of (SOURCE_DATE_EPOCH): 1 March 2023, 00:00 UTC.
BUILD_DATE = dt.date(2023, 3, 1)
BUILD_EPOCH = "1677628800"


@contextmanager
def letters_root(root: Path) -> Iterator[None]:
    """FINAL_LETTERS_ROOT set to root for the duration, as the build hooks read it, and
    FINAL_LETTERS_DRAFT=1: the corpus holds drafts on purpose, built as a pull request's preview
    is (tests/test_publish.py builds strictly)."""
    from finalletters.publish import DRAFT_VARIABLE
    from finalletters.site.context import ROOT_VARIABLE

    before = {name: os.environ.get(name) for name in (ROOT_VARIABLE, DRAFT_VARIABLE)}
    os.environ[ROOT_VARIABLE] = str(root)
    os.environ[DRAFT_VARIABLE] = "1"
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_site(root: Path, site_dir: Path) -> None:
    """Build the site from the letters under root into site_dir, strictly (mkdocs --strict), as
    a pull request's preview is, with the repository's mkdocs.yml."""
    with letters_root(root), _build_date():
        config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(site_dir))
        config.strict = True
        build(config)


@contextmanager
def _build_date() -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to BUILD_EPOCH for the duration, so that what is overdue on the
    follow-up page, and so every byte of the site, is the same on any day the tests run."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
