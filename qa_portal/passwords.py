"""Password rules beyond Django's: the patterns people use to make a guessable password long enough.

NIST SP 800-63B 3.1.1.2 and OWASP ASVS 6.1/2.1.7 ask that new passwords be checked against
passwords found in breaches, dictionary words, repetitive or sequential characters and
context-specific words (the service's name). Django's CommonPasswordValidator holds the 20,000
passwords most often found in breaches, but with a 12-character minimum most of them are too short
to matter: people lengthen them instead (`password2026!`, `passwordpassword`, `123456789012`).
These validators catch that, and the demo's published password outside the demo.
"""

import re
from itertools import pairwise

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

# Characters next to each other in order, on the keyboard or in the alphabet: a password that walks
# along one of these (either way) is a run. Digits wrap round (…890123…).
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890-=")
_NEIGHBOURS = {(a, b) for row in _RUNS for a, b in pairwise(row)}
_NEIGHBOURS |= {(b, a) for a, b in _NEIGHBOURS}
# A password made of this many runs or fewer (aaaa, 1234, dcba, qwerty) is refused.
MOST_RUNS = 3

# Letters people swap for look-alike digits and symbols.
_LOOK_ALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})


def _repeats_a_chunk(password: str) -> bool:
    """`aaaaaaaaaaaa`, `passwordpassword`, `abcabcabcabc`: one chunk said twice or more."""
    return any(
        password == (password[:size] * (len(password) // size + 1))[: len(password)]
        for size in range(1, len(password) // 2 + 1)
    )


def _runs(password: str) -> int:
    """How many stretches of repeated or neighbouring characters the password is made of:
    `123456789012` and `aaaabbbbcccc` are one, `abcdef123456` two."""
    breaks = sum(1 for a, b in pairwise(password) if a != b and (a, b) not in _NEIGHBOURS)
    return breaks + 1


class RepetitionValidator:
    """Refuses a password that repeats one character or chunk (`aaaaaaaaaaaa`, `passwordpassword`) or
    is made of at most three runs of repeated or consecutive characters (`123456789012`,
    `qwertyuiop12`, `aaaabbbbcccc`), ignoring case."""

    message = (
        "This password is made of repeated or consecutive characters (like aaaa, 1234 or passwordpassword), "
        "so it is easy to guess. Choose a different one."
    )

    def validate(self, password, user=None):
        lowered = password.lower()
        if _repeats_a_chunk(lowered) or _runs(lowered) <= MOST_RUNS:
            raise ValidationError(self.message, code="password_repetitive")

    def get_help_text(self):
        return "Your password cannot be repeated or consecutive characters, like aaaa or 1234."


class CommonWordValidator:
    """Refuses a common password (Django's list of 20,000 found in breaches), or the name of this
    service or council, dressed up to look stronger: digits or symbols added at either end and
    letters swapped for look-alikes (`P@ssw0rd2026!`, `!!Summer2026`, `CityOfLondon1`)."""

    message = "This password is a common password with numbers or symbols added, so it is easy to guess."
    context_message = "This password is the name of this service or council, so it is easy to guess."

    def __init__(self):
        self.common = CommonPasswordValidator().passwords

    @staticmethod
    def _context_words() -> set[str]:
        """The service's and council's names, and each run of words in them ("city of london",
        "london"), as bare letters."""
        words = set()
        for name in (settings.SERVICE_NAME, settings.AUTHORITY_NAME):
            parts = re.findall(r"[a-z]+", name.lower())
            words |= {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
        return {word for word in words if len(word) >= 5}

    def validate(self, password, user=None):
        lowered = password.lower()
        trimmed = re.sub(r"^[^a-z]+|[^a-z]+$", "", lowered)
        cores = {trimmed, trimmed.translate(_LOOK_ALIKES)}
        if {re.sub(r"[^a-z]", "", core) for core in cores} & self._context_words():
            raise ValidationError(self.context_message, code="password_context")
        # The password as it stands is CommonPasswordValidator's to refuse.
        if any(len(core) >= 4 and core != lowered and core in self.common for core in cores):
            raise ValidationError(self.message, code="password_common_variant")

    def get_help_text(self):
        return "Your password cannot be a common password with numbers or symbols added."


class PublishedPasswordValidator:
    """Refuses the demo accounts' password, published in the README, whenever DEBUG is off (read when
    a password is checked, so a live system never accepts it; the demo, with DEBUG on, does)."""

    message = "This password is published as the demo password, so it cannot be used. Choose a different one."

    def __init__(self, passwords=()):
        self.passwords = {password.lower() for password in passwords}

    def validate(self, password, user=None):
        if not settings.DEBUG and password.lower() in self.passwords:
            raise ValidationError(self.message, code="password_published")

    def get_help_text(self):
        return "Your password cannot be the published demo password."


class PersonalNameValidator:
    """Refuses a password containing the person's own name or email address: any word of 4 or more
    letters from their full name (`dennison1234` for Laura Dennison) or from the part of their email
    address before the @ (`laura.dennison`), ignoring case and look-alike swaps (`D3nnison!`).

    Django's UserAttributeSimilarityValidator compares the whole password with the whole attribute
    and reads `first_name`/`last_name`, which our User does not have (it has `full_name`), so a name
    with digits added passed. The rule is NIST SP 800-63B 3.1.1.2 / OWASP ASVS 2.1.7's
    "context-specific words". `user` may be unsaved (the admin's new-account form)."""

    message = "This password contains your name or email address, so it is easy to guess. Choose a different one."
    SHORTEST = 4

    def _personal_words(self, user) -> set[str]:
        local_part = (getattr(user, "email", "") or "").lower().partition("@")[0]
        full_name = (getattr(user, "full_name", "") or "").lower()
        words = set(re.findall(r"[^\W\d_]+", f"{full_name} {local_part}"))
        return {word for word in words if len(word) >= self.SHORTEST}

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.lower()
        seen = {lowered, lowered.translate(_LOOK_ALIKES)}
        if any(word in candidate for word in self._personal_words(user) for candidate in seen):
            raise ValidationError(self.message, code="password_personal")

    def get_help_text(self):
        return "Your password cannot contain your name or email address."
