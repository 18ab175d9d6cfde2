"""The coordinator's commands on a small repository made by each test, one bad case at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from finalletters import cli, extract, lettermd
from tests import pdfs

REPO = Path(__file__).parents[1]

GOOD_LETTER = [
    ("title", "Adult Social Care Peer Challenge: Dudley Metropolitan Borough Council"),
    ("p", "Date: 14 July 2023"),
    ("p", "Dear Director,"),
    (
        "p",
        "Thank you for hosting the peer challenge of adult social care in Dudley, which took "
        "place from 13 to 15 June 2023. The team was led by Sam Patel, Director of Adult "
        "Social Services at Shropshire Council.",
    ),
    ("h2", "Strengths"),
    (
        "p",
        "Support for unpaid carers is strong: carers' assessments are completed quickly and "
        "carers told us that respite was easy to arrange. Young carers are identified early.",
    ),
    ("h2", "Areas for development"),
    (
        "p",
        "Waiting lists for Care Act assessments have grown to over 600 people. The Council may "
        "wish to consider a single plan to reduce the assessment waiting list. Recruitment and "
        "retention of social workers is difficult and agency staff fill many vacancies.",
    ),
    ("h2", "Recommendations"),
    ("number", "Agree a plan to reduce waiting lists for assessments and reviews."),
    ("number", "Develop a workforce strategy that reduces reliance on agency social workers."),
]


def run(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def good_pdf() -> bytes:
    return pdfs.letter_pdf(GOOD_LETTER)


def write_letter(repo: Path, letter_id: str, pdf: bytes, yml: str, md: bool = True) -> Path:
    """A letter folder as a coordinator would commit it."""
    folder = repo / "letters" / letter_id
    folder.mkdir(parents=True)
    (folder / "letter.pdf").write_bytes(pdf)
    (folder / "letter.yml").write_text(yml, encoding="utf-8")
    if md:
        text = lettermd.letter_md(extract.extract(pdf, "letter.pdf"), extract.sha256(pdf))
        (folder / "letter.md").write_text(text, encoding="utf-8")
    return folder


VALID_YML = """\
authority: dudley
visit: {start: 2023-06-13, end: 2023-06-15}
letter_date: 2023-07-14
published: 2023-09-01
sample: true
themes: [carers, workforce]
recommendations:
  - {id: R1, text: Agree a plan to reduce waiting lists for assessments and reviews.}
"""


# --- inspect and add ------------------------------------------------------------------------


def test_inspect_json_gives_the_council_year_dates_and_themes(repo, tmp_path, capsys):
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(good_pdf())
    code, out, err = run(repo, "inspect", str(pdf), "--json", capsys=capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["authority"] == {
        "slug": "dudley",
        "name": "Dudley Metropolitan Borough Council",
        "gss": "E08000027",
    }
    assert result["year"] == 2023
    assert result["visit"] == {"start": "2023-06-13", "end": "2023-06-15"}
    assert result["letter_date"] == "2023-07-14"
    theme_ids = {theme["id"] for theme in result["themes"]}
    assert {"carers", "assessment-waiting-lists", "workforce"} <= theme_ids, result["themes"]
    assert all(theme["evidence"] for theme in result["themes"])
    assert len(result["recommendations"]) >= 3, result["recommendations"]
    assert not list((repo / "letters").glob("*/*")), "inspect must write nothing"


def test_add_creates_the_folder_and_lists_what_to_review(repo, tmp_path, capsys):
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(good_pdf())
    code, out, err = run(repo, "add", str(pdf), capsys=capsys)
    assert code == 0, err
    folder = repo / "letters" / "dudley" / "2023-06"
    assert sorted(p.name for p in folder.iterdir()) == ["letter.md", "letter.pdf", "letter.yml"]
    assert "authority" in out and "visit" in out
    code, out, err = run(repo, "check", "--draft", capsys=capsys)
    assert code == 0, err
    assert "inferred: still lists 'authority'" in err  # warnings while it is a draft
    assert run(repo, "check", capsys=capsys)[0] == 1  # not ready to publish until reviewed


def test_add_keeps_its_proposed_themes_beside_the_list_a_person_reviews(repo, tmp_path, capsys):
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(good_pdf())
    assert run(repo, "add", str(pdf), capsys=capsys)[0] == 0
    data = yaml.safe_load((repo / "letters" / "dudley" / "2023-06" / "letter.yml").read_text())
    assert data["themes"], "the letter names themes"
    assert data["proposed_themes"] == data["themes"]


def test_add_writes_the_warnings_beside_the_fields_they_concern(repo, tmp_path, capsys):
    pdf = tmp_path / "in.pdf"
    letter = [
        (kind, text.replace("at Shropshire Council", "") if kind == "p" else text)
        for kind, text in GOOD_LETTER
    ]
    letter = [
        (k, t.replace("which took place from 13 to 15 June 2023", "in June 2023"))
        for k, t in letter
    ]
    pdf.write_bytes(pdfs.letter_pdf(letter))
    code, out, err = run(repo, "add", str(pdf), capsys=capsys)
    assert code == 0, err
    meta = yaml.safe_load((repo / "letters" / "dudley" / "2023-07" / "letter.yml").read_text())
    assert meta["visit"] is None and meta["visit_month"] == "2023-06"
    assert any("Sam Patel" in warning for warning in meta["inferred"]["team"]), meta["inferred"]
    assert "warning:" in out
    code, _, err = run(repo, "check", "--draft", capsys=capsys)
    assert code == 0, err


def test_add_refuses_to_overwrite_an_existing_letter(repo, tmp_path, capsys):
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(good_pdf())
    assert run(repo, "add", str(pdf), capsys=capsys)[0] == 0
    yml = repo / "letters" / "dudley" / "2023-06" / "letter.yml"
    yml.write_text(VALID_YML, encoding="utf-8")  # a person has reviewed it
    pdf.write_bytes(pdfs.letter_pdf([*GOOD_LETTER, ("p", "A second version of the letter.")]))
    code, _, err = run(repo, "add", str(pdf), capsys=capsys)
    assert code == 1
    assert "letters/dudley/2023-06: already exists" in err
    assert yml.read_text(encoding="utf-8") == VALID_YML


def test_add_refuses_the_same_pdf_under_another_visit(repo, tmp_path, capsys):
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(good_pdf())
    assert run(repo, "add", str(pdf), capsys=capsys)[0] == 0
    code, _, err = run(repo, "add", str(pdf), "--visit-start", "2024-01-09", capsys=capsys)
    assert code == 1
    assert "is the same PDF" in err


def test_add_with_an_unknown_authority_suggests_the_right_slug(repo, tmp_path, capsys):
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(good_pdf())
    code, _, err = run(repo, "add", str(pdf), "--authority", "dudly", capsys=capsys)
    assert code == 1
    assert "did you mean 'dudley'?" in err
    assert not (repo / "letters" / "dudly").exists()


@pytest.mark.parametrize(
    ("maker", "message"),
    [
        (pdfs.image_only_pdf, "looks scanned"),
        (pdfs.encrypted_pdf, "encrypted"),
        (pdfs.not_a_pdf, "is not a PDF"),
        (pdfs.corrupt_pdf, "could not be read"),
    ],
)
def test_add_writes_nothing_when_the_pdf_is_bad(repo, tmp_path, capsys, maker, message):
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(maker())
    code, _, err = run(repo, "add", str(pdf), "--authority", "dudley", capsys=capsys)
    assert code == 1
    assert message in err and "tip:" in err, err
    assert not list((repo / "letters").glob("*/*")), "nothing may be written"


# --- check: one fixture per bad case ---------------------------------------------------------


def test_check_passes_on_a_good_letter(repo, capsys):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    code, out, err = run(repo, "check", capsys=capsys)
    assert code == 0, err
    assert "checked 1 letters: 0 errors" in out


BAD_PDFS = {
    "corrupt": (pdfs.corrupt_pdf, "could not be read as a PDF"),
    "encrypted": (pdfs.encrypted_pdf, "is encrypted"),
    "scanned-no-text": (pdfs.image_only_pdf, "has no text layer: it looks scanned"),
    "zero-pages": (pdfs.no_pages_pdf, "has no pages"),
    "not-a-pdf": (pdfs.not_a_pdf, "is not a PDF"),
}


@pytest.mark.parametrize("case", sorted(BAD_PDFS))
def test_check_fails_on_a_bad_pdf_and_goes_on_with_the_others(repo, capsys, case):
    maker, message = BAD_PDFS[case]
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    write_letter(
        repo,
        "walsall/2022-03",
        maker(),
        "authority: walsall\nvisit: {start: 2022-03-01, end: 2022-03-03}\n",
        md=False,
    )
    code, out, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert f"error: letters/walsall/2022-03/letter.pdf: {message}" in err, err
    assert "tip:" in err
    assert "letters/dudley" not in err, "the good letter has no problems"
    assert "checked 2 letters" in out


def test_check_fails_on_a_pdf_over_the_size_limit(repo, capsys, monkeypatch):
    monkeypatch.setattr(extract, "MAX_BYTES", 1000)
    write_letter(
        repo,
        "walsall/2022-03",
        b"%PDF-1.4\n" + b"0" * 2000,
        "authority: walsall\nvisit: {start: 2022-03-01, end: 2022-03-03}\n",
        md=False,
    )
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/walsall/2022-03/letter.pdf" in err and "MB" in err, err


BAD_METADATA = {
    "broken-yaml": (
        "authority: dudley\nvisit: {start: 2023-06-13, end: 2023-06-15\n",
        "letter.yml: is not valid YAML at line",
    ),
    "typo-key": (
        VALID_YML + "authorty: dudley\n",
        "letter.yml: authorty: unknown key 'authorty'; did you mean 'authority'?",
    ),
    "unknown-authority": (
        VALID_YML.replace("authority: dudley", "authority: dudly"),
        "letter.yml: authority: 'dudly' is not in letters/authorities.yml; did you mean 'dudley'?",
    ),
    "unknown-theme": (
        VALID_YML.replace("workforce", "workfroce"),
        "letter.yml: themes: theme 'workfroce' is not in letters/themes.yml; "
        "did you mean 'workforce'?",
    ),
    "visit-ends-before-it-starts": (
        VALID_YML.replace("end: 2023-06-15", "end: 2023-06-12"),
        "visit: Value error, end 2023-06-12 is before start 2023-06-13",
    ),
    "folder-month-mismatch": (
        VALID_YML.replace("2023-06-13", "2023-05-30"),
        "visit.start 2023-05-30 is not in 2023-06",
    ),
    "hostile-yaml-tag": (
        "authority: !!python/object/apply:os.system ['true']\n",
        "is not valid YAML",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_METADATA))
def test_check_fails_with_a_precise_message_on_bad_metadata(repo, capsys, case):
    yml, message = BAD_METADATA[case]
    write_letter(repo, "dudley/2023-06", good_pdf(), yml)
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert message in err, err
    assert "tip:" in err


def test_check_fails_on_a_duplicate_letter(repo, capsys):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    write_letter(repo, "dudley/2024-06", good_pdf(), VALID_YML.replace("2023-", "2024-"))
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/dudley/2024-06/letter.pdf: is the same file as letters/dudley/2023-06" in err


def test_check_refuses_a_path_outside_letters(repo, tmp_path, capsys):
    outside = tmp_path.parent / "elsewhere"
    outside.mkdir(exist_ok=True)
    code, _, err = run(repo, "check", str(outside), capsys=capsys)
    assert code == 1
    assert "is outside" in err and "letters" in err, err


def test_check_fails_when_letter_md_was_edited_without_the_mark(repo, capsys):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    md = folder / "letter.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nA correction.\n", encoding="utf-8")
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "changed by hand but is not marked as edited" in err
    md.write_text(
        md.read_text(encoding="utf-8").replace("edited: false", "edited: true"), encoding="utf-8"
    )
    assert run(repo, "check", capsys=capsys)[0] == 0


def test_check_fails_when_the_pdf_changed_after_extraction(repo, capsys):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    (folder / "letter.pdf").write_bytes(pdfs.simple_letter())
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "was made from a different letter.pdf" in err
    assert "letters extract" in err


def test_check_fails_on_an_individuals_email_address_and_mobile_number(repo, capsys):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    md = folder / "letter.md"
    text = md.read_text(encoding="utf-8").replace("edited: false", "edited: true")
    md.write_text(text + "\nContact jane.smith@dudley.gov.uk or 07700 900123.\n", "utf-8")
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "contains an email address (jane.smith@dudley.gov.uk)" in err
    assert "contains a mobile phone number (07700 900123)" in err


# --- extract ----------------------------------------------------------------------------------


def test_extract_never_touches_letter_yml_or_an_edited_letter_md(repo, capsys):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    md = folder / "letter.md"
    edited = md.read_text(encoding="utf-8").replace("edited: false", "edited: true") + "\nFix.\n"
    md.write_text(edited, encoding="utf-8")
    (folder / "letter.pdf").write_bytes(pdfs.simple_letter())
    code, _out, err = run(repo, "extract", "--refresh", capsys=capsys)
    assert code == 0, err
    assert md.read_text(encoding="utf-8") == edited
    assert (folder / "letter.yml").read_text(encoding="utf-8") == VALID_YML


def test_extract_rewrites_letter_md_when_the_pdf_changed(repo, capsys):
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    (folder / "letter.pdf").write_bytes(pdfs.simple_letter())
    code, out, _ = run(repo, "extract", capsys=capsys)
    assert code == 0
    assert "wrote 1 letter.md" in out
    assert run(repo, "check", capsys=capsys)[0] == 0


def test_extract_reports_a_bad_pdf_and_goes_on(repo, capsys):
    write_letter(
        repo,
        "walsall/2022-03",
        pdfs.image_only_pdf(),
        "authority: walsall\nvisit: {start: 2022-03-01, end: 2022-03-03}\n",
        md=False,
    )
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML, md=False)
    code, _out, err = run(repo, "extract", capsys=capsys)
    assert code == 1
    assert "looks scanned" in err
    assert (repo / "letters" / "dudley" / "2023-06" / "letter.md").is_file()


# --- the repository itself --------------------------------------------------------------------


def test_check_passes_on_the_repository(capsys):
    code, out, err = run(REPO, "check", capsys=capsys)
    assert code == 0, err
    assert "0 errors" in out


def test_the_published_json_schema_matches_the_code():
    from finalletters.model import json_schema

    published = json.loads((REPO / "letters" / "letter.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(), "run `letters schema` and commit the result"


def test_every_command_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in cli.cli.commands:
        assert f"`letters {name}" in readme, f"letters {name} is not in README.md"
