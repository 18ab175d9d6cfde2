"""Fixtures shared by every test module: the repository's own register and taxonomy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from finalletters import register

REPO = Path(__file__).parents[1]


@pytest.fixture(scope="session")
def reference() -> register.Reference:
    """The register and taxonomy committed in letters/, loaded once per test process."""
    return register.load(REPO / "letters")


REFERENCE_FILES = (
    "authorities.yml",
    "themes.yml",
    "letter.schema.json",
    "cqc-assessments.schema.json",
)


def empty_repository(root: Path) -> Path:
    """A repository at root with the real register, taxonomy and schemas, and no letters."""
    (root / "letters").mkdir(parents=True)
    for name in REFERENCE_FILES:
        shutil.copy(REPO / "letters" / name, root / "letters" / name)
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the real register and taxonomy and no letters."""
    return empty_repository(tmp_path)
