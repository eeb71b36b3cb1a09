"""Places to wrap long unbroken words (links, email addresses, reference numbers) in a PDF's text.

CSS alone cannot do it for every table. `overflow-wrap: break-word` wraps a word that would overflow
a paragraph or a column of fixed width, but a table laid out by its content still makes a column as
wide as its longest word, and a 300-character link then pushes the table off the page.
`overflow-wrap: anywhere` would let such a column narrow, but WeasyPrint then measures a cell by
laying it out a character at a time: 12,000 characters in one cell took 14 minutes.

So qa_portal/pdf.py inserts zero-width spaces (U+200B) into any word longer than LONG characters:
after the separators of links and addresses ("/", ".", "@", "-", "?", "&", "=", …) and, failing those,
every STRETCH characters. They take no room, print nothing and are left out of the PDF's text, so a
link copied from the PDF is whole. Forced breaks go only between two characters of scripts that do
not join their letters (Latin, Greek, Cyrillic, Armenian), never before a combining mark, so no
Arabic word or emoji sequence is split; scripts such as Chinese wrap between characters anyway.
"""

import html
import re
import unicodedata

LONG = 24  # characters in a word before it gets places to wrap
STRETCH = 16  # characters at most between those places, where the script allows
BREAK = "\u200b"
SEPARATORS = frozenset("/\\.@-_?&=+:;,~#|")
# Elements whose text is never laid out, or is not prose (a chart's CSS and script).
SKIPPED = ("head", "title", "style", "script", "svg")
TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
SKIPPED_TAG = re.compile(r"<(/?)(" + "|".join(SKIPPED) + r")\b[^>]*?(/?)>", re.I)
WORD = re.compile(rf"\S{{{LONG + 1},}}")
ATOM = re.compile(r"&#?\w+;|.", re.S)  # a character, or an HTML entity standing for one


def _splittable(character: str) -> bool:
    return ord(character) < 0x0590 and not unicodedata.category(character).startswith("M")


def _with_breaks(match: re.Match) -> str:
    atoms = ATOM.findall(match.group())
    if len(atoms) <= LONG:
        return match.group()  # long only because of its entities
    characters = [html.unescape(atom) for atom in atoms]
    out, run = [], 0
    for index, atom in enumerate(atoms[:-1]):
        out.append(atom)
        run += 1
        this, after = characters[index], characters[index + 1]
        if (this in SEPARATORS and after not in SEPARATORS) or (
            run >= STRETCH and len(this) == len(after) == 1 and _splittable(this) and _splittable(after)
        ):
            out.append(BREAK)
            run = 0
    out.append(atoms[-1])
    return "".join(out)


def with_places_to_wrap(document: str) -> str:
    """An HTML document with zero-width spaces in the long words of its printed text; tags, attributes,
    entities and the text of head, style, script and svg elements are left as they are."""
    parts = TAG.split(document)
    skipping = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag or comment
            tag = SKIPPED_TAG.fullmatch(part)
            if tag and not tag.group(3):
                skipping = max(skipping + (-1 if tag.group(1) else 1), 0)
        elif not skipping and len(part) > LONG:
            parts[index] = WORD.sub(_with_breaks, part)
    return "".join(parts)
