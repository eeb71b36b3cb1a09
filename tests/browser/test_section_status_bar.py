"""In a real browser: the save status at the foot of a visit section never gets in the way. Pressing
Save works the first time while autosave is failing (the status never moves the buttons), and a
field reached with the keyboard is never hidden under the status (WCAG 2.2 SC 2.4.11)."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from tests.browser.test_section_autosave import answer
from tests.browser.test_sign_in import sign_in
from tests.signin import sign_in_on_this_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATUS = "[data-save-status]"


def test_save_pressed_while_autosave_fails_posts_the_form_the_first_time(page, senior_leader, visit):
    sign_in(page, senior_leader.email)
    page.goto(f"/visits/{visit.pk}/sections/3/")
    Session.objects.all().delete()  # signed out: every autosave now fails
    page.get_by_label("Security").fill("Locks checked")
    page.get_by_label("Security").blur()
    expect(page.locator(STATUS)).to_contain_text("signed out", timeout=15000)

    held = []  # autosave is slow now: its answers wait until the press is over
    page.route("**/autosave", lambda route: held.append(route))
    page.get_by_label("Amenities nearby").fill("A park")  # the cursor is still in the box
    button = page.get_by_role("button", name="Save", exact=True)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(300)  # a person's press: the blur has happened, autosave has started
    page.mouse.up()
    for route in held:
        route.continue_()

    # The form was posted: signed out, it is held and the sign-in page says why.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to QA Portal")


def test_a_section_given_back_after_sign_in_is_not_saved_until_the_person_says_so(page, senior_leader, visit):
    page.clock.install()  # the page's timers, on a clock the test moves on below
    sign_in(page, senior_leader.email)
    page.goto(f"/visits/{visit.pk}/sections/3/")
    Session.objects.all().delete()  # signed out while typing
    page.get_by_label("Security").fill("Locks checked")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to QA Portal")
    sign_in_on_this_page(page, senior_leader)

    expect(page.locator("[data-held-submission]")).to_contain_text("It has not been saved yet.")
    expect(page.get_by_label("Security")).to_have_value("Locks checked")
    expect(page.locator(STATUS)).to_have_text("Not saved yet: check what was put back, then press Save.")
    saves = []
    page.on("request", lambda request: saves.append(request.url) if request.url.endswith("/autosave") else None)
    page.clock.fast_forward("10")  # longer than autosave's every-8-seconds save
    page.wait_for_timeout(500)  # for a save, had one started, to be sent
    assert saves == []
    assert answer(visit, "Security") == ""

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Section 3 saved")
    assert answer(visit, "Security") == "Locks checked"


def test_a_field_reached_with_the_keyboard_is_never_under_the_status(page, senior_leader, visit):
    sign_in(page, senior_leader.email)
    page.set_viewport_size({"width": 1366, "height": 500})
    page.goto(f"/visits/{visit.pk}/sections/3/")
    bar = page.locator(STATUS)
    expect(bar).to_be_visible()
    page.get_by_role("heading", level=1).click()
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        page.wait_for_timeout(50)
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                if (!element.closest("form[data-autosave-url]")) return null;
                const box = element.getBoundingClientRect();
                const bar = document.querySelector("[data-save-status]").getBoundingClientRect();
                return {name: element.name || element.textContent, top: box.top, bottom: box.bottom, bar: bar.top};
            }"""
        )
        if focused is None:
            continue
        seen += 1
        assert focused["bottom"] <= focused["bar"], f"{focused} is under the save status"
        if focused["name"] == "Save":
            break
    assert seen > 5
