"""The built site: a strict build of a small corpus, built twice (the second time under a
false clock) and compared byte for byte; a page for every letter, council, theme and year;
nothing from a letter rendered as markup anywhere; JSON, CSV, CSVW and Atom that parse."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest

from finalletters.lettermd import Block
from finalletters.site import context, data, finder, letter_text, plumbing, render, urls
from tests import corpus

SITE_URL = "https://wm-adass.github.io/final-letters/"
FALSE_CLOCK = "1999-12-31"
PAGEFIND = "pagefind/"  # the finder's index, written by Pagefind after mkdocs


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The corpus built twice: once normally, once with mkdocs' idea of today set to 1999."""
    base = tmp_path_factory.mktemp("site")
    letters = corpus.write(base / "corpus")
    first = base / "first"
    corpus.build_site(letters.root, first)
    second = base / "second"
    with pytest.MonkeyPatch.context() as patch:
        import mkdocs.structure.pages
        import mkdocs.utils

        false_now = dt.datetime(1999, 12, 31, tzinfo=dt.UTC)
        patch.setattr(mkdocs.structure.pages, "get_build_date", lambda: FALSE_CLOCK)
        patch.setattr(mkdocs.utils, "get_build_datetime", lambda: false_now)
        corpus.build_site(letters.root, second)
    return SimpleNamespace(site=first, again=second, corpus=letters)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert pages, f"no HTML pages under {site}"
    return pages


# ---------------------------------------------------------------------------------------------
# Build


def test_the_corpus_builds_strictly(built):
    assert (built.site / "index.html").is_file()


def test_two_builds_of_the_same_letters_are_byte_identical_whatever_the_clock(built):
    first, second = _files(built.site), _files(built.again)
    ours = sorted(name for name in first if not name.startswith(PAGEFIND))
    assert ours == sorted(name for name in second if not name.startswith(PAGEFIND))
    different = [name for name in ours if first[name] != second[name]]
    assert different == [], f"these files differ between two builds: {different}"
    assert FALSE_CLOCK.encode() not in first["sitemap.xml"]


def test_two_builds_write_the_same_finder_index(built):
    """Pagefind itself orders its filter indexes differently on each run (Pagefind issue
    #638); finder.stabilise rewrites them in a fixed order."""
    first, second = _files(built.site), _files(built.again)
    index = {n: h for n, h in first.items() if n.startswith(PAGEFIND)}
    assert index, "the build wrote no finder index"
    assert index == {n: h for n, h in second.items() if n.startswith(PAGEFIND)}


def test_the_finder_page_carries_its_index_facts_and_keeps_materials_scripts_for_later(built):
    html = _html(built.site, urls.FIND)
    assert "<!--finder:index-->" not in html
    facts = json.loads(
        re.search(r'<script type="application/json" id="finder-index">(.*?)</script>', html).group(
            1
        )
    )
    entry = json.loads((built.site / PAGEFIND / "pagefind-entry.json").read_text("utf-8"))
    assert facts["version"] == entry["languages"]["en"]["hash"]
    assert (built.site / urls.FIND / facts["bundle"] / "pagefind.js").resolve().is_file()
    # Pagefind is started from the head, after the facts and before the style sheets, without
    # holding up the page.
    start = '<script src="../javascripts/finder-start.js" async></script>'
    assert html.index('id="finder-index"') < html.index(start) < html.index('rel="stylesheet"')
    # Material's scripts wait, inert, until the reader reaches for the header (finder.js).
    later = html[html.index('<template id="fl-material">') : html.index("</template>")]
    assert "bundle." in later and "requests-on-demand.js" in later and "search-inside.js" in later
    outside = html.replace(later, "")
    assert not re.search(r'<script src="[^"]*(bundle\.|requests-on-demand|search-inside)', outside)
    assert re.search(r'<script src="[^"]*requests-on-demand\.js"', _html(built.site, "letters"))


def test_the_sitemap_dates_pages_by_their_letters(built):
    sitemap = (built.site / "sitemap.xml").read_text(encoding="utf-8")
    entry = re.search(
        r"<loc>" + re.escape(SITE_URL + "letters/walsall/2023-06/") + r"</loc>\s*"
        r"<lastmod>([\d-]+)</lastmod>",
        sitemap,
    )
    assert entry and entry.group(1) == "2024-06-20"  # its progress review
    assert gzip.decompress((built.site / "sitemap.xml.gz").read_bytes()).decode() == sitemap


def test_every_letter_council_theme_and_year_has_a_page(built):
    site, letters = built.site, built.corpus
    for letter_id in letters.letters:
        assert (site / urls.letter(letter_id) / "index.html").is_file(), letter_id
        assert (site / urls.letter_file(letter_id, "letter.pdf")).read_bytes().startswith(b"%PDF")
    for slug in letters.councils:
        assert (site / urls.authority(slug) / "index.html").is_file(), slug
        assert (site / urls.authority_feed(slug)).is_file(), slug
    for theme in corpus.yaml.safe_load((corpus.REPO / "letters/themes.yml").read_text())["themes"]:
        assert (site / urls.theme(theme["id"]) / "index.html").is_file(), theme["id"]
    for year in letters.years:
        assert (site / urls.year(year) / "index.html").is_file(), year
    for page in ("letters", "authorities", "themes", "years", "data", "about", "add-a-letter",
                 "accessibility", "privacy"):  # fmt: skip
        assert (site / page / "index.html").is_file(), page
    assert (site / "404.html").is_file()
    assert (site / "letters/walsall/2023-06/action-plan.pdf").is_file()
    assert (site / "letters/walsall/2023-06/progress-review.pdf").is_file()


def test_councils_without_letters_have_no_page_but_are_listed_as_having_none(built):
    assert not (built.site / "authorities/birmingham").exists()
    index = _html(built.site, "authorities")
    assert "Birmingham City Council" in index
    assert index.count("None yet") >= 2 * 11  # 14 West Midlands councils, 3 with letters
    assert "Leicestershire County Council" in index  # outside the region, with a letter


def test_the_navigation_lists_sections_not_letters(built):
    home = _html(built.site, "")
    nav = home[home.index('data-md-type="navigation"') : home.index('data-md-type="toc"')]
    link = (
        r'<a href="[^"#]*" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]+?)\s*<'
    )
    assert re.findall(link, nav) == [
        "Home", "Letters", "Councils", "Themes", "Years", "Regional learning", "Follow-up",
        "Find letters", "Open data", "About", "Add a letter",
    ]  # fmt: skip


def test_a_broken_letter_stops_the_build_with_the_problem_named(tmp_path, caplog):
    letters = corpus.write(tmp_path / "corpus")
    meta = letters.root / "letters/dudley/2021-10/letter.yml"
    meta.write_text(meta.read_text().replace("- housing", "- housing-finace"))
    with pytest.raises(Exception, match="BuildError"):
        corpus.build_site(letters.root, tmp_path / "site")
    assert "theme 'housing-finace' is not in letters/themes.yml; did you mean 'housing'?" in (
        caplog.text
    )
    assert "error: letters/dudley/2021-10/letter.yml: themes: theme" in caplog.text


def test_the_letters_come_from_the_folder_of_mkdocs_yml_unless_told_otherwise(monkeypatch):
    config = SimpleNamespace(config_file_path=str(corpus.REPO / "mkdocs.yml"))
    monkeypatch.delenv(context.ROOT_VARIABLE, raising=False)
    assert context.root(config) == corpus.REPO
    monkeypatch.setenv(context.ROOT_VARIABLE, "/tmp/elsewhere")
    assert context.root(config) == Path("/tmp/elsewhere")


# ---------------------------------------------------------------------------------------------
# Pages


class _Outline(HTMLParser):
    """Headings, tags with their attributes, and the text of script elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, text):
        if self._in_script:
            self.scripts.append(text)


def _outline(path: Path) -> _Outline:
    parser = _Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_has_one_h1_headings_in_order_and_a_skip_link(built):
    for path in _pages(built.site):
        outline = _outline(path)
        shown = path.relative_to(built.site)
        assert outline.headings.count(1) == 1 and outline.headings[0] == 1, shown
        for before, after in zip(outline.headings, outline.headings[1:], strict=False):
            assert after <= before + 1, f"{shown}: h{before} is followed by h{after}"
        assert any("md-skip" in (a.get("class") or "") for _, a in outline.tags), shown


def test_markup_from_a_letter_is_shown_as_text_on_every_page(built):
    for path in _pages(built.site):
        outline = _outline(path)
        shown = path.relative_to(built.site)
        handlers = [(t, k) for t, a in outline.tags for k in a if k.startswith("on")]
        assert handlers == [], f"{shown}: event handler attributes {handlers}"
        assert not any("alert(" in script for script in outline.scripts), shown
        assert not any(t in ("img", "b", "em", "u", "td") and "onclick" in a
                       for t, a in outline.tags), shown  # fmt: skip
    page = _html(built.site, urls.letter(built.corpus.hostile))
    assert "Peer challenge: &lt;script&gt;alert(" in page
    assert "&lt;/div&gt;&lt;/article&gt;&lt;script&gt;alert(" in page
    assert "&lt;img src=x onerror=" in page
    assert 'href="https://example.org/&#34;&gt;&lt;script&gt;' in page
    hostile = built.site / urls.letter(built.corpus.hostile) / "index.html"
    tags = [tag for tag, _ in _outline(hostile).tags]
    assert "img" not in tags and "b" not in tags


def test_the_letter_page_shows_the_facts_a_reader_needs(built):
    page = _html(built.site, "letters/walsall/2023-06")
    for text in (
        "Walsall Metropolitan Borough Council</a> (GSS code E08000030)",
        "13 to 15 June 2023",
        '<time datetime="2023-07-20">20 July 2023</time>',
        '<time datetime="2023-09-01">1 September 2023</time>',
        "Lead Director of Adult Social Services: Jane Director, Sandwell Metropolitan Borough",
        "Person with lived experience: Name not given",
        '<a href="../../../themes/workforce/" data-print="https://wm-adass.github.io/'
        'final-letters/themes/workforce/">Workforce</a>',
        "Assessing needs",
        'Open the original letter <span class="fl-toolbar__facts">(PDF, 1 KB, 2 pages)</span>',
        "Open the council’s action plan (PDF, 1 KB)",
        "Open the progress review (PDF, 1 KB)",
        'href="https://www.walsall.gov.uk/peer-challenge-2023"',
        "Status: In progress (date and source not recorded).",
        'Available at: <a href="https://wm-adass.github.io/final-letters/letters/walsall/2023-06/"',
        '<p id="b2">Dear Chief Executive',
        '<h3 id="b1" data-search-exclude>Adult Social Care Peer Challenge: Walsall</h3>',
        "[see table 1] and *some* people",
        '<th scope="col">People waiting</th>',
        'data-pagefind-body data-pagefind-sort="date:2023-07-20 walsall/2023-06"',
        '<span data-pagefind-filter="theme">Workforce</span>',
        '<span data-pagefind-filter="kind">Published letter</span>',
        '<span data-pagefind-filter="role">Elected member</span>',
    ):
        assert text in page, text
    assert "Sample letter</strong>" not in page
    assert "Sample letter</strong>" in _html(built.site, "letters/dudley/2021-10")
    assert page.count("data-pagefind-body") == 1
    assert "data-pagefind-body" not in _html(built.site, "authorities/walsall")


def test_theme_pages_quote_the_evidence_and_link_to_the_passage(built):
    page = _html(built.site, "themes/workforce")
    assert "<q>The workforce strategy is clear and staff morale is high;" in page
    assert re.search(r'href="\.\./\.\./letters/walsall/2023-06/#b\d+">Walsall, June 2023:', page)
    assert '<a href="../../find/?wm=Resources+and+Workforce+Management">' in page
    assert '<a href="../../find/?cqc=Governance%2C+management+and+sustainability">' in page
    assert '<a href="../../find/?theme=Workforce">Search inside the letters on this theme' in page


def test_council_and_theme_pages_announce_their_feeds(built):
    for url, feed in (("authorities/walsall/", "feed.xml"), ("themes/carers/", "feed.xml")):
        page = _html(built.site, url)
        assert '<link rel="alternate" type="application/atom+xml" title=' in page
        assert f'href="{feed}"' in page
    assert 'href="feed.xml"' in _html(built.site, "")


def test_the_header_search_indexes_summaries_but_not_letter_text_or_recommendations(built):
    """The header index loads on every page, so it holds what finds a letter (title, council,
    themes, team); the letters' text and recommendations are searched at /find/."""
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    text = json.dumps(index)
    assert "Develop a workforce strategy with partners." not in text
    assert "Peer challenge: Walsall, June 2023" in text
    letter = [doc for doc in index["docs"] if doc["location"] == "letters/walsall/2023-06/"]
    assert len(letter) == 1, "one summary entry per letter, not one per section"
    assert "Themes: " in letter[0]["text"] and "Walsall" in letter[0]["text"]
    assert "Dear Chief Executive" not in text
    assert "data-pagefind-filter" not in text


def test_nothing_is_loaded_from_another_site(built):
    for path in _pages(built.site):
        for tag, attrs in _outline(path).tags:
            for name in ("src",) if tag in ("script", "img", "iframe") else ("href",):
                value = attrs.get(name) or ""
                if tag == "link" or name == "src":
                    assert not value.startswith(("http:", "https:", "//")) or (
                        tag == "link" and attrs.get("rel") == "canonical"
                    ), f"{path.relative_to(built.site)}: {tag} {value}"


# ---------------------------------------------------------------------------------------------
# Open data and feeds


def test_letters_json_has_every_letter_with_absolute_urls(built):
    document = json.loads((built.site / urls.LETTERS_JSON).read_text(encoding="utf-8"))
    ids = [letter["id"] for letter in document["letters"]]
    assert sorted(ids) == sorted(built.corpus.letters)
    assert document["letter_count"] == len(ids)
    hostile = next(x for x in document["letters"] if x["id"] == built.corpus.hostile)
    assert hostile["title"] == corpus.HOSTILE_TITLE
    assert hostile["team"][0]["name"] == corpus.HOSTILE_NAME
    walsall = next(x for x in document["letters"] if x["id"] == "walsall/2023-06")
    assert walsall["authority"]["gss_code"] == "E08000030"
    assert walsall["pdf"]["url"] == SITE_URL + "letters/walsall/2023-06/letter.pdf"
    assert walsall["follow_up"]["action_plan_url"].endswith("/action-plan.pdf")
    assert walsall["recommendation_count"] == 3


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_letters_csv_has_one_row_per_letter_and_matches_its_csvw_metadata(built):
    rows = _csv(built.site / urls.LETTERS_CSV)
    assert sorted(r["id"] for r in rows) == sorted(built.corpus.letters)
    metadata = json.loads((built.site / urls.LETTERS_CSVW).read_text(encoding="utf-8"))
    assert metadata["url"] == "letters.csv"
    assert "http://www.w3.org/ns/csvw" in metadata["@context"]
    columns = [c["name"] for c in metadata["tableSchema"]["columns"]]
    assert columns == list(rows[0])
    walsall = next(r for r in rows if r["id"] == "walsall/2023-06")
    assert walsall["gss_code"] == "E08000030"
    assert walsall["themes"] == "workforce;carers;assessment-waiting-lists"
    assert walsall["recommendation_count"] == "3"
    assert walsall["visit_start"] == "2023-06-13"
    assert walsall["page_url"] == SITE_URL + "letters/walsall/2023-06/"
    for column in metadata["tableSchema"]["columns"]:
        for row in rows:
            value = row[column["name"]]
            if value and column["datatype"] == "date":
                dt.date.fromisoformat(value)
            elif value and column["datatype"] == "gYearMonth":
                assert re.fullmatch(r"\d{4}-\d\d", value), value
            elif value and column["datatype"] == "integer":
                int(value)
            elif value and column["datatype"] == "boolean":
                assert value in ("true", "false")
            elif value and column["datatype"] == "anyURI":
                assert value.startswith("https://")


def test_no_csv_cell_can_run_as_a_formula(built):
    for name in (urls.LETTERS_CSV, urls.RECOMMENDATIONS_CSV):
        for row in _csv(built.site / name):
            for value in row.values():
                assert not value.startswith(data.FORMULA_START), (name, value)
    texts = {r["text"] for r in _csv(built.site / urls.RECOMMENDATIONS_CSV)}
    assert {'\'=HYPERLINK("https://example.org","x")', "'+1+1", "'-2+3", "'@SUM(A1)"} <= texts
    assert json.loads((built.site / urls.RECOMMENDATIONS_CSVW).read_text())["url"] == (
        "recommendations.csv"
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (None, ""),
        (True, "true"),
        (3, "3"),
    ],
)
def test_csv_cells_are_guarded_against_formulas(cell, expected):
    assert data.guard(cell) == expected


def test_every_feed_is_valid_atom_dated_by_its_letters(built):
    feeds = sorted(built.site.rglob("feed.xml"))
    assert len(feeds) == 1 + len(built.corpus.councils) + 21
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10"
        assert parsed.feed.updated_parsed.tm_year < 2026
        for entry in parsed.entries:
            assert entry.id.startswith(SITE_URL + "letters/")
            assert entry.link == entry.id
    main = feedparser.parse((built.site / "feed.xml").read_bytes())
    assert len(main.entries) == len(built.corpus.letters)
    assert main.feed.updated.startswith("2024-06-20")
    titles = {e.title for e in main.entries}
    assert corpus.HOSTILE_TITLE in titles
    raw = (built.site / "authorities/coventry/feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw


# ---------------------------------------------------------------------------------------------
# Units


def test_the_letter_body_nests_lists_numbers_tables_and_demotes_headings():
    blocks = [
        Block("heading", "Title", 1, level=1),
        Block("heading", "Section", 1, level=3),  # a skipped level comes out in order
        Block("list-item", "one", 1, level=0),
        Block("list-item", "one a", 1, level=1),
        Block("list-item", "two", 1, level=0),
        Block("list-item", "first", 1, level=0, ordered=True, number="4"),
        Block("list-item", "(i) first", 1, level=0, ordered=True, number="i"),
        Block("table-row", "A | B", 1, cells=("A", "B")),
        Block("table-row", "1 | <2>", 1, cells=("1", "<2>")),
        # read_blocks gives plain text: what looks like an escape is the letter's own text
        Block("paragraph", r"*not emphasis* & <b> \[kept\]", 1),
    ]
    body, headings = letter_text.letter_body(blocks, top=3)
    assert '<h3 id="b1" data-search-exclude>Title</h3>' in body
    assert '<h4 id="b2" data-search-exclude>Section</h4>' in body
    assert [(h.level, h.id) for h in headings] == [(3, "b1"), (4, "b2")]
    assert (
        '<ul><li id="b3">one<ul><li id="b4">one a</li></ul></li><li id="b5">two</li></ul>'
        '<ol><li id="b6" value="4">first</li></ol>'
        '<ol class="fl-marked"><li id="b7"><span class="fl-marker">i</span>(i) first</li></ol>'
    ) in body
    assert '<thead><tr id="b8"><th scope="col">A</th>\n<th scope="col">B</th></tr></thead>' in body
    assert '<tr id="b9"><td>1</td>\n<td>&lt;2&gt;</td></tr>' in body
    assert (
        '<div class="fl-scroll" role="region" aria-labelledby="b8-caption" tabindex="0">'
        '<table><caption id="b8-caption" data-pagefind-ignore>Table 1 in the letter</caption>'
    ) in body
    assert '<p id="b10">*not emphasis* &amp; &lt;b&gt; \\[kept\\]</p>' in body


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2023, 6, 13), dt.date(2023, 6, 15), "13 to 15 June 2023"),
        (dt.date(2023, 6, 30), dt.date(2023, 7, 2), "30 June to 2 July 2023"),
        (dt.date(2023, 12, 30), dt.date(2024, 1, 2), "30 December 2023 to 2 January 2024"),
        (dt.date(2023, 6, 13), dt.date(2023, 6, 13), "13 June 2023"),
    ],
)
def test_visit_dates_read_as_gov_uk_writes_them(start, end, expected):
    assert render.date_range(start, end) == expected


def test_sizes_and_links_are_written_for_readers():
    assert render.file_size(250_000) == "244 KB"
    assert render.file_size(100) == "1 KB"
    assert render.file_size(3_500_000) == "3.3 MB"
    assert urls.relative("authorities/walsall/", "letters/walsall/2023-06/") == (
        "../../../authorities/walsall/"
    )
    assert urls.relative("", "letters/walsall/2023-06/") == "../../../"
    assert urls.relative("feed.xml", "") == "feed.xml"
    assert urls.relative("letters/a/2023-06/#b1", "themes/x/") == "../../letters/a/2023-06/#b1"
    assert urls.relative("letters/a/2023-06/letter.pdf", "letters/a/2023-06/") == "letter.pdf"
    assert urls.relative("letters/", "letters/") == "./"
    assert urls.relative("", "") == "./"
    assert urls.relative("#b1", "letters/a/2023-06/") == "#b1"


def test_text_is_cleaned_of_control_characters_and_escaped():
    assert render.escape('<a href="x">\x00\x1b') == "&lt;a href=&quot;x&quot;&gt;"
    assert plumbing.wrap("<p>a</p>\n\n\n<p>b</p>") == (
        '<div class="fl-page" markdown="0">\n<p>a</p>\n<p>b</p>\n</div>\n'
    )


def test_csv_headers_are_the_declared_columns():
    assert next(csv.reader(io.StringIO(data._csv(data.LETTER_COLUMNS, [])))) == [
        c.name for c in data.LETTER_COLUMNS
    ]


# ---------------------------------------------------------------------------------------------
# Template leftovers, recommendations as the letter numbers them, passages, a letter's facts


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Dear <<NAME>>, on <<DATE>> we met.", ["<<NAME>>", "<<DATE>>"]),
        ("Thank you, [Council name], for [insert date].", ["[Council name]", "[insert date]"]),
        ("Hello {{ director }} and {{director}}.", ["{{ director }}", "{{director}}"]),
        ("Visited on XX/XX/XXXX and dd/mm/yyyy.", ["XX/XX/XXXX", "dd/mm/yyyy"]),
        ("Waits remain long [see table 1] [sic] and <b> stays text.", []),
        ("Ratio 3/4 of 12/06/2023, and {braces}.", []),
    ],
)
def test_template_leftovers_are_found_and_only_they(text, found):
    from finalletters import placeholders

    assert placeholders.find(text) == found


def test_letters_check_warns_of_template_leftovers(tmp_path):
    from finalletters import catalogue

    letters = corpus.write(tmp_path / "corpus")
    extra = letters.root / "letters" / "walsall" / "2021-11"
    corpus._write(
        extra,
        {"authority": "walsall", "visit": {"start": dt.date(2021, 11, 9),
         "end": dt.date(2021, 11, 11)}, "sample": True},
        body="# Peer challenge\n\nDear <<NAME>>, thank you for hosting us on XX/XX/XXXX.\n",
    )  # fmt: skip
    loaded = catalogue.load(letters.root, draft=True)  # the corpus is built as a preview
    warned = [p for p in loaded.warnings if p.field == "placeholders"]
    assert [p.file for p in warned] == ["letters/walsall/2021-11/letter.md"]
    assert "<<NAME>>, XX/XX/XXXX" in warned[0].problem
    assert not loaded.errors
    letter = next(x for x in loaded.letters if x.id == "walsall/2021-11")
    assert letter.placeholders == ["<<NAME>>", "XX/XX/XXXX"]


@pytest.fixture(scope="module")
def numbered(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The corpus with three more letters: sandwell/2024-05, with recommendations numbered as
    printed, one drawn from its prose, a template leftover, and a text corrected by hand;
    solihull/2022-09, whose text runs over two pages of its PDF; birmingham/2023-06, whose
    letter gives only the month of the visit."""
    base = tmp_path_factory.mktemp("numbered")
    letters = corpus.write(base / "corpus")
    corpus._write(
        letters.root / "letters" / "sandwell" / "2024-05",
        {
            "authority": "sandwell",
            "visit": {"start": dt.date(2024, 5, 7), "end": dt.date(2024, 5, 9)},
            "sample": True,
            "themes": ["workforce"],
            "recommendations": [
                {"id": "R1", "text": "Grow your own social workers.", "number": "3.2",
                 "themes": ["workforce"]},
                {"id": "R2", "text": "Publish the workforce plan.", "number": "4"},
                {"id": "R3", "text": "Consider a carers hub.", "listed": False},
            ],
        },
        body="# Strengths\n\nThe workforce strategy is clear; recruitment and retention have "
        "improved.\n\n- First strength\n  - Detail of it\n- Staff morale and the workforce "
        "strategy are strong.\n\n# Areas\n\nDear [Council name], see below.\n",
    )  # fmt: skip
    corpus._write(
        letters.root / "letters" / "solihull" / "2022-09",
        {
            "authority": "solihull",
            "visit": {"start": dt.date(2022, 9, 6), "end": dt.date(2022, 9, 8)},
            "sample": True,
            "themes": ["workforce"],
        },
        [
            Block("heading", "Strengths", 1, level=2),
            Block("paragraph", "The workforce strategy is owned by staff.", 1),
            Block("heading", "Recommendations", 2, level=2),
            Block("list-item", "Refresh the workforce plan.", 2, ordered=True, number="1"),
            Block("list-item", "Share the workforce data.", 3, ordered=True, number="2"),
        ],
        pages=3,
    )
    corpus._write(
        letters.root / "letters" / "birmingham" / "2023-06",
        {
            "authority": "birmingham",
            "visit_month": "2023-06",
            "sample": True,
            "themes": ["workforce"],
        },
        [Block("paragraph", "The workforce told the team about recruitment.", 1)],
    )
    corpus.build_site(letters.root, base / "site")
    return SimpleNamespace(site=base / "site")


def test_recommendations_are_numbered_as_the_letter_prints_them_and_prose_ones_marked(numbered):
    page = _html(numbered.site, "letters/sandwell/2024-05")
    start = page.index('<ol class="fl-recommendations">')
    listed = page[start : page.index("</ol>", start)]
    numbers = re.findall(r'<span class="fl-recommendations__number">([^<]+)</span>', listed)
    assert numbers == ["3.2", "4."]
    assert "Consider a carers hub." not in listed
    prose = page[page.index('id="recommendations-from-text"') :]
    assert "From the letter’s text, not its list</h3>" in prose
    assert "Consider a carers hub." in prose[: prose.index("</ul>")]
    assert "The letter lists 2 recommendations; 1 more was drawn from its text" in page
    assert page.count('id="recommendations"') == 1


def test_a_letter_with_template_leftovers_and_a_corrected_text_says_so(numbered):
    page = _html(numbered.site, "letters/sandwell/2024-05")
    assert "Text left from a template" in page
    assert "<code>[Council name]</code>" in page
    assert "read from the PDF, then corrected by hand." in page
    assert "Text left from a template" not in _html(numbered.site, "letters/walsall/2023-06")


def test_passages_are_cited_by_section_and_number_as_a_reader_finds_them(numbered):
    page = _html(numbered.site, "themes/workforce")
    citations = re.findall(r'#b\d+">(Sandwell, May 2024: [^<]+)</a>', page)
    assert citations == [
        "Sandwell, May 2024: paragraph 1 of ‘Strengths’",
        "Sandwell, May 2024: bullet point 2 of ‘Strengths’",
    ]
    rows = _csv(numbered.site / "data" / "themes" / "workforce.csv")
    mine = [r for r in rows if r["letter_id"] == "sandwell/2024-05"]
    assert [(r["section"], r["section_kind"], r["place"]) for r in mine] == [
        ("Strengths", "strengths", "paragraph 1 of ‘Strengths’"),
        ("Strengths", "strengths", "bullet point 2 of ‘Strengths’"),
    ]
    assert all(r["url"].startswith(SITE_URL + "letters/sandwell/2024-05/#b") for r in mine)


def test_citations_give_the_pdf_page_and_the_letter_page_shows_where_each_page_starts(numbered):
    theme = _html(numbered.site, "themes/workforce")
    citations = re.findall(r'#b\d+">(Solihull, September 2022: [^<]+)</a>', theme)
    assert citations == [
        "Solihull, September 2022: paragraph 1 of ‘Strengths’, page 1 of the PDF",
        "Solihull, September 2022: point 1 of ‘Recommendations’, page 2 of the PDF",
        "Solihull, September 2022: point 2 of ‘Recommendations’, page 3 of the PDF",
    ]
    rows = _csv(numbered.site / "data" / "themes" / "workforce.csv")
    mine = [r for r in rows if r["letter_id"] == "solihull/2022-09"]
    assert [r["pdf_page"] for r in mine] == ["1", "2", "3"]
    assert mine[1]["place"] == "point 1 of ‘Recommendations’, page 2 of the PDF"
    page = _html(numbered.site, "letters/solihull/2022-09")
    marks = re.findall(r'<(p|span) class="fl-pdf-page" data-pagefind-ignore>([^<]+)</\1>', page)
    assert marks == [("p", "Page 2 of the PDF"), ("span", "Page 3 of the PDF")]
    assert page.index("Page 2 of the PDF") < page.index('id="b3"')  # before the heading
    assert re.search(r'<li id="b5" value="2"><span class="fl-pdf-page"[^>]*>Page 3 of', page)
    # A letter.md without page starts (the hand-corrected one) cites no page and marks none.
    assert "fl-pdf-page" not in _html(numbered.site, "letters/sandwell/2024-05")
    assert all(r["pdf_page"] == "" for r in rows if r["letter_id"] == "sandwell/2024-05")


def test_a_letter_that_gives_only_the_visits_month_shows_the_month_everywhere(numbered):
    site = numbered.site
    page = _html(site, "letters/birmingham/2023-06")
    assert "of Birmingham City Council, visited June 2023.</p>" in page
    assert '<dt>Visit</dt>\n<dd><time datetime="2023-06">June 2023</time> (' in page
    assert "<dt>Date of letter</dt>\n<dd>Not recorded</dd>" in page
    listing = _html(site, "letters")
    row = listing[listing.index('href="birmingham/2023-06/"') :]
    assert "<td>June 2023</td>" in row[: row.index("</tr>")]
    assert "Birmingham, visited June 2023." in _html(site, "themes/workforce")
    # No review date is guessed from a month: the follow-up page says why there is none.
    assert "No date: only the visit’s month is recorded" in _html(site, "follow-up")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if "birmingham/2023-06" in e.id)
    assert "visited June 2023." in entry.summary
    row = next(r for r in _csv(site / urls.LETTERS_CSV) if r["id"] == "birmingham/2023-06")
    assert (row["visit_start"], row["visit_month"], row["letter_month"]) == ("", "2023-06", "")
    letters = json.loads((site / urls.LETTERS_JSON).read_text("utf-8"))["letters"]
    ids = [x["id"] for x in letters]
    found = letters[ids.index("birmingham/2023-06")]
    assert (found["visit"], found["visit_month"]) == (None, "2023-06")
    assert 'data-pagefind-meta="date:2023-06">' in page  # the finder shows "June 2023"
    listed = json.loads((site / finder.LISTING).read_text("utf-8"))["letters"]
    assert next(x for x in listed if x[0] == "letters/birmingham/2023-06/")[2] == "2023-06"
    # Dated by its month: after a letter of July 2023, before one of June 2022.
    assert ids.index("walsall/2023-06") < ids.index("birmingham/2023-06")
    assert ids.index("birmingham/2023-06") < ids.index("coventry/2022-05")


def test_dates_given_only_by_month_are_shown_as_months():
    from finalletters.model import LetterMeta

    meta = LetterMeta(authority="walsall", visit_month="2023-06", letter_month="2023-07")
    assert (render.visit(meta), render.letter_date(meta)) == ("June 2023", "July 2023")
    assert render.visit_time(meta) == '<time datetime="2023-06">June 2023</time>'
    assert render.letter_time(meta) == '<time datetime="2023-07">July 2023</time>'
    meta = LetterMeta(authority="walsall", visit={"start": "2023-06-13", "end": "2023-06-15"})
    assert render.visit_time(meta) == '<time datetime="2023-06-13">13 to 15 June 2023</time>'
    assert render.letter_time(meta) == "" and render.letter_date(meta) == ""


def test_a_place_names_the_pdf_page_when_the_text_records_it():
    from finalletters.site.passages import Place

    assert str(Place("Strengths", "paragraph", "4", page=2)) == (
        "paragraph 4 of ‘Strengths’, page 2 of the PDF"
    )
    assert str(Place("", "paragraph", "2")) == "paragraph 2 of the letter"
    assert str(Place("Findings", "row", "3", table=1)) == "row 3 of table 1 under ‘Findings’"
    assert str(Place("Strengths", "bullet point", "1.2")) == "bullet point 1.2 of ‘Strengths’"


def test_every_theme_has_a_passages_file_described_on_the_open_data_page(built):
    themes = corpus.yaml.safe_load((corpus.REPO / "letters/themes.yml").read_text())["themes"]
    metadata = json.loads((built.site / urls.PASSAGES_CSVW).read_text(encoding="utf-8"))
    assert [t["url"] for t in metadata["tables"]] == [f"{t['id']}.csv" for t in themes]
    columns = [c["name"] for c in metadata["tableSchema"]["columns"]]
    for theme in themes:
        path = built.site / urls.theme_passages(theme["id"])
        with path.open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == columns, theme["id"]
        assert f'href="themes/{theme["id"]}.csv"' in _html(built.site, "data")
    theme_page = _html(built.site, "themes/workforce")
    assert 'href="../../data/themes/workforce.csv" type="text/csv" download>Download these' in (
        theme_page
    )


def test_recommendations_csv_says_whether_each_was_listed_and_its_number(numbered):
    rows = _csv(numbered.site / urls.RECOMMENDATIONS_CSV)
    mine = {r["recommendation_id"]: r for r in rows if r["letter_id"] == "sandwell/2024-05"}
    assert [(r["listed"], r["number"]) for r in mine.values()] == [
        ("true", "3.2"),
        ("true", "4"),
        ("false", ""),
    ]


def test_a_letters_facts_are_said_once_by_the_letter_itself(built):
    from finalletters import catalogue

    loaded = catalogue.load(built.corpus.root, draft=True)
    walsall = next(x for x in loaded.letters if x.id == "walsall/2023-06")
    assert walsall.label == "Walsall, June 2023"
    assert [t.id for t in walsall.themes] == ["workforce", "carers", "assessment-waiting-lists"]
    assert walsall.roles[0] == "Lead Director of Adult Social Services"
    assert walsall.statuses_known and walsall.status_label(walsall.meta.recommendations[1]) == (
        "In progress"
    )
    assert walsall.updated == dt.date(2024, 6, 20)
    assert walsall.filter_values["kind"] == ["Published letter"]
    coventry = next(x for x in loaded.letters if x.id == built.corpus.hostile)
    assert (
        not coventry.statuses_known
        and coventry.status_label(coventry.meta.recommendations[0]) == ""
    )


def test_the_404_page_gives_the_newest_letter_as_its_example_escaped(built):
    page = (built.site / "404.html").read_text(encoding="utf-8")
    assert (
        '<a href="/final-letters/letters/walsall/2023-06/"><code>/letters/walsall/2023-06/' in page
    )
    assert '<form class="fl-search-box" action="/final-letters/find/" method="get"' in page


def test_the_accessibility_statement_names_as_many_page_types_as_the_browser_tests_check():
    from tests.browser.site_pages import PAGES

    statement = (Path(__file__).parent.parent / "docs" / "accessibility.md").read_text("utf-8")
    counts = {int(n) for n in re.findall(r"\b(\d+) types\b", statement)}
    assert counts == {len(PAGES)}, f"the statement says {counts}; the tests check {len(PAGES)}"
