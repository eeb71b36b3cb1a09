"""'Stay signed in' extends the session; every signed-in response says how long the session now lasts."""

from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def session_ends(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_staying_signed_in_extends_a_session_about_to_end(client, qa_lead, settings):
    client.force_login(qa_lead)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=30)
    )

    response = client.post(reverse("session_extend"))

    assert response.status_code == 200
    assert response.json()["expires_in"] == settings.SESSION_COOKIE_AGE
    ends = session_ends(client)
    assert ends > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert abs(datetime.fromisoformat(response.json()["expires_at"]) - ends) < timedelta(seconds=5)


def test_staying_signed_in_needs_a_post(client, qa_lead):
    client.force_login(qa_lead)
    assert client.get(reverse("session_extend")).status_code == 405


def test_staying_signed_in_after_the_session_ended_sends_to_sign_in(client):
    response = client.post(reverse("session_extend"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_every_signed_in_page_says_how_long_the_session_lasts(client, qa_lead, settings):
    settings.SESSION_COOKIE_AGE = 600
    client.force_login(qa_lead)
    response = client.get(reverse("home"))
    assert response.headers["Server-Timing"] == "session;dur=600000"
    assert 'data-idle-seconds="600"' in response.content.decode()

    # Signed out, there is no session to tell of and no warning.
    client.post(reverse("logout"))
    response = client.get(reverse("login"))
    assert "Server-Timing" not in response.headers
    assert "You're about to be signed out" not in response.content.decode()


@pytest.mark.parametrize(("idle_seconds", "warning", "warned_at"), [(60, 120, 30), (1800, 120, 120), (1800, 1200, 900)])
def test_the_warning_comes_no_earlier_than_half_way_through_the_idle_limit(
    client, qa_lead, settings, idle_seconds, warning, warned_at
):
    # With a one-minute idle limit and a two-minute warning, the dialog would open at once, and
    # again as soon as "Stay signed in" was pressed.
    settings.SESSION_COOKIE_AGE = idle_seconds
    settings.SESSION_TIMEOUT_WARNING_SECONDS = warning
    client.force_login(qa_lead)
    page = client.get(reverse("visits:visit_list")).text
    assert f'data-warning-seconds="{warned_at}"' in page
    assert "sign you out in <strong" in page and f">{warned_at} seconds</strong>" in page
