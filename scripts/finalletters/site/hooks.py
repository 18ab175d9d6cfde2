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

from finalletters.site import context, data, feeds, finder, pages, related, search_index
from finalletters.site.files import check_folders

_site: context.Site | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site
    check_folders(config)  # before mkdocs empties site_dir
    _site = context.load(config)
    _site.related = related.related_letters(_site.catalogue)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _current()
    files = pages.add(files, config, site)
    contents = data.files(site)
    for path, content in (contents | feeds.files(site)).items():
        pages.add_file(files, config, path, content)
    pages.add_page(files, config, site, pages.data_page(site, data.described(contents)))
    return finder.add_files(files, config, site.catalogue)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    pages.apply_meta(page, _current())
    return pages.skip_markdown(markdown, page, _current())


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return pages.apply_content(html, page, _current())


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return pages.insert_late(output, page, _current())


def on_post_build(config: MkDocsConfig) -> None:
    search_index.add_summaries(config, _current())
    finder.index(config)


def _current() -> context.Site:
    if _site is None:
        raise RuntimeError("on_config has not run: the catalogue is not loaded")
    return _site
