"""Signing in as a person does, in tests: the password, then the 6-digit code their authenticator app
shows (computed here from the key of the app they set up; every UserFactory user has one).

- `sign_in(page, user)`: in a Playwright page, through the sign-in and code pages
  (`sign_in_on_this_page` from the sign-in page the browser is on).
- `sign_in_with_client(client, user)`: the same with Django's test client.
- `Client`: Django's test client whose `force_login` also counts the second factor as given, as it is
  after a real sign-in; conftest's `client` fixture is one.
"""

import re
from urllib.parse import urlsplit

import django.test
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from qa_portal.models import User
from tests.factories import PASSWORD


def _user(user_or_email) -> User:
    if isinstance(user_or_email, User):
        return user_or_email
    return User.objects.get(email__iexact=user_or_email)


def authenticator(user) -> TOTPDevice:
    """The user's authenticator app: the one they set up, or one set up now."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_from(device: TOTPDevice) -> str:
    """The code the app would show that the portal will accept next: each code is good once, so a
    second sign-in within the same 30 seconds uses the next one (the portal allows one step ahead)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    totp.drift += max(now, device.last_t + 1) - now
    return f"{totp.token():0{device.digits}d}"


def current_code(user_or_email) -> str:
    """The code `user`'s authenticator app shows now (or the next one, if this one was used)."""
    return code_from(authenticator(_user(user_or_email)))


def sign_in(page, user_or_email, password=PASSWORD):
    """Signs in through the pages from the home page, as a person does: the email address and
    password, then the code from their app if the portal asks for it. With a wrong password it stops
    on the sign-in page showing the error."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    sign_in_on_this_page(page, user_or_email, password)


def sign_in_on_this_page(page, user_or_email, password=PASSWORD):
    """On the sign-in page the browser shows (wherever it leads), signs in as `sign_in` does."""
    email = user_or_email.email if isinstance(user_or_email, User) else user_or_email
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    if urlsplit(page.url).path == reverse("second_factor"):
        enter_code(page, current_code(email))


def enter_code(page, code: str):
    page.get_by_label("Code from your authenticator app").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def _token_on(response) -> dict:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    return {"csrfmiddlewaretoken": found.group(1)} if found else {}


def sign_in_with_client(client, user, password=PASSWORD, *, query: str = ""):
    """Signs in on the sign-in page (with `?query` such as "next=/x/"), then enters the code from
    the user's app. Returns the last answer: a redirect to where sign-in leads. Works with a client
    that checks security tokens too."""
    url = reverse("login") + (f"?{query}" if query else "")
    token = _token_on(client.get(url))
    response = client.post(url, {"username": user.email, "password": password, **token})
    assert response.status_code == 302, response.content.decode()[:2000]
    if urlsplit(response.url).path == reverse("second_factor"):
        token = _token_on(client.get(response.url))
        response = client.post(response.url, {"code": current_code(user), **token})
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


class Client(django.test.Client):
    """Django's test client; `force_login(user)` signs in with the second factor given too (the
    user's authenticator app, set up now if they had none), as a real sign-in leaves the session."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session.save()
