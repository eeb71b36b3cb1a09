"""Which characters the installed fonts draw: every script young people and families write in, and
emoji; anything else is reported with where it is, never silently printed as an empty box."""

import re
import subprocess
from pathlib import Path

import pytest

from qa_portal.font_coverage import MOST, WITHIN, FontsUnavailable, installed_coverage, unshown_characters

REPORT_CSS = Path(__file__).resolve().parents[2] / "static" / "pdf" / "report.css"

SAMPLES = {
    "Welsh": "Dw i'n hapus yma. Ŵ ŷ ŵ Ŷ",
    "Polish": "Jestem szczęśliwa, żółta ściana. ĄĆĘŁŃÓŚŹŻ",
    "Greek": "Είμαι χαρούμενη εδώ",
    "Cyrillic": "Мені тут добре. Мне здесь хорошо.",
    "Arabic": "أنا سعيد هنا",
    "Pashto": "زه دلته خوښ یم، خو ښوونځی لرې دی. ږ ځ څ ډ ړ ټ ڼ ۍ ئ",
    "Tigrinya": "ኣብዚ ሓጎስ ይስምዓኒ እዩ።",
    "Amharic": "እዚህ ደስተኛ ነኝ።",
    "Bengali": "আমি এখানে খুশি",
    "Gujarati": "હું અહીં ખુશ છું",
    "Punjabi": "ਮੈਂ ਇੱਥੇ ਖੁਸ਼ ਹਾਂ",
    "Urdu": "میں یہاں خوش ہوں",
    "Chinese": "我在这里很开心",
    "emoji": "👍😊😡❤️👍🏽👨‍👩‍👧🏴󠁧󠁢󠁷󠁬󠁳󠁿🇬🇧1️⃣",
}


@pytest.mark.parametrize("script", SAMPLES)
def test_the_installed_fonts_draw_every_script_young_people_write_in(script):
    assert unshown_characters(f"<p>{SAMPLES[script]}</p>") == ([], 0)


def test_every_font_the_pdfs_name_is_installed_but_the_authoritys_own():
    stack = re.search(r"html \{\s*font-family: ([^;]+);", REPORT_CSS.read_text()).group(1)
    families = [name.strip().strip('"') for name in stack.split(",")]
    assert families[:3] == ["Arial", "Liberation Sans", "Noto Sans"]
    for family in families[1:-1]:
        assert subprocess.run(["fc-list", family, "family"], capture_output=True, text=True).stdout, family


def test_a_character_no_font_draws_is_reported_with_where_it_is_and_the_words_around_it():
    document = (
        "<html><head><title>\ue001</title><style>p::after { content: '\ue002' }</style></head><body>"
        "<h1>Report</h1><h2>4. Views</h2><h3>Do they feel safe?</h3>"
        "<p>She drew \ue000 on the form, and \u0378 too; and \ue000 again.</p>"
        "<h2>5. Plans</h2><p>\ue000</p><script>'\ue003'</script></body></html>"
    )
    unshown, left_out = unshown_characters(document)
    assert [(c.codepoint, c.where, c.context) for c in unshown] == [
        ("U+E000", f"4. Views{WITHIN}Do they feel safe?", "She drew [U+E000] on the form, and [U+0378] too; and…"),
        (
            "U+0378",
            f"4. Views{WITHIN}Do they feel safe?",
            "She drew [U+E000] on the form, and [U+0378] too; and [U+E000] again.",
        ),
        ("U+E000", "5. Plans", "[U+E000]"),
    ]
    assert left_out == 0
    assert str(unshown[1]) == f"U+0378 (not a character Unicode has assigned) in “4. Views{WITHIN}Do they feel safe?”"


def test_spaces_joiners_and_selectors_are_never_reported():
    invisible = "a\u200db\ufe0fc\u00add\u2066e\u2069\t\n\u3000\u00a0\u200b\u200e\U000e0067"
    assert unshown_characters(f"<p>{invisible}</p>") == ([], 0)


def test_at_most_twenty_are_listed_and_the_rest_counted():
    many = "".join(chr(0xE000 + n) for n in range(MOST + 5))
    unshown, left_out = unshown_characters(f"<p>{many}</p>")
    assert len(unshown) == MOST
    assert left_out == 5


def test_without_fontconfig_it_says_what_to_run(monkeypatch):
    installed_coverage.cache_clear()
    monkeypatch.setenv("PATH", "/nonexistent")
    try:
        with pytest.raises(FontsUnavailable, match=r"scripts/system_deps\.sh"):
            installed_coverage()
    finally:
        installed_coverage.cache_clear()
