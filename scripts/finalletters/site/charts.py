"""Charts drawn at build time as SVG: no script, nothing fetched, the same bytes every build.

Each chart is an image with a name and a description (`role="img"`, <title>, <desc>) that say
what it shows in words; the page puts the same figures beside it as a table or a list, so the
chart is never the only way to read them. Every number is written in the chart as text, at a
contrast of at least 4.5:1 on its shade (WCAG 1.4.3); bars are at 10:1 against the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .render import escape

# Shades for a share of councils (1 to 4 quarters), light to dark, with a text colour on each
# that has a contrast of at least 4.5:1: dark text on the two lightest, white on the others.
SHADES = (("#dbe5f4", "#0b0c0c"), ("#9fb8e0", "#0b0c0c"), ("#3f65a8", "#ffffff"),
          ("#1f3d7a", "#ffffff"))  # fmt: skip
EMPTY = "#f3f2f1"
BAR = "#1f3d7a"
TEXT = "#0b0c0c"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int


def shade(share: float) -> tuple[str, str]:
    """The fill and text colour of a cell for a share in (0, 1]."""
    return SHADES[min(len(SHADES) - 1, max(0, int(share * len(SHADES) - 1e-9)))]


def _frame(
    chart_id: str, title: str, description: str, width: int, height: int, kind: str = "fl-chart"
) -> str:
    return (
        f'<svg class="{kind}" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def bar_chart(
    chart_id: str, title: str, description: str, bars: Sequence[Bar], maximum: int
) -> Markup:
    """Horizontal bars, one a row, each labelled above its bar and numbered at its end, so
    that the chart can shrink to a narrow screen and still be read."""
    width, row, bar_height = 340, 34, 12
    height = row * len(bars) + 4
    out = [_frame(chart_id, title, description, width, height, "fl-chart fl-chart--bars")]
    scale = (width - 40) / max(1, maximum)
    for n, bar in enumerate(bars):
        y = n * row
        length = max(2.0, bar.value * scale)
        out.append(
            f'<text x="0" y="{y + 13}" font-size="13" fill="{TEXT}">{escape(bar.label)}</text>'
            f'<rect x="0" y="{y + 18}" width="{length:.1f}" height="{bar_height}" fill="{BAR}"/>'
            f'<text x="{length + 6:.1f}" y="{y + 29}" font-size="13" font-weight="700" '
            f'fill="{TEXT}">{bar.value}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 (every label is escaped above)


def heat_map(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    totals: Sequence[int],
) -> Markup:
    """A matrix of counts, rows × columns, each cell shaded by its share of its column's total
    (the councils visited that year) and with its number in it; empty where the count is 0."""
    cells = [
        [
            (*shade(n / max(1, totals[c])), str(n)) if n else (EMPTY, TEXT, "")
            for c, n in enumerate(row)
        ]
        for row in counts
    ]
    return _grid(
        chart_id,
        title,
        description,
        rows,
        columns,
        cells,
        label_width=230,
        cell=38,
        ratio=0.7,
        limit=34,
    )


def _grid(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[tuple[str, str, str]]],
    *,
    label_width: int,
    cell: int,
    ratio: float,
    limit: int,
) -> Markup:
    """A matrix of cells (fill, ink, text), rows × columns, with the columns' names above and
    the rows' names before them; a cell with no text is only its fill. Cells are `cell` wide
    and `ratio` as tall."""
    gap, head = 2, 26
    step_y = cell * ratio + gap
    width = label_width + len(columns) * (cell + gap)
    height = head + len(rows) * step_y + 2
    out = [_frame(chart_id, title, description, width, round(height))]
    for c, column in enumerate(columns):
        x = label_width + c * (cell + gap) + cell / 2
        out.append(
            f'<text x="{x:.0f}" y="17" font-size="12" font-weight="700" text-anchor="middle" '
            f'fill="{TEXT}">{escape(column)}</text>'
        )
    for r, label in enumerate(rows):
        y = head + r * step_y
        middle = y + cell * ratio / 2 + 4
        out.append(
            f'<text x="{label_width - 8}" y="{middle:.1f}" font-size="12" text-anchor="end" '
            f'fill="{TEXT}">{escape(_short(label, limit))}</text>'
        )
        for c, (fill, ink, text) in enumerate(cells[r]):
            x = label_width + c * (cell + gap)
            out.append(
                f'<rect x="{x}" y="{y:.1f}" width="{cell}" height="{cell * ratio:.1f}" '
                f'fill="{fill}"/>'
            )
            if text:
                out.append(
                    f'<text x="{x + cell / 2:.0f}" y="{middle:.1f}" font-size="12" '
                    f'font-weight="700" text-anchor="middle" fill="{ink}">{escape(text)}</text>'
                )
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 (every label is escaped above)


def _short(label: str, limit: int = 34) -> str:
    """A row label that fits its column; the table beside the chart has it in full."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a stacked bar: what it counts, how many, and its fill."""

    label: str
    value: int
    fill: str


def stacked_bar(chart_id: str, title: str, parts: Sequence[Part], width: int = 120) -> Markup:
    """A small bar split into parts as long as their values, with its name and description
    saying every number: the page writes the same numbers beside it as text. No text is drawn
    in it (it is too small to hold it), so nothing in it needs a contrast but its outline."""
    total = sum(p.value for p in parts)
    words = "; ".join(f"{p.label}: {p.value}" for p in parts if p.value) or "none"
    out = [_frame(chart_id, title, words, width + 2, 14, "fl-chart fl-chart--stack")]
    x = 1.0
    for part in parts:
        if not part.value:
            continue
        length = width * part.value / total
        out.append(f'<rect x="{x:.1f}" y="1" width="{length:.1f}" height="12" fill="{part.fill}"/>')
        x += length
    if not total:
        out.append(f'<rect x="1" y="1" width="{width}" height="12" fill="{EMPTY}"/>')
    out.append(f'<rect x="1" y="1" width="{width}" height="12" fill="none" stroke="{TEXT}"/></svg>')
    return Markup("".join(out))  # noqa: S704 (every label is escaped by _frame)


def share_grid(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[str],
    columns: Sequence[str],
    percents: Sequence[Sequence[int | None]],
) -> Markup:
    """A matrix of percentages, rows × columns, each written in its cell and shaded by it; a
    dash where there is nothing to count (None)."""
    cells = [
        [(*(shade(p / 100) if p else (EMPTY, TEXT)), "–" if p is None else f"{p}%") for p in row]
        for row in percents
    ]
    return _grid(
        chart_id,
        title,
        description,
        rows,
        columns,
        cells,
        label_width=250,
        cell=46,
        ratio=0.6,
        limit=38,
    )
