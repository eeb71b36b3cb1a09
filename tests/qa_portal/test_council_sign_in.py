"""Staff sign in with the council's account over OpenID Connect, against a real OpenID provider
(oidc-provider-mock) started on a loopback port: the portal finds the active council account with
the email address the provider gives, asks no code of its own, and refuses provider users, unknown
addresses and switched-off accounts with a message on the sign-in page."""

from urllib.parse import urlsplit

import httpx
import pytest
from django.urls import reverse
from oidc_provider_mock import run_server_in_thread

from tests.pages import heading, text_of

pytestmark = pytest.mark.django_db

BUTTON = "Sign in with your Harbour Council account"


def use_council_provider(settings, base: str) -> None:
    """Point the portal at the OpenID provider at `base`, with the endpoints it publishes."""
    published = httpx.get(f"{base}/.well-known/openid-configuration").json()
    settings.OIDC_RP_CLIENT_ID = "qa-portal"
    settings.OIDC_RP_CLIENT_SECRET = "qa-portal-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = published["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = published["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = published["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = published["jwks_uri"]
    settings.OIDC_PROVIDER_NAME = "Harbour Council"


@pytest.fixture
def council_provider(settings):
    """The council's identity provider: a real OpenID provider on a free loopback port."""
    with run_server_in_thread() as server:
        base = f"http://localhost:{server.server_port}"
        use_council_provider(settings, base)
        yield base


def sign_in_at_council(client, email: str, *, query: str = "", action: str | None = None):
    """Press the button, sign in at the council's provider as `email` (this provider asks only who
    you are), and come back: returns the portal's answer to the provider's redirect."""
    start = client.get(reverse("council_sign_in") + (f"?{query}" if query else ""))
    assert start.status_code == 302
    data = {"action": action} if action else {"sub": email}
    at_provider = httpx.post(start.url, data=data)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["location"])
    assert back.path == reverse("oidc_authentication_callback")
    return client.get(f"{back.path}?{back.query}")


def test_the_sign_in_page_offers_the_council_account(client, council_provider):
    page = client.get(reverse("login") + "?next=/providers/")
    assert BUTTON in text_of(page)
    assert 'href="/sign-in/council/?next=/providers/"' in page.text


def test_a_staff_member_signs_in_with_the_council_account_and_no_code(client, council_provider, qa_lead):
    landed = sign_in_at_council(client, qa_lead.email.upper())
    assert landed.status_code == 302
    assert landed.url == "/"
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Quality assurance programme" in text_of(home)
    assert f"Signed in as {qa_lead.full_name}" in text_of(home)


def test_an_administrator_reaches_the_admin_through_the_council_account(client, council_provider, administrator):
    sign_in_at_council(client, administrator.email)
    assert heading(client.get(reverse("admin:index"))) == "Users, roles and settings"


def test_it_goes_on_to_where_sign_in_was_leading(client, council_provider, manager, provider):
    target = reverse("providers:provider_detail", args=[provider.pk])
    landed = sign_in_at_council(client, manager.email, query=f"next={target}")
    assert landed.url == target


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("provider_user", "Provider users sign in with their email address and password, not a council account."),
        ("stranger", "There is no QA Portal account for stranger@example.org. Ask your administrator to set one up"),
        ("switched_off", "This account has been switched off. Ask your administrator to switch it back on."),
    ],
)
def test_only_an_active_council_account_may_sign_in_this_way(client, council_provider, request, who, message):
    if who == "stranger":
        email = "stranger@example.org"
    elif who == "provider_user":
        email = request.getfixturevalue("provider_user").email
    else:
        user = request.getfixturevalue("social_worker")
        user.is_active = False
        user.save()
        email = user.email
    refused = sign_in_at_council(client, email)
    assert refused.status_code == 302
    assert refused.url == reverse("login")
    page = client.get(refused.url)
    assert message in text_of(page)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_saying_no_at_the_council_provider_comes_back_to_sign_in(client, council_provider, qa_lead):
    refused = sign_in_at_council(client, qa_lead.email, action="deny")
    assert "Signing in with your council account did not work" in text_of(client.get(refused.url))
    assert "_auth_user_id" not in client.session


def test_a_council_provider_that_has_gone_away_is_a_message_not_an_error(client, settings, qa_lead):
    with run_server_in_thread() as server:
        use_council_provider(settings, f"http://localhost:{server.server_port}")
        start = client.get(reverse("council_sign_in"))
        back = urlsplit(httpx.post(start.url, data={"sub": qa_lead.email}).headers["location"])
    # The provider stops before the portal can exchange the code for the person's details.
    refused = client.get(f"{back.path}?{back.query}")
    assert refused.url == reverse("login")
    assert "Signing in with your council account did not work" in text_of(client.get(refused.url))


def test_without_the_settings_there_is_no_council_sign_in(client, qa_lead):
    assert "Sign in with your" not in text_of(client.get(reverse("login")))
    assert client.get(reverse("council_sign_in")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback") + "?code=x&state=y").status_code == 404
