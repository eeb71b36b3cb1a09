"""Settings come from the environment and refuse malformed values with a clear message."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from qa_portal.env import env_bool, env_int, env_list
from tests.conftest import BASE_DIR


def run_manage(*args, env):
    # Only what a shell needs: none of the test run's own settings may leak in.
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "qa_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_bool_refuses_anything_but_true_or_false(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_FLAG", "Yes")
    assert env_bool("SOME_FLAG", False) is True
    monkeypatch.setenv("SOME_FLAG", "0")
    assert env_bool("SOME_FLAG", True) is False


def test_env_int_refuses_words_and_small_numbers(monkeypatch):
    monkeypatch.setenv("SOME_MINUTES", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("SOME_MINUTES", 5)
    monkeypatch.setenv("SOME_MINUTES", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("SOME_MINUTES", 5, minimum=1)


def test_env_list_refuses_empty_items(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "a.example.org,,b.example.org")
    with pytest.raises(ImproperlyConfigured, match="no empty items"):
        env_list("SOME_HOSTS", [])
    monkeypatch.setenv("SOME_HOSTS", "a.example.org, b.example.org")
    assert env_list("SOME_HOSTS", []) == ["a.example.org", "b.example.org"]


def test_start_up_fails_clearly_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", env={"DEBUG": "0", "ALLOWED_HOSTS": "qa.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_start_up_fails_clearly_on_a_malformed_flag():
    result = run_manage("check", env={"DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_start_up_refuses_a_database_that_is_not_postgresql():
    result = run_manage("check", env={"DEBUG": "1", "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_production_settings_pass_the_deployment_checks_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        env={"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "qa.example.org"},
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("x", "must be at least 50 characters long; it has 1"),
        ("ab" * 40, "must have at least 5 different characters"),
        (
            "django-insecure-" + secrets.token_urlsafe(50),
            "is a development key made by Django (it begins 'django-insecure-')",
        ),
        ("dev-only-insecure-key-not-for-production", "is a key published in the portal's source code"),
    ],
    ids=["short", "repetitive", "django-insecure", "published"],
)
def test_start_up_refuses_a_weak_secret_key_when_debug_is_off(key, said):
    result = run_manage("check", env={"DEBUG": "0", "SECRET_KEY": key, "ALLOWED_HOSTS": "qa.example.org"})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: SECRET_KEY {said}, so it is refused when DEBUG is off." in result.stderr


def test_a_short_secret_key_is_still_fine_for_development():
    result = run_manage("check", env={"DEBUG": "1", "SECRET_KEY": "x"})
    assert result.returncode == 0, result.stderr


def test_the_start_up_check_reports_a_weak_secret_key_set_any_other_way(settings):
    settings.SECRET_KEY = "short"
    errors = [message for message in checks.run_checks(tags=[checks.Tags.security]) if message.id == "qa_portal.E001"]
    assert [error.msg for error in errors] == ["SECRET_KEY must be at least 50 characters long; it has 5."]
    assert errors[0].is_serious()


def test_the_absolute_session_lifetime_comes_from_the_environment():
    said = "from django.conf import settings; print(settings.SESSION_ABSOLUTE_SECONDS)"
    assert run_manage("shell", "--no-imports", "-c", said, env={"DEBUG": "1"}).stdout.strip() == str(12 * 60 * 60)
    assert run_manage(
        "shell", "--no-imports", "-c", said, env={"DEBUG": "1", "SESSION_ABSOLUTE_HOURS": "8"}
    ).stdout.strip() == str(8 * 60 * 60)
    refused = run_manage("check", env={"DEBUG": "1", "SESSION_ABSOLUTE_HOURS": "0"})
    assert "SESSION_ABSOLUTE_HOURS must be at least 1" in refused.stderr
