"""letters evaluate: its figures against counts worked out by hand on three tiny documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from finalletters import cli
from finalletters.evaluate import Count, pair_team, similarity
from finalletters.model import LabelledMember, labels_json_schema
from tests import pdfs

REPO = Path(__file__).parents[1]

DOCUMENTS = {
    "walsall": [
        ("p", "Date: 14 July 2023"),
        ("p", "Dear Director,"),
        (
            "p",
            "Thank you for hosting the peer challenge of Walsall Council, which took place from "
            "13 to 15 June 2023. The team was led by Ann Lee, Director of Adult Social Services "
            "at Shropshire Council.",
        ),
        ("h2", "Strengths"),
        (
            "p",
            "Support for unpaid carers is strong: carers' assessments are completed quickly and "
            "respite is easy to arrange.",
        ),
        ("h2", "Recommendations"),
        ("number", "Agree a plan to reduce waiting lists for assessments and reviews."),
        ("number", "Develop a workforce strategy that reduces reliance on agency social workers."),
    ],
    "dudley": [
        ("title", "Dudley Council news"),
        ("p", "12 March 2024"),
        (
            "p",
            "Dudley Council's adult social care service has been praised by a team of peers from "
            "other councils. The review took place in January.",
        ),
        (
            "p",
            "The peers found that people leaving hospital get home quickly. They recommended that "
            "the council does more to involve residents in shaping services.",
        ),
    ],
    "sandwell": [
        ("title", "Sandwell Metropolitan Borough Council"),
        ("p", "Minutes of the meeting of the Health Scrutiny Board held on 20 May 2022"),
        (
            "p",
            "The Board received the findings of the peer challenge of Sandwell Council held in "
            "March 2022. The peers found that the council is on the right track.",
        ),
    ],
}

# Each label is written so that what inspect proposes is right or wrong in a known way:
# walsall: themes found {carers, workforce, assessment-waiting-lists} against {carers, workforce,
#   housing}; one of two reviewers found; both listed recommendations found, a prose one missed.
# dudley: the year labelled 2023 on purpose (inspect reads 2024); its one prose recommendation
#   worded differently from the text.
# sandwell: the authority labelled wrongly on purpose; safeguarding labelled, though the text
#   has no finding about it.
LABELS = """\
documents:
  - id: walsall
    file: pdf/walsall.pdf
    split: dev
    genre: final-letter
    authority: walsall
    year: 2023
    visit: {start: 2023-06-13, end: 2023-06-15}
    letter_date: 2023-07-14
    themes: [carers, workforce, housing]
    team:
      - {role: lead-dass, name: "Ann Lee", organisation: shropshire}
      - {role: director, name: "Bob Jones", organisation: dudley}
    recommendations:
      - {text: "Agree a plan to reduce waiting lists for assessments and reviews.", listed: true}
      - {text: "Develop a workforce strategy that reduces reliance on agency social workers."}
      - {text: "Publish the carers' strategy.", listed: false}
  - id: dudley
    file: pdf/dudley.pdf
    split: dev
    genre: news-release
    authority: dudley
    year: 2023
    letter_date: 2024-03-12
    themes: [co-production-lived-experience, hospital-discharge]
    recommendations:
      - {text: "Do more to involve residents in shaping services.", listed: false}
  - id: sandwell
    file: pdf/sandwell.pdf
    split: test
    genre: minutes
    authority: wolverhampton
    year: 2022
    letter_date: 2022-05-20
    themes: [safeguarding]
"""

# (tp, fp, fn) by hand, from the notes above.
EXPECTED_FIELDS = {
    "authority": (2, 1, 1),
    "year": (2, 1, 1),
    "visit": (1, 0, 0),
    "letter_date": (3, 0, 0),
    "themes": (4, 1, 2),
    "team": (1, 0, 1),
    "team (name, role, council)": (1, 0, 1),
    "recommendations": (3, 0, 1),
    "recommendations (listed)": (2, 0, 0),
    "recommendations (prose)": (1, 0, 1),
}
EXPECTED_THEMES = {
    "carers": (1, 0, 0),
    "workforce": (1, 0, 0),
    "assessment-waiting-lists": (0, 1, 0),
    "housing": (0, 0, 1),
    "co-production-lived-experience": (1, 0, 0),
    "hospital-discharge": (1, 0, 0),
    "safeguarding": (0, 0, 1),
}


@pytest.fixture(scope="module")
def labels_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("labelled")
    (folder / "pdf").mkdir()
    for name, items in DOCUMENTS.items():
        (folder / "pdf" / f"{name}.pdf").write_bytes(pdfs.letter_pdf(items))
    (folder / "labels.yml").write_text(LABELS, encoding="utf-8")
    return folder / "labels.yml"


def evaluate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["--root", str(REPO), "evaluate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_evaluate_counts_each_field_as_worked_out_by_hand(labels_file, capsys):
    code, out, err = evaluate(capsys, "--labels", str(labels_file), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["documents"] == 3
    found = {name: (f["tp"], f["fp"], f["fn"]) for name, f in report["fields"].items()}
    assert found == EXPECTED_FIELDS
    assert {t: (f["tp"], f["fp"], f["fn"]) for t, f in report["themes"].items()} == EXPECTED_THEMES
    themes = report["fields"]["themes"]
    assert (themes["precision"], themes["recall"], themes["f1"]) == (0.8, 0.667, 0.727)


def test_evaluate_lists_the_confusions_with_the_evidence_for_a_wrong_year(labels_file, capsys):
    _, out, _ = evaluate(capsys, "--labels", str(labels_file), "--json")
    confusions = {c["id"]: c for c in json.loads(out)["confusions"]}
    assert confusions["walsall"]["themes"] == {
        "missed": ["housing"],
        "added": ["assessment-waiting-lists"],
    }
    assert confusions["walsall"]["team"]["missed"] == ["director: Bob Jones, dudley"]
    assert confusions["walsall"]["recommendations"]["missed"] == ["Publish the carers' strategy."]
    year = confusions["dudley"]["year"]
    assert (year["found"], year["wanted"]) == (2024, 2023)
    assert "took place in January" in year["evidence"]  # January of the release's year
    assert confusions["sandwell"]["authority"] == {"found": "sandwell", "wanted": "wolverhampton"}


def test_evaluate_prints_a_table_and_keeps_one_half_with_split(labels_file, capsys):
    code, out, err = evaluate(capsys, "--labels", str(labels_file), "--split", "dev")
    assert code == 0, err
    assert out.startswith("2 documents")
    authority = next(line for line in out.splitlines() if line.startswith("authority"))
    assert authority.split()[1:4] == ["2", "0", "0"]
    assert "confusions:" in out
    code, out, _ = evaluate(capsys, "--labels", str(labels_file), "--split", "test", "--totals")
    assert out.startswith("1 documents") and "confusions:" not in out


def test_evaluate_reads_the_repository_letters_by_default(tmp_path, capsys):
    letters = tmp_path / "letters"
    letters.mkdir()
    for name in ("authorities.yml", "themes.yml"):
        shutil.copy(REPO / "letters" / name, letters / name)
    shutil.copytree(REPO / "letters" / "walsall" / "2021-11", letters / "walsall" / "2021-11")
    code = cli.main(["--root", str(tmp_path), "evaluate", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    report = json.loads(out)
    assert report["documents"] == 1
    assert report["fields"]["authority"]["tp"] == 1


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("file: pdf/walsall.pdf", "file: ../walsall.pdf"),
        ("split: dev", "split: train"),
        ("genre: final-letter", "genre: letter"),
        ("authority: walsall", "authorty: walsall"),
        ("id: dudley", "id: walsall"),
    ],
)
def test_a_broken_labels_file_is_refused_with_the_field(labels_file, capsys, change, problem):
    bad = labels_file.with_name("bad.yml")
    bad.write_text(LABELS.replace(change, problem, 1), encoding="utf-8")
    code, _, err = evaluate(capsys, "--labels", str(bad))
    assert code == 1
    assert f"{bad}:" in err and "labels.schema.json" in err


def test_counts_give_precision_recall_and_f1():
    count = Count(tp=3, fp=1, fn=2)
    assert (count.precision, count.recall) == (0.75, 0.6)
    assert round(count.f1 or 0, 3) == 0.667
    assert Count().f1 is None


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("Agree a plan to reduce waiting lists.", "Agree a plan to reduce waiting lists", True),
        ("The team suggests these are tested first.", "Test these first, the team suggests.", True),
        ("Agree a plan to reduce waiting lists.", "Publish the carers' strategy.", False),
    ],
)
def test_recommendations_match_by_the_words_they_share(a, b, alike):
    assert (similarity(a, b) >= 0.6) is alike


def test_reviewers_pair_by_name_without_titles_or_post_nominals():
    found = [
        LabelledMember(role="lead-dass", name="Professor Sam Okafor OBE", organisation=None),
        LabelledMember(role="director", name="Jo Bell", organisation=None),
    ]
    wanted = [
        LabelledMember(role="director", name="Jo Bell", organisation=None),
        LabelledMember(role="lead-dass", name="Sam Okafor", organisation=None),
    ]
    assert sorted(pair_team(found, wanted)) == [(0, 1), (1, 0)]


def test_the_published_labels_schema_matches_the_code():
    published = json.loads((REPO / "letters" / "labels.schema.json").read_text("utf-8"))
    assert published == labels_json_schema(), "run `letters schema`"
