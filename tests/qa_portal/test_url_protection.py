"""Every named URL sends an anonymous visitor to sign in, so no new page can slip out unprotected.

The list is generated from the URL patterns themselves: a page added later is covered
without anyone remembering to add it here.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from tests.pages import heading

pytestmark = pytest.mark.django_db

# Pages that must work signed out. Everything else must redirect to sign-in.
PUBLIC = {
    "login",
    "logout",  # POST only; signing out when signed out is harmless
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "accessibility",  # required to be public by the accessibility regulations
    "csp_report",  # browsers report policy violations from any page, the sign-in page included
    # Signing in with the council's account (404 unless OIDC is set up: tests/qa_portal/test_council_sign_in.py).
    "council_sign_in",
    "oidc_authentication_callback",
}

# Endpoints a page's script posts to in the background: a signed-out browser is answered 401 with
# JSON saying so (the page then tells its user), not sent to the sign-in page.
SIGNED_OUT_JSON = {
    "visits:autosave",
    # Passkeys (qa_portal.views.passkeys): adding one on "Your account", using one on the code page.
    "passkey_add_begin",
    "passkey_add_complete",
    "passkey_sign_in_begin",
    "passkey_sign_in_complete",
}

SAMPLE_VALUES = {"int": "1", "str": "x", "slug": "x", "uuid": str(uuid.uuid4()), "path": "x/y"}


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, child_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def sample_url(name, pattern):
    """Reverse the pattern with made-up arguments of the right shape."""
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {
        key: SAMPLE_VALUES.get(type(conv).__name__.replace("Converter", "").lower(), "1")
        for key, conv in converters.items()
    }
    if not converters:
        groups = re.findall(r"\(\?P<(\w+)>", str(pattern.pattern))
        for candidates in (["qa_portal", "1"], ["providers", "1"], ["1", "1"]):
            try:
                return reverse(name, kwargs={g: candidates[min(i, 1)] for i, g in enumerate(groups)})
            except NoReverseMatch:
                continue
    return reverse(name, kwargs=kwargs)


PROTECTED = sorted((name, pattern) for name, pattern in named_patterns() if name not in PUBLIC | SIGNED_OUT_JSON)


def test_the_generated_list_covers_the_portal_and_the_admin():
    names = {name for name, _ in PROTECTED}
    assert "home" in names
    assert "admin:index" in names
    assert len(names) > 20


@pytest.mark.parametrize(("name", "pattern"), PROTECTED, ids=[name for name, _ in PROTECTED])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, name, pattern):
    url = sample_url(name, pattern)
    response = client.get(url)
    hops = 0
    while response.status_code in (301, 302) and not response.url.startswith(reverse("login")) and hops < 3:
        response = client.get(response.url)
        hops += 1
    assert response.status_code == 302, f"{name} ({url}) answered {response.status_code} to an anonymous visitor"
    assert response.url.startswith(reverse("login") + "?next="), f"{name} ({url}) redirected to {response.url}"


PUBLIC_HEADINGS = {
    "login": "Sign in to QA Portal",
    "password_reset": "Reset your password",
    "password_reset_done": "Check your email",
    "password_reset_complete": "Password saved",
    "accessibility": "Accessibility statement for QA Portal",
}


@pytest.mark.parametrize("name", sorted(PUBLIC_HEADINGS))
def test_public_pages_show_themselves_without_signing_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert heading(response) == PUBLIC_HEADINGS[name]


def test_the_health_check_answers_without_signing_in(client):
    response = client.get(reverse("healthz"))  # 503 here: no worker runs in this test
    assert response.json()["checks"]["database"] == "ok"


def test_every_public_page_is_checked():
    not_pages = {
        "logout",
        "password_reset_confirm",
        "healthz",
        "csp_report",
        "council_sign_in",
        "oidc_authentication_callback",
    }
    assert PUBLIC - not_pages == set(PUBLIC_HEADINGS)


@pytest.mark.parametrize("name", sorted(SIGNED_OUT_JSON))
def test_a_background_save_tells_a_signed_out_browser_so(client, name):
    pattern = dict(named_patterns())[name]
    response = client.post(sample_url(name, pattern), "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["signed_out"] is True
