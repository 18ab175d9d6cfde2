"""The public site: mkdocs hooks and the pages, data files and feeds they generate.

hooks.py is the only module mkdocs loads; it delegates to the others. One owner per job:

    context.py       one build's view of the catalogue, loaded once, grouped once (Site)
    plumbing.py      how a generated page joins the build: PageInfo, Generated, links, the
                     table of contents, the raw-HTML pass-through and the header search's cut
    render.py        escaping, dates, sizes, plurals; the template environment
    urls.py          the site's stable URLs, derived in one place
    pages.py         the list of page kinds (KINDS) and `add`, which puts them in the build

    page kinds, each `pages(site)` and `files(site)`, each page a typed view and a template:
    browse.py        home, all letters, councils, a council (council_memory.py: CQC beside
                     the peer challenges, themes raised again)
    letter_page.py   a letter (letter_text.py: its blocks as HTML; trust.py: each theme tag's
                     origin)
    themes.py        themes, a theme (passages.py: passages cited as a reader finds them, with
                     what each says); matrix.py: the council × theme matrix and its CSV
    learning.py      regional learning across the years and by year, themes raised again, the
                     evaluation's asks (charts.py: SVG)
    follow_up.py     following up action plans on the build date (Site.today), and the alerts
                     of reviews falling due (alerts.py: Atom and iCalendar)
    finder.py        the letter finder, /find/, and its listing (finder_index.py: Pagefind);
                     subscriptions.py: an Atom feed per filter value and pair
    data.py          the open data page and files; feeds.py: Atom feeds

    Hand-written pages may ask for a figure the build computes (`<!--fl:insert NAME-->`,
    pages.FRAGMENTS): /about/ has the tool's precision and recall per theme (trust.py).

    search_index.py  letter summaries in the header search; related.py: related letters

Facts about one letter (its label, themes, CQC statements, domains, roles, statuses, filter
values) are properties of `catalogue.Letter`: read them there, never work them out again.

Adding a page kind (say, /ratings/):

1. Write site/ratings.py with a view and two functions:

       @dataclass(frozen=True, slots=True)
       class RatingsView:
           template: ClassVar[str] = "ratings.html"
           rows: tuple[Row, ...]

       def pages(site: Site) -> Iterator[Generated]:
           title = "CQC ratings"
           info = PageInfo(title, site.newest, "…", toc=toc(title, ("by-year", "By year")))
           yield generate(urls.RATINGS, RatingsView(...), info)

       def files(site: Site) -> dict[str, str | bytes]:
           return {}  # or {"data/ratings.csv": ...}

   Work out what several kinds share once per build with `site.once(key, make)` (learning's
   `years(site)` is an example).
2. Write templates/ratings.html: `v` is the view, `u(path)` a link from this page, `title`
   the page's title. Every value is autoescaped; a table goes in `scroll(id)` (_macros.html)
   so the page reflows at 320 px; a chart comes from charts.py; no inline script or style
   (the Content-Security-Policy refuses them): put a script in docs/javascripts/ and load it
   with <script src="{{ u('javascripts/ratings.js') }}">.
3. Add the module to `KINDS` in pages.py, its URL to urls.py, and, for a page in the
   navigation, to mkdocs.yml's nav and plumbing.IN_NAV.
4. Add one of its pages to tests/browser/site_pages.py: every page type there is checked
   with axe, at 320 and 390 px and under the Content Security Policy. Test its content in
   tests/ (a build of tests/corpus.py, as tests/test_site.py does).

Everything a letter says is untrusted: it is escaped wherever it is rendered.
"""
