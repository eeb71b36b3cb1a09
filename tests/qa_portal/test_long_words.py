"""Long unbroken words of a PDF's text get invisible places to wrap; nothing else changes."""

import pytest

from qa_portal.long_words import BREAK, with_places_to_wrap

URL = "https://www.example.org/children/reviews/a1b2c3d4e5f6g7h8i9j0a1b2c3d4e5?x=1&amp;y=2"


def _body(text: str) -> str:
    return f"<!DOCTYPE html><html><head><title>{text}</title><style>p {{ color: red }}</style></head><body><p>{text}</p></body></html>"


def test_links_addresses_and_references_get_places_to_wrap_and_read_the_same_without_them():
    text = f"See {URL} or write to someone.with.a.long.name@example-services.gov.uk about REF00000000000000000000000000000001."
    out = with_places_to_wrap(_body(text))
    printed = out[out.index("<p>") + 3 : out.index("</p>")]
    assert printed.replace(BREAK, "") == text
    assert f"https://{BREAK}www.{BREAK}example.{BREAK}org/{BREAK}children/" in printed
    assert f"@{BREAK}example-{BREAK}services." in printed
    assert f"&amp;{BREAK}y=" in printed  # the entity is whole
    assert all(len(part) <= 20 for part in printed.replace(" ", BREAK).split(BREAK))


def test_ordinary_words_the_head_and_markup_are_left_alone():
    document = _body("Commissioning responsibilities, safeguarding.") + f'<a href="{URL}">x</a>'
    assert with_places_to_wrap(document) == document
    head = _body(URL)
    assert with_places_to_wrap(head).count(f"<title>{URL}</title>") == 1


def test_a_charts_style_and_script_are_left_alone():
    svg = f"<svg><style>.a{{fill:url({URL})}}</style><script>var a='{URL}';</script><text>x</text></svg>"
    assert with_places_to_wrap(f"<body>{svg}</body>") == f"<body>{svg}</body>"


@pytest.mark.parametrize(
    "word",
    [
        "زهدلتهخوښیمخوښوونځیلرېدیزهدلتهخوښیمخوښوونځی",  # Arabic script joins its letters: never split
        "👨\u200d👩\u200d👧" * 8,  # emoji sequences joined by ZWJ
        "e\u0301" * 30,  # a letter and its combining accent stay together
    ],
)
def test_words_of_scripts_that_join_are_never_split_but_by_their_own_punctuation(word):
    assert with_places_to_wrap(f"<p>{word}</p>") == f"<p>{word}</p>"
