"""Signing in and out, lock-out after repeated failures, and session expiry."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tests.signin import current_code

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_it_signs_in_with_email_password_and_code_and_goes_home(client, qa_lead):
    response = sign_in(client, qa_lead.email, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("second_factor") + "?next=%2F"
    response = client.post(response.url, {"code": current_code(qa_lead)})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "Quality assurance programme" in client.get(reverse("home")).text


def test_it_ignores_the_case_of_the_email_address(client, qa_lead):
    response = sign_in(client, qa_lead.email.upper(), PASSWORD)
    assert response.status_code == 302


def test_a_wrong_password_is_refused_with_a_clear_message_and_the_email_kept(client, qa_lead):
    response = sign_in(client, qa_lead.email, "not-the-password")
    assert response.status_code == 200
    assert "The email address or password is not right" in response.text
    assert f'value="{qa_lead.email}"' in response.text
    assert "govuk-error-summary" in response.text


def test_empty_fields_get_messages_beside_them(client):
    response = sign_in(client, "", "")
    assert "Enter your email address" in response.text
    assert "Enter your password" in response.text
    assert response.text.count("govuk-error-message") == 2


def test_five_wrong_passwords_lock_the_account_for_a_while(client, qa_lead, settings):
    for _ in range(4):
        assert "The email address or password is not right" in sign_in(client, qa_lead.email, "wrong-password").text
    fifth = sign_in(client, qa_lead.email, "wrong-password")
    assert fifth.status_code == 429
    assert "This account is locked for 15 minutes after 5 failed sign-in attempts" in fifth.text
    assert f'value="{qa_lead.email}"' in fifth.text

    # Locked: even the right password is refused, from any address.
    right = client.post(reverse("login"), {"username": qa_lead.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session

    # After the cool-off period the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert sign_in(client, qa_lead.email, PASSWORD).status_code == 302


def test_a_lock_out_is_per_account_not_per_office(client, qa_lead, manager):
    for _ in range(5):
        sign_in(client, qa_lead.email, "wrong-password")
    # A colleague behind the same address still signs in.
    assert sign_in(client, manager.email, PASSWORD).status_code == 302


def test_a_switched_off_account_cannot_sign_in(client, qa_lead):
    qa_lead.is_active = False
    qa_lead.save()
    response = sign_in(client, qa_lead.email, PASSWORD)
    assert response.status_code == 200
    # The same words as a wrong password: the page does not tell a stranger the account exists.
    assert "The email address or password is not right" in response.text
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session(client, qa_lead):
    client.force_login(qa_lead)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def idle_for(minutes):
    """Make the signed-in session look as if its last request came `minutes` ago. Each request
    sets the session's expiry from the moment it is made, so moving that back is waiting."""
    Session.objects.update(expire_date=F("expire_date") - timedelta(minutes=minutes))


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(client, qa_lead, settings):
    client.force_login(qa_lead)
    assert "Quality assurance programme" in client.get(reverse("home")).text
    idle_for(settings.SESSION_IDLE_MINUTES + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_session_idle_for_less_than_the_limit_stays_signed_in(client, qa_lead, settings):
    client.force_login(qa_lead)
    assert "Quality assurance programme" in client.get(reverse("home")).text
    idle_for(settings.SESSION_IDLE_MINUTES - 1)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Quality assurance programme" in response.text


def test_each_request_extends_the_session(client, qa_lead):
    client.force_login(qa_lead)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get(reverse("home"))
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=29)


def test_a_signed_in_user_visiting_sign_in_goes_home(client, qa_lead):
    client.force_login(qa_lead)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response.url == reverse("home")
