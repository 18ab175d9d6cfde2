"""Open data: /data/letters.json, letters.csv and recommendations.csv, with CSVW metadata.

The columns are declared once, here: the CSV files, their CSVW metadata and the open data page
are all made from the same declarations. Every value comes from the letters; nothing from the
clock, so two builds of one commit write the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from ..catalogue import Letter
from ..model import Recommendation
from . import render, urls
from .context import Site, letter_cqc, letter_themes, letter_wm

LICENCE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PUBLISHER = "West Midlands Association of Directors of Adult Social Services (WM ADASS)"
# A spreadsheet runs a cell that starts with one of these as a formula: such cells are prefixed
# with a single quote, so that text from a letter can never run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    title: str
    datatype: str  # a CSVW datatype: string, date, integer, boolean, anyURI
    description: str
    value: Callable  # (site, letter[, recommendation]) → value, or None when not known


def _date(value) -> str | None:
    return value.isoformat() if value else None


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
    Column("letter_date", "Date of letter", "date", "The date the letter was sent.",
           lambda s, x: _date(x.meta.letter_date)),
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


def csvw(site: Site, csv_path: str, title: str, columns: tuple[Column, ...], key: list[str]) -> str:
    """CSV on the Web metadata (W3C, `<file>.csv-metadata.json`) describing one CSV file."""
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_path.rsplit("/", 1)[-1],
        "dc:title": title,
        "dc:publisher": PUBLISHER,
        "dc:license": {"@id": LICENCE},
        "dc:source": site.url(urls.HOME),
        "dialect": {"encoding": "utf-8", "header": True, "lineTerminators": ["\r\n"]},
        "tableSchema": {
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
        },
    }
    return _json(metadata)


# ---------------------------------------------------------------------------------------------
# JSON


def letter_record(site: Site, letter: Letter) -> dict:
    meta = letter.meta
    themes = letter_themes(letter)
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
        "letter_date": _date(meta.letter_date),
        "published": _date(meta.published),
        "team": [
            {"role": str(m.role), "name": m.name, "organisation": m.organisation} for m in meta.team
        ],
        "themes": [
            {"id": t.id, "label": t.label, "url": site.url(urls.theme(t.id))} for t in themes
        ],
        "cqc_quality_statements": letter_cqc(letter),
        "wm_domains": letter_wm(letter),
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
    return {"id": r.id, "text": r.text, "themes": list(r.themes), "status": str(r.status)}


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
# The files, and how the open data page describes them


def files(site: Site) -> dict[str, str]:
    """Every open data file: site path → content."""
    return {
        urls.LETTERS_JSON: letters_json(site),
        urls.LETTERS_CSV: letters_csv(site),
        urls.LETTERS_CSVW: csvw(
            site, urls.LETTERS_CSV, "Final Letters: one row per letter", LETTER_COLUMNS, ["id"]
        ),
        urls.RECOMMENDATIONS_CSV: recommendations_csv(site),
        urls.RECOMMENDATIONS_CSVW: csvw(
            site,
            urls.RECOMMENDATIONS_CSV,
            "Final Letters: one row per recommendation",
            RECOMMENDATION_COLUMNS,
            ["letter_id", "recommendation_id"],
        ),
    }


def described(contents: dict[str, str]) -> list[dict]:
    """What the open data page says of each file: its size, its columns."""

    def size(path: str) -> str:
        return render.file_size(len(contents[path].encode("utf-8")))

    return [
        {
            "anchor": "letters-csv",
            "title": "Letters (CSV)",
            "url": urls.LETTERS_CSV,
            "label": f"letters.csv (CSV, {size(urls.LETTERS_CSV)})",
            "summary": "One row per letter.",
            "metadata": urls.LETTERS_CSVW,
            "metadata_label": f"letters.csv-metadata.json (CSVW, {size(urls.LETTERS_CSVW)})",
            "columns": LETTER_COLUMNS,
        },
        {
            "anchor": "recommendations-csv",
            "title": "Recommendations (CSV)",
            "url": urls.RECOMMENDATIONS_CSV,
            "label": f"recommendations.csv (CSV, {size(urls.RECOMMENDATIONS_CSV)})",
            "summary": "One row per recommendation.",
            "metadata": urls.RECOMMENDATIONS_CSVW,
            "metadata_label": "recommendations.csv-metadata.json "
            f"(CSVW, {size(urls.RECOMMENDATIONS_CSVW)})",
            "columns": RECOMMENDATION_COLUMNS,
        },
        {
            "anchor": "letters-json",
            "title": "Letters (JSON)",
            "url": urls.LETTERS_JSON,
            "label": f"letters.json (JSON, {size(urls.LETTERS_JSON)})",
            "summary": "Every letter with its council, dates, review team, themes, "
            "recommendations and files, as one JSON document.",
            "metadata": "",
            "metadata_label": "",
            "columns": (),
        },
    ]
