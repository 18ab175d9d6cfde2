"""The coordinator's commands on a small repository made by each test, one bad case at a time."""

from __future__ import annotations

import datetime as dt
import json
import re
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


def test_check_validates_the_cqc_assessments_file(repo, capsys):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    (repo / "letters" / "cqc-assessments.yml").write_text(
        "assessments:\n"
        "  - council: walsall\n"
        "    sources: {press: {url: 'https://example.org/cqc', kind: primary, title: A release}}\n"
        "    rating: {value: good, sources: [pres]}\n",
        encoding="utf-8",
    )
    code, out, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert (
        "error: letters/cqc-assessments.yml: assessments.walsall.rating.sources: names source "
        "'pres', which this entry's `sources` does not list"
    ) in err, err
    assert "checked 1 letters: 1 errors" in out


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
        "visit: end 2023-06-12 is before start 2023-06-13",
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


# --- bad input is one letter's problem -------------------------------------------------------

WALSALL_YML = "authority: walsall\nvisit: {start: 2022-03-01, end: 2022-03-03}\n"


@pytest.mark.parametrize(
    ("folder", "date", "field"),
    [
        ("walsall/2023-02", "2023-02-30", "visit.start"),
        ("walsall/2024-01", "2024-13-01", "visit.end"),
    ],
)
def test_an_impossible_date_is_one_line_naming_letter_yml_and_the_rest_are_checked(
    repo, capsys, folder, date, field
):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    start, end = (date, "2023-03-02") if field == "visit.start" else ("2024-01-30", date)
    yml = f"authority: walsall\nvisit: {{start: {start}, end: {end}}}\n"
    write_letter(repo, folder, good_pdf().replace(b"Dudley", b"Dudlex"), yml)
    write_letter(repo, "sandwell/2022-03", good_pdf(), "authority: sandwell\nthemes: [nope]\n")
    code, out, err = run(repo, "check", "--draft", capsys=capsys)  # publishing needs: warnings
    assert code == 1
    assert f"error: letters/{folder}/letter.yml: {field}: '{date}' is not a date\n" in err, err
    assert "tip: write a day that exists, as YYYY-MM-DD" in err
    assert "letters/sandwell/2022-03/letter.yml: themes: theme 'nope'" in err, "others go on"
    assert "Traceback" not in err
    assert "checked 3 letters: 2 errors" in out
    code, _, err = run(repo, "search", "carers", capsys=capsys)
    assert code == 0, err
    assert "2 letters could not be read" in err


def test_the_build_stops_on_an_impossible_date_with_the_same_line(repo, tmp_path, caplog):
    from mkdocs.exceptions import Abort

    from tests import corpus

    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML.replace("07-14", "02-30"))
    with pytest.raises(Abort):
        corpus.build_site(repo, tmp_path / "site")
    assert "letters/dudley/2023-06/letter.yml: letter_date: '2023-02-30' is not a date" in (
        caplog.text
    )


def test_a_key_given_twice_in_letter_yml_is_an_error(repo, capsys):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML + "authority: walsall\n")
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    again = VALID_YML.count("\n") + 1
    assert f"letter.yml: authority: is given twice, at lines 1 and {again}" in err, err


@pytest.mark.parametrize(
    ("today", "field", "severity"),
    [
        ("2023-06-14", "visit.end", "error"),
        ("2023-07-01", "letter_date", "error"),
        ("2023-08-01", "published", "warning"),
    ],
)
def test_dates_after_today_are_errors_or_for_publication_a_warning(repo, today, field, severity):
    from finalletters import catalogue

    assert "published: 2023-09-01" in VALID_YML
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    loaded = catalogue.load(repo, today=dt.date.fromisoformat(today))
    found = [p for p in loaded.problems if p.field == field]
    assert [(p.severity, "is in the future" in p.problem) for p in found] == [(severity, True)]
    assert bool(loaded.letters) == (severity == "warning")


def test_check_refuses_a_visit_far_in_the_future(repo, capsys):
    yml = "authority: dudley\nvisit: {start: 3023-06-13, end: 3023-06-15}\n"
    write_letter(repo, "dudley/3023-06", good_pdf(), yml)
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letter.yml: visit.start: 3023-06-13 is in the future" in err, err


def test_folders_that_are_not_complete_letters_are_errors(repo, capsys):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML)
    pdf_only = repo / "letters" / "walsall" / "2022-03"
    pdf_only.mkdir(parents=True)
    (pdf_only / "letter.pdf").write_bytes(good_pdf())
    deep = repo / "letters" / "dudley" / "2023-06" / "old"
    deep.mkdir()
    (deep / "letter.pdf").write_bytes(good_pdf())
    (repo / "letters" / "sandwell" / "2019" / "05").mkdir(parents=True)
    (repo / "letters" / "sandwell" / "2019" / "05" / "letter.yml").write_text(WALSALL_YML)
    (repo / "letters" / "dudley" / "notes.txt").write_text("notes")
    (repo / "letters" / "todo.txt").write_text("todo")
    (repo / "letters" / "dudley" / "2023-06" / "minutes.docx").write_bytes(b"PK\x03\x04")
    code, out, err = run(repo, "check", capsys=capsys)
    assert code == 1
    expected = [
        "error: letters/walsall/2022-03/letter.yml: is missing",
        "error: letters/dudley/2023-06/old: is a folder inside a letter's folder",
        "error: letters/sandwell/2019: is not a letter folder",
        "error: letters/dudley/notes.txt: does not belong in letters/dudley/",
        "error: letters/todo.txt: does not belong in letters/",
        "error: letters/dudley/2023-06/minutes.docx: is not a file a letter folder holds",
    ]
    for line in expected:
        assert line in err, f"{line!r} not in:\n{err}"
    assert "checked 3 letters" in out


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda md: md.write_bytes(md.read_bytes() + "Café\n".encode("latin-1")),
            "letter.md: is not UTF-8 text (byte 0xe9 on line",
        ),
        (lambda md: (md.unlink(), md.mkdir()), "letter.md: is a folder, not a file"),
    ],
    ids=["latin-1", "folder"],
)
def test_a_bad_letter_md_is_one_problem_and_extract_goes_on(repo, capsys, damage, message):
    damage(write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML) / "letter.md")
    write_letter(repo, "walsall/2022-03", pdfs.simple_letter(), WALSALL_YML, md=False)
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert f"error: letters/dudley/2023-06/{message}" in err, err
    code, _, err = run(repo, "extract", capsys=capsys)
    assert code == 1
    assert (repo / "letters" / "walsall" / "2022-03" / "letter.md").is_file()
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "is not JSON"), (b"\xff\xfe{}", "is not UTF-8 text")],
    ids=["not-json", "not-utf-8"],
)
def test_a_broken_schema_file_is_a_problem_not_a_traceback(repo, capsys, content, message):
    (repo / "letters" / "letter.schema.json").write_bytes(content)
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert f"error: letters/letter.schema.json: {message}" in err, err
    assert "letters schema" in err
    assert run(repo, "schema", capsys=capsys)[0] == 0
    assert run(repo, "check", capsys=capsys)[0] == 0


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("themes.yml", lambda t: t + "themes: []\n", "themes: is given twice"),
        (
            "authorities.yml",
            lambda t: "x: &a [1]\n" + t.replace("authorities:", "y: *a\nauthorities:", 1),
            "by an alias",
        ),
    ],
)
def test_a_broken_register_or_taxonomy_is_one_clear_error(repo, capsys, name, change, message):
    path = repo / "letters" / name
    path.write_text(change(path.read_text("utf-8")), encoding="utf-8")
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert f"letters/{name}: " in err and message in err, err
    assert "Traceback" not in err


def test_a_pdf_whose_font_maps_to_a_lone_surrogate_is_added_and_checked(repo, tmp_path, capsys):
    source = tmp_path / "in.pdf"
    source.write_bytes(pdfs.surrogate_pdf())
    code, _, err = run(
        repo,
        "add",
        str(source),
        "--authority",
        "dudley",
        "--visit-start",
        "2023-06-13",
        capsys=capsys,
    )
    assert code == 0, err
    text = (repo / "letters" / "dudley" / "2023-06" / "letter.md").read_text(encoding="utf-8")
    assert "surrogate: \ufffd, and more" in text
    assert run(repo, "check", "--draft", "--verify", capsys=capsys)[0] == 0


# --- the PDF is the truth: check --verify --------------------------------------------------------


def hand_made(repo: Path, pdf: bytes, body: str = "An invented letter.\n", pages: int = 1) -> Path:
    """A letter whose letter.md was written by hand to vouch for pdf: its hashes match."""
    folder = write_letter(repo, "dudley/2023-06", pdf, VALID_YML, md=False)
    (folder / "letter.md").write_text(
        lettermd.letter_md_for(body, extract.sha256(pdf), pages), encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    ("pdf", "message"),
    [
        (b"", "is not a PDF (it is empty)"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "is not a PDF (it is an HTML page"),
        (good_pdf()[:-200], "could not be read as a PDF: it is cut short"),
    ],
    ids=["empty", "html", "truncated"],
)
def test_a_hand_made_letter_md_cannot_vouch_for_a_file_that_is_not_a_pdf(
    repo, capsys, pdf, message
):
    hand_made(repo, pdf)
    for args in (["check"], ["check", "--verify"]):
        code, _, err = run(repo, *args, capsys=capsys)
        assert code == 1
        assert f"error: letters/dudley/2023-06/letter.pdf: {message}" in err, err


def test_a_hand_made_letter_md_cannot_vouch_for_an_oversize_pdf(repo, capsys, monkeypatch):
    monkeypatch.setattr(extract, "MAX_BYTES", 1000)
    hand_made(repo, good_pdf())
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/dudley/2023-06/letter.pdf: is " in err and "MB limit" in err, err


@pytest.mark.parametrize(
    ("pdf", "body", "pages", "message"),
    [
        (pdfs.encrypted_pdf(), "A letter.\n", 1, "letter.pdf: is encrypted with a password"),
        (good_pdf(), "An invented letter.\n", 1, "letter.md: is not the text of letter.pdf"),
        (pdfs.image_only_pdf(), "Text no scan holds.\n", 1, "letter.pdf: has no text layer"),
        (None, None, 3, "letter.md: pages: says 3 pages; letter.pdf has 1"),
    ],
    ids=["encrypted", "invented-text", "scanned", "wrong-page-count"],
)
def test_verify_reads_the_pdf_again_where_a_hand_made_letter_md_vouches_for_it(
    repo, capsys, pdf, body, pages, message
):
    pdf = pdf or good_pdf()
    body = body or lettermd.to_markdown(extract.extract(pdf, "x").blocks)
    hand_made(repo, pdf, body, pages)
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 0, f"without --verify only the bytes are checked: {err}"
    code, _, err = run(repo, "check", "--verify", capsys=capsys)
    assert code == 1
    assert f"error: letters/dudley/2023-06/{message}" in err, err


def test_check_refuses_a_page_count_no_letter_has_without_reading_the_pdf(repo, capsys):
    hand_made(repo, good_pdf(), pages=9999)
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letter.md: pages: says the PDF has 9999 pages; a letter has 1 to 300" in err, err


def test_verify_passes_on_letters_read_from_their_pdfs(repo, capsys):
    folder = write_letter(
        repo,
        "dudley/2023-06",
        good_pdf(),
        VALID_YML + "follow_up: {action_plan: action-plan.pdf}\n",
    )
    (folder / "action-plan.pdf").write_bytes(pdfs.long_letter(3))
    code, out, err = run(repo, "check", "--verify", capsys=capsys)
    assert code == 0, err
    assert "checked 1 letters: 0 errors" in out


@pytest.mark.parametrize(
    ("attachment", "verify", "message"),
    [
        (b"<html>a web page</html>", False, "action-plan.pdf: is not a PDF"),
        (pdfs.encrypted_pdf(), True, "action-plan.pdf: is encrypted"),
    ],
    ids=["html", "encrypted"],
)
def test_an_attachment_is_checked_as_a_pdf_before_it_is_published(
    repo, capsys, attachment, verify, message
):
    yml = VALID_YML + "follow_up: {action_plan: action-plan.pdf}\n"
    folder = write_letter(repo, "dudley/2023-06", good_pdf(), yml)
    (folder / "action-plan.pdf").write_bytes(attachment)
    code, _, err = run(repo, "check", *(["--verify"] if verify else []), capsys=capsys)
    assert code == 1
    assert f"letters/dudley/2023-06/{message}" in err, err


def test_a_letter_md_corrected_by_hand_records_the_day_and_the_letter_shows_it(repo, capsys):
    from finalletters import catalogue

    md = write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML) / "letter.md"
    text = md.read_text("utf-8").replace("edited: false", "edited: true") + "A correction.\n"
    md.write_text(text, encoding="utf-8")
    code, _, err = run(repo, "check", "--verify", capsys=capsys)
    assert code == 0, err
    assert "letter.md: edited_on: is marked `edited: true` without the day" in err
    md.write_text(text.replace("edited: true", "edited: true\nedited_on: 2024-05-01"), "utf-8")
    assert run(repo, "check", "--verify", capsys=capsys)[:2] == (
        0,
        "checked 1 letters: 0 errors, 0 warnings\n",
    )
    assert catalogue.load(repo).letters[0].edited_on == dt.date(2024, 5, 1)
    md.write_text(text.replace("edited: true", "edited: true\nedited_on: 2024-02-30"), "utf-8")
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letter.md: edited_on: '2024-02-30' is not a date" in err, err


def test_extract_records_where_each_page_starts_and_the_letter_gives_each_blocks_page(repo, capsys):
    from finalletters import catalogue

    pdf = pdfs.long_letter(3)
    folder = write_letter(repo, "dudley/2023-06", pdf, VALID_YML)
    front, _ = lettermd.read_letter_md((folder / "letter.md").read_text("utf-8"), "letter.md")
    blocks = extract.extract(pdf, "x").blocks
    assert front.page_starts is not None and len(front.page_starts) == 3
    for page, start in enumerate(front.page_starts, start=1):
        assert blocks[start - 1].page == page  # the first block that begins on the page
        assert blocks[start - 2].page < page if start > 1 else page == 1
    assert run(repo, "check", "--draft", "--verify", capsys=capsys)[0] == 0
    letter = catalogue.load(repo, draft=True).letters[0]
    assert [letter.pdf_page(n) for n in range(1, len(blocks) + 1)] == [b.page for b in blocks]
    assert letter.pdf_page(0) is None and letter.pdf_page(len(blocks) + 1) is None


def test_a_letter_md_written_before_page_starts_still_checks_and_gives_no_pages(repo, capsys):
    from finalletters import catalogue

    pdf = pdfs.long_letter(2)
    extracted = extract.extract(pdf, "x")
    folder = hand_made(repo, pdf, lettermd.to_markdown(extracted.blocks), extracted.pages)
    assert "page_starts" not in (folder / "letter.md").read_text("utf-8")
    code, _, err = run(repo, "check", "--draft", "--verify", capsys=capsys)
    assert code == 0, err
    assert catalogue.load(repo, draft=True).letters[0].pdf_page(1) is None


def test_verify_refuses_page_starts_that_are_not_the_pdfs(repo, capsys):
    md = write_letter(repo, "dudley/2023-06", pdfs.long_letter(2), VALID_YML) / "letter.md"
    text = md.read_text("utf-8")
    md.write_text(re.sub(r"page_starts: \[1, \d+\]", "page_starts: [1, 2]", text), "utf-8")
    assert run(repo, "check", "--draft", capsys=capsys)[0] == 0  # outside text_sha256
    code, _, err = run(repo, "check", "--draft", "--verify", capsys=capsys)
    assert code == 1
    assert "letter.md: page_starts: says its pages start at other blocks" in err, err


def test_a_corrected_text_shorter_than_its_page_starts_is_warned_and_cites_no_page(repo, capsys):
    from finalletters import catalogue

    md = write_letter(repo, "dudley/2023-06", pdfs.long_letter(2), VALID_YML) / "letter.md"
    front, _ = lettermd.read_letter_md(md.read_text("utf-8"), "letter.md")
    head = md.read_text("utf-8").split("---\n")[1]
    head = head.replace("edited: false", "edited: true\nedited_on: 2024-05-01")
    md.write_text(f"---\n{head}---\n# What is left\n\nOne paragraph.\n", "utf-8")
    code, _, err = run(repo, "check", "--draft", capsys=capsys)
    assert code == 0, err
    assert f"says page 2 starts at block {front.page_starts[1]}, but the text has 2 blocks" in err
    assert catalogue.load(repo, draft=True).letters[0].pdf_page(2) is None


def test_check_help_explains_verify_and_the_limits(capsys):
    code, out, _ = run(REPO, "check", "--help", capsys=capsys)
    assert code == 0
    for words in ("--verify", "read again", "FINAL_LETTERS_PDF_SECONDS", "PATHS"):
        assert words in " ".join(out.split()), words


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


def test_a_date_written_as_a_number_is_not_taken_for_seconds_since_1970(repo, capsys):
    write_letter(repo, "dudley/2023-06", good_pdf(), VALID_YML.replace("2023-07-14", "20230714"))
    code, _, err = run(repo, "check", capsys=capsys)
    assert code == 1
    assert "letters/dudley/2023-06/letter.yml: letter_date: 20230714 is not a date" in err, err
