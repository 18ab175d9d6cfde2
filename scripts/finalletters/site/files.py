"""What the build may read and where it may write: no file is published through a link, and a
site folder that is a link is never emptied.

The catalogue has opened every PDF a letter publishes (without following a link) and checked it
by its bytes; `checked_pdf` adds it to the build as a file that is copied the same way and only
if it still has the SHA-256 the catalogue saw. `check_folders` runs in on_config, before mkdocs
empties the site folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from .. import extract, safefs
from ..errors import LetterError


class CheckedFile(File):
    """A file of a letter's folder, copied without following a link, if it is still the file
    (by SHA-256) that the catalogue checked."""

    sha256: str = ""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        if self.abs_src_path is None or not self.sha256:
            raise PluginError(f"{self.src_uri} was not checked by the catalogue")
        try:
            safefs.copy_checked(
                Path(self.abs_src_path), Path(self.abs_dest_path), self.sha256, extract.MAX_BYTES
            )
        except LetterError as exc:
            raise PluginError(str(exc)) from exc


def checked_pdf(config: MkDocsConfig, path: str, source: Path, sha256: str) -> File:
    """A PDF the catalogue read and checked, published at site path `path`."""
    file = cast(CheckedFile, CheckedFile.generated(config, path, abs_src_path=str(source)))
    file.sha256 = sha256  # File.generated builds the class it is called on
    return file


def check_folders(config: MkDocsConfig) -> None:
    """Refuse a site folder or docs folder that is a link (or is reached through one inside the
    project), and any link or special file among the hand-written pages."""
    project = Path(os.path.normpath(Path(config.config_file_path).absolute())).parent
    problems = []
    for name in ("site_dir", "docs_dir"):
        folder = Path(os.path.normpath(Path(config[name]).absolute()))
        problems += _links_on_the_way(project, folder, name)
    docs = Path(config.docs_dir)
    if docs.is_dir() and not docs.is_symlink():
        for where, dirs, names in os.walk(docs):
            for entry in sorted(dirs + names):
                path = Path(where, entry)
                mode = path.lstat().st_mode
                if stat.S_ISLNK(mode):
                    problems.append(f"{path}: {safefs.link_problem(path)}")
                elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    problems.append(f"{path}: is not a regular file (it is {safefs.kind(mode)})")
    if problems:
        raise PluginError(
            "The build does not follow links: a linked site folder would be emptied, a linked "
            "page would publish whatever it points to.\n"
            + "\n".join(problems)
            + f"\ntip: {safefs.LINK_TIP}"
        )


def _links_on_the_way(project: Path, folder: Path, name: str) -> list[str]:
    """The links among folder and its parents up to the project (folder itself if outside)."""
    on_the_way = [folder]
    if folder.is_relative_to(project):
        on_the_way += [p for p in folder.parents if p.is_relative_to(project) and p != project]
    return [
        f"{name} {path}: {safefs.link_problem(path)}" for path in on_the_way if path.is_symlink()
    ]
