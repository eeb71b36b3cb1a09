"""Typed readers for settings taken from the environment.

Each helper refuses a malformed value with a message naming the variable, so a
typo in a deployment stops start-up instead of quietly meaning something else.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list with no empty items; got {value!r}.")
    return items


# Secret keys that are, or have been, written in this repository (the development fallback, the old
# test-suite key): published, so never a live system's.
PUBLISHED_SECRET_KEYS = frozenset(
    {
        "dev-only-insecure-key-not-for-production",
        "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789",
    }
)
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def secret_key_problem(key: str) -> str | None:
    """What makes `key` unfit to sign a live system's sessions, password-reset links and cookies, as
    the end of a sentence beginning "SECRET_KEY …"; None if it will do. Django's own `check --deploy`
    rules (security.W009: at least 50 characters, at least 5 different ones, not a key made by
    `startproject` for development, which begins "django-insecure-"), made a refusal rather than a
    warning, and not a key published in this repository."""
    if key in PUBLISHED_SECRET_KEYS:
        return "is a key published in the portal's source code"
    if key.startswith("django-insecure-"):
        return "is a development key made by Django (it begins 'django-insecure-')"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"must be at least {SECRET_KEY_MIN_LENGTH} characters long; it has {len(key)}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return f"must have at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different characters"
    return None
