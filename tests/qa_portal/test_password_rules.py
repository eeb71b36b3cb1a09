"""New passwords are checked against common and breached passwords and the patterns used to stretch
them (repeated or consecutive characters, a common word with digits added, the council's name), and
the published demo password is refused on a live system (DEBUG off)."""

import pytest
from django.urls import reverse

from qa_portal.models import User
from qa_portal.reporting import demo
from tests.factories import PASSWORD
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def change_password(client, user, new):
    client.force_login(user)
    return client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaaaa", "This password is made of repeated or consecutive characters"),
        ("passwordpassword", "This password is made of repeated or consecutive characters"),
        ("123456789012", "This password is made of repeated or consecutive characters"),
        ("qwertyuiop12", "This password is made of repeated or consecutive characters"),
        ("P@ssw0rd2026!", "This password is a common password with numbers or symbols added"),
        ("!!Sunshine2026", "This password is a common password with numbers or symbols added"),
        ("CityOfLondon2026", "This password is the name of this service or council"),
    ],
)
def test_a_guessable_password_is_refused_beside_the_field(client, qa_lead, password, message):
    response = change_password(client, qa_lead, password)
    assert response.status_code == 200
    assert message in text_of(response)
    assert "govuk-error-message" in response.text
    qa_lead.refresh_from_db()
    assert qa_lead.check_password(PASSWORD)
    # A few unrelated words are fine.
    assert change_password(client, qa_lead, "kestrel orbit lantern").status_code == 302


def test_the_published_demo_password_is_refused_on_a_live_system_but_not_in_the_demo(client, qa_lead, settings):
    assert settings.DEBUG is False  # the tests run as a live system does
    response = change_password(client, qa_lead, demo.DEMO_PASSWORD)
    assert "This password is published as the demo password, so it cannot be used." in text_of(response)

    settings.DEBUG = True  # read when the password is checked
    assert change_password(client, qa_lead, demo.DEMO_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "password",
    ["laura.dennison", "dennison1234", "Dennison-2026!", "L@URA-is-the-best", "d3nn1s0n-2026", "ldennison.work"],
)
def test_a_password_containing_the_persons_name_or_email_address_is_refused(client, qa_lead, password):
    qa_lead.email = "l.dennison@example.org"
    qa_lead.save()
    response = change_password(client, qa_lead, password)
    assert response.status_code == 200
    assert "This password contains your name or email address, so it is easy to guess." in text_of(response)
    assert f'value="{password}"' not in response.text  # a password is never echoed back
    qa_lead.refresh_from_db()
    assert qa_lead.check_password(PASSWORD)


def test_the_local_part_of_the_email_address_counts_and_short_words_do_not(client, qa_lead):
    qa_lead.email = "kestrel.al@example.org"
    qa_lead.save()
    response = change_password(client, qa_lead, "my-KESTREL-pass-2026")
    assert "This password contains your name or email address" in text_of(response)
    # "Al" has under 4 letters, so it does not count.
    assert change_password(client, qa_lead, "al orbit lantern zephyr").status_code == 302


def test_an_administrator_creating_an_account_cannot_give_it_a_password_with_its_name(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:qa_portal_user_add"),
        {
            "email": "rowan.patel@example.org",
            "full_name": "Rowan Patel",
            "password1": "patel-passphrase-2026",
            "password2": "patel-passphrase-2026",
        },
    )
    assert response.status_code == 200
    assert "This password contains your name or email address" in text_of(response)
    assert not User.objects.filter(email="rowan.patel@example.org").exists()
