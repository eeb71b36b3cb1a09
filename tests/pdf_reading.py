"""Reading a PDF back as its reader would: each page's text, where its words lie, which fonts drew it.

pypdf gives the text of each page, the page's box and where each run of text starts. It cannot say
where a run ends (it reads the fonts' widths by glyph, not by character), so the words' boxes come
from poppler's `pdftotext -bbox` (poppler-utils, installed for the tests by scripts/system_deps.sh).
"""

import re
import subprocess
from dataclasses import dataclass
from io import BytesIO
from xml.etree import ElementTree

from pypdf import PdfReader

MARKING = "OFFICIAL-SENSITIVE"


def pages_of(pdf: bytes) -> list[str]:
    """Each page's text, whitespace folded, so words wrapped onto a new line still match."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def quick_pages_of(pdf: bytes) -> list[str]:
    """Each page's text, whitespace folded, read by poppler's `pdftotext` (a form feed ends each page):
    about fifteen times quicker than pypdf (`pages_of`) on a long PDF, for a test that looks for words on
    a page. Its reading order may differ from pypdf's (a table's cells, a running header), so a test of
    what follows what on a page uses `pages_of`."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return [" ".join(page.split()) for page in out.stdout.decode("utf-8").split("\f")[:-1]]


def text_of_pdf(pdf: bytes) -> str:
    """The whole document's text, whitespace folded, for a test that looks for words anywhere in it
    (`quick_pages_of`, joined)."""
    return " ".join(quick_pages_of(pdf))


def without_spaces(text: str) -> str:
    """Text with all whitespace removed, so a link or number broken across lines reads whole."""
    return "".join(text.split())


def contents(pdf: bytes, running_title: str) -> list[str]:
    """Each page's text without what every page carries: the markings, the running title, "Page x of y"."""
    pages = pages_of(pdf)
    result = []
    for number, text in enumerate(pages, start=1):
        text = text.replace(MARKING, "").replace(f"Page {number} of {len(pages)}", "").replace(running_title, "")
        result.append(" ".join(text.split()))
    return result


@dataclass(frozen=True)
class Word:
    page: int  # from 1
    text: str
    left: float  # points from the page's left edge
    top: float  # points from the page's top edge
    right: float
    bottom: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float  # points
    height: float
    words: list[Word]


def laid_out(pdf: bytes) -> list[Page]:
    """Each page's size and the box of each word on it, from poppler's pdftotext -bbox."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True, timeout=120
    ).stdout.decode()
    # The output is XHTML; its namespace is dropped to keep the paths short.
    root = ElementTree.fromstring(re.sub(r' xmlns="[^"]+"', "", out, count=1))
    pages = []
    for number, page in enumerate(root.iter("page"), start=1):
        words = [
            Word(number, word.text or "", *(float(word.get(edge)) for edge in ("xMin", "yMin", "xMax", "yMax")))
            for word in page.iter("word")
        ]
        pages.append(Page(number, float(page.get("width")), float(page.get("height")), words))
    return pages


def run_starts(pdf: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """Where pypdf finds each run of text to start: (page, x, y, page width, page height, text)."""
    runs = []
    for number, page in enumerate(PdfReader(BytesIO(pdf)).pages, start=1):
        box = page.mediabox

        def visit(text, cm, tm, font, size, number=number, box=box):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((number, x, y, float(box.width), float(box.height), text))

        page.extract_text(visitor_text=visit)
    return runs


def fonts_used(pdf: bytes) -> set[str]:
    """The names of the fonts drawing each page's text, without their subset prefix ("Noto-Sans-Ethiopic")."""
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names
