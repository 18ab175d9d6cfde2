"""Reference data: the register of councils and the taxonomy of themes, loaded and indexed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from . import yamlio
from .errors import LetterError
from .model import Authority, Register, Taxonomy, Theme

WEST_MIDLANDS = "West Midlands"
_Model = TypeVar("_Model", Register, Taxonomy)


def _normalise(name: str) -> str:
    """Fold the spellings of one council name together ('&' and 'and', case, punctuation)."""
    name = name.replace("&", " and ").replace("’", "'").lower()
    name = re.sub(r"[^a-z0-9' ]+", " ", name)
    return re.sub(r"\s+", " ", name).strip()


@dataclass(frozen=True, eq=False)  # hashed by identity, so analysers can cache per register
class Reference:
    """Everything a letter may refer to: councils by slug, themes by id."""

    authorities: dict[str, Authority]
    themes: dict[str, Theme]
    ignored_phrases: tuple[str, ...] = ()  # evidence of no theme (themes.yml `ignore`)

    @classmethod
    def from_data(cls, register: Register, taxonomy: Taxonomy) -> Reference:
        return cls(
            authorities={a.slug: a for a in register.authorities},
            themes={t.id: t for t in taxonomy.themes},
            ignored_phrases=tuple(taxonomy.ignore),
        )

    @cached_property
    def names(self) -> dict[str, str]:
        """Every official name, short name and alias (normalised) → slug."""
        names: dict[str, str] = {}
        for authority in self.authorities.values():
            for name in (authority.name, authority.short_name, *authority.aliases):
                names.setdefault(_normalise(name), authority.slug)
        return names

    def slug_for(self, name: str) -> str | None:
        """The slug a council name or alias stands for, or None."""
        return self.names.get(_normalise(name))

    def west_midlands(self) -> list[Authority]:
        return sorted(
            (a for a in self.authorities.values() if a.region == WEST_MIDLANDS),
            key=lambda a: a.short_name,
        )


def load(letters_dir: Path) -> Reference:
    """Load letters/authorities.yml and letters/themes.yml, or raise a LetterError."""
    register = _validated(letters_dir / "authorities.yml", Register)
    taxonomy = _validated(letters_dir / "themes.yml", Taxonomy)
    _unique(letters_dir / "authorities.yml", [a.slug for a in register.authorities], "slug")
    _unique(letters_dir / "authorities.yml", [a.gss for a in register.authorities], "gss")
    _unique(letters_dir / "themes.yml", [t.id for t in taxonomy.themes], "id")
    return Reference.from_data(register, taxonomy)


def _validated(path: Path, model: type[_Model]) -> _Model:
    if not path.is_file():
        raise LetterError(path, "is missing", "restore it from the repository's history")
    data = yamlio.load(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LetterError(
            path, first["msg"], "see the comment at the top of the file", where
        ) from exc


def _unique(path: Path, values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise LetterError(path, f"{what} '{value}' appears twice", "keep one entry", what)
        seen.add(value)
