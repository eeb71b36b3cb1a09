"""New passwords are checked against common and breached passwords and the patterns used to stretch
them (repeated or consecutive characters, a common word with digits added, the council's name), and
the published demo password is refused on a live system (DEBUG off)."""

import pytest
from django.urls import reverse

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
