"""Start-up checks (Django's system checks, run by every manage.py command and before the server
starts): settings a live system must never run with are errors, which stop it."""

from django.conf import settings
from django.core import checks

from qa_portal.env import secret_key_problem


@checks.register(checks.Tags.security)
def secret_key_is_strong(app_configs, **kwargs):
    """qa_portal.E001: with DEBUG off, a short, repetitive, development or published SECRET_KEY.
    The settings refuse such a key from the environment already; this catches one set any other way
    (another settings module, say)."""
    if settings.DEBUG:
        return []
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem is None:
        return []
    return [
        checks.Error(
            f"SECRET_KEY {problem}.",
            hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="qa_portal.E001",
        )
    ]
