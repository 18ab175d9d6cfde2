"""The council × theme matrix on /themes/, and as CSV on /data/.

Rows are the West Midlands councils, columns every theme; a cell is the number of the
council's letters raising the theme, with how many of them quote it as a strength, as an area
for development and in the recommendations (regional.matrix). Each cell links to the theme's
page narrowed to the council, where its passages are. The table is a real table with headers;
a cell's shade repeats its number, never replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from .. import regional
from ..model import Theme
from . import urls
from .context import Site

CSV = "data/council-theme-matrix.csv"
WIDE_CSV = "data/council-theme-matrix-wide.csv"
SHADES = 4  # shades of a cell with letters: 1, 2, 3, 4 or more letters


@dataclass(frozen=True, slots=True)
class MatrixCell:
    letters: int
    strengths: int
    development: int
    recommendations: int
    url: str  # the theme's page narrowed to the council; "" for an empty cell
    shade: int  # 0 for none, else 1 to SHADES
    label: str  # what the number counts, for a screen reader: "letter from Walsall on Carers"
    split: str  # the S, D and R under it in words


@dataclass(frozen=True, slots=True)
class MatrixRow:
    council: str  # short name
    url: str
    cells: tuple[MatrixCell, ...]
    letters: int


@dataclass(frozen=True, slots=True)
class MatrixView:
    themes: tuple[Theme, ...]
    rows: tuple[MatrixRow, ...]
    totals: tuple[int, ...]  # letters per theme across the councils
    csv: str
    wide_csv: str


def build(site: Site) -> regional.Matrix:
    return site.once(
        "matrix",
        lambda: regional.matrix(
            site.letters,
            [a.slug for a in site.west_midlands()],
            [t.id for t in site.themes],
        ),
    )


def cell_url(theme: str, council: str) -> str:
    """A theme's page showing one council's letters: themes.js narrows it from ?council=."""
    return f"{urls.theme(theme)}?{urlencode({'council': council})}#letters"


def view(site: Site) -> MatrixView:
    m = build(site)
    themes = tuple(site.themes)
    rows = []
    for authority in site.west_midlands():
        cells = []
        for cell in m.row(authority.slug):
            theme = site.reference.themes[cell.theme]
            split = (
                f"{cell.strengths} as a strength, {cell.development} as an area for "
                f"development, {cell.recommendations} in recommendations"
            )
            cells.append(
                MatrixCell(
                    letters=cell.letters,
                    strengths=cell.strengths,
                    development=cell.development,
                    recommendations=cell.recommendations,
                    url=cell_url(cell.theme, authority.short_name) if cell.letters else "",
                    shade=min(cell.letters, SHADES),
                    label=f"{'letter' if cell.letters == 1 else 'letters'} from "
                    f"{authority.short_name} on {theme.label}",
                    split=split,
                )
            )
        rows.append(
            MatrixRow(
                authority.short_name,
                urls.authority(authority.slug),
                tuple(cells),
                m.council_letters(authority.slug),
            )
        )
    return MatrixView(
        themes=themes,
        rows=tuple(rows),
        totals=tuple(m.theme_total(t.id) for t in themes),
        csv=CSV,
        wide_csv=WIDE_CSV,
    )


def pages(site: Site) -> tuple[()]:
    return ()


def files(site: Site) -> dict[str, str | bytes]:
    m = build(site)
    names = {a.slug: a.name for a in site.west_midlands()}
    labels = {t.id: t.label for t in site.themes}
    return {
        CSV: regional.matrix_csv(m, names, labels),
        WIDE_CSV: regional.matrix_wide_csv(m, names, labels),
    }
