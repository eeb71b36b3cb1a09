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

A run longer than ENDLESS characters is no word of any language: it is pasted or typed to break
things (10,000 Hebrew, Devanagari or emoji characters in one answer took WeasyPrint 6 to 20 seconds,
and the time grows with the square of the length, so a few made the tracker's PDF time out for
everyone). Such a run gets a place to wrap every STRETCH characters whatever its script, between
grapheme clusters (never inside a letter and its marks, an emoji sequence, a flag or a conjunct), and
after the no-break spaces and word joiners that would otherwise glue it into one line.
"""

import html
import re
import unicodedata

LONG = 24  # characters in a word before it gets places to wrap
STRETCH = 16  # characters at most between those places, where the script allows
ENDLESS = 64  # characters in a run beyond which it wraps whatever its script
BREAK = "\u200b"
SEPARATORS = frozenset("/\\.@-_?&=+:;,~#|")
# Elements whose text is never laid out, or is not prose (a chart's CSS and script).
SKIPPED = ("head", "title", "style", "script", "svg")
TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
SKIPPED_TAG = re.compile(r"<(/?)(" + "|".join(SKIPPED) + r")\b[^>]*?(/?)>", re.I)
# No-break spaces (no-break, figure, narrow) glue words into one unbreakable run, as a word joiner does.
GLUE = "\u00a0\u2007\u202f\u2060\ufeff"
WORD = re.compile(rf"(?:[^\s]|[{GLUE}]){{{LONG + 1},}}")
ATOM = re.compile(r"&#?\w+;|.", re.S)  # a character, or an HTML entity standing for one


def _splittable(character: str) -> bool:
    return ord(character) < 0x0590 and not unicodedata.category(character).startswith("M")


def _joins(this: str, after: str) -> bool:
    """Whether `this` and `after` belong to one grapheme cluster (or a conjunct), so that no break
    may go between them: a mark on its letter, an emoji with its modifier, variation selector, tag or
    zero-width joiner, a consonant after a virama, a Hangul syllable's jamo."""
    code = ord(after)
    return (
        unicodedata.category(after).startswith("M")
        or "\u200d" in (this, after)
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0x1160 <= code <= 0x11FF
        or unicodedata.combining(this) == 9  # a virama: the next consonant makes a conjunct with it
    )


def _regional_indicator(character: str) -> bool:
    return 0x1F1E6 <= ord(character) <= 0x1F1FF


def _with_breaks(match: re.Match) -> str:
    atoms = ATOM.findall(match.group())
    if len(atoms) <= LONG:
        return match.group()  # long only because of its entities
    characters = [html.unescape(atom) for atom in atoms]
    endless = len(atoms) > ENDLESS
    out, run, flag_half = [], 0, False
    for index, atom in enumerate(atoms[:-1]):
        out.append(atom)
        run += 1
        this, after = characters[index], characters[index + 1]
        # Two regional indicators make one flag: break only between flags.
        flag_half = _regional_indicator(this) and not flag_half
        if len(this) != 1 or len(after) != 1:
            continue
        wraps_here = (this in SEPARATORS and after not in SEPARATORS) or (
            run >= STRETCH and _splittable(this) and _splittable(after)
        )
        if endless and not wraps_here:  # whatever the script, but never inside a cluster or a flag
            wraps_here = (this in GLUE and after not in GLUE) or (
                run >= STRETCH and not _joins(this, after) and not (flag_half and _regional_indicator(after))
            )
        if wraps_here:
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
