"""After the password, a code from an authenticator app (or a recovery code): no page, the admin
included, opens on the password alone; the first sign-in sets the app up and shows ten recovery codes
once; each code works once; wrong codes lock the account like wrong passwords."""

import os
import re
import subprocess
import sys
from base64 import b32decode
from datetime import timedelta
from urllib.parse import unquote

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qa_portal import second_factor
from qa_portal.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.pages import heading, text_of
from tests.signin import Client, current_code, sign_in_with_client

pytestmark = pytest.mark.django_db

CODE_PAGE = "Enter the 6-digit code from your authenticator app"


def enter_password(client, user, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, text_of(response)
    return response


def code_page_url(next_url="/"):
    return reverse("second_factor") + "?next=" + next_url.replace("/", "%2F")


def test_an_administrators_password_alone_opens_no_page_and_not_the_admin(client, administrator):
    response = enter_password(client, administrator)
    assert response.url == code_page_url()
    for name in ("home", "admin:index", "admin:qa_portal_user_changelist", "notifications", "password_change"):
        page = client.get(reverse(name))
        assert page.status_code == 302, name
        assert page.url.startswith(reverse("second_factor") + "?next="), name
    code_page = client.get(response.url)
    assert heading(code_page) == CODE_PAGE
    # Nothing on the page leads into the portal; signing out does.
    assert "Notifications" not in text_of(code_page)
    assert 'action="/sign-out/"' in code_page.text

    client.post(response.url, {"code": current_code(administrator)})
    assert heading(client.get(reverse("admin:index"))) == "Users, roles and settings"


@pytest.mark.parametrize("user_with_role", list(Role), indirect=True)
def test_every_role_gives_a_code_after_the_password(client, user_with_role):
    assert enter_password(client, user_with_role).url == code_page_url()
    assert client.get(reverse("home")).status_code == 302


def test_the_code_leads_on_to_where_sign_in_was_going(client, qa_lead, provider):
    target = reverse("providers:provider_detail", args=[provider.pk])
    response = enter_password(client, qa_lead, next_url=target)
    landed = client.post(response.url, {"code": current_code(qa_lead)})
    assert landed.status_code == 302
    assert landed.url == target


def test_a_wrong_or_malformed_code_is_explained_beside_the_field(client, qa_lead):
    url = enter_password(client, qa_lead).url
    empty = client.post(url, {"code": ""})
    assert "Enter the 6-digit code from your authenticator app" in text_of(empty)
    assert "govuk-error-message" in empty.text
    short = client.post(url, {"code": "12 34"})
    assert "Enter the code as 6 numbers, like 123456" in text_of(short)
    right = current_code(qa_lead)
    wrong = client.post(url, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    assert wrong.status_code == 200
    assert "The code is not right" in text_of(wrong)
    assert text_of(wrong).startswith("Error: " + CODE_PAGE)
    # Spaces as some apps show it ("123 456") are fine.
    assert client.post(url, {"code": f"{right[:3]} {right[3:]}"}).url == "/"


def test_a_code_works_once(client, qa_lead):
    device = TOTPDevice.objects.get(user=qa_lead)
    code = f"{TOTP(device.bin_key).token():06d}"
    assert client.post(enter_password(client, qa_lead).url, {"code": code}).status_code == 302
    client.post(reverse("logout"))
    again = client.post(enter_password(client, qa_lead).url, {"code": code})
    assert again.status_code == 200
    assert "The code is not right" in text_of(again)


def test_five_wrong_codes_lock_the_account_and_a_right_password_buys_no_more_guesses(client, qa_lead):
    wrong = f"{(int(current_code(qa_lead)) + 500_000) % 1_000_000:06d}"
    url = enter_password(client, qa_lead).url
    for _ in range(4):
        assert "The code is not right" in text_of(client.post(url, {"code": wrong}))
    # Signing in again with the right password does not start the count afresh.
    client.post(reverse("logout"))
    url = enter_password(client, qa_lead).url
    locked = client.post(url, {"code": wrong})
    assert locked.status_code == 429
    assert "This account is locked for 15 minutes after 5 failed sign-in attempts" in text_of(locked)
    assert "_auth_user_id" not in client.session
    # Locked: even the right password and code are refused.
    assert client.post(reverse("login"), {"username": qa_lead.email, "password": PASSWORD}).status_code == 429
    assert not AccessAttempt.objects.filter(post_data__contains=wrong).exists()  # codes are not logged

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert client.post(enter_password(client, qa_lead).url, {"code": current_code(qa_lead)}).url == "/"
    # A completed sign-in forgets the failures.
    assert not AccessAttempt.objects.exists()


def key_on(page) -> bytes:
    found = re.search(r'id="authenticator-key">([A-Z2-7 ]+)<', page.text)
    return b32decode(found.group(1).replace(" ", ""))


def test_the_first_sign_in_sets_up_the_app_and_shows_ten_recovery_codes_once(client, provider):
    user = UserFactory(role=Role.PROVIDER_USER, provider=provider, authenticator=False)
    response = enter_password(client, user)
    set_up = client.get(response.url, follow=True)
    assert set_up.redirect_chain[-1][0] == reverse("second_factor_set_up") + "?next=%2F"
    assert heading(set_up) == "Set up your authenticator app"
    assert (
        '<svg role="img"' in set_up.text and "<title>QR code to scan with your authenticator app</title>" in set_up.text
    )
    # Until the app is confirmed, the portal stays shut.
    assert client.get(reverse("home")).status_code == 302
    # Reloading shows the same key: a QR code already scanned still works.
    key = key_on(set_up)
    assert key_on(client.get(set_up.redirect_chain[-1][0])) == key

    wrong = client.post(set_up.redirect_chain[-1][0], {"code": f"{(TOTP(key).token() + 1) % 1_000_000:06d}"})
    assert "The code is not right" in text_of(wrong)
    confirmed = client.post(set_up.redirect_chain[-1][0], {"code": f"{TOTP(key).token():06d}"})
    assert confirmed.url == reverse("recovery_codes") + "?next=%2F"

    shown = client.get(confirmed.url)
    assert heading(shown) == "Save your recovery codes"
    codes = re.findall(r'<li class="app-secret">(\w{4} \w{4})</li>', shown.text)
    assert len(codes) == 10 == len(set(codes))
    assert "no-store" in shown["Cache-Control"]
    again = client.get(confirmed.url)
    assert again.status_code == 302 and again.url == "/"  # shown once only
    assert client.get(reverse("home")).status_code == 200

    # Later, without the phone: a recovery code, once.
    client.post(reverse("logout"))
    url = enter_password(client, user).url
    recovery_url = reverse("second_factor_recovery") + "?next=/"
    assert f'href="{recovery_url}"' in client.get(url).text
    used = client.post(recovery_url, {"code": codes[3].upper()})
    assert used.status_code == 302
    account = client.get(used.url)
    assert "You signed in with a recovery code. You have 9 left." in text_of(account)
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    enter_password(client, user)
    reused = client.post(recovery_url, {"code": codes[3]})
    assert "This recovery code is not right, or has been used already" in text_of(reused)
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_someone_with_only_the_password_cannot_set_up_an_app_of_their_own(client, qa_lead):
    enter_password(client, qa_lead)
    response = client.get(reverse("second_factor_set_up"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("second_factor") + "?next=")
    assert TOTPDevice.objects.filter(user=qa_lead).count() == 1


def test_a_signed_in_person_replaces_their_app_and_the_old_one_stops_working(client, qa_lead):
    old = TOTPDevice.objects.get(user=qa_lead)
    client.force_login(qa_lead)
    account = client.get(reverse("account_security"))
    assert "Set up on" in text_of(account)
    set_up = client.get(reverse("second_factor_set_up") + "?next=/account/")
    assert "replaces the one you set up before" in text_of(set_up)
    key = key_on(set_up)
    confirmed = client.post(reverse("second_factor_set_up") + "?next=/account/", {"code": f"{TOTP(key).token():06d}"})
    assert confirmed.status_code == 302
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.get(user=qa_lead).bin_key == key


def test_new_recovery_codes_replace_the_old_ones(client, qa_lead):
    old = second_factor.new_recovery_codes(qa_lead)
    client.force_login(qa_lead)
    response = client.post(reverse("new_recovery_codes"))
    shown = client.get(response.url)
    codes = [code.replace(" ", "") for code in re.findall(r'<li class="app-secret">(\w{4} \w{4})</li>', shown.text)]
    assert len(codes) == 10
    assert set(StaticToken.objects.filter(device__user=qa_lead).values_list("token", flat=True)) == set(codes)
    assert not set(old) & set(codes)


def test_an_administrator_resets_a_lost_second_factor(client, administrator, manager):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:qa_portal_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [manager.pk]},
        follow=True,
    )
    assert "Reset the second factor of 1 user." in text_of(response)
    assert not TOTPDevice.objects.filter(user=manager).exists()
    client.post(reverse("logout"))
    landed = client.get(enter_password(client, manager).url, follow=True)
    assert heading(landed) == "Set up your authenticator app"


def test_roles_left_out_of_the_setting_sign_in_with_the_password_alone(client, settings, manager, administrator):
    settings.SECOND_FACTOR_ROLES = ["administrator", "qa_lead", "provider_user"]
    assert enter_password(client, manager).url == "/"
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert enter_password(client, administrator).url == code_page_url()


def test_the_setting_must_name_real_roles_and_keep_the_ones_that_always_need_a_code(settings):
    settings.SECOND_FACTOR_ROLES = ["manager", "qa_lead", "provider_user"]
    assert second_factor.roles_setting_problem().startswith("SECOND_FACTOR_ROLES must include administrator:")
    settings.SECOND_FACTOR_ROLES = ["all"]
    assert second_factor.roles_setting_problem() is None
    settings.SECOND_FACTOR_ROLES = ["administrator", "qa_lead", "provider_user", "boss"]
    assert "no role called boss" in second_factor.roles_setting_problem()


def test_a_deployment_that_would_let_an_administrator_in_on_a_password_does_not_start():
    environment = {**os.environ, "SECOND_FACTOR_ROLES": "manager,qa_lead"}
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=environment, capture_output=True, text=True
    )
    assert started.returncode != 0
    assert "SECOND_FACTOR_ROLES must include administrator, provider_user" in started.stderr


def test_an_account_with_no_role_gives_a_code_too(client):
    user = UserFactory()
    assert not Group.objects.filter(user=user).exists()
    assert enter_password(client, user).url == code_page_url()


def test_a_half_finished_set_up_is_never_shown_to_another_sign_in(client, manager):
    TOTPDevice.objects.filter(user=manager).delete()
    first = client.get(enter_password(client, manager).url, follow=True)
    other = Client()
    second = other.get(enter_password(other, manager).url, follow=True)
    assert heading(second) == "Set up your authenticator app"
    assert key_on(second) != key_on(first)
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_a_held_form_waits_until_the_code_is_given(client, qa_lead, provider):
    url = reverse("providers:concern_create", args=[provider.pk])
    sign_in_with_client(client, qa_lead)
    client.get(url)
    Session.objects.all().delete()  # the session ends while they type
    typed = {"source": "ofsted", "received_on": "01/10/2026", "summary": "Staffing fell short.", "severity": "low"}
    held_at = client.post(url, typed).url  # signed out: held, and sent to sign in
    to_code = enter_password(client, qa_lead, next_url=held_at.split("next=")[1])
    page_url = to_code.url.split("next=")[1]
    # Opening the form with its held text before giving the code leads to the code page, text still held.
    before = client.get(unquote(page_url), follow=True)
    assert heading(before) == CODE_PAGE
    after = client.get(client.post(before.redirect_chain[-1][0], {"code": current_code(qa_lead)}).url)
    assert "We kept what you typed before you were signed out" in text_of(after)
