"""A form whose page had gone out of date (its user signed in again in another tab, so its security
token is no longer the browser's) keeps its text: it comes back filled, never Django's bare
"CSRF verification failed" page."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from providers.models import Concern
from qa_portal.models import HeldSubmission
from tests.factories import PASSWORD
from tests.pages import form_values, heading, text_of
from tests.signin import Client, sign_in_with_client

pytestmark = pytest.mark.django_db

TYPED = {
    "source": "ofsted",
    **{"received_on_day": "01", "received_on_month": "10", "received_on_year": "2026"},  # GOV.UK date input
    "summary": "Staffing fell short at night.",
    "severity": "low",
}


@pytest.fixture
def browser_client():
    """A client that checks security tokens as the live site does."""
    return Client(enforce_csrf_checks=True)


def token_on(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def sign_in(client, user):
    sign_in_with_client(client, user)


def open_form(client, url) -> str:
    """Open the form in a tab; returns the token that tab's form will send."""
    return token_on(client.get(url))


def test_a_form_from_a_tab_left_open_while_signing_in_again_elsewhere_comes_back_filled(
    browser_client, qa_lead, provider
):
    url = reverse("providers:concern_create", args=[provider.pk])
    sign_in(browser_client, qa_lead)
    old_token = open_form(browser_client, url)
    # In another tab they are signed out for being idle and sign in again: that renews the token.
    Session.objects.all().delete()
    sign_in(browser_client, qa_lead)

    response = browser_client.post(url, {**TYPED, "csrfmiddlewaretoken": old_token})
    assert response.status_code == 302
    assert response.url.startswith(url + "?held=")
    form_page = browser_client.get(response.url)
    assert (
        "This page had gone out of date (you may have signed in again in another tab). What you typed is back in "
        "the form: check it and press “Save concern” again." in text_of(form_page)
    )
    shown = form_values(form_page, "")
    assert {name: shown.get(name) for name in TYPED} == {name: [value] for name, value in TYPED.items()}
    assert not Concern.objects.exists()

    # The page's new token works: pressing the button now saves it.
    saved = browser_client.post(url, {**shown, "csrfmiddlewaretoken": token_on(form_page)})
    assert saved.status_code == 302
    assert Concern.objects.get().summary == TYPED["summary"]


def test_an_out_of_date_form_from_a_signed_out_browser_goes_through_sign_in(browser_client, qa_lead, provider):
    url = reverse("providers:concern_create", args=[provider.pk])
    sign_in(browser_client, qa_lead)
    old_token = open_form(browser_client, url)
    Session.objects.all().delete()
    browser_client.get(reverse("login"))
    browser_client.cookies["csrftoken"] = "renewed-elsewhere-renewed-elsew"  # the browser's token moved on

    response = browser_client.post(url, {**TYPED, "csrfmiddlewaretoken": old_token})
    assert response.url.startswith(reverse("login") + "?next=")
    sign_in_page = browser_client.get(response.url)
    assert "What you typed has been kept: sign in and it will be put back in the form" in text_of(sign_in_page)
    landed = sign_in_with_client(browser_client, qa_lead, query=urlsplit(response.url).query)
    form_page = browser_client.get(landed.url)
    assert "We kept what you typed before you were signed out" in text_of(form_page)
    assert form_values(form_page, "")["summary"] == [TYPED["summary"]]


def test_when_nothing_can_be_kept_it_is_a_portal_page_not_djangos(browser_client, provider):
    response = browser_client.post(reverse("providers:concern_create", args=[provider.pk]), TYPED)
    assert response.status_code == 403
    assert heading(response) == "This page had gone out of date"
    assert "CSRF verification failed" not in response.text
    assert 'class="govuk-template"' in response.text
    assert not HeldSubmission.objects.exists()


def test_a_form_posted_from_another_site_is_never_held(browser_client, qa_lead, provider):
    url = reverse("providers:concern_create", args=[provider.pk])
    sign_in(browser_client, qa_lead)
    response = browser_client.post(url, TYPED, HTTP_ORIGIN="https://elsewhere.example.org")
    assert response.status_code == 403
    assert heading(response) == "This page had gone out of date"
    assert not HeldSubmission.objects.exists()


def test_an_out_of_date_sign_in_page_asks_to_sign_in_again_and_keeps_no_password(browser_client, qa_lead):
    old_token = token_on(browser_client.get(reverse("login")))
    browser_client.cookies["csrftoken"] = "renewed-elsewhere-renewed-elsew"
    response = browser_client.post(
        reverse("login"), {"username": qa_lead.email, "password": PASSWORD, "csrfmiddlewaretoken": old_token}
    )
    assert response.status_code == 403
    assert re.search(r'<a class="govuk-link" href="/sign-in/">Sign in again</a>', response.text)
    assert not HeldSubmission.objects.exists()
