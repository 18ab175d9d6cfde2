"""mkdocs hooks (mkdocs.yml `hooks:`): thin; each one delegates to the package.

The catalogue is loaded once per build, in on_config, by `finalletters.catalogue.load`: the same
checks as `letters check`, and any error stops the build. Set FINAL_LETTERS_ROOT to build from
a folder other than the one holding mkdocs.yml (it must contain letters/).
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import finalletters  # noqa: F401 (installed, or on PYTHONPATH)
except ImportError:  # a fresh clone without `pip install -e .`: use the package beside us
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from finalletters.site import context, finder_index, pages, plumbing, search_index
from finalletters.site.files import check_folders

_site: context.Site | None = None
_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site
    check_folders(config)  # before mkdocs empties site_dir
    _site = context.load(config)
    context.example_letter(config, _site)
    # `mkdocs serve` reloads pages with an inline script of its own: only there is one allowed.
    config.extra["csp_script_extra"] = " 'unsafe-inline'" if _serving else ""
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    return pages.add(files, config, _current())


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    plumbing.apply_meta(page, _current())
    return plumbing.skip_markdown(markdown, page, _current())


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return plumbing.apply_content(html, page, _current())


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return plumbing.insert_late(output, page, _current())


def on_post_build(config: MkDocsConfig) -> None:
    search_index.add_summaries(config, _current())
    finder_index.index(config)


def _current() -> context.Site:
    if _site is None:
        raise RuntimeError("on_config has not run: the catalogue is not loaded")
    return _site
