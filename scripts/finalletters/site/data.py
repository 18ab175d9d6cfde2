"""Open data: /data/letters.json, letters.csv, recommendations.csv (with CSVW metadata), a
passages file per theme (/data/themes/<id>.csv), and the open data page that describes them.

The columns are declared once, here: the CSV files, their CSVW metadata and the open data page
are all made from the same declarations. Every value comes from the letters; nothing from the
clock, so two builds of one commit write the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from .. import regional
from ..catalogue import Letter
from ..model import Recommendation
from . import matrix, render, urls
from .context import Site
from .passages import Passage, of_theme
from .plumbing import Generated, PageInfo, generate, toc

LICENCE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PUBLISHER = "West Midlands Association of Directors of Adult Social Services (WM ADASS)"
# A spreadsheet runs a cell that starts with one of these as a formula: such cells are prefixed
# with a single quote, so that text from a letter can never run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    title: str
    datatype: str  # a CSVW datatype: string, date, gYearMonth, integer, boolean, anyURI
    description: str
    value: Callable  # (site, letter[, recommendation]) → value, or None when not known


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _visit_month(letter: Letter) -> str | None:
    meta = letter.meta
    return f"{meta.visit.start:%Y-%m}" if meta.visit else meta.visit_month


def _letter_month(letter: Letter) -> str | None:
    meta = letter.meta
    return f"{meta.letter_date:%Y-%m}" if meta.letter_date else meta.letter_month


def _attachment(site: Site, letter: Letter, name: str | None) -> str | None:
    if name and name in letter.attachments:
        return site.url(urls.letter_file(letter.id, name))
    return None


def _follow(letter: Letter, field: str) -> str | None:
    return getattr(letter.meta.follow_up, field) if letter.meta.follow_up else None


LETTER_COLUMNS: tuple[Column, ...] = (
    Column("id", "Letter id", "string", "The letter's permanent id: <council>/<yyyy-mm>.",
           lambda s, x: x.id),
    Column("title", "Title", "string", "The letter's title.", lambda s, x: x.title),
    Column("authority", "Council id", "string", "The council's id on this site.",
           lambda s, x: x.authority.slug),
    Column("authority_name", "Council", "string", "The council's official name.",
           lambda s, x: x.authority.name),
    Column("gss_code", "GSS code", "string", "The ONS GSS code of the council's area.",
           lambda s, x: x.authority.gss),
    Column("region", "Region", "string", "The council's English region.",
           lambda s, x: x.authority.region),
    Column("year", "Year", "integer", "The year of the visit (else of the letter).",
           lambda s, x: x.year),
    Column("visit_start", "Visit start", "date", "First day of the visit.",
           lambda s, x: _date(x.meta.visit.start) if x.meta.visit else None),
    Column("visit_end", "Visit end", "date", "Last day of the visit.",
           lambda s, x: _date(x.meta.visit.end) if x.meta.visit else None),
    Column("visit_month", "Visit month", "gYearMonth",
           "The month of the visit (YYYY-MM): that of its first day, or the month the letter "
           "gives when it gives no days.", lambda s, x: _visit_month(x)),
    Column("letter_date", "Date of letter", "date", "The date the letter was sent.",
           lambda s, x: _date(x.meta.letter_date)),
    Column("letter_month", "Month of letter", "gYearMonth",
           "The month the letter was sent (YYYY-MM): that of its date, or the month it gives "
           "when it gives no day.", lambda s, x: _letter_month(x)),
    Column("published", "Published", "date", "The date the letter was made public.",
           lambda s, x: _date(x.meta.published)),
    Column("sample", "Sample", "boolean",
           "true for a demonstration letter written to show how the site works.",
           lambda s, x: x.meta.sample),
    Column("themes", "Themes", "string",
           "Theme ids, separated by semicolons; see /themes/ for their labels.",
           lambda s, x: ";".join(x.meta.themes)),
    Column("recommendation_count", "Recommendations", "integer",
           "How many recommendations the letter makes.",
           lambda s, x: len(x.meta.recommendations)),
    Column("review_due", "Review due", "date", "When a review of progress is due.",
           lambda s, x: _date(x.meta.review_due)),
    Column("review_date", "Reviewed", "date", "When progress was reviewed, if it has been.",
           lambda s, x: _date(_follow(x, "review_date"))),
    Column("page_url", "Page", "anyURI", "The letter's page on this site.",
           lambda s, x: s.url(x.url)),
    Column("pdf_url", "PDF", "anyURI", "The original letter as a PDF.",
           lambda s, x: s.url(urls.letter_file(x.id, x.pdf.name))),
    Column("pdf_bytes", "PDF size (bytes)", "integer", "The size of the PDF in bytes.",
           lambda s, x: x.pdf.size),
    Column("pdf_pages", "PDF pages", "integer", "The number of pages of the PDF.",
           lambda s, x: x.pdf.pages),
    Column("pdf_sha256", "PDF SHA-256", "string", "The SHA-256 digest of the PDF.",
           lambda s, x: x.pdf.sha256),
    Column("source_url", "Source", "anyURI", "Where the council publishes the letter, if it does.",
           lambda s, x: x.meta.source_url),
    Column("action_plan_url", "Action plan", "anyURI", "The council's action plan as a PDF.",
           lambda s, x: _attachment(s, x, _follow(x, "action_plan"))),
    Column("progress_review_url", "Progress review", "anyURI", "The progress review as a PDF.",
           lambda s, x: _attachment(s, x, _follow(x, "progress_review"))),
)  # fmt: skip

RECOMMENDATION_COLUMNS: tuple[Column, ...] = (
    Column("letter_id", "Letter id", "string", "The letter's id (see letters.csv).",
           lambda s, x, r: x.id),
    Column("authority", "Council id", "string", "The council's id on this site.",
           lambda s, x, r: x.authority.slug),
    Column("gss_code", "GSS code", "string", "The ONS GSS code of the council's area.",
           lambda s, x, r: x.authority.gss),
    Column("year", "Year", "integer", "The year of the visit (else of the letter).",
           lambda s, x, r: x.year),
    Column("recommendation_id", "Recommendation", "string", "R1, R2, … within the letter.",
           lambda s, x, r: r.id),
    Column("listed", "Listed", "boolean",
           "true when the letter lists it as a recommendation; false when it was drawn from "
           "advice in the letter's text.", lambda s, x, r: r.listed),
    Column("number", "Number", "string", "Its number as the letter prints it, when recorded.",
           lambda s, x, r: r.number),
    Column("text", "Text", "string", "The recommendation, as the letter words it.",
           lambda s, x, r: r.text),
    Column("themes", "Themes", "string", "Theme ids, separated by semicolons.",
           lambda s, x, r: ";".join(r.themes)),
    Column("status", "Status", "string", "open, in-progress, done or dropped.",
           lambda s, x, r: str(r.status)),
    Column("url", "Page", "anyURI", "The recommendation on the letter's page.",
           lambda s, x, r: s.url(x.url) + "#" + r.id.lower()),
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# CSV


def guard(cell: object) -> str:
    """A CSV cell that no spreadsheet will run as a formula (OWASP's CSV injection advice)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    text = render.clean(cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(columns: tuple[Column, ...], rows: list[tuple]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for args in rows:
        writer.writerow([guard(c.value(*args)) for c in columns])
    return out.getvalue()


def letters_csv(site: Site) -> str:
    return _csv(LETTER_COLUMNS, [(site, letter) for letter in site.letters])


def recommendations_csv(site: Site) -> str:
    rows = [(site, x, r) for x in site.letters for r in x.meta.recommendations]
    return _csv(RECOMMENDATION_COLUMNS, rows)


def csvw(
    site: Site, csv_paths: list[str], title: str, columns: tuple[Column, ...], key: list[str]
) -> str:
    """CSV on the Web metadata (W3C, `<file>.csv-metadata.json`) describing one CSV file, or a
    group of CSV files with the same columns (the passages on each theme)."""
    schema = {
        "columns": [
            {
                "name": c.name,
                "titles": c.title,
                "datatype": c.datatype,
                "dc:description": c.description
                + (
                    " A value that begins with = + - or @ is stored with a single quote "
                    "before it, so that spreadsheets do not run it as a formula."
                    if c.datatype == "string"
                    else ""
                ),
            }
            for c in columns
        ],
        "primaryKey": key,
    }
    names = [path.rsplit("/", 1)[-1] for path in csv_paths]
    where: dict[str, object] = (
        {"url": names[0]} if len(names) == 1 else {"tables": [{"url": name} for name in names]}
    )
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        **where,
        "dc:title": title,
        "dc:publisher": PUBLISHER,
        "dc:license": {"@id": LICENCE},
        "dc:source": site.url(urls.HOME),
        "dialect": {"encoding": "utf-8", "header": True, "lineTerminators": ["\r\n"]},
        "tableSchema": schema,
    }
    return _json(metadata)


# ---------------------------------------------------------------------------------------------
# JSON


def letter_record(site: Site, letter: Letter) -> dict:
    meta = letter.meta
    themes = letter.themes
    stances = regional.stances(letter)
    return {
        "id": letter.id,
        "title": letter.title,
        "url": site.url(letter.url),
        "sample": meta.sample,
        "authority": {
            "id": letter.authority.slug,
            "name": letter.authority.name,
            "short_name": letter.authority.short_name,
            "gss_code": letter.authority.gss,
            "region": letter.authority.region,
            "url": site.url(urls.authority(letter.authority.slug)),
        },
        "year": letter.year,
        "visit": {"start": _date(meta.visit.start), "end": _date(meta.visit.end)}
        if meta.visit
        else None,
        "visit_month": _visit_month(letter),
        "letter_date": _date(meta.letter_date),
        "letter_month": _letter_month(letter),
        "published": _date(meta.published),
        "team": [
            {"role": str(m.role), "name": m.name, "organisation": m.organisation} for m in meta.team
        ],
        "themes": [
            {
                "id": t.id,
                "label": t.label,
                "url": site.url(urls.theme(t.id)),
                "says": [s.value for s in regional.Stance if s in stances.get(t.id, ())],
            }
            for t in themes
        ],
        "cqc_quality_statements": letter.cqc_statements,
        "wm_domains": letter.wm_domains,
        "recommendation_count": len(meta.recommendations),
        "recommendations": [_recommendation(r) for r in meta.recommendations],
        "follow_up": {
            "review_due": _date(meta.review_due),
            "review_date": _date(_follow(letter, "review_date")),
            "action_plan_url": _attachment(site, letter, _follow(letter, "action_plan")),
            "progress_review_url": _attachment(site, letter, _follow(letter, "progress_review")),
        },
        "pdf": {
            "url": site.url(urls.letter_file(letter.id, letter.pdf.name)),
            "bytes": letter.pdf.size,
            "pages": letter.pdf.pages,
            "sha256": letter.pdf.sha256,
        },
        "source_url": meta.source_url,
        "text_edited": letter.text_edited,
    }


def _recommendation(r: Recommendation) -> dict:
    return {
        "id": r.id,
        "listed": r.listed,
        "number": r.number,
        "text": r.text,
        "themes": list(r.themes),
        "status": str(r.status),
    }


def letters_json(site: Site) -> str:
    return _json(
        {
            "title": "Final Letters: adult social care peer challenges in the West Midlands",
            "publisher": PUBLISHER,
            "licence": LICENCE,
            "url": site.url(urls.LETTERS_JSON),
            "letter_count": len(site.letters),
            "letters": [letter_record(site, letter) for letter in site.letters],
        }
    )


def _json(value: object) -> str:
    """Stable JSON: keys in the order written, UTF-8, control characters removed from text."""
    return json.dumps(_cleaned(value), ensure_ascii=False, indent=2) + "\n"


def _cleaned(value: object) -> object:
    if isinstance(value, str):
        return render.clean(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# A theme's passages


PASSAGE_COLUMNS: tuple[Column, ...] = (
    Column("theme", "Theme id", "string", "The theme's id (see /themes/).",
           lambda s, t, p: t),
    Column("letter_id", "Letter id", "string", "The letter's id (see letters.csv).",
           lambda s, t, p: p.letter.id),
    Column("council", "Council", "string", "The council's short name.",
           lambda s, t, p: p.letter.authority.short_name),
    Column("gss_code", "GSS code", "string", "The ONS GSS code of the council's area.",
           lambda s, t, p: p.letter.authority.gss),
    Column("year", "Year", "integer", "The year of the visit (else of the letter).",
           lambda s, t, p: p.letter.year),
    Column("section", "Section", "string", "The heading of the letter the passage comes under.",
           lambda s, t, p: p.place.section if p.place else None),
    Column("section_kind", "Kind of section", "string",
           "strengths, development, recommendations, cqc-theme, background, team or other.",
           lambda s, t, p: p.kind),
    Column("says", "What it says", "string",
           "strength, development (an area for development) or recommendation, from the kind "
           "of section the passage stands in; empty when it stands in none of those.",
           lambda s, t, p: p.stance.value if p.stance else None),
    Column("place", "Place", "string",
           "Where the passage is, e.g. paragraph 4 of ‘Strengths’, page 2 of the PDF.",
           lambda s, t, p: p.where),
    Column("pdf_page", "PDF page", "integer", "The page of the PDF, when the text records it.",
           lambda s, t, p: p.place.page if p.place else None),
    Column("text", "Passage", "string", "The sentence, as the letter words it.",
           lambda s, t, p: p.text),
    Column("url", "Page", "anyURI", "The passage on the letter's page.",
           lambda s, t, p: s.url(p.url)),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ThemePassages:
    """A theme's passages file: its CSV text and how many passages it holds."""

    text: str
    rows: int
    says: tuple[tuple[regional.Stance, int], ...] = ()  # passages by what they say, zeros left out


def theme_passages(site: Site, theme_id: str) -> ThemePassages:
    """Every passage on the theme in every letter, newest letter first: made once per build."""

    def make() -> ThemePassages:
        found: list[Passage] = [
            p
            for letter in site.by_theme.get(theme_id, [])
            for p in of_theme(site, letter, theme_id)
        ]
        said = Counter(p.stance for p in found if p.stance)
        return ThemePassages(
            _csv(PASSAGE_COLUMNS, [(site, theme_id, p) for p in found]),
            len(found),
            tuple((stance, said[stance]) for stance in regional.Stance if said[stance]),
        )

    return site.once(f"data.passages.{theme_id}", make)


# ---------------------------------------------------------------------------------------------
# The files, and the open data page that describes them


def files(site: Site) -> dict[str, str | bytes]:
    """Every open data file: site path → content, made once per build."""
    return site.once("data.files", lambda: _files(site))


def _files(site: Site) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {
        urls.LETTERS_JSON: letters_json(site),
        urls.LETTERS_CSV: letters_csv(site),
        urls.LETTERS_CSVW: csvw(
            site, [urls.LETTERS_CSV], "Final Letters: one row per letter", LETTER_COLUMNS, ["id"]
        ),
        urls.RECOMMENDATIONS_CSV: recommendations_csv(site),
        urls.RECOMMENDATIONS_CSVW: csvw(
            site,
            [urls.RECOMMENDATIONS_CSV],
            "Final Letters: one row per recommendation",
            RECOMMENDATION_COLUMNS,
            ["letter_id", "recommendation_id"],
        ),
        urls.PASSAGES_CSVW: csvw(
            site,
            [urls.theme_passages(theme.id) for theme in site.themes],
            "Final Letters: the passages on one theme, one row per passage",
            PASSAGE_COLUMNS,
            ["url", "text"],
        ),
    }
    for theme in site.themes:
        out[urls.theme_passages(theme.id)] = theme_passages(site, theme.id).text
    return out


@dataclass(frozen=True, slots=True)
class DataFile:
    """One file as the open data page describes it."""

    anchor: str
    title: str
    url: str
    label: str  # "letters.csv (CSV, 12 KB)"
    summary: str
    metadata: str = ""  # its CSVW metadata's site path
    metadata_label: str = ""
    columns: tuple[Column, ...] = ()
    also: tuple[tuple[str, str], ...] = ()  # (label, site path) of the same data in another shape


@dataclass(frozen=True, slots=True)
class ThemeFile:
    label: str  # the theme
    url: str
    size: str
    passages: int


@dataclass(frozen=True, slots=True)
class Feed:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class DataView:
    template: ClassVar[str] = "data.html"

    files: tuple[DataFile, ...]
    themes: tuple[ThemeFile, ...]
    passages_metadata: DataFile
    feeds: tuple[tuple[str, tuple[Feed, ...]], ...]  # (heading, feeds)


def pages(site: Site) -> Iterator[Generated]:
    yield data_page(site)


MATRIX_COLUMNS: tuple[Column, ...] = tuple(
    Column(name, name, "integer" if n >= 4 else "string", description, lambda *_: None)
    for n, (name, description) in enumerate(regional.MATRIX_COLUMNS)
)


def data_page(site: Site) -> Generated:
    contents = {**files(site), **matrix.files(site)}

    def size(path: str) -> str:
        content = contents[path]
        return render.file_size(
            len(content.encode("utf-8") if isinstance(content, str) else content)
        )

    def name(path: str) -> str:
        return path.rsplit("/", 1)[-1]

    described = (
        DataFile("letters-csv", "Letters (CSV)", urls.LETTERS_CSV,
                 f"letters.csv (CSV, {size(urls.LETTERS_CSV)})", "One row per letter.",
                 urls.LETTERS_CSVW, f"{name(urls.LETTERS_CSVW)} (CSVW, {size(urls.LETTERS_CSVW)})",
                 LETTER_COLUMNS),
        DataFile("recommendations-csv", "Recommendations (CSV)", urls.RECOMMENDATIONS_CSV,
                 f"recommendations.csv (CSV, {size(urls.RECOMMENDATIONS_CSV)})",
                 "One row per recommendation.", urls.RECOMMENDATIONS_CSVW,
                 f"{name(urls.RECOMMENDATIONS_CSVW)} (CSVW, {size(urls.RECOMMENDATIONS_CSVW)})",
                 RECOMMENDATION_COLUMNS),
        DataFile("letters-json", "Letters (JSON)", urls.LETTERS_JSON,
                 f"letters.json (JSON, {size(urls.LETTERS_JSON)})",
                 "Every letter with its council, dates, review team, themes (each with what "
                 "the letter's passages say of it: strength, development, recommendation), "
                 "recommendations and files, as one JSON document."),
        DataFile("matrix-csv", "Councils and themes (CSV)", matrix.CSV,
                 f"{name(matrix.CSV)} (CSV, {size(matrix.CSV)})",
                 "The table of councils and themes on the themes page: one row per West "
                 "Midlands council and theme, zeros included; and the same figures laid out as "
                 "that table, a column per theme.",
                 columns=MATRIX_COLUMNS,
                 also=((f"{name(matrix.WIDE_CSV)} (CSV, {size(matrix.WIDE_CSV)})",
                        matrix.WIDE_CSV),)),
    )  # fmt: skip
    passages_metadata = DataFile(
        "passages-csv",
        "Passages on each theme (CSV)",
        urls.PASSAGES_CSVW,
        f"{name(urls.PASSAGES_CSVW)} (CSVW, {size(urls.PASSAGES_CSVW)})",
        "One file per theme, one row per passage: the sentences of the letters that show the "
        "theme, each with where it stands in the letter.",
        columns=PASSAGE_COLUMNS,
    )
    themes = tuple(
        ThemeFile(
            theme.label,
            urls.theme_passages(theme.id),
            size(urls.theme_passages(theme.id)),
            theme_passages(site, theme.id).rows,
        )
        for theme in site.themes
    )
    councils = sorted(site.by_authority, key=lambda s: site.authority(s).short_name)
    feeds = (
        ("By council", tuple(
            Feed(site.authority(s).short_name, urls.authority_feed(s)) for s in councils
        )),
        ("By theme", tuple(Feed(theme.label, urls.theme_feed(theme.id)) for theme in site.themes)),
    )  # fmt: skip
    view = DataView(described, themes, passages_metadata, feeds)
    title = "Open data"
    sections = [(f.anchor, f.title) for f in described]
    sections += [
        (passages_metadata.anchor, passages_metadata.title),
        ("feeds", "Atom feeds"),
        ("licence", "Licence"),
    ]
    description = "The letters as open data: JSON, CSV with CSVW metadata, and Atom feeds."
    info = PageInfo(title, site.newest, description, toc=toc(title, *sections))
    return generate(urls.DATA, view, info)
