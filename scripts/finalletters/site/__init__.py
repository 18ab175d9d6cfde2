"""The public site: mkdocs hooks and the pages, data files and feeds they generate.

hooks.py is the only module mkdocs loads; it delegates to the others:

    context.py  the catalogue, loaded once per build, and everything grouped once from it
    urls.py     the site's stable URLs, derived in one place
    render.py   escaping, dates and sizes, the letter's text as HTML, the template environment
    pages.py    the generated pages (letters, councils, themes, years, indexes, open data)
    data.py     /data/letters.json, letters.csv (+ CSVW metadata) and recommendations.csv
    feeds.py    Atom feeds: every letter, and one per council and per theme

Everything a letter says is untrusted: it is escaped wherever it is rendered.
"""
