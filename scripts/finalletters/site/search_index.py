"""Letter summaries in the header search's index.

Material's search plugin parses every page's HTML into sections. For a letter page that costs
more than the rest of the page's build and indexes more than a reader looking for a letter
needs. Letter pages are therefore excluded from the plugin (`search: exclude` in their meta)
and each gets one entry here: title and summary (council, visit, themes, review team). The
letters' own text is searched at /find/.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from . import render
from .context import Site

INDEX = Path("search") / "search_index.json"


def entries(site: Site) -> list[dict[str, str]]:
    """One entry per page that carries a summary, in a stable order. Material shows an
    entry's title and text as HTML, so both are escaped."""
    return [
        {
            "location": src_uri.removesuffix("index.md"),
            "title": render.escape(info.title),
            "text": render.escape(info.search_text),
        }
        for src_uri, info in sorted(site.pages.items())
        if info.search_text
    ]


def add_summaries(config: MkDocsConfig, site: Site) -> None:
    """Add the summaries to the index the search plugin wrote (it runs before this hook)."""
    path = Path(config.site_dir) / INDEX
    if not path.is_file():  # the search plugin is switched off
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    index["docs"].extend(entries(site))
    path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
