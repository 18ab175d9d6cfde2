"""Regional memory: matrix cells, recurring findings, evaluation shares and CQC groupings, each
checked against figures worked out by hand from the small set of letters written below."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import pytest

from finalletters import regional
from finalletters.analyse import Evidence, ThemeScore
from finalletters.model import LetterMeta, Role
from finalletters.regional import Share, Stance

TODAY = dt.date(2025, 3, 1)


@dataclass
class Fake:
    """A letter as regional reads it: an id, letter.yml, and each theme's passages."""

    id: str
    meta: LetterMeta
    theme_scores: list[ThemeScore] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.meta.year or int(self.id[-7:-3])


def letter(
    lid: str,
    themes: dict[str, list[str]],
    team: list[str] = (),  # type: ignore[assignment]
    visit_end: dt.date | None = None,
    review: dt.date | None = None,
) -> Fake:
    """`themes` maps each theme to the kinds of section its passages stand in, in order."""
    council, month = lid.split("/")
    start = dt.date(int(month[:4]), int(month[5:]), 1)
    meta = LetterMeta.model_validate(
        {
            "authority": council,
            "visit": {"start": start, "end": visit_end or start} if visit_end else None,
            "letter_date": start,
            "team": [{"role": role} for role in team],
            "themes": list(themes),
            "follow_up": {"review_date": review} if review else None,
        }
    )
    scores = [
        ThemeScore(
            theme,
            2.0,
            tuple(
                Evidence(f"{lid} says {kind} of {theme}.", f"paragraph {n}", f"b{n}", kind)
                for n, kind in enumerate(kinds, start=1)
            ),
        )
        for theme, kinds in themes.items()
    ]
    return Fake(lid, meta, scores)


LETTERS = [
    letter("walsall/2015-11", {"workforce": ["strengths", "development"],
                               "carers": ["development"], "housing": ["development"]}),
    letter("walsall/2021-11", {"workforce": ["development"], "carers": ["strengths"],
                               "safeguarding": ["background"], "housing": ["development"]}),
    letter("walsall/2024-06", {"workforce": ["development", "recommendations"]}),
    letter("dudley/2016-02", {"carers": ["recommendations"]}),
    letter("dudley/2022-03", {"carers": ["development"]}),
    letter("leicestershire/2022-02", {"workforce": ["strengths", "development"]}),
]  # fmt: skip
COUNCILS = ["dudley", "walsall"]
THEMES = ["workforce", "carers", "safeguarding", "housing", "transitions"]


@pytest.fixture
def m() -> regional.Matrix:
    return regional.matrix(LETTERS, COUNCILS, THEMES)


def test_a_cell_counts_the_letters_raising_a_theme_and_what_each_says(m) -> None:
    cell = m.cell("walsall", "workforce")
    # 2015 (strength, development), 2021 (development), 2024 (development, recommendation)
    assert (cell.letters, cell.strengths, cell.development, cell.recommendations) == (3, 1, 3, 1)
    cell = m.cell("walsall", "carers")  # 2015 development, 2021 strength
    assert (cell.letters, cell.strengths, cell.development, cell.recommendations) == (2, 1, 1, 0)
    cell = m.cell("dudley", "carers")  # 2016 recommendation, 2022 development
    assert (cell.letters, cell.strengths, cell.development, cell.recommendations) == (2, 0, 1, 1)


def test_a_passage_in_the_background_raises_a_theme_without_saying_anything_of_it(m) -> None:
    cell = m.cell("walsall", "safeguarding")
    assert (cell.letters, cell.strengths, cell.development, cell.recommendations) == (1, 0, 0, 0)
    assert cell.raised[0].passages[0].kind == "background"


def test_an_empty_cell_is_a_zero_not_a_gap(m) -> None:
    assert m.cell("dudley", "transitions").letters == 0
    assert [c.letters for c in m.row("dudley")] == [0, 2, 0, 0, 0]
    assert [c.letters for c in m.row("walsall")] == [3, 2, 1, 2, 0]


def test_councils_outside_the_matrix_are_left_out_of_its_totals(m) -> None:
    assert m.theme_total("workforce") == 3  # Leicestershire's letter is not counted
    assert m.council_letters("walsall") == 3
    assert m.council_letters("dudley") == 2


def test_a_cell_keeps_its_letters_oldest_first_with_their_passages(m) -> None:
    cell = m.cell("walsall", "workforce")
    assert [r.letter.id for r in cell.raised] == [
        "walsall/2015-11",
        "walsall/2021-11",
        "walsall/2024-06",
    ]
    assert [p.anchor for p in cell.raised[0].passages] == ["b1", "b2"]
    assert cell.raised[2].stances == {Stance.DEVELOPMENT, Stance.RECOMMENDATION}


def test_the_matrix_csv_has_a_row_for_every_council_and_theme(m) -> None:
    names = {"dudley": "Dudley Council", "walsall": '=HYPERLINK("x")'}
    labels = {t: t.title() for t in THEMES}
    rows = list(csv.reader(io.StringIO(regional.matrix_csv(m, names, labels))))
    assert rows[0] == [name for name, _ in regional.MATRIX_COLUMNS]
    assert len(rows) == 1 + 2 * 5
    assert rows[1 + 5] == ["walsall", "'=HYPERLINK(\"x\")", "workforce", "Workforce",
                           "3", "1", "3", "1"]  # fmt: skip
    wide = list(csv.reader(io.StringIO(regional.matrix_wide_csv(m, names, labels))))
    assert wide[0][2:] == [labels[t] for t in THEMES]
    assert wide[2][2:] == ["3", "2", "1", "2", "0"]


def test_a_theme_raised_for_development_twice_recurs_with_its_first_and_latest_passage() -> None:
    found = regional.recurring(LETTERS, {t: n for n, t in enumerate(THEMES)})
    walsall = found["walsall"]
    # workforce: development in 2015, 2021 and 2024; housing: in 2015 and 2021. Carers was an
    # area for development in 2015 only (a strength in 2021): it does not recur.
    assert [(r.theme, r.challenges, r.first_year, r.latest_year) for r in walsall] == [
        ("workforce", 3, 2015, 2024),
        ("housing", 2, 2015, 2021),
    ]
    first, latest = walsall[0].first.passage, walsall[0].latest.passage
    assert first.text == "walsall/2015-11 says development of workforce."  # not its strength
    assert latest.text == "walsall/2024-06 says development of workforce."


def test_a_recommendation_alone_is_not_an_area_for_development() -> None:
    found = regional.recurring(LETTERS, {})
    assert "dudley" not in found  # carers: a recommendation in 2016, development in 2022


def test_share_rounds_half_up_and_says_nothing_of_nothing() -> None:
    assert [Share(1, 3).percent, Share(2, 3).percent, Share(1, 8).percent] == [33, 67, 13]
    assert Share(0, 0).percent is None


EVALUATED = [
    # 2015: a team with lived experience, a member and a PSW, reviewed within the year;
    # a letter with no team recorded and no review, its twelve months long over.
    letter("walsall/2015-11", {}, ["lived-experience", "elected-member",
           "principal-social-worker"], dt.date(2015, 11, 19), dt.date(2016, 10, 1)),
    letter("dudley/2015-03", {}, [], dt.date(2015, 3, 5)),
    # 2021: reviewed, but late; and a letter without visit dates.
    letter("walsall/2021-11", {}, ["elected-member", "occupational-therapist", "data-specialist"],
           dt.date(2021, 11, 11), dt.date(2023, 1, 5)),
    letter("sandwell/2021-05", {}, ["elected-member", "lead-dass"]),
    # 2024: the twelve months are not over on 1 March 2025.
    letter("walsall/2024-06", {}, ["principal-social-worker"], dt.date(2024, 6, 20)),
]  # fmt: skip


def test_the_evaluation_asks_are_measured_per_year() -> None:
    years = {y.year: y for y in regional.evaluation(EVALUATED, TODAY)}
    assert list(years) == [2015, 2021, 2024]
    y2015, y2021, y2024 = years[2015], years[2021], years[2024]

    assert (y2015.challenges, y2015.team_recorded) == (2, 1)
    assert {r: s.percent for r, s in y2015.roles.items()} == {
        Role.LIVED_EXPERIENCE: 100,
        Role.ELECTED_MEMBER: 100,
        Role.OCCUPATIONAL_THERAPIST: 0,
        Role.DATA_SPECIALIST: 0,
        Role.PRINCIPAL_SOCIAL_WORKER: 100,
    }
    assert y2015.reviewed_in_time == Share(1, 2)  # one in time, one never reviewed

    assert (y2021.challenges, y2021.team_recorded) == (2, 2)
    assert y2021.roles[Role.ELECTED_MEMBER] == Share(2, 2)
    assert y2021.roles[Role.OCCUPATIONAL_THERAPIST] == Share(1, 2)
    assert y2021.roles[Role.LIVED_EXPERIENCE] == Share(0, 2)
    assert y2021.reviewed_in_time == Share(0, 1)  # reviewed 14 months after the visit
    assert y2021.review_unknown == 1

    assert y2024.roles[Role.PRINCIPAL_SOCIAL_WORKER] == Share(1, 1)
    assert y2024.reviewed_in_time == Share(0, 0) and y2024.reviewed_in_time.percent is None
    assert y2024.review_not_yet_due == 1


def test_a_review_on_the_last_day_of_the_twelve_months_is_in_time() -> None:
    on_time = letter("walsall/2023-06", {}, [], dt.date(2023, 6, 15), dt.date(2024, 6, 15))
    late = letter("dudley/2023-06", {}, [], dt.date(2023, 6, 15), dt.date(2024, 6, 16))
    [year] = regional.evaluation([on_time, late], TODAY)
    assert year.reviewed_in_time == Share(1, 2)


def test_whether_twelve_months_have_passed_depends_on_the_build_date() -> None:
    pending = letter("walsall/2024-03", {}, [], dt.date(2024, 3, 7))
    assert regional.evaluation([pending], dt.date(2025, 3, 7))[0].reviewed_in_time == Share(0, 0)
    assert regional.evaluation([pending], dt.date(2025, 3, 8))[0].reviewed_in_time == Share(0, 1)


def test_passages_are_grouped_by_the_quality_statements_their_themes_map_to() -> None:
    walsall = [x for x in LETTERS if x.meta.authority == "walsall"]
    mapping = {
        "workforce": ["governance", "learning-improvement"],
        "carers": ["assessing-needs"],
        "safeguarding": ["safeguarding"],
        "housing": ["care-provision", "assessing-needs"],
    }
    found = regional.by_quality_statement(walsall, mapping)
    governance = [(p.letter.id[-7:-3], p.stance) for p in found["governance"]]
    assert governance == [
        ("2024", Stance.DEVELOPMENT),
        ("2024", Stance.RECOMMENDATION),
        ("2021", Stance.DEVELOPMENT),
        ("2015", Stance.STRENGTH),
        ("2015", Stance.DEVELOPMENT),
    ]
    assert "safeguarding" not in found  # its only passage is background
    # carers (2015 development, 2021 strength) and housing (2015, 2021 development)
    assert len(found["assessing-needs"]) == 4


def test_stances_say_what_a_letter_says_of_each_of_its_themes() -> None:
    said = regional.stances(LETTERS[1])
    assert said == {
        "workforce": {Stance.DEVELOPMENT},
        "carers": {Stance.STRENGTH},
        "safeguarding": frozenset(),
        "housing": {Stance.DEVELOPMENT},
    }
