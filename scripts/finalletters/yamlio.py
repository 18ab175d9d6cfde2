"""Safe YAML in and out: errors name the file, the line and the field; output is stable for diffs.

Every file a person edits (letter.yml, letter.md's front matter, authorities.yml, themes.yml) is
read by `STRICT_LOADER`: PyYAML's safe loader (in C when built) that also refuses what a
careless or hostile file could use to hide a mistake or stall a command:

- aliases (`*name`, and `<<` merges, which use them): a few hundred bytes of aliases expand to
  gigabytes when the data is walked, and a letter never needs them;
- a key given twice in one mapping (PyYAML would keep the last one silently);
- nesting deeper than MAX_DEPTH, more than MAX_NODES values, documents over MAX_BYTES;
- characters that cannot be written out again (a lone UTF-16 surrogate).

A date that does not exist (2023-02-30, 2024-13-01) is kept as text, so that the schema says
which field "is not a date" instead of PyYAML raising a ValueError without a line.
The checks walk the composed nodes once before anything is built, and the C parser stays in use:
the walk costs about 2 ms over the repository's 23 YAML files, which take 15 to 20 ms to parse.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import safefs
from .errors import LetterError

MAX_BYTES = 1024 * 1024  # letters/authorities.yml, the largest, is 29 KB
MAX_DEPTH = 32
MAX_NODES = 200_000
YAML_TIP = "check the indentation and quote text that contains ': ' or starts with a symbol"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RefusedYAML(yaml.MarkedYAMLError):
    """Valid YAML that a letter must not use; says where, in one line."""

    def __init__(self, problem: str, node: Node, field: str = "", tip: str = YAML_TIP) -> None:
        line = node.start_mark.line + 1
        super().__init__(problem=problem.format(line=line), problem_mark=node.start_mark)
        self.field = field
        self.tip = tip

    def __str__(self) -> str:
        return str(self.problem)


class TooLarge(yaml.YAMLError):
    def __init__(self, size: int) -> None:
        super().__init__(f"is {size / 1024:.0f} KB, over the {MAX_BYTES // 1024} KB limit for YAML")


class StrictLoader(_BaseLoader):
    """The safe loader, refusing aliases, duplicate keys and oversized documents."""

    def __init__(self, stream: Any) -> None:
        if isinstance(stream, str | bytes) and len(stream) > MAX_BYTES:
            raise TooLarge(len(stream))
        super().__init__(stream)

    def construct_document(self, node: Node) -> Any:
        _check_nodes(node)
        return super().construct_document(node)

    def construct_yaml_timestamp(self, node: Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # 2023-02-30: looks like a date, is not one; the schema says so
            return self.construct_scalar(node)


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_timestamp)
STRICT_LOADER = StrictLoader
SAFE_LOADER = StrictLoader  # the name lettermd.read_letter_md imports


def _check_nodes(root: Node) -> None:
    """Refuse aliases (a node reached twice), duplicate keys, deep nesting and huge documents.

    Iterative, and it stops at the first node seen twice, so an alias bomb costs nothing here.
    """
    seen: set[int] = set()
    stack: list[tuple[Node, int, str]] = [(root, 0, "")]
    while stack:
        node, depth, where = stack.pop()
        if id(node) in seen:
            raise RefusedYAML(
                "repeats the value at line {line} by an alias (*name) or a merge (<<)",
                node,
                where,
                "write the value out in full: a letter's files use no aliases",
            )
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise RefusedYAML(f"has more than {MAX_NODES:,} values (line {{line}})", node, where)
        if depth > MAX_DEPTH:
            raise RefusedYAML(
                f"is nested more than {MAX_DEPTH} levels deep (line {{line}})", node, where
            )
        if isinstance(node, ScalarNode):
            if not node.value.isascii() and _SURROGATE.search(node.value):
                raise RefusedYAML(
                    "has a character that is not valid text at line {line}", node, where
                )
        elif isinstance(node, SequenceNode):  # children pushed last first: read in order
            stack.extend((item, depth + 1, where) for item in reversed(node.value))
        elif isinstance(node, MappingNode):
            keys: dict[str, Node] = {}
            children: list[tuple[Node, int, str]] = []
            for key, value in node.value:
                name = key.value if isinstance(key, ScalarNode) else ""
                path = f"{where}.{name}" if where and name else name or where
                if isinstance(key, ScalarNode):
                    if name in keys:
                        first = keys[name].start_mark.line + 1
                        raise RefusedYAML(
                            f"is given twice, at lines {first} and {{line}}",
                            key,
                            path,
                            "keep one of them (YAML would silently use the last)",
                        )
                    keys[name] = key
                children += [(key, depth + 1, path), (value, depth + 1, path)]
            stack.extend(reversed(children))


def loads(text: str, name: str) -> Any:
    """Parse YAML text strictly; any problem becomes a LetterError naming the line."""
    try:
        return yaml.load(text, Loader=STRICT_LOADER)  # noqa: S506 (a safe loader, in C when built)
    except RefusedYAML as exc:
        raise LetterError(name, str(exc), exc.tip, exc.field) from None
    except TooLarge as exc:
        raise LetterError(name, str(exc), "remove what does not belong in it") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LetterError(name, f"is not valid YAML{where}: {problem}", YAML_TIP) from None
    except RecursionError:
        raise LetterError(name, f"is nested more than {MAX_DEPTH} levels deep", YAML_TIP) from None


def load(path: Path, display: str | None = None) -> Any:
    """Load one YAML file: a regular file, never through a link, UTF-8, within MAX_BYTES."""
    name = display or str(path)
    return loads(safefs.read_text(path, MAX_BYTES, name), name)


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
