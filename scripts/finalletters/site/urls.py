"""The site's stable URLs, derived in one place.

Every path here is relative to the site root and ends in "/" for a page. They are permanent:
letters, councils and themes are linked to from outside, so never change one.
"""

from __future__ import annotations

from urllib.parse import urlencode

HOME = ""
LETTERS = "letters/"
AUTHORITIES = "authorities/"
THEMES = "themes/"
YEARS = "years/"
FIND = "find/"
DATA = "data/"
LEARNING = "learning/"
RECURRING = "learning/recurring/"  # themes raised again, every council
FOLLOW_UP = "follow-up/"
FEED = "feed.xml"
ABOUT = "about/"
ADD_A_LETTER = "add-a-letter/"

LETTERS_JSON = "data/letters.json"
LETTERS_CSV = "data/letters.csv"
LETTERS_CSVW = "data/letters.csv-metadata.json"
RECOMMENDATIONS_CSV = "data/recommendations.csv"
RECOMMENDATIONS_CSVW = "data/recommendations.csv-metadata.json"
PASSAGES_CSVW = "data/themes/passages.csv-metadata.json"  # one for every theme's passages file


def letter(letter_id: str) -> str:
    return f"letters/{letter_id}/"


def letter_file(letter_id: str, name: str) -> str:
    """A PDF beside the letter's page: letter.pdf, action-plan.pdf, progress-review.pdf."""
    return f"letters/{letter_id}/{name}"


def authority(slug: str) -> str:
    return f"authorities/{slug}/"


def authority_feed(slug: str) -> str:
    return f"authorities/{slug}/feed.xml"


def theme(theme_id: str) -> str:
    return f"themes/{theme_id}/"


def theme_feed(theme_id: str) -> str:
    return f"themes/{theme_id}/feed.xml"


def theme_passages(theme_id: str) -> str:
    """Every passage on a theme, as CSV."""
    return f"data/themes/{theme_id}.csv"


def year(value: int) -> str:
    return f"years/{value}/"


def learning(value: int) -> str:
    """Regional learning from one year's letters."""
    return f"learning/{value}/"


def find(**filters: str) -> str:
    """The letter finder with filters chosen, e.g. find(cqc="Safeguarding")."""
    return FIND + ("?" + urlencode(filters) if filters else "")


def source(url: str) -> str:
    """The Markdown file a page is generated as: "letters/" → "letters/index.md"."""
    return f"{url}index.md"


def absolute(site_url: str, url: str) -> str:
    """The permanent address of a site path, e.g. for citations, feeds and data files."""
    return site_url.rstrip("/") + "/" + url


def relative(url: str, page_url: str) -> str:
    """url as a link from the page at page_url (both site paths, pages ending in "/"), so that
    the site works under any base path. Up to the site's root and down again: simple, and fast
    enough for the hundred thousand links of a large build."""
    if url.startswith("#"):
        return url  # a place on the same page
    if page_url and url.startswith(page_url):
        return url[len(page_url) :] or "./"
    up = "../" * page_url.count("/")
    return (up + url) or "./"


REVIEWS_FEED = "follow-up/reviews.xml"
REVIEWS_CALENDAR = "follow-up/reviews.ics"


def reviews_feed(slug: str | None = None) -> str:
    """The Atom feed of reviews falling due: the region's, or one council's."""
    return f"authorities/{slug}/reviews.xml" if slug else REVIEWS_FEED


def reviews_calendar(slug: str | None = None) -> str:
    """The iCalendar file of reviews falling due: the region's, or one council's."""
    return f"authorities/{slug}/reviews.ics" if slug else REVIEWS_CALENDAR
