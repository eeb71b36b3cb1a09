"""What counts as text typed by a person: no control characters and no lone surrogates.

Control characters are the C0 controls (U+0000 to U+001F) but tab, line feed and carriage return,
DEL (U+007F) and the C1 controls (U+0080 to U+009F). NUL cannot be stored at all (PostgreSQL refuses
it in text), openpyxl refuses the other C0 controls in a spreadsheet cell, and none of them shows on
a page or in a PDF. A lone surrogate (U+D800 to U+DFFF, which a JSON body can name as "\\ud800") is
not a character and cannot be written as UTF-8.
"""

import re

NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# What can never be stored, whatever the field: PostgreSQL refuses NUL, and UTF-8 a lone surrogate.
NEVER_STORED = re.compile(r"[\x00\ud800-\udfff]")


def has_control_characters(value: str) -> bool:
    """Whether `value` holds a control character or a lone surrogate (see the module)."""
    return NOT_TEXT.search(value) is not None


def without_control_characters(value: str) -> str:
    """`value` with its control characters and lone surrogates taken out, all else kept."""
    return NOT_TEXT.sub("", value)


LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def has_line_break(value: str) -> bool:
    """Whether `value` holds a line break (CR, LF or both), which a one-line box cannot: a browser
    takes them out of what is typed or pasted there (HTML's value sanitisation), so only a crafted
    request sends one, and it would break an email's subject or a CSV's row."""
    return LINE_BREAK.search(value) is not None


def on_one_line(value: str) -> str:
    """`value` with each line break (CR LF, CR or LF) made a space."""
    return LINE_BREAK.sub(" ", value)


def code_point(character: str) -> str:
    """A character as people look it up: "U+0000"."""
    return f"U+{ord(character):04X}"


def first_control_character(value: str) -> str | None:
    """The first control character in `value`, as "U+0000", or None."""
    found = NOT_TEXT.search(value)
    return code_point(found.group()) if found else None
