"""Small pieces of English that pages, PDFs and emails share, so every message reads the same way:
"an annual review", "1 visit" and "2 visits", "due today" rather than "due in 0 days".

The template filters `with_article`, `count_of` and `due_in` (qa_portal/templatetags/portal.py) call
these; Python that builds a subject line calls them directly.
"""

# Words that start with a vowel letter but a consonant sound ("a one-off", "a unit") or the other
# way round ("an hour"): the few the portal's words could begin with.
_CONSONANT_SOUND = ("one", "once", "uni", "use", "usu", "eu")
_VOWEL_SOUND = ("hour", "honest", "honour", "heir")


def with_article(phrase: str) -> str:
    """`phrase` after "a" or "an" as it is said: "an annual review meeting", "a half-yearly review
    meeting", "a unit", "an hour". Returns "" for an empty phrase."""
    phrase = (phrase or "").strip()
    if not phrase:
        return ""
    first = phrase.lower()
    vowel = first[0] in "aeiou"
    if first.startswith(_CONSONANT_SOUND):
        vowel = False
    elif first.startswith(_VOWEL_SOUND):
        vowel = True
    return f"{'an' if vowel else 'a'} {phrase}"


def count_of(n: int, one: str, many: str | None = None) -> str:
    """`n` with the noun in the right number: "1 recommendation", "0 recommendations", "3 children"
    (`many` when the plural is not `one` + "s")."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def due_in(days: int) -> str:
    """When something falls due, counted in whole days from today: "today", "tomorrow", "in 3 days";
    in the past, "yesterday" or "3 days ago"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days < 0:
        return f"{count_of(-days, 'day')} ago"
    return f"in {count_of(days, 'day')}"
