"""Where things are in a Final Letters repository: one place for every path the commands share."""

from __future__ import annotations

from pathlib import Path

from .errors import LetterError

SCHEMA_FILE = "letters/letter.schema.json"
LABELS_SCHEMA_FILE = "letters/labels.schema.json"  # labels files of `letters evaluate`


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder above that holds letters/authorities.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "letters" / "authorities.yml").is_file():
            return folder
    raise LetterError(
        here,
        "is not inside a Final Letters repository",
        "run the command from the repository, or pass --root",
    )
