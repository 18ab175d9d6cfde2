"""Fixtures shared by every test module: the repository's own register and taxonomy."""

from __future__ import annotations

from pathlib import Path

import pytest

from finalletters import register

REPO = Path(__file__).parents[1]


@pytest.fixture(scope="session")
def reference() -> register.Reference:
    """The register and taxonomy committed in letters/, loaded once per test process."""
    return register.load(REPO / "letters")
