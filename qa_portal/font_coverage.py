"""Which characters the fonts installed on this server can draw, and which of a document's they cannot.

WeasyPrint lays text out with Pango, which takes each character from the first font of the CSS
font-family stack that holds it, and failing that from any font fontconfig knows. A character no
installed font holds comes out as an empty box. Rather than print boxes unremarked, qa_portal/pdf.py
lists such characters on the document's last page and tells the person who asked for it.

The coverage is fontconfig's own (the same that Pango falls back on), read once per process with
`fc-list`: fontconfig caches each font's character set, so this takes milliseconds.
scripts/system_deps.sh installs fontconfig and the fonts (Debian's Noto packages).
"""

import functools
import subprocess
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from html.parser import HTMLParser

# Characters that are never drawn as glyphs of their own: control and format characters (zero-width
# joiners, direction marks, soft hyphens), line and paragraph separators, spaces (which Pango draws
# as a gap whatever the font), and variation selectors (which choose how the character before looks).
NOT_DRAWN_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
# Text in these elements is never laid out on a page.
NOT_PRINTED = frozenset({"head", "title", "style", "script", "template"})
# The headings that say where in a document a character is.
HEADINGS = ("h1", "h2", "h3", "h4")
WITHIN = " \u203a "  # between a heading and the one below it
CONTEXT = 30  # characters either side of an unshown one, to find it by
MOST = 20  # unshown characters listed at most; the rest are counted


class FontsUnavailable(RuntimeError):
    """fontconfig's `fc-list` is missing or failed: run scripts/system_deps.sh."""


@dataclass(frozen=True)
class Coverage:
    """The code points the installed fonts hold, as sorted, disjoint, inclusive ranges."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __contains__(self, codepoint: int) -> bool:
        index = bisect_right(self.starts, codepoint) - 1
        return index >= 0 and codepoint <= self.ends[index]

    @classmethod
    def from_charsets(cls, charsets: str) -> "Coverage":
        """Read fontconfig charsets, each a space-separated list of hex code points and ranges ("20-7e a0")."""
        ranges = []
        for item in charsets.split():
            first, _, last = item.partition("-")
            ranges.append((int(first, 16), int(last or first, 16)))
        ranges.sort()
        merged: list[list[int]] = []
        for start, end in ranges:
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return cls(tuple(start for start, _ in merged), tuple(end for _, end in merged))


@functools.cache
def installed_coverage() -> Coverage:
    """Every character some installed font can draw, according to fontconfig. Raises FontsUnavailable."""
    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True, check=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise FontsUnavailable(f"Cannot list the fonts with fc-list ({exc}): run scripts/system_deps.sh") from exc
    # Each weight and style of a family lists the same charset: read each once (337 fonts listed 177
    # charsets, 0.1 s to read all of them on the first PDF of a process, 15 ms to read each once).
    return Coverage.from_charsets("\n".join(set(listed.stdout.splitlines())))


def is_drawn(character: str) -> bool:
    """Whether a character needs a glyph of its own on the page (spaces and joiners do not)."""
    codepoint = ord(character)
    if any(codepoint in selectors for selectors in VARIATION_SELECTORS):
        return False
    return unicodedata.category(character) not in NOT_DRAWN_CATEGORIES


def describe(character: str) -> str:
    """A character's Unicode name in lower case, or what kind of character it is when it has none."""
    name = unicodedata.name(character, "")
    if name:
        return name.lower()
    category = unicodedata.category(character)
    if category == "Co":
        return "a private-use character, with no agreed meaning"
    if category == "Cn":
        return "not a character Unicode has assigned"
    return "a character without a name"


@dataclass(frozen=True)
class UnshownCharacter:
    """A character of a document that no installed font can draw: where it is and the text around it."""

    character: str
    where: str
    context: str

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.character):04X}"

    @property
    def name(self) -> str:
        return describe(self.character)

    def __str__(self) -> str:
        return f"{self.codepoint} ({self.name}) in “{self.where}”"


def _around(text: str, index: int) -> str:
    """The words around text[index], whole where there are spaces to cut at, "…" marking a cut."""
    start, end = max(index - CONTEXT, 0), min(index + CONTEXT + 1, len(text))
    before, after = text[start:index], text[index + 1 : end]
    if start > 0:
        before = "…" + (before.split(None, 1)[-1] if " " in before.strip() else before)
    if end < len(text):
        after = (after.rsplit(None, 1)[0] if " " in after.strip() else after) + "…"
    return " ".join((before + text[index] + after).split())


class _PrintedText(HTMLParser):
    """Walks a document's HTML, checking the text that is printed against the coverage."""

    def __init__(self, coverage: Coverage | None):
        super().__init__(convert_charrefs=True)
        self._coverage = coverage
        self.hidden = 0  # depth inside elements whose text is not printed
        self.headings: dict[str, str] = {}
        self.heading: tuple[str, list[str]] | None = None  # the heading being read, and its text so far
        self.found: dict[tuple[str, str], UnshownCharacter] = {}
        self.left_out: set[tuple[str, str]] = set()  # those found beyond MOST

    @property
    def coverage(self) -> Coverage:
        # Read only for a document with characters beyond ASCII: listing the fonts is a process of its
        # own (fc-list), about a twentieth of a short visit report made as a command.
        if self._coverage is None:
            self._coverage = installed_coverage()
        return self._coverage

    def handle_starttag(self, tag, attrs):
        if tag in NOT_PRINTED:
            self.hidden += 1
        elif tag in HEADINGS:
            self.heading = (tag, [])

    def handle_endtag(self, tag):
        if tag in NOT_PRINTED:
            self.hidden = max(self.hidden - 1, 0)
        elif self.heading and tag == self.heading[0]:
            level, words = self.heading
            self.headings = {h: text for h, text in self.headings.items() if h < level}
            self.headings[level] = " ".join("".join(words).split())
            self.heading = None

    def handle_data(self, data):
        if self.hidden:
            return
        if self.heading:
            self.heading[1].append(data)
        # Plain ASCII is in every font we install; most of a document is, so skip it quickly.
        if data.isascii():
            return
        unshown = {c for c in set(data) if is_drawn(c) and ord(c) not in self.coverage}
        for index, character in enumerate(data):
            if character in unshown:
                self._record(character, data, index)

    def _where(self) -> str:
        # The section and the question within it: "4. Young people's views > Do they feel safe?" (with WITHIN).
        levels = [self.headings[h] for h in HEADINGS[1:] if self.headings.get(h)]
        return WITHIN.join(levels) or self.headings.get("h1", "") or "the start of the document"

    def _shown(self, text: str) -> str:
        # The text with whitespace folded and each unshown character written as its code point.
        return "".join(f"[U+{ord(c):04X}]" if is_drawn(c) and ord(c) not in self.coverage else c for c in text)

    def _record(self, character: str, data: str, index: int) -> None:
        where = self._shown(self._where())
        if (character, where) in self.found:
            return
        if len(self.found) >= MOST:
            self.left_out.add((character, where))
            return
        self.found[(character, where)] = UnshownCharacter(character, where, self._shown(_around(data, index)))


def unshown_characters(html: str, coverage: Coverage | None = None) -> tuple[list[UnshownCharacter], int]:
    """The characters of a document's printed text that no installed font can draw.

    Returns up to MOST of them, each once per place (the headings above it), in the order they
    appear, and how many more places were left out. Raises FontsUnavailable if fontconfig is missing
    (found only for a document whose printed text is not all ASCII, which every font we install holds)."""
    walker = _PrintedText(coverage)
    walker.feed(html)
    walker.close()
    return list(walker.found.values()), len(walker.left_out)
