"""Synthetic letters for `letters bench`: a corpus of any size, written quickly and exactly
reproducibly from a seed.

Every letter is invented. letter.md and letter.yml are written directly (no PDF is read), and
letter.pdf is a tiny one-page PDF naming the letter, so that each is distinct and the catalogue
accepts the folder as it would a real letter. `write_pdfs` makes a few realistic multi-page PDFs
for measuring extraction.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import extract, lettermd, register
from ..model import Role

REPO = Path(__file__).resolve().parents[3]
FIRST_YEAR, YEARS = 2005, 20  # letters span 2005 to 2024
WORDS_PER_LETTER = 2_500
REFERENCE_FILES = ("authorities.yml", "themes.yml", "letter.schema.json")  # copied as they are

# --- vocabulary -----------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """A "|"-separated list written across lines, each entry with its spaces normalised."""
    return [" ".join(item.split()) for item in text.split("|")]


SUBJECTS = _words("""The council|Staff|Partners|Managers|Front-line teams|The service|People who use
services|Elected members|Social workers|Team managers|Providers|Health colleagues|The voluntary
sector|Commissioners|Senior officers|Practitioners|Residents|Families|Community groups|The
directorate|The locality teams|The customer service team|Colleagues in the trust|Colleagues in
districts|Board members|The quality team|Reviewing officers|Therapists|Newly qualified workers|
Business support staff""")
VERBS = _words("""have developed|described|are reviewing|told us about|value|have strengthened|are
proud of|questioned|have invested in|are still building|recognise|spoke warmly about|have
simplified|are committed to|worry about|have begun to measure|share|explained|have
redesigned|were unsure about|are testing|rely on|have improved|are consulting on|
understand|championed|have mapped|are piloting|want more|agreed""")
ADJECTIVES = _words("""clear|consistent|ambitious|practical|stable|fragile|innovative|thorough|
timely|open|honest|thoughtful|well-planned|local|joined-up|proportionate|informal|
formal|effective|limited|growing|uneven|strong|careful|visible|realistic|complex|flexible|
reliable|modest|detailed|well-understood|emerging|established|positive|cautious|creative|
collaborative|responsive|targeted|shared|accessible|independent|respected|demanding|
sustainable|overdue|recent|wider|daily""")
NOUNS = _words("""approach|arrangements|conversations|pathways|systems|culture|relationships|
processes|priorities|plans|information|advice|support|practice|guidance|training|
recording|case files|reviews|decisions|budgets|contracts|services|outcomes|feedback|
communication|meetings|reports|policies|procedures|teams|roles|workloads|referrals|
contacts|visits|assessments|checks|forums|networks|partnerships|strategies|
commitments|ambitions|changes|improvements|pressures|risks|resources|projects|pilots|
conversations with families|duty rotas|team meetings|file reviews|practice
forums|staff surveys|monthly reports|service plans|drop-in sessions|group
sessions|home visits|transport|equipment|interpreting|benefits advice|learning
opportunities|induction|appraisal|team briefings|newsletters|away days|open days|
leaflets|websites|helplines|panels|rotas|handovers""")
PREPOSITIONS = _words("""for|across|within|around|behind|through|beyond|alongside|between|
among|towards|under""")
PLACES = _words("""the county|the borough|the city|each locality|the north of the area|rural
areas|the town centre|the east of the borough|market towns|the civic centre|the community|
local neighbourhoods|the wider system|neighbouring councils|the region|the south of the
county|outlying villages|the whole department|smaller organisations|the main office""")
TAILS = _words(""", which staff valued|, although this is not yet consistent|over the last
year|since the restructure|, and this was evident in the case files we read|, as several
people told us|in a way that people recognised|, but the impact is not yet measured|
with real commitment|, which is a good foundation|and want to go further|, though
capacity is stretched|from a low base|, and partners confirmed this|with mixed
results""")
THEME_SENTENCES = [
    "We saw good practice in {p}, and staff spoke about it with confidence.",
    "{P} was raised in almost every conversation we had with {s}.",
    "The council should consider how {p} is reported to members and partners.",
    "There is more to do on {p}, particularly in {place}.",
    "Partners described {p} as {a} and improving.",
    "We would encourage the council to set out what it expects from {p} over the next year.",
    "{P} is {a}, but the team heard different accounts of it from {s}.",
    "The council's own evaluation was candid about {p}, and our findings agree with it.",
    "Staff told us that {p} had improved since {year}.",
    "About {n} people were affected, and {p} was the most common concern.",
]
# Local names (projects, buildings, estates) give the vocabulary the long tail real letters have.
NAME_STARTS = _words("""Ash|Beech|Birch|Bramble|Brook|Castle|Cedar|Clay|Elm|Fair|Fern|Glen|
Green|Hazel|Heath|High|Holly|Kings|Lark|Lime|Maple|Meadow|Mill|Moor|Oak|Orchard|Park|
Queens|Rose|Spring|Stone|Thorn|Willow|Wood|Alder|Bourne|Cherry|Fox|Hart|Lea""")
NAME_ENDS = _words("""bank|bridge|brook|court|croft|dale|field|fold|ford|gate|hill|hurst|lands|
lea|leigh|mead|mount|ridge|side|stead|ton|vale|view|well|wick|wood|worth|combe|ley|grove""")
LOCAL_SENTENCES = [
    "The {name} {kind} was mentioned by {s} as an example of what works.",
    "We visited {name} {kind}, where {s} described {a} {noun}.",
    "Staff at {name} {kind} told us that {noun} had changed since {year}.",
    "{name} {kind} supports about {n} people each year.",
]
LOCAL_KINDS = ["House", "Court", "project", "hub", "centre", "team", "partnership", "Lodge"]
CONNECTORS = [", and ", "; however, ", " because ", ", while ", ". In addition, ", ", so "]
FIRST_NAMES = _words("""Aisha|Alan|Amrit|Angela|Ben|Bernadette|Callum|Carol|Chloe|Colin|Deepa|Dean|
Elaine|Emeka|Fiona|Gareth|Grace|Hannah|Harjit|Ian|Imran|Jane|Jasbir|Joanne|Karen|Kevin|
Laura|Liam|Lorraine|Mandeep|Mark|Michelle|Mohammed|Nadia|Neil|Nicola|Olu|Paul|Priya|
Rachel|Rebecca|Richard|Sam|Sarah|Shabana|Simon|Sophie|Stuart|Tariq|Tom|Una|Vikram|
Wendy|Yasmin|Zoe""")
SURNAMES = _words("""Adebayo|Ahmed|Allen|Atwal|Bailey|Begum|Bennett|Bhatti|Brookes|Carter|Chahal|
Clarke|Cooper|Davies|Dhillon|Edwards|Evans|Fletcher|Foster|Green|Griffiths|Hall|Harris|
Hayes|Hughes|Hussain|Jackson|Johal|Jones|Kaur|Khan|Lewis|Lloyd|Malik|Marsh|Mason|Morgan|
Morris|Nash|Okafor|Owen|Parker|Patel|Phillips|Powell|Price|Rahman|Reid|Roberts|Sandhu|
Shaw|Singh|Smith|Taylor|Thomas|Turner|Walker|Ward|Watson|Webb|White|Williams|Wood|
Wright|Young""")
TEAM_ROLES = [
    (Role.LEAD_DASS, "Director of Adult Social Services"),
    (Role.ELECTED_MEMBER, "Cabinet Member for Adult Social Care"),
    (Role.DIRECTOR, "Assistant Director, Adult Social Care"),
    (Role.PRINCIPAL_SOCIAL_WORKER, "Principal Social Worker"),
    (Role.OCCUPATIONAL_THERAPIST, "Lead Occupational Therapist"),
    (Role.DATA_SPECIALIST, "Head of Performance and Intelligence"),
    (Role.LIVED_EXPERIENCE, "Expert by experience"),
    (Role.COORDINATOR, "Peer Challenge Coordinator"),
]
STATUSES = ["open", "in-progress", "done", "dropped"]


@dataclass(frozen=True)
class Slot:
    """Where a letter goes: a council and the month its visit started."""

    slug: str
    year: int
    month: int

    @property
    def id(self) -> str:
        return f"{self.slug}/{self.year:04d}-{self.month:02d}"


def slots(slugs: list[str], n: int, rng: random.Random) -> list[Slot]:
    """n distinct (council, month) folders spread over every council and every year."""
    capacity = len(slugs) * YEARS * 12
    if n > capacity:
        raise ValueError(f"at most {capacity} synthetic letters fit in {YEARS} years")
    chosen = sorted(rng.sample(range(capacity), n))
    return [
        Slot(
            slugs[i % len(slugs)],
            FIRST_YEAR + (i // len(slugs)) % YEARS,
            i // (len(slugs) * YEARS) + 1,
        )
        for i in chosen
    ]


# --- text -----------------------------------------------------------------------------------


class Writer:
    """Varied paragraphs from the vocabulary and the taxonomy's phrases, for one corpus."""

    def __init__(self, reference: register.Reference, rng: random.Random) -> None:
        self.reference = reference
        self.rng = rng
        self.theme_ids = sorted(reference.themes)
        self.clauses = [self._clause() for _ in range(4_000)]

    def _clause(self) -> str:
        r = self.rng
        tail = r.choice(TAILS)
        return (
            f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(ADJECTIVES)} {r.choice(NOUNS)} "
            f"{r.choice(PREPOSITIONS)} {r.choice(PLACES)}{'' if tail[0] == ',' else ' '}{tail}"
        )

    def sentence(self) -> str:
        r = self.rng
        text = r.choice(self.clauses)
        if r.random() < 0.35:
            second = r.choice(self.clauses)
            text += r.choice(CONNECTORS) + second[0].lower() + second[1:]
        return text + "."

    def theme_sentence(self, theme: str) -> str:
        r = self.rng
        phrase = r.choice(self.reference.themes[theme].phrases)
        if r.random() < 0.3 and not phrase.endswith("s"):
            phrase += "s"
        return r.choice(THEME_SENTENCES).format(
            p=phrase,
            P=phrase[0].upper() + phrase[1:],
            s=r.choice(SUBJECTS).lower(),
            a=r.choice(ADJECTIVES),
            place=r.choice(PLACES),
            year=r.randrange(2004, 2024),
            n=f"{r.randrange(40, 3000):,}",
        )

    def local_sentence(self) -> str:
        r = self.rng
        return r.choice(LOCAL_SENTENCES).format(
            name=r.choice(NAME_STARTS) + r.choice(NAME_ENDS),
            kind=r.choice(LOCAL_KINDS),
            s=r.choice(SUBJECTS).lower(),
            a=r.choice(ADJECTIVES),
            noun=r.choice(NOUNS),
            year=r.randrange(2004, 2024),
            n=f"{r.randrange(12, 900):,}",
        )

    def paragraph(self, themes: list[str]) -> str:
        r = self.rng
        sentences = [self.sentence() for _ in range(r.randrange(3, 8))]
        for _ in range(r.randrange(0, 3)):
            sentences.insert(r.randrange(len(sentences) + 1), self.theme_sentence(r.choice(themes)))
        if r.random() < 0.4:
            sentences.insert(r.randrange(len(sentences) + 1), self.local_sentence())
        return " ".join(sentences)

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass
class Drafted:
    """One letter as written: its Markdown body and its letter.yml text."""

    body: str
    yml: str


def draft(writer: Writer, slot: Slot) -> Drafted:
    """The text and metadata of one synthetic letter."""
    r, reference = writer.rng, writer.reference
    council = reference.authorities[slot.slug]
    start = dt.date(slot.year, slot.month, r.randrange(1, 26))
    end = start + dt.timedelta(days=2)
    letter_date = end + dt.timedelta(days=r.randrange(14, 60))
    published = letter_date + dt.timedelta(days=r.randrange(7, 120))
    themes = sorted(r.sample(writer.theme_ids, r.randrange(3, 7)))
    others = [a for a in r.sample(list(reference.authorities), 9) if a != slot.slug]
    team = [(role, title, writer.name(), others[i]) for i, (role, title) in enumerate(TEAM_ROLES)]
    recommendations = [_recommendation(writer, r.choice(themes)) for _ in range(r.randrange(4, 9))]

    lines = [
        _long_date(letter_date),
        f"# Adult social care peer challenge: {council.name}",
        f"Dear {writer.name()},",
        f"Thank you for inviting the peer challenge team to {council.short_name}. The peer "
        f"challenge took place from {start.day} to {_long_date(end)}, and this letter confirms "
        "the feedback we gave on the last day.",
        writer.paragraph(themes),
        "## The peer challenge team",
        "\n".join(
            f"- {name}, {title}, {reference.authorities[home].name}"
            if role is not Role.LIVED_EXPERIENCE
            else f"- {name}, {title}"
            for role, title, name, home in team
        ),
    ]
    words = sum(len(line.split()) for line in lines)
    budget = WORDS_PER_LETTER - 40 * len(recommendations) - 120
    for heading, share in (("Strengths", 0.5), ("Areas for development", 1.0)):
        lines.append(f"## {heading}")
        while words < budget * share:
            paragraph = writer.paragraph(themes)
            lines.append(paragraph)
            words += len(paragraph.split())
    lines += ["## Recommendations", "We recommend that the council:"]
    lines.append("\n".join(f"- {text}" for text, _ in recommendations))
    lines += [
        "## Next steps",
        writer.paragraph(themes),
        "Yours sincerely,",
        f"{team[0][2]}, {team[0][1]}, {reference.authorities[team[0][3]].name}",
    ]
    meta = {
        "authority": slot.slug,
        "visit": {"start": start, "end": end},
        "letter_date": letter_date,
        "published": published,
        "source_url": None,
        "sample": True,
        "team": [
            {
                "role": role.value,
                "name": name,
                "organisation": None if role is Role.LIVED_EXPERIENCE else home,
            }
            for role, _, name, home in team
        ],
        "themes": themes,
        "recommendations": [
            {"id": f"R{i}", "text": text, "themes": [theme], "status": _status(r, slot)}
            for i, (text, theme) in enumerate(recommendations, start=1)
        ],
    }
    return Drafted(body="\n\n".join(lines) + "\n", yml=_yaml(meta))


def _recommendation(writer: Writer, theme: str) -> tuple[str, str]:
    r = writer.rng
    phrase = r.choice(writer.reference.themes[theme].phrases)
    verb = r.choice(["Review", "Strengthen", "Agree", "Set out", "Improve", "Develop"])
    clause = r.choice(writer.clauses)
    return f"{verb} {phrase} so that {clause[0].lower()}{clause[1:]}.", theme


def _status(r: random.Random, slot: Slot) -> str:
    if slot.year >= FIRST_YEAR + YEARS - 2:
        return r.choice(STATUSES[:2])
    return r.choices(STATUSES, weights=[1, 2, 6, 1])[0]


def _yaml(mapping: dict[str, Any], indent: str = "") -> str:
    """Block-style YAML for a mapping of plain data; strings are JSON-quoted, which YAML reads
    as is."""
    return "".join(_yaml_item(f"{indent}{key}:", item, indent) for key, item in mapping.items())


def _yaml_item(prefix: str, item: object, indent: str) -> str:
    if isinstance(item, dict):
        return f"{prefix}\n{_yaml(item, indent + '  ')}"
    if isinstance(item, list):
        if not item:
            return f"{prefix} []\n"
        lines = [prefix + "\n"]
        for element in item:
            if isinstance(element, dict):
                nested = _yaml(element, indent + "    ")
                lines.append(f"{indent}  - {nested[len(indent) + 4 :]}")
            else:
                lines.append(f"{indent}  - {_scalar(element)}\n")
        return "".join(lines)
    return f"{prefix} {_scalar(item)}\n"


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


# --- files ----------------------------------------------------------------------------------


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF that shows one line of ASCII text (no parentheses or backslashes)."""
    stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    return assemble_pdf(objects)


def assemble_pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF file from its objects, numbered from 1 (the first is the catalogue)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_corpus(root: Path, n: int, seed: int = 0) -> None:
    """Write n synthetic letters under root/letters, with the repository's register, taxonomy
    and schema; the same seed writes the same bytes."""
    letters = root / "letters"
    letters.mkdir(parents=True, exist_ok=True)
    for name in REFERENCE_FILES:
        if (REPO / "letters" / name).is_file():
            shutil.copyfile(REPO / "letters" / name, letters / name)
    reference = register.load(letters)
    rng = random.Random(seed)  # noqa: S311 (reproducible text, not secrets)
    writer = Writer(reference, rng)
    for slot in slots(sorted(reference.authorities), n, rng):
        _write_letter(letters / slot.id, slot, draft(writer, slot))


def _write_letter(folder: Path, slot: Slot, drafted: Drafted) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = tiny_pdf(f"Synthetic Final Letter {slot.id}")
    (folder / "letter.pdf").write_bytes(pdf)
    (folder / "letter.md").write_text(
        lettermd.letter_md_for(drafted.body, extract.sha256(pdf), pages=1), "utf-8"
    )
    (folder / "letter.yml").write_text(
        "# Synthetic letter for `letters bench`; not a real Final Letter.\n" + drafted.yml,
        "utf-8",
    )


def iter_bodies(root: Path) -> Iterator[tuple[str, str]]:
    """(letter id, Markdown body) for every letter of a corpus, in folder order."""
    letters = root / "letters"
    for md in sorted(letters.glob("*/*/letter.md")):
        _, body = lettermd.read_letter_md(md.read_text(encoding="utf-8"), str(md))
        yield md.parent.relative_to(letters).as_posix(), body


# --- realistic PDFs -------------------------------------------------------------------------


def write_pdfs(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Write count multi-page letters as PDFs with fpdf2 (running header, page numbers, lists),
    for measuring extraction; returns their paths."""
    try:
        from fpdf import FPDF
    except ImportError as exc:
        raise RuntimeError(
            "fpdf2 is needed to make PDFs for the extraction benchmark: "
            "pip install -e '.[test]' (or pip install fpdf2)"
        ) from exc

    class Letter(FPDF):
        council = ""

        def header(self) -> None:
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 6, f"{self.council}: adult social care peer challenge", align="R")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    reference = register.load(REPO / "letters")
    rng = random.Random(seed)  # noqa: S311 (reproducible text, not secrets)
    writer = Writer(reference, rng)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, slot in enumerate(slots(sorted(reference.authorities), count, rng), start=1):
        pdf = Letter(format="A4", unit="mm")
        pdf.council = reference.authorities[slot.slug].name
        pdf.set_creation_date(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        pdf.set_auto_page_break(auto=True, margin=20)
        _render(pdf, draft(writer, slot).body)
        path = folder / f"letter-{index:02d}.pdf"
        pdf.output(str(path))
        paths.append(path)
    return paths


def _render(pdf: Any, body: str) -> None:
    """Lay one Markdown body out on A4 pages: headings, paragraphs and bulleted lists."""
    pdf.add_page()
    for block in body.split("\n\n"):
        text = block.strip().encode("latin-1", "replace").decode("latin-1")
        if text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            pdf.set_font("Helvetica", "B", 15 if level == 1 else 12)
            pdf.multi_cell(0, 7, text.lstrip("# "), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            continue
        pdf.set_font("Helvetica", "", 11)
        if text.startswith("- "):
            for item in text.split("\n"):
                pdf.set_x(pdf.l_margin + 5)
                pdf.multi_cell(0, 5.5, "- " + item[2:], new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
