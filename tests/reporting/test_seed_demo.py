"""seed_demo: one account per role, safe to run twice, refuses a live system."""

import pytest
from django.core.management import CommandError, call_command

from qa_portal.models import User
from qa_portal.reporting import demo
from qa_portal.roles import Role

pytestmark = pytest.mark.django_db


def test_it_creates_one_working_account_per_role(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    users = User.objects.all()
    assert sorted(u.primary_role for u in users) == sorted(Role)
    assert all(u.check_password(demo.DEMO_PASSWORD) for u in users)
    assert User.objects.get(email="provider@example.org").provider.name == demo.DEMO_PROVIDER_NAME


def test_running_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = sorted((u.email, u.full_name, u.provider_id, tuple(u.roles)) for u in User.objects.all())
    call_command("seed_demo")
    second = sorted((u.email, u.full_name, u.provider_id, tuple(u.roles)) for u in User.objects.all())
    assert first == second


def test_it_refuses_when_debug_is_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.count() == len(demo.DEMO_USERS)


def test_the_readme_lists_every_demo_login():
    from tests.conftest import BASE_DIR

    readme = (BASE_DIR / "README.md").read_text()
    assert demo.DEMO_PASSWORD in readme
    for email, *_ in demo.DEMO_USERS:
        assert email in readme
