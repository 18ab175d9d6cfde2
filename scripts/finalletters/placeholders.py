"""Template leftovers: placeholders a letter's author forgot to fill in.

Letters are written from a template, and now and then one is sent with a gap still in it:
`<<DATE>>`, `[Council name]`, `{{ name }}`, `XX/XX/XXXX`. Such a letter is published as it was
sent (the PDF is the record), but its page tells the reader, and `letters check` warns the
coordinator. Pure: text in, findings out.
"""

from __future__ import annotations

import re

from .errors import Problem, Severity

# Each pattern is a kind of gap, not a list of phrases: a mail-merge field, a bracketed prompt
# that starts with the kind of word a template asks for, a template engine's field, a date or
# number written as Xs. "[see table 1]" or "[sic]" in a letter are left alone.
PLACEHOLDER = re.compile(
    r"<<[^<>\n]{1,60}>>"
    r"|«[^«»\n]{1,60}»"
    r"|\{\{[^{}\n]{0,60}\}\}"
    r"|\[\s*(?:insert|enter|add|council|authority|local authority|name|date|title|role"
    r"|organisation|organization|address|tbc|tbd|xx+)\b[^\[\]\n]{0,60}\]"
    r"|\b(?:XX|DD)/(?:XX|MM)/(?:XXXX|YYYY|XX|YY)\b",
    re.IGNORECASE,
)


def find(text: str) -> list[str]:
    """The placeholders in text, each once, in the order they first appear."""
    if not any(mark in text for mark in "<«{[/"):
        return []
    return list(dict.fromkeys(match.group().strip() for match in PLACEHOLDER.finditer(text)))


def problems(text: str, shown: str) -> list[Problem]:
    """A warning for a letter.md that still holds template placeholders."""
    found = find(text)
    if not found:
        return []
    listed = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
    return [
        Problem(
            shown,
            f"contains text left from a template ({listed})",
            "check the PDF: if the letter was sent like this, leave it (its page will say so); "
            "if letter.md was misread, correct it and set `edited: true`",
            "placeholders",
            Severity.WARNING,
        )
    ]
