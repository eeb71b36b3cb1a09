"""Django admin is for administrators only; accounts are switched off, never deleted."""

import pytest
from django.urls import reverse

from qa_portal.models import User
from qa_portal.roles import Role
from tests.pages import heading, text_of

pytestmark = pytest.mark.django_db


def test_an_administrator_can_use_the_admin(client, administrator):
    client.force_login(administrator)
    assert heading(client.get(reverse("admin:index"))) == "Users, roles and settings"
    users = client.get(reverse("admin:qa_portal_user_changelist"))
    assert heading(users) == "Select user to change"
    assert administrator.email in text_of(users)


@pytest.mark.parametrize(
    "user_with_role",
    [
        Role.QA_LEAD,
        Role.SENIOR_LEADER,
        Role.COMMISSIONING_OFFICER,
        Role.MANAGER,
        Role.SOCIAL_WORKER,
        Role.PROVIDER_USER,
    ],
    indirect=True,
)
def test_everyone_else_is_refused_the_admin(client, user_with_role):
    client.force_login(user_with_role)
    for url in [reverse("admin:index"), reverse("admin:qa_portal_user_changelist"), reverse("admin:logout")]:
        # The portal's own 403 page at once: never sent on to the admin's sign-in page.
        response = client.get(url)
        assert response.status_code == 403, url
        assert heading(response) == "You cannot do this"
        assert "Users, roles and settings" not in response.text


def test_a_provider_user_opening_the_admin_gets_the_portals_refusal_not_a_sign_in_page(client, provider_user):
    client.force_login(provider_user)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == []
    assert response.status_code == 403
    assert heading(response) == "You cannot do this"
    assert "Your role does not allow it" in text_of(response)
    assert 'name="password"' not in response.text


def test_an_anonymous_visitor_is_sent_to_the_portals_sign_in(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_an_administrator_creates_a_provider_user_tied_to_a_provider(client, administrator, provider):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:qa_portal_user_add"),
        {
            "email": "New.Person@Example.org",
            "full_name": "New Person",
            "job_title": "Deputy manager",
            "roles": [Role.PROVIDER_USER.value],
            "provider": provider.pk,
            "is_active": "on",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new.person@example.org")
    assert user.roles == {Role.PROVIDER_USER}
    assert user.provider == provider
    assert user.check_password("a-long-enough-passphrase")


def test_a_provider_user_without_a_provider_is_refused_and_the_input_kept(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:qa_portal_user_add"),
        {
            "email": "someone@example.org",
            "full_name": "Some One",
            "roles": [Role.PROVIDER_USER.value],
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 200
    assert "Choose the provider this provider user works for." in response.text
    assert 'value="Some One"' in response.text
    assert not User.objects.filter(email="someone@example.org").exists()


def test_an_email_already_in_use_is_refused_whatever_its_case(client, administrator, qa_lead):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:qa_portal_user_add"),
        {
            "email": qa_lead.email.upper(),
            "full_name": "Copy",
            "roles": [Role.MANAGER.value],
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert "Another account already uses this email address." in response.text


def test_changing_roles_in_the_admin_changes_the_groups(client, administrator, manager):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:qa_portal_user_change", args=[manager.pk]),
        {
            "email": manager.email,
            "full_name": manager.full_name,
            "job_title": manager.job_title,
            "roles": [Role.QA_LEAD.value],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=manager.pk).roles == {Role.QA_LEAD}


def test_accounts_cannot_be_deleted(client, administrator, manager):
    client.force_login(administrator)
    assert client.get(reverse("admin:qa_portal_user_delete", args=[manager.pk])).status_code == 403
