"""`letters search` (lunr.py over the catalogue) and the related letters on each letter page."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from lunr.builder import Builder
from lunr.query import QueryPresence
from mkdocs.exceptions import PluginError

from finalletters import register, search
from finalletters.catalogue import Catalogue, Letter, PdfFile
from finalletters.errors import LetterError
from finalletters.model import LetterMeta
from finalletters.site import finder, finder_index, related, render
from finalletters.site.plumbing import links
from finalletters.tools import synthetic

LETTERS = Path(__file__).parents[1] / "letters"


def make_letter(
    reference: register.Reference,
    letter_id: str,
    body: str,
    themes: list[str] = (),
    recommendations: list[tuple[str, list[str]]] = (),
    sample: bool = True,
    day: int = 1,
) -> Letter:
    """A letter in memory: no files, as the catalogue would hold it."""
    slug, month = letter_id.split("/")
    start = dt.date(int(month[:4]), int(month[5:]), day)
    meta = LetterMeta.model_validate(
        {
            "authority": slug,
            "visit": {"start": start, "end": start + dt.timedelta(days=2)},
            "letter_date": start + dt.timedelta(days=30),
            "sample": sample,
            "themes": list(themes),
            "recommendations": [
                {"id": f"R{n}", "text": text, "themes": list(ids)}
                for n, (text, ids) in enumerate(recommendations, start=1)
            ],
        }
    )
    return Letter(
        id=letter_id,
        folder=Path("/nowhere") / letter_id,
        meta=meta,
        authority=reference.authorities[slug],
        body=body,
        pdf=PdfFile("letter.pdf", 1000, 1, "0" * 64),
        attachments={},
        text_edited=False,
        reference=reference,
    )


def catalogue_of(reference: register.Reference, letters: list[Letter]) -> Catalogue:
    letters = sorted(letters, key=lambda x: (x.date, x.id), reverse=True)
    return Catalogue(Path("/nowhere"), reference, letters, [])


@pytest.fixture(scope="module")
def corpus(reference: register.Reference) -> Catalogue:
    letters = [
        make_letter(
            reference,
            "walsall/2015-11",
            "# Peer challenge: Walsall\n\n"
            "## Strengths\n\n"
            "Staff were proud of their work with older people.\n\n"
            "The carers' assessment has been simplified and more carers are identified.\n\n"
            "## Areas for development\n\n"
            "Hospital discharge is slow at weekends, and the discharge-to-assess beds are full.\n",
            themes=["carers", "hospital-discharge"],
            recommendations=[
                ("Offer the carer's assessment through the carers' centre.", ["carers"]),
                ("Agree a single hospital discharge pathway.", ["hospital-discharge"]),
            ],
        ),
        make_letter(
            reference,
            "dudley/2016-02",
            "# Peer challenge: Dudley\n\n"
            "## Strengths\n\n"
            "Carers told us that they felt listened to by social workers.\n\n"
            "## Areas for development\n\n"
            "Waiting lists for occupational therapy assessments are long.\n",
            themes=["carers", "assessment-waiting-lists"],
            recommendations=[
                ("Reduce the waiting list for assessments.", ["assessment-waiting-lists"])
            ],
        ),
        make_letter(
            reference,
            "coventry/2016-10",
            "# Peer challenge: Coventry\n\n"
            "## Strengths\n\n"
            "Young carers are supported well through schools.\n\n"
            "Hospital colleagues praised the discharge team.\n",
            themes=["carers", "integration-health", "hospital-discharge"],
            recommendations=[
                (
                    "Support carers when the person they care for leaves hospital.",
                    ["carers", "hospital-discharge"],
                )
            ],
        ),
        make_letter(
            reference,
            "sandwell/2018-01",
            "# Peer challenge: Sandwell\n\n"
            "## Strengths\n\n"
            "Safeguarding adults board arrangements are strong.\n",
            themes=["safeguarding", "leadership-governance"],
            recommendations=[("Review the safeguarding threshold document.", ["safeguarding"])],
        ),
        make_letter(
            reference,
            "walsall/2019-05",
            "# Peer challenge: Walsall\n\n"
            "## Strengths\n\n"
            "The safeguarding team is stable.\n\n"
            "Carers are offered a break through the short breaks service.\n",
            themes=["safeguarding", "carers"],
            recommendations=[("Publish the carers strategy.", ["carers"])],
        ),
    ]
    return catalogue_of(reference, letters)


# --- search -----------------------------------------------------------------------------------


def test_search_finds_carers_in_letters_from_several_councils(corpus: Catalogue) -> None:
    hits = search.search(corpus, "carers")
    councils = {hit.council for hit in hits}
    assert councils == {"walsall", "dudley", "coventry"}, hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_needs_every_word_of_the_query(corpus: Catalogue) -> None:
    hits = search.search(corpus, "hospital discharge")
    assert {h.letter_id for h in hits} == {"walsall/2015-11", "coventry/2016-10"}


def test_search_matches_plurals_and_possessives(corpus: Catalogue) -> None:
    hits = search.search(corpus, "carer's assessments")
    assert [h.letter_id for h in hits] == ["walsall/2015-11", "dudley/2016-02"]
    assert {h.letter_id for h in search.search(corpus, "waiting list")} == {"dudley/2016-02"}


def test_search_quotes_the_passages_and_links_them_to_their_blocks(corpus: Catalogue) -> None:
    [hit] = search.search(corpus, "weekends")
    assert hit.snippets == [
        "Hospital discharge is slow at weekends, and the discharge-to-assess beds are full."
    ]
    # Block 1 is the title, 2 the heading, 3 and 4 the paragraphs, 5 the next heading.
    assert hit.anchors == ["b6"]
    assert hit.url == "letters/walsall/2015-11/"


def test_search_quotes_a_recommendation_when_the_body_does_not_have_the_words(
    reference: register.Reference,
) -> None:
    letter = make_letter(
        reference,
        "walsall/2015-11",
        "Nothing of note.\n",
        recommendations=[("Publish a carers strategy.", ["carers"])],
    )
    [hit] = search.search(catalogue_of(reference, [letter]), "carers")
    assert hit.snippets == ["R1: Publish a carers strategy."]
    assert hit.anchors == [""]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"council": "walsall"}, {"walsall/2015-11", "walsall/2019-05"}),
        ({"theme": "safeguarding"}, {"walsall/2019-05"}),
        ({"year": 2016}, {"dudley/2016-02", "coventry/2016-10"}),
        ({"council": "dudley", "year": 2015}, set()),
    ],
)
def test_search_filters_narrow_the_letters(corpus: Catalogue, filters: dict, expected: set) -> None:
    assert {h.letter_id for h in search.search(corpus, "carers", **filters)} == expected


def test_search_rejects_an_unknown_council_with_a_suggestion(corpus: Catalogue) -> None:
    with pytest.raises(LetterError) as caught:
        search.search(corpus, "carers", council="wallsall")
    assert "did you mean 'walsall'?" in str(caught.value)
    assert caught.value.detail.file == "--council"


def test_search_rejects_an_unknown_theme_with_a_suggestion(corpus: Catalogue) -> None:
    with pytest.raises(LetterError, match="did you mean 'carers'"):
        search.search(corpus, "carers", theme="carer")


def test_search_of_only_common_words_is_an_error(corpus: Catalogue) -> None:
    with pytest.raises(LetterError, match="no words to search for"):
        search.search(corpus, "the and of")


def test_search_respects_the_limit(corpus: Catalogue) -> None:
    assert len(search.search(corpus, "carers", limit=2)) == 2


def test_compact_index_scores_exactly_as_a_full_lunr_index(corpus: Catalogue) -> None:
    documents = [search.Document.of(letter) for letter in corpus.letters]
    full = Builder()
    full.ref("id")
    for name, boost in search.FIELDS.items():
        full.field(name, boost=boost)
    for letter in corpus.letters:
        fields = {name: search.terms(text) for name, text in search.fields_of(letter).items()}
        full.add({"id": letter.id, **fields})
    full_index = full.build()
    for query in ("carers", "hospital discharge", "safeguarding board", "walsall carers"):
        keys = search.query_terms(query)

        def every_term(q, keys=keys) -> None:
            for key in keys:
                q.term(key, use_pipeline=False, presence=QueryPresence.REQUIRED)

        expected = {m["ref"]: round(m["score"], 6) for m in full_index.query(callback=every_term)}
        assert expected, f"lunr finds nothing for {query!r}: nothing to compare"
        got = {d.letter.id: score for d, score in search.ranked(documents, keys)}
        assert got == pytest.approx(expected), query


def test_highlight_marks_each_form_of_the_word() -> None:
    marked = search.highlight("Carers and a carer's break", ["carer"], lambda w: f"[{w}]")
    assert marked == "[Carers] and a [carer's] break"


# --- the command ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    synthetic.write_corpus(root, 60, seed=4)
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(search.search_command, list(args), obj=root, catch_exceptions=True)


def test_command_json_returns_carers_from_several_councils(synthetic_root: Path) -> None:
    result = run(synthetic_root, "carers", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len({h["council"] for h in hits}) >= 3, hits
    assert set(hits[0]) >= {"letter_id", "title", "council", "year", "score", "snippets"}
    assert all(any("carer" in s.lower() for s in h["snippets"]) for h in hits)


def test_command_filters_by_council_and_year(synthetic_root: Path) -> None:
    everything = json.loads(run(synthetic_root, "carers", "--json", "--limit", "100").stdout)
    council, year = everything[0]["council"], everything[0]["year"]
    narrowed = json.loads(
        run(synthetic_root, "carers", "--json", "--council", council, "--year", str(year)).stdout
    )
    assert narrowed and all(h["council"] == council and h["year"] == year for h in narrowed)
    expected = {h["letter_id"] for h in everything if h["council"] == council and h["year"] == year}
    assert {h["letter_id"] for h in narrowed} == expected


def test_command_prints_a_table_with_passages(synthetic_root: Path) -> None:
    result = run(synthetic_root, "hospital", "discharge", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["LETTER", "COUNCIL", "YEAR", "SCORE", "TITLE"]
    assert any(line.startswith("    “") for line in lines), result.stdout
    assert "letters from" in result.stderr


def test_command_says_when_nothing_matches(synthetic_root: Path) -> None:
    result = run(synthetic_root, "zyxwvut")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no letters match 'zyxwvut'" in result.stderr


def test_command_rejects_an_unknown_council(synthetic_root: Path) -> None:
    result = run(synthetic_root, "carers", "--council", "wallsall")
    assert isinstance(result.exception, LetterError)
    assert "did you mean 'walsall'?" in str(result.exception)


# --- related letters --------------------------------------------------------------------------


def test_related_letters_come_from_other_councils_and_say_what_they_share(
    corpus: Catalogue,
) -> None:
    found = related.related_letters(corpus)
    walsall = found["walsall/2015-11"]
    assert walsall, found
    assert all(other.authority.slug != "walsall" for other, _ in walsall)
    assert walsall[0][0].id == "coventry/2016-10"  # carers and hospital discharge, recommended
    assert set(walsall[0][1]) == {"Carers", "Hospital discharge"}
    assert "sandwell/2018-01" not in {other.id for other, _ in walsall}  # nothing in common


def test_related_letters_are_at_most_five_and_ordered(reference: register.Reference) -> None:
    letters = [
        make_letter(reference, f"{a.slug}/2020-01", "Text.\n", themes=["carers"], day=n + 1)
        for n, a in enumerate(reference.west_midlands())
    ]
    found = related.related_letters(catalogue_of(reference, letters))
    for letter in letters:
        others = [other for other, _ in found[letter.id]]
        assert len(others) == 5
        # Every candidate is equally related, so the newest come first.
        dates = [other.date for other in others]
        assert dates == sorted(dates, reverse=True)


def test_related_letters_keep_sample_and_published_letters_apart(
    reference: register.Reference,
) -> None:
    letters = [
        make_letter(reference, "walsall/2020-01", "Text.\n", themes=["carers"], sample=False),
        make_letter(reference, "dudley/2020-01", "Text.\n", themes=["carers"], sample=True),
        make_letter(reference, "coventry/2020-01", "Text.\n", themes=["carers"], sample=False),
    ]
    found = related.related_letters(catalogue_of(reference, letters))
    assert [o.id for o, _ in found["walsall/2020-01"]] == ["coventry/2020-01"]
    assert found["dudley/2020-01"] == []


def test_related_letters_match_every_pair_compared(reference: register.Reference) -> None:
    """With a pool as large as the catalogue, the result is the exact best five."""
    catalogue = synthetic_catalogue(reference, 120)
    found = related.related_letters(catalogue, pool=10_000)
    sets = {x.id: related.features(x) for x in catalogue.letters}
    weight = related.weights(list(sets.values()))

    def score(a: Letter, b: Letter) -> float:
        shared = sets[a.id] & sets[b.id]
        common = sum(weight[f] for f in shared)
        union = sum(weight[f] for f in sets[a.id] | sets[b.id])
        return round(common / union, 9)

    for letter in catalogue.letters[:30]:
        others = [
            o
            for o in catalogue.letters
            if o.authority.slug != letter.authority.slug
            and any(f[0] != "cqc" for f in sets[letter.id] & sets[o.id])
        ]
        others.sort(key=lambda o: (-score(letter, o), -o.date.toordinal(), o.id))
        assert [o.id for o, _ in found[letter.id]] == [o.id for o in others[:5]]


def test_related_letters_are_the_same_every_time(reference: register.Reference) -> None:
    catalogue = synthetic_catalogue(reference, 200)
    first = related.related_letters(catalogue)
    catalogue.letters.reverse()
    again = related.related_letters(catalogue)
    simple = lambda found: {k: [(o.id, s) for o, s in v] for k, v in found.items()}  # noqa: E731
    assert simple(first) == simple(again)


def test_every_one_of_2000_letters_gets_related_letters(reference: register.Reference) -> None:
    """Its time is measured by `letters bench`, as part of the build."""
    catalogue = synthetic_catalogue(reference, 2_000)
    found = related.related_letters(catalogue)
    assert len(found) == 2_000
    assert all(found[letter.id] for letter in catalogue.letters)


def synthetic_catalogue(reference: register.Reference, n: int) -> Catalogue:
    """n letters with themes and recommendation themes drawn as the synthetic corpus does."""
    import random

    rng = random.Random(7)  # noqa: S311 (test data, not secrets)
    ids = sorted(reference.themes)
    slugs = sorted(reference.authorities)
    months = itertools.cycle(range(1, 13))
    letters = []
    for n_ in range(n):
        themes = sorted(rng.sample(ids, rng.randrange(3, 7)))
        recommendations = [("Do better.", [rng.choice(themes)]) for _ in range(rng.randrange(2, 6))]
        slug = slugs[n_ % len(slugs)]
        letter_id = f"{slug}/{2005 + (n_ // len(slugs)) % 20}-{next(months):02d}"
        letters.append(
            make_letter(reference, letter_id, "Text.\n", themes, recommendations, day=n_ % 27 + 1)
        )
    unique = {x.id: x for x in letters}
    return catalogue_of(reference, list(unique.values()))


# --- the letter finder's page and index -------------------------------------------------------


def test_finder_page_has_a_labelled_form_every_filter_and_a_message_without_javascript() -> None:
    html = render.template(
        "finder.html",
        v=finder.FinderView(3, {g.key: () for g in finder.GROUPS}),
        u=links("find/"),
        title="x",
    )
    assert "all 3 letters" in html
    assert '<label for="finder-q">Search inside letters</label>' in html
    assert '<label for="finder-sort">Sort by</label>' in html
    assert 'role="status" aria-live="polite"' in html
    for group in finder.GROUPS:
        assert f'data-key="{group.key}"' in html
        assert f'<legend class="fl-visually-hidden">{group.legend}</legend>' in html
    noscript = html[html.index("<noscript>") : html.index("</noscript>")]
    for path in ("../authorities/", "../themes/", "../years/"):
        assert f'href="{path}"' in noscript


def _site(tmp_path: Path, article: str) -> SimpleNamespace:
    page = tmp_path / "site" / "letters" / "walsall" / "2023-06" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        f'<!doctype html><html lang="en-GB"><head><title>x</title></head><body>{article}'
        "</body></html>",
        encoding="utf-8",
    )
    finder_page = tmp_path / "site" / "find" / "index.html"
    finder_page.parent.mkdir(parents=True)
    finder_page.write_text(
        f"<!doctype html><html><head>{finder_index.FACTS_MARK}<link rel=stylesheet href=x.css>"
        "</head><body></body></html>",
        encoding="utf-8",
    )
    return SimpleNamespace(site_dir=str(tmp_path / "site"))


def test_finder_index_writes_the_pagefind_bundle(tmp_path: Path) -> None:
    config = _site(
        tmp_path,
        '<article data-pagefind-body><h1>Walsall</h1><p id="b1">Carers</p>'
        '<span data-pagefind-filter="council" hidden>Walsall</span></article>',
    )
    finder_index.index(config)
    bundle = Path(config.site_dir) / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 1
    assert not (bundle / "playground").exists()
    assert not (bundle / "pagefind-ui.js").exists()  # the ready-made interface is not used
    html = (Path(config.site_dir) / "find" / "index.html").read_text(encoding="utf-8")
    assert finder_index.FACTS_MARK not in html
    assert f'"version":"{entry["languages"]["en"]["hash"]}"' in html
    assert "<script src=" not in html  # facts only: finder-start.js loads Pagefind
    # Pagefind's worker starts a search as soon as it is ready, not at its next look.
    worker = (bundle / finder_index.WORKER).read_text(encoding="utf-8")
    assert finder_index.WORKER_LOOK not in worker
    assert worker.count(finder_index.WORKER_LOOK_SOONER) == 1


def test_a_pagefind_worker_that_reads_otherwise_is_left_as_it_is_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    worker = tmp_path / finder_index.WORKER
    worker.write_text("async getPtr(){await this.ready;}", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.finalletters"):
        finder_index.quicken_worker(tmp_path)
    assert worker.read_text(encoding="utf-8") == "async getPtr(){await this.ready;}"
    assert "no longer waits as Pagefind 1.5.2 did" in caplog.text


WORDS = [
    *("carers", "assessment", "waiting", "waiter", "wait", "lists", "listening", "hospital"),
    *("discharge", "workforce", "safeguarding", "transitions", "dementia", "prevention"),
    *("reablement", "commissioning", "housing", "care", "career", "carer", "caring"),
    *("leadership", "partnership", "strategy"),
]


def _chunked_words(bundle: Path) -> tuple[list, list[list]]:
    """The words of a Pagefind bundle's index in order, and its metadata's chunk list."""
    meta = finder_index._read_index(next(bundle.glob("pagefind.*.pf_meta")))
    chunks = next(part for part in meta if finder_index._is_chunk_list(part, bundle / "index"))
    words = [
        word
        for _, _, name in chunks
        for word in finder_index._read_index(bundle / "index" / f"{name}.pf_index")[0]
    ]
    return words, chunks


def test_the_finder_index_is_cut_into_small_chunks_each_word_found_in_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    for n in range(12):
        page = site / "letters" / f"council-{n}" / "2023-06" / "index.html"
        page.parent.mkdir(parents=True)
        text = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(40))
        page.write_text(
            f'<html lang="en-GB"><body><article data-pagefind-body><h1>Letter {n}</h1>'
            f'<p id="b1">{text}</p></article></body></html>',
            encoding="utf-8",
        )
    (site / "find").mkdir()
    config = SimpleNamespace(site_dir=str(site))
    monkeypatch.setattr(finder_index, "CHUNK_PLACES", 10**9)  # one chunk: Pagefind's words
    (site / "find" / "index.html").write_text(f"<head>{finder_index.FACTS_MARK}</head>")
    finder_index.index(config)
    whole, _ = _chunked_words(site / "pagefind")
    monkeypatch.setattr(finder_index, "CHUNK_PLACES", 30)
    (site / "find" / "index.html").write_text(f"<head>{finder_index.FACTS_MARK}</head>")
    finder_index.index(config)
    words, chunks = _chunked_words(site / "pagefind")
    assert words == whole, "the words and their places are kept as Pagefind wrote them"
    assert len(chunks) > 5
    assert len(list((site / "pagefind" / "index").iterdir())) == len(chunks)  # none left over
    # Pagefind looks a word up in the first chunk whose range holds it.
    ranges = [(first, last) for first, last, _ in chunks]
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges))
    for first, last, name in chunks:
        held = [
            w[0]
            for w in finder_index._read_index(site / "pagefind" / "index" / f"{name}.pf_index")[0]
        ]
        for word in held:
            assert next(r for r in ranges if r[0] <= word <= r[1]) == (first, last), word
            assert not word[1:] or word[:-1] < first or word[:-1] > ranges[0][0]
    stems = [w[0] for w in words]
    for a, b in itertools.pairwise(stems):  # a word and its extension share a chunk
        if b.startswith(a):
            assert next(c for c in chunks if c[0] <= a <= c[1]) is next(
                c for c in chunks if c[0] <= b <= c[1]
            ), (a, b)


def test_finder_index_fails_the_build_when_no_letter_is_marked_for_it(tmp_path: Path) -> None:
    config = _site(tmp_path, "<article><h1>Walsall</h1><p>Carers</p></article>")
    with pytest.raises(PluginError, match="data-pagefind-body"):
        finder_index.index(config)


def test_finder_listing_gives_every_letter_its_filter_values_newest_first(
    corpus: Catalogue,
) -> None:
    data = json.loads(finder.listing(corpus))
    assert data["keys"] == [group.key for group in finder.GROUPS]
    assert [row[0] for row in data["letters"]] == [
        "letters/walsall/2019-05/",
        "letters/sandwell/2018-01/",
        "letters/coventry/2016-10/",
        "letters/dudley/2016-02/",
        "letters/walsall/2015-11/",
    ]
    _url, title, date, recommendations, indexes = data["letters"][-1]
    assert (title, date) == ("Peer challenge: Walsall, November 2015", "2015-12-01")
    assert recommendations == len(corpus.letters[-1].meta.recommendations)
    shown = {
        key: [data["values"][key][i] for i in found]
        for key, found in zip(data["keys"], indexes, strict=True)
    }
    assert shown["council"] == ["Walsall"]
    assert shown["year"] == ["2015"]
    assert shown["theme"] == ["Carers", "Hospital discharge"]
    assert shown["kind"] == ["Sample letter"]
    assert "Safe systems, pathways and transitions" in shown["cqc"]
    assert all(values == sorted(values) for values in data["values"].values())
