"""Safe YAML in and out: errors name the file and line; output is stable for diffs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import LetterError

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path: Path, display: str | None = None) -> Any:
    """Load one YAML file safely; a syntax error becomes a LetterError naming the line."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LetterError(name, f"is not UTF-8 text ({exc.reason})", "save it as UTF-8") from exc
    try:
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader, in C when built)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LetterError(
            name,
            f"is not valid YAML{where}: {problem}",
            "check the indentation and quote text that contains ': ' or starts with a symbol",
        ) from exc


class _Dumper(yaml.SafeDumper):
    """Block style, long lines kept whole, and lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
