"""A session ends 12 hours (SESSION_ABSOLUTE_HOURS) after sign-in however busy it is: the next request
is signed out and sent to sign in, told why; a form posted then is held and given back like one
posted after the idle limit; and the page's timeout warning counts down to whichever end is sooner.

Time is moved on by writing an earlier sign-in time into the session, as if the person had signed
in that long ago."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Concern
from qa_portal.session_lifetime import SIGNED_IN_AT
from tests.pages import form_values, text_of
from tests.qa_portal.test_held_submissions import come_back, sign_in

pytestmark = pytest.mark.django_db

SIGNED_OUT = "For your security, you are signed out 12 hours after signing in."


def signed_in_ago(client, **ago):
    """Move the session's sign-in back by `ago` (timedelta arguments)."""
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - timedelta(**ago)).timestamp()
    session.save()


def test_a_busy_session_ends_12_hours_after_sign_in(client, qa_lead):
    sign_in(client, qa_lead)
    signed_in_ago(client, hours=11, minutes=59)
    assert client.get(reverse("home")).status_code == 200  # still in, and the request did not reset it

    signed_in_ago(client, hours=12, seconds=1)
    response = client.get(reverse("providers:provider_list"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/providers/"
    sign_in_page = client.get(response.url)
    assert f"{SIGNED_OUT} Sign in to go back to the page you were on." in text_of(sign_in_page)
    # Signed out for good, not only for that request.
    assert client.get(reverse("home")).status_code == 302


def test_signing_in_again_starts_a_new_12_hours(client, qa_lead):
    sign_in(client, qa_lead)
    signed_in_ago(client, hours=13)
    to_sign_in = client.get(reverse("home"))
    assert SIGNED_OUT in text_of(client.get(to_sign_in.url))

    sign_in(client, qa_lead, to_sign_in.url)
    assert client.get(reverse("home")).status_code == 200
    assert client.session[SIGNED_IN_AT] > (timezone.now() - timedelta(minutes=1)).timestamp()
    # The sign-in page no longer says they were signed out.
    client.logout()
    assert SIGNED_OUT not in text_of(client.get(reverse("login")))


def test_the_limit_can_be_changed(client, qa_lead, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 8 * 60 * 60
    sign_in(client, qa_lead)
    signed_in_ago(client, hours=8, seconds=1)
    to_sign_in = client.get(reverse("home"))
    assert "For your security, you are signed out 8 hours after signing in." in text_of(client.get(to_sign_in.url))


def test_a_form_posted_after_the_limit_is_held_and_given_back(client, qa_lead, provider):
    url = reverse("providers:concern_create", args=[provider.pk])
    typed = {
        "source": "ofsted",
        "received_on": f"{timezone.localdate():%d/%m/%Y}",
        "setting": "",
        "summary": "Two young people went missing overnight.",
        "severity": "high",
    }
    sign_in(client, qa_lead)
    assert client.get(url).status_code == 200
    signed_in_ago(client, hours=12, minutes=5)
    to_sign_in = client.post(url, typed)
    assert to_sign_in.status_code == 302
    assert to_sign_in.url.startswith(reverse("login") + "?next=")
    assert not Concern.objects.exists()

    sign_in_page, form_page = come_back(client, qa_lead, to_sign_in)
    assert (
        f"{SIGNED_OUT} What you typed has been kept: sign in and it will be put back in the form for you to "
        "check and save." in text_of(sign_in_page)
    )
    assert urlsplit(form_page.wsgi_request.get_full_path()).path == url
    assert "Check it, then press “Save concern” to save it." in text_of(form_page)
    assert form_values(form_page, "")["summary"] == [typed["summary"]]
    assert not Concern.objects.exists()


def test_the_page_is_told_the_sooner_end_and_that_it_is_final(client, qa_lead, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    sign_in(client, qa_lead)
    signed_in_ago(client, hours=11)
    assert client.get(reverse("home")).headers["Server-Timing"] == "session;dur=1800000"

    signed_in_ago(client, hours=11, minutes=50)  # 10 minutes left, fewer than the idle 30
    timing = client.get(reverse("home")).headers["Server-Timing"]
    milliseconds = int(timing.removeprefix("session;dur=").removesuffix(';desc="final"'))
    assert timing.endswith(';desc="final"')
    assert 598_000 <= milliseconds <= 600_000

    stay = client.post(reverse("session_extend")).json()
    assert stay["final"] is True
    assert 598 <= stay["expires_in"] <= 600


def test_a_session_from_before_the_limit_gets_the_whole_lifetime_from_now(client, qa_lead):
    sign_in(client, qa_lead)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert client.session[SIGNED_IN_AT] > (timezone.now() - timedelta(minutes=1)).timestamp()
