"""What a letter needs before the site publishes it.

A letter may be committed, checked and previewed while it is still a draft: proposed by
`letters add` or by the pull-request workflow and not yet reviewed. It is published only when it
has a title or a date to be named by, its publication date, at least one theme, its
recommendations (or `recommendations: []` with `no_recommendations_reason`), and nothing left
under `inferred`. Each missing thing is one Problem on one line: the field and what to do.

Strict (the default) makes these errors: `letters check`, the "ready to publish" check on pull
requests, and the build that deploys the site. Draft mode (`letters check --draft`, and the
pull-request preview build, which sets FINAL_LETTERS_DRAFT=1) reports them as warnings, so a
draft can be reviewed and previewed while it is completed.
"""

from __future__ import annotations

import os

from .errors import Problem, Severity
from .model import LetterMeta

DRAFT_VARIABLE = "FINAL_LETTERS_DRAFT"


def draft_from_environment() -> bool:
    """True when FINAL_LETTERS_DRAFT is set to 1 (the pull-request preview build)."""
    return os.environ.get(DRAFT_VARIABLE, "") == "1"


def problems(meta: LetterMeta, shown: str, draft: bool = False) -> list[Problem]:
    """One Problem per thing the letter still lacks; warnings in draft mode, else errors."""
    severity = Severity.WARNING if draft else Severity.ERROR
    missing: list[tuple[str, str]] = []
    if not meta.title and not meta.letter_date and not meta.visit:
        missing.append(
            ("title", "has no title and no date: add `letter_date:` (the date on the letter)")
        )
    if meta.published is None:
        missing.append(
            ("published", "is missing: add `published: YYYY-MM-DD`, the day it was made public")
        )
    if not meta.themes:
        missing.append(("themes", "lists no theme: add at least one id from letters/themes.yml"))
    if not meta.recommendations and not meta.no_recommendations_reason:
        missing.append(
            (
                "recommendations",
                "lists none: add the letter's recommendations, or write `recommendations: []` "
                "and say why in `no_recommendations_reason:`",
            )
        )
    missing += [
        ("inferred", f"still lists '{name}': check {name} against the letter, then remove it")
        for name in meta.inferred
    ]
    return [Problem(shown, text, "", field, severity) for field, text in missing]
