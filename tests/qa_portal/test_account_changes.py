"""Role and permission changes are recorded with the values before and after: in the admin's history
of the account, and in the list of role and permission changes that administrators see."""

import html

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from qa_portal.models import AccountChange, User
from qa_portal.roles import Role, sync_roles
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def change_account(client, account, **values):
    data = {
        "email": account.email,
        "full_name": account.full_name,
        "job_title": account.job_title,
        "roles": [role.value for role in account.roles],
        "is_active": "on",
    }
    data.update(values)
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(reverse("admin:qa_portal_user_change", args=[account.pk]), data)


def test_a_role_change_is_recorded_with_the_roles_before_and_after(client, administrator, manager):
    client.force_login(administrator)
    assert change_account(client, manager, roles=[Role.QA_LEAD.value]).status_code == 302

    [change] = AccountChange.objects.filter(account=manager)
    assert (change.what, change.before, change.after) == ("Roles", "Manager", "QA lead")
    assert (change.by, change.how) == (administrator, AccountChange.How.ADMIN)
    # The admin's own history of the account says what changed, not just "Changed roles".
    entry = LogEntry.objects.get(object_id=str(manager.pk))
    assert entry.get_change_message() == "Roles: Manager → QA lead."
    history = text_of(client.get(reverse("admin:qa_portal_user_history", args=[manager.pk])))
    assert "Roles: Manager → QA lead." in history


def test_switching_an_account_off_and_its_other_details_are_said_together(client, administrator, manager):
    client.force_login(administrator)
    change_account(client, manager, is_active=None, job_title="Head of Service", roles=[])

    changes = {c.what: (c.before, c.after) for c in AccountChange.objects.filter(account=manager)}
    assert changes == {"Roles": ("Manager", ""), "Active": ("Yes", "No")}
    entry = LogEntry.objects.get(object_id=str(manager.pk))
    assert entry.get_change_message() == "Roles: Manager → (none); Active: Yes → No; Changed job title."


def test_a_change_of_nothing_that_grants_access_records_nothing(client, administrator, manager):
    client.force_login(administrator)
    change_account(client, manager, full_name="Priya Shah-Jones")
    assert not AccountChange.objects.filter(account=manager).exists()
    assert LogEntry.objects.get(object_id=str(manager.pk)).get_change_message() == "Changed Full name."


def test_a_new_account_is_recorded_with_its_roles(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:qa_portal_user_add"),
        {
            "email": "new.lead@example.org",
            "full_name": "Nia Evans",
            "job_title": "QA lead",
            "roles": [Role.QA_LEAD.value],
            "is_active": "on",
            "password1": "a long enough pass phrase",
            "password2": "a long enough pass phrase",
        },
    )
    assert response.status_code == 302
    account = User.objects.get(email="new.lead@example.org")
    changes = {c.what: (c.before, c.after) for c in AccountChange.objects.filter(account=account)}
    assert changes == {"Email address": ("", "new.lead@example.org"), "Roles": ("", "QA lead"), "Active": ("", "Yes")}


def test_administrators_see_the_changes_before_and_after(client, administrator, manager, qa_lead):
    client.force_login(administrator)
    change_account(client, manager, roles=[Role.SOCIAL_WORKER.value])
    page = html.unescape(client.get(reverse("admin:qa_portal_accountchange_changelist")).text)
    assert "Manager" in page and "Social worker" in page and "Alex Morgan" in page
    client.force_login(qa_lead)
    assert client.get(reverse("admin:qa_portal_accountchange_changelist"), follow=True).status_code == 403


def test_a_roles_permissions_brought_up_to_date_are_recorded_before_and_after():
    group = Group.objects.get(name=Role.MANAGER.label)
    stray = Permission.objects.get(codename="view_youngperson")
    group.permissions.add(stray)
    group.permissions.remove(Permission.objects.get(codename="view_concern"))
    AccountChange.objects.all().delete()  # those of the test database's first roles update

    sync_roles()

    [change] = AccountChange.objects.all()
    assert change.group == group
    assert change.what == "Permissions" and change.how == AccountChange.How.ROLES_UPDATE and change.by is None
    assert "providers.view_youngperson" in change.before and "providers.view_youngperson" not in change.after
    assert "providers.view_concern" not in change.before and "providers.view_concern" in change.after
    sync_roles()  # nothing to change: nothing recorded
    assert AccountChange.objects.filter(group=group).count() == 1


def test_a_superuser_made_from_the_command_line_is_recorded(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough pass phrase")
    call_command("createsuperuser", "--noinput", email="root@example.org", full_name="Root", verbosity=0)
    account = User.objects.get(email="root@example.org")
    changes = {c.what: (c.before, c.after, c.how) for c in AccountChange.objects.filter(account=account)}
    assert changes["Superuser"] == ("", "Yes", AccountChange.How.COMMAND)
