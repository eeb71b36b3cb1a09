"""What a person reads on a page, for tests that assert what the user sees rather than a status code."""

import html
import re


def text_of(response) -> str:
    """The page's text without tags, entities decoded, runs of white space made one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def heading(response) -> str:
    """The text of the page's main heading (its first <h1>), as text_of gives it; "" if there is none."""
    found = re.search(r"<h1\b[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""
