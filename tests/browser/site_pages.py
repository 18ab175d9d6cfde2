"""One page of each type of the test site (tests/corpus.py), for the checks every page type
must pass: axe, reflow at 320 px, the Content Security Policy. A new page kind adds its page
here."""

PAGES = {
    "home": "",
    "letter": "letters/walsall/2023-06/",
    "hostile letter": "letters/coventry/2022-05/",
    "sample letter": "letters/dudley/2021-10/",
    "letters": "letters/",
    "authority": "authorities/walsall/",
    "authority without CQC": "authorities/dudley/",
    "authorities": "authorities/",
    "theme": "themes/workforce/",
    "themes": "themes/",
    "year": "years/2023/",
    "years": "years/",
    "learning": "learning/",
    "learning year": "learning/2022/",
    "raised again": "learning/recurring/",
    "follow-up": "follow-up/",
    "finder": "find/",
    "finder with words": "find/?q=carers",
    "data": "data/",
    "statement": "accessibility/",
    "about": "about/",
    "add a letter": "add-a-letter/",
    "privacy": "privacy/",
    "404": "no/such/page/",
}
