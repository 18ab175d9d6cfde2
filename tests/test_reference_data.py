"""The register (letters/authorities.yml) and the taxonomy (letters/themes.yml) as committed."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from finalletters import register
from finalletters.register import Reference

LETTERS = Path(__file__).parents[1] / "letters"
COUNCILS_CSV = Path(__file__).parent / "data" / "english-councils-with-adult-social-care.csv"

WEST_MIDLANDS_NAMES = {
    "Birmingham City Council",
    "Coventry City Council",
    "Dudley Metropolitan Borough Council",
    "Sandwell Metropolitan Borough Council",
    "Solihull Metropolitan Borough Council",
    "Walsall Metropolitan Borough Council",
    "City of Wolverhampton Council",
    "Herefordshire Council",
    "Shropshire Council",
    "Telford & Wrekin Council",
    "Stoke-on-Trent City Council",
    "Staffordshire County Council",
    "Warwickshire County Council",
    "Worcestershire County Council",
}

REQUIRED_THEMES = {
    "leadership-governance",
    "workforce",
    "safeguarding",
    "practice-quality",
    "assessment-waiting-lists",
    "carers",
    "prevention-early-help",
    "commissioning-market",
    "integration-health",
    "hospital-discharge",
    "transitions",
    "mental-health",
    "learning-disability-autism",
    "co-production-lived-experience",
    "data-performance",
    "finance-resources",
    "equality-diversity",
    "housing",
    "technology-digital",
    "occupational-therapy",
    "quality-assurance-improvement",
}


@pytest.fixture(scope="module")
def councils() -> dict[str, dict[str, str]]:
    """The reference CSV, by GSS code."""
    with COUNCILS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["gss_code"]: row for row in csv.DictReader(handle)}


def test_reference_data_loads_and_validates_against_the_schema(reference: Reference) -> None:
    assert reference.authorities
    assert reference.themes


def test_register_lists_every_council_in_the_reference_csv(
    reference: Reference, councils: dict[str, dict[str, str]]
) -> None:
    assert len(councils) == 153
    assert len(reference.authorities) == 153
    assert {a.gss for a in reference.authorities.values()} == set(councils)


def test_register_codes_and_regions_match_the_reference_csv(
    reference: Reference, councils: dict[str, dict[str, str]]
) -> None:
    for authority in reference.authorities.values():
        row = councils[authority.gss]
        assert authority.dfe == int(row["dfe_la_code"]), authority.slug
        assert authority.region == row["region_name"], authority.slug


def test_west_midlands_councils_have_their_official_names(reference: Reference) -> None:
    names = {a.name for a in reference.west_midlands()}
    assert names == WEST_MIDLANDS_NAMES


def test_walsall_is_also_known_as_walsall_council(reference: Reference) -> None:
    assert "Walsall Council" in reference.authorities["walsall"].aliases


def test_no_name_or_alias_points_to_two_councils(reference: Reference) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for authority in reference.authorities.values():
        for name in (authority.name, authority.short_name, *authority.aliases):
            owners[register._normalise(name)].add(authority.slug)
    shared = {name: sorted(slugs) for name, slugs in owners.items() if len(slugs) > 1}
    assert shared == {}


def test_every_council_name_and_alias_resolves_to_its_own_slug(reference: Reference) -> None:
    for authority in reference.authorities.values():
        for name in (authority.name, authority.short_name, *authority.aliases):
            assert reference.slug_for(name) == authority.slug, name


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Telford and Wrekin Council", "telford-and-wrekin"),
        ("Telford & Wrekin Council", "telford-and-wrekin"),
        ("City of Wolverhampton", "wolverhampton"),
        ("Wolverhampton City Council", "wolverhampton"),
        ("Stoke", "stoke-on-trent"),
        ("Walsall Council", "walsall"),
        ("Herefordshire", "herefordshire"),
        ("St Helens", "st-helens"),
        ("Kingston upon Hull, City of", "kingston-upon-hull"),
        ("Royal Borough of Kingston upon Thames", "kingston-upon-thames"),
        ("City of London", "city-of-london"),
    ],
)
def test_slug_for_finds_a_council_by_name_or_alias(
    reference: Reference, name: str, slug: str
) -> None:
    assert reference.slug_for(name) == slug


def test_register_is_ordered_by_region_then_short_name(
    reference: Reference, councils: dict[str, dict[str, str]]
) -> None:
    authorities = list(reference.authorities.values())
    keys = [(councils[a.gss]["region_code"], a.short_name.casefold()) for a in authorities]
    assert keys == sorted(keys)


def test_taxonomy_has_every_required_theme(reference: Reference) -> None:
    assert set(reference.themes) >= REQUIRED_THEMES


def test_every_theme_has_between_8_and_60_lowercase_phrases(reference: Reference) -> None:
    for theme in reference.themes.values():
        assert 8 <= len(theme.phrases) <= 60, theme.id
        # capitals only for an acronym matched as written ("IT" is not "it")
        assert all(p == p.lower() or p.split()[0].isupper() for p in theme.phrases), theme.id
        assert len(set(theme.phrases)) == len(theme.phrases), theme.id


def test_no_phrase_belongs_to_two_themes(reference: Reference) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for theme in reference.themes.values():
        for phrase in theme.phrases:
            owners[phrase].add(theme.id)
    shared = {phrase: sorted(ids) for phrase, ids in owners.items() if len(ids) > 1}
    assert shared == {}
