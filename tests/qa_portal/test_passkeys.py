"""Passkeys as a second factor beside the authenticator app (qa_portal.passkeys): "Your account" offers
to add one; the code page offers one to someone who has; their addresses answer a signed-in person,
and refuse a signed-out browser or someone who has given only their password; each person removes
only their own; the admin shows none of their data and its reset removes them. Making and using a real
passkey is in tests/browser/test_passkeys.py (Chromium's virtual authenticator)."""

import json
import re
from base64 import urlsafe_b64encode

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from qa_portal.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.pages import heading, text_of
from tests.signin import Client

pytestmark = pytest.mark.django_db

SCRIPTS = ("js/passkey-wording.js", "js/passkeys.js")


def passkey_of(user, number=1) -> WebAuthnCredential:
    """A passkey as django-otp-webauthn keeps one (its keys are not used here)."""
    return WebAuthnCredential.objects.create(
        user=user,
        name=f"Passkey {number}",
        confirmed=True,
        credential_id=bytes([number]) * 16,
        public_key=b"\xa5" + bytes(10),
        aaguid="00000000-0000-0000-0000-000000000000",
    )


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def enter_password(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def post_json(client, name, body=None):
    return client.post(reverse(name), json.dumps(body or {}), content_type="application/json")


def config_on(response) -> dict:
    found = re.search(r'<script id="otp_webauthn_config" type="application/json">(.*?)</script>', response.text)
    assert found, "no passkey settings on the page"
    return json.loads(found.group(1))


def scripts_on(response) -> list[str]:
    return re.findall(r"<script\b([^>]*)>", response.text)


def test_your_account_offers_to_add_a_passkey_with_no_inline_script(client, qa_lead):
    client.force_login(qa_lead)
    page = client.get(reverse("account_security"))
    assert "You have not added a passkey." in text_of(page)
    assert 'id="passkey-register-button"' in page.text
    assert ">Add a passkey</button>" in page.text
    assert config_on(page)["beginRegistrationUrl"] == reverse("passkey_add_begin")
    # Every script is a file of the portal's (the settings are JSON data, which never runs).
    for attributes in scripts_on(page):
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes, attributes
    assert 'src="/static/django_otp_webauthn/otp_webauthn_register.js"' in page.text
    assert all(f'src="/static/{script}"' in page.text for script in SCRIPTS)


def test_the_package_scripts_are_among_the_portals_static_files():
    for path in ("django_otp_webauthn/otp_webauthn_register.js", "django_otp_webauthn/otp_webauthn_auth.js", *SCRIPTS):
        assert finders.find(path), path


def test_your_account_lists_your_passkeys_only(client, qa_lead, manager):
    passkey_of(qa_lead, 1)
    passkey_of(manager, 2)
    client.force_login(qa_lead)
    text = text_of(client.get(reverse("account_security")))
    assert "Passkey 1" in text
    assert "Passkey 2" not in text


def test_adding_a_passkey_begins_for_a_signed_in_person(client, qa_lead):
    passkey_of(qa_lead)
    client.force_login(qa_lead)
    response = post_json(client, "passkey_add_begin")
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"name": "QA Portal (City of London Corporation)", "id": "testserver"}
    assert options["user"]["name"] == qa_lead.email
    assert options["challenge"]
    # The passkey they have already is not made again.
    assert [cred["id"] for cred in options["excludeCredentials"]] == [b64url(bytes([1]) * 16)]


def test_adding_a_passkey_is_refused_to_a_signed_out_browser(client):
    response = post_json(client, "passkey_add_begin")
    assert response.status_code == 401
    assert response.json()["signed_out"] is True
    assert post_json(client, "passkey_add_complete").status_code == 401


def test_adding_a_passkey_is_refused_on_the_password_alone(client, qa_lead):
    enter_password(client, qa_lead)
    response = post_json(client, "passkey_add_begin")
    assert response.status_code == 403
    assert response.json()["detail"] == "Enter the code from your authenticator app before you add a passkey."


def test_adding_a_passkey_needs_the_pages_security_token(qa_lead):
    client = Client(enforce_csrf_checks=True)
    client.force_login(qa_lead)
    page = client.get(reverse("account_security"))
    assert post_json(client, "passkey_add_begin").status_code == 403
    token = config_on(page)["csrfToken"]
    response = client.post(reverse("passkey_add_begin"), "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_an_account_has_at_most_ten_passkeys(client, qa_lead):
    for number in range(1, 11):
        passkey_of(qa_lead, number)
    client.force_login(qa_lead)
    assert "the most an account may have" in text_of(client.get(reverse("account_security")))
    response = post_json(client, "passkey_add_begin")
    assert response.status_code == 403
    assert "the most an account may have" in response.json()["detail"]


def test_the_code_page_offers_a_passkey_to_someone_who_has_added_one(client, qa_lead):
    passkey_of(qa_lead)
    page = client.get(enter_password(client, qa_lead).url)
    assert heading(page) == "Enter the 6-digit code from your authenticator app"
    assert "Or use a passkey" in text_of(page)
    assert ">Use a passkey</button>" in page.text
    assert config_on(page)["beginAuthenticationUrl"] == reverse("passkey_sign_in_begin")
    assert 'src="/static/django_otp_webauthn/otp_webauthn_auth.js"' in page.text
    for attributes in scripts_on(page):
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes, attributes


def test_the_code_page_offers_no_passkey_to_someone_without_one(client, qa_lead):
    page = client.get(enter_password(client, qa_lead).url)
    assert "passkey" not in text_of(page).lower()
    assert "otp_webauthn" not in page.text


def test_signing_in_with_a_passkey_asks_for_their_own_passkeys_only(client, qa_lead, manager):
    passkey_of(qa_lead, 1)
    passkey_of(manager, 2)
    enter_password(client, qa_lead)
    response = post_json(client, "passkey_sign_in_begin")
    assert response.status_code == 200
    assert [cred["id"] for cred in response.json()["allowCredentials"]] == [b64url(bytes([1]) * 16)]
    assert response.json()["rpId"] == "testserver"


def test_signing_in_with_a_passkey_needs_the_password_first(client, qa_lead):
    passkey_of(qa_lead)
    response = post_json(client, "passkey_sign_in_begin")
    assert response.status_code == 401
    assert response.json()["signed_out"] is True


def test_a_passkey_answer_without_a_beginning_signs_nobody_in(client, qa_lead):
    passkey_of(qa_lead)
    enter_password(client, qa_lead)
    response = post_json(client, "passkey_sign_in_complete", {"id": b64url(bytes([1]) * 16)})
    assert response.status_code == 400
    assert client.get(reverse("home")).status_code == 302  # still on the code page


def test_a_locked_account_cannot_sign_in_with_a_passkey(client, settings, qa_lead):
    passkey_of(qa_lead)
    enter_password(client, qa_lead)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("second_factor"), {"code": "000000"})
    AccessAttempt.objects.update(failures_since_start=settings.AXES_FAILURE_LIMIT)
    response = post_json(client, "passkey_sign_in_begin")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Your account is locked")
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_someone_with_a_passkey_and_only_the_password_cannot_set_up_an_app(client, provider):
    user = UserFactory(role=Role.PROVIDER_USER, provider=provider, authenticator=False)
    passkey_of(user)
    enter_password(client, user)
    response = client.get(reverse("second_factor_set_up"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("second_factor") + "?next=")
    page = client.get(response.url)
    assert heading(page) == "Use your passkey"
    assert ">Use a passkey</button>" in page.text


def test_a_person_removes_their_own_passkey_and_no_one_elses(client, qa_lead, manager):
    own, others = passkey_of(qa_lead, 1), passkey_of(manager, 2)
    client.force_login(qa_lead)
    assert client.post(reverse("passkey_remove"), {"passkey": others.pk}).status_code == 404
    assert client.post(reverse("passkey_remove"), {"passkey": "1e9"}).status_code == 404
    assert client.post(reverse("passkey_remove"), {"passkey": "9" * 40}).status_code == 404
    removed = client.post(reverse("passkey_remove"), {"passkey": own.pk}, follow=True)
    assert "Passkey removed" in text_of(removed)
    assert list(WebAuthnCredential.objects.all()) == [others]


def test_the_admin_offers_no_passkey_pages_and_its_reset_removes_them(client, administrator, manager):
    passkey_of(manager)
    for model in WebAuthnCredential._meta.apps.get_app_config("django_otp_webauthn").get_models():
        assert not admin.site.is_registered(model), model
    client.force_login(administrator)
    index = client.get(reverse("admin:index"))
    assert "webauthn" not in index.text.lower()
    change = client.get(reverse("admin:qa_portal_user_change", args=[manager.pk]))
    assert "1 passkey" in text_of(change)
    client.post(
        reverse("admin:qa_portal_user_changelist"), {"action": "reset_second_factor", "_selected_action": [manager.pk]}
    )
    assert not WebAuthnCredential.objects.filter(user=manager).exists()
