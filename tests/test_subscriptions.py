"""Feeds of the finder's filters: which exist, and that each lists exactly the letters the
finder shows for its filters (the finder's listing, filtered as finder.js filters it)."""

from __future__ import annotations

import json

import pytest

from finalletters import catalogue
from finalletters.register import Reference
from finalletters.site import finder
from finalletters.site.subscriptions import Selection, ambiguous_labels, selections
from tests import corpus


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> catalogue.Catalogue:
    root = tmp_path_factory.mktemp("subscriptions")
    corpus.write(root)
    return catalogue.load(root)


def finder_shows(listing: dict, chosen: dict[str, str]) -> list[str]:
    """finder.js's searchListing without words: every chosen filter must hold (a value of a
    filter is any of its ticked values; here one each), newest first as the listing is."""
    keys, values = listing["keys"], listing["values"]
    shown = []
    for url, _title, _date, _recommendations, indexes in listing["letters"]:
        filters = {key: [values[key][i] for i in indexes[n]] for n, key in enumerate(keys)}
        if all(value in filters[key] for key, value in chosen.items()):
            shown.append(url)
    return shown


def test_there_is_a_feed_for_every_single_value_and_pair_that_holds_a_letter(loaded) -> None:
    found = selections(loaded.letters)
    singles = [s for s in found if len(s.parts()) == 1]
    pairs = [s for s in found if len(s.parts()) == 2]
    # The corpus: walsall 2023 (workforce, carers, waiting lists), walsall 2019 (safeguarding),
    # dudley 2021 (workforce, housing), leicestershire 2022 (carers), coventry 2022 (carers,
    # safeguarding). Singles: 4 councils + 4 years + 5 themes. Council-year: one per letter, 5.
    # Council-theme: walsall 4, dudley 2, leicestershire 1, coventry 2 = 9. Theme-year: 2023 3,
    # 2019 1, 2021 2, 2022 2 (carers is shared by two letters) = 8.
    assert len(singles) == 13
    assert len([s for s in pairs if s.council and s.year]) == 5
    assert len([s for s in pairs if s.council and s.theme]) == 9
    assert len([s for s in pairs if s.theme and s.year]) == 8
    assert len(found) == 35


def test_a_letter_is_in_at_most_three_plus_three_per_theme_feeds(loaded) -> None:
    found = selections(loaded.letters)
    for letter in loaded.letters:
        feeds = sum(letter in members for members in found.values())
        assert feeds == 3 + 3 * len(letter.meta.themes), letter.id


def test_a_feed_lists_its_letters_newest_first(loaded) -> None:
    found = selections(loaded.letters)
    assert [x.id for x in found[Selection(theme="carers")]] == [
        "walsall/2023-06",
        "coventry/2022-05",
        "leicestershire/2022-02",
    ]
    assert [x.id for x in found[Selection(theme="carers", year=2022)]] == [
        "coventry/2022-05",
        "leicestershire/2022-02",
    ]


def test_every_feed_lists_exactly_what_the_finder_shows_for_its_filters(loaded) -> None:
    listing = json.loads(finder.listing(loaded))
    reference = loaded.reference
    for selection, letters in selections(loaded.letters).items():
        chosen = selection.finder_values(reference)
        assert [x.url for x in letters] == finder_shows(listing, chosen), selection


def test_feed_addresses_name_their_filters_in_a_fixed_order() -> None:
    assert Selection(council="walsall", theme="carers").path == (
        "find/feeds/council-walsall.theme-carers.xml"
    )
    assert Selection(theme="carers", year=2021).path == "find/feeds/theme-carers.year-2021.xml"
    assert Selection(year=2021).path == "find/feeds/year-2021.xml"


def test_a_selection_says_itself_in_words(reference: Reference) -> None:
    assert Selection(council="walsall", theme="carers", year=None).describe(reference) == (
        "Carers in Walsall"
    )
    assert Selection(theme="carers", year=2021).describe(reference) == "Carers in 2021"
    assert Selection(council="walsall", year=2021).describe(reference) == "Letters in Walsall, 2021"


def test_no_two_councils_or_themes_share_the_value_the_finder_shows(reference: Reference) -> None:
    assert ambiguous_labels(reference) == []
