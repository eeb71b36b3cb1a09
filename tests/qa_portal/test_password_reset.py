"""Password reset by email, sent through a real SMTP server."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.pages import text_of
from tests.signin import sign_in_with_client

pytestmark = pytest.mark.django_db


def test_a_reset_link_is_emailed_and_lets_the_user_choose_a_new_password(client, qa_lead, smtp_server):
    response = client.post(reverse("password_reset"), {"email": qa_lead.email.upper()})
    assert response.status_code == 302
    assert "Check your email" in client.get(response.url).text

    [message] = smtp_server.wait_for(1)
    assert message["To"] == qa_lead.email
    assert message["Subject"] == "Choose a new password for QA Portal"
    body = message.get_content()
    link = re.search(r"http://testserver(/password-reset/\S+/)", body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    new_password = "a-much-better-passphrase"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    qa_lead.refresh_from_db()
    assert qa_lead.check_password(new_password)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, smtp_server):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert smtp_server.wait_for(1, timeout=0.5) == []


def test_a_weak_new_password_is_refused_beside_the_field(client, qa_lead, smtp_server):
    client.post(reverse("password_reset"), {"email": qa_lead.email})
    link = re.search(r"http://testserver(/password-reset/\S+/)", smtp_server.wait_for(1)[0].get_content()).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert "This password is too short" in response.text
    assert "govuk-error-message" in response.text


def test_an_empty_email_gets_a_message(client):
    response = client.post(reverse("password_reset"), {"email": ""})
    assert "Enter your email address" in response.text


def test_a_reset_unlocks_an_account_locked_after_failed_sign_ins_and_says_so(client, qa_lead, smtp_server):
    for _ in range(5):
        client.post(reverse("login"), {"username": qa_lead.email, "password": "wrong-password"})
    locked = client.post(reverse("login"), {"username": qa_lead.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Try again later, or reset your password" in text_of(locked)

    client.post(reverse("password_reset"), {"email": qa_lead.email})
    link = re.search(r"http://testserver(/password-reset/\S+/)", smtp_server.wait_for(1)[0].get_content()).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "a-much-better-passphrase"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password}, follow=True)
    assert "Your account is unlocked" in text_of(done)
    assert "you can sign in again straight away" in text_of(done)

    assert sign_in_with_client(client, qa_lead, new_password).url == "/"
