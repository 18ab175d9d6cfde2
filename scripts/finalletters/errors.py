"""One error shape everywhere: the file, the field, the problem and what to do."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one file, said so that a coordinator can fix it."""

    file: str
    problem: str
    tip: str = ""
    field: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}: " if self.field else f"{self.file}: "
        text = f"{self.severity}: {where}{self.problem}"
        return f"{text}\n  tip: {self.tip}" if self.tip else text


class LetterError(Exception):
    """Raised by the library; the CLI formats it and exits non-zero."""

    def __init__(self, file: str | Path, problem: str, tip: str = "", field: str = "") -> None:
        self.detail = Problem(file=str(file), problem=problem, tip=tip, field=field)
        super().__init__(str(self.detail))


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    """A '; did you mean …?' suffix when one of the choices is close to the word, else ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
