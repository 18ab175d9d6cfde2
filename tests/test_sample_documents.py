"""The sample documents' labels (scripts/samples/documents/labels.yml) are complete and honest.

These checks tune nothing: they make sure every document has a label, that the labels use the
register's slugs and the taxonomy's theme ids, that each half is big enough and covers every
genre, and that what a label says is printed (every reviewer's name and every listed
recommendation) is in the PDF's text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict
from pypdf import PdfReader

from finalletters import register, yamlio
from finalletters.extract import extract
from finalletters.model import TeamMember, Visit
from finalletters.tools import documents, samples

REPO = Path(__file__).parents[1]
FOLDER = REPO / "scripts" / "samples" / "documents"
GENRES = (
    "final-letter", "feedback-letter", "lga-report", "news-release", "committee-report",
    "minutes", "progress-review", "summary",
)  # fmt: skip
MIN_PER_SPLIT = 15


class Recommendation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str
    listed: bool


class Label(BaseModel):
    """One entry of labels.yml, in the format agreed with `letters evaluate`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    file: str
    split: Literal["dev", "test"]
    genre: Literal[GENRES]  # type: ignore[valid-type]
    authority: str
    year: int | None
    visit: Visit | None
    letter_date: dt.date | None
    themes: list[str]
    team: list[TeamMember]
    recommendations: list[Recommendation]


@cache
def labels() -> tuple[Label, ...]:
    raw = yamlio.load(documents.LABELS)
    return tuple(Label.model_validate(entry) for entry in raw["documents"])


def by_id() -> dict[str, Label]:
    return {label.id: label for label in labels()}


@cache
def reference() -> register.Reference:
    return register.load(REPO / "letters")


def squash(text: str) -> str:
    """Letters and digits only, lowercased: whitespace, hyphenation and punctuation ignored."""
    return re.sub(r"[^0-9a-z]", "", text.replace("\u00ad", "").lower())


@cache
def pdf_text(label_id: str) -> str:
    """The extracted text, plus each table's columns read downwards: a cell that wraps comes
    out as two rows, and a recommendation in it is whole only when its column is read."""
    data = (FOLDER / by_id()[label_id].file).read_bytes()
    blocks = extract(data, label_id).blocks
    columns = [
        " ".join(row.cells[i] for row in rows if i < len(row.cells))
        for is_table, group in groupby(blocks, key=lambda block: block.kind == "table-row")
        if is_table
        for rows in [list(group)]
        for i in range(max(len(row.cells) for row in rows))
    ]
    return " ".join([*(block.text for block in blocks), *columns])


def test_every_source_has_one_label_and_a_pdf_and_every_label_a_source():
    stems = [path.stem for path in documents.sources()]
    ids = [label.id for label in labels()]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert sorted(ids) == stems
    for label in labels():
        assert label.file == f"pdf/{label.id}.pdf", label.id
        assert (FOLDER / label.file).is_file(), f"render {label.id}: samples --documents"
    assert sorted(p.stem for p in documents.OUT.glob("*.pdf")) == stems, "a PDF without a source"


def test_every_source_is_marked_as_a_sample_in_a_comment_and_a_field():
    for path in documents.sources():
        text = path.read_text("utf-8")
        assert text.startswith("# Sample document written for demonstration"), path.name
        assert documents.load_source(path)["sample"] is True


def test_labels_use_the_registers_slugs_and_the_taxonomys_theme_ids():
    slugs, themes = set(reference().authorities), set(reference().themes)
    for label in labels():
        assert label.authority in slugs, label.id
        assert set(label.themes) <= themes, (label.id, set(label.themes) - themes)
        assert len(label.themes) == len(set(label.themes)), label.id
        for member in label.team:
            assert member.name, f"{label.id}: label only reviewers the text names"
            assert member.organisation is None or member.organisation in slugs, (label.id, member)


def test_dates_and_years_agree_with_each_other():
    for label in labels():
        if label.visit:
            assert label.year == label.visit.start.year, label.id
        if label.visit and label.letter_date:
            assert label.letter_date >= label.visit.start, label.id


def test_each_half_has_at_least_fifteen_documents_and_covers_every_genre():
    """The dev half may be the larger (later batches are written for development); the test
    half must stay big enough to measure on, and cover every genre."""
    splits = Counter(label.split for label in labels())
    assert splits["dev"] >= MIN_PER_SPLIT, splits
    assert splits["test"] >= MIN_PER_SPLIT, splits
    for split in ("dev", "test"):
        genres = {label.genre for label in labels() if label.split == split}
        assert genres == set(GENRES), (split, set(GENRES) - genres)


def test_every_pdf_has_text_with_the_labelled_reviewers_and_listed_recommendations():
    for label in labels():
        text = squash(pdf_text(label.id))
        assert len(text) > 500, label.id
        for member in label.team:
            assert squash(member.name or "") in text, (label.id, member.name)
        for recommendation in label.recommendations:
            if recommendation.listed:
                assert squash(recommendation.text) in text, (label.id, recommendation.text)


def test_the_pdfs_carry_the_bullet_code_points_real_pdfs_write():
    raw = "".join(
        page.extract_text()
        for path in documents.OUT.glob("*.pdf")
        for page in PdfReader(path).pages
    )
    for code in (*documents.GLYPHS, 0x2022, 0x25AA):
        assert chr(code) in raw, f"no document draws U+{code:04X}"


@pytest.mark.parametrize(
    "label_id", ["lga-report-north-tyneside-2024", "progress-review-sefton-2023"]
)
def test_rendering_again_gives_the_committed_bytes(label_id, tmp_path):
    documents.render(documents.SOURCES / f"{label_id}.yml", tmp_path)
    again = (tmp_path / f"{label_id}.pdf").read_bytes()
    assert again == (FOLDER / f"pdf/{label_id}.pdf").read_bytes()


def test_a_source_not_marked_as_a_sample_is_refused(tmp_path):
    source = tmp_path / "not-a-sample.yml"
    text = (documents.SOURCES / "summary-essex-2024.yml").read_text("utf-8")
    source.write_text(text.replace("sample: true", "sample: false"), "utf-8")
    with pytest.raises(ValueError, match="sample: must be true"):
        documents.render(source, tmp_path)
    assert not (tmp_path / "not-a-sample.pdf").exists()


@pytest.mark.parametrize("source", ["walsall-2021-11", "birmingham-2020-02"])
def test_rendering_a_sample_letter_again_gives_its_committed_files(source, tmp_path, monkeypatch):
    """The sample letters' PDFs and letter.yml are the renderer's output, byte for byte: a
    field added to the model must not change what the renderer writes without a re-render."""
    monkeypatch.setattr(samples, "OUT", tmp_path)
    done = samples.render_one(samples.SOURCES / f"{source}.yml")
    for name in ("letter.pdf", "letter.yml"):
        again = (tmp_path / done.folder / name).read_bytes()
        committed = (samples.ROOT / "letters" / done.folder / name).read_bytes()
        assert again == committed, f"{done.folder}/{name}: run python -m finalletters.tools.samples"
