"""In a real browser: every answer of a visit section saves itself (a choice as much as text), two
people can write one section at once without putting back each other's answers, and a conflict is
settled only by a choice (issue 11).

Where the page waits to save (3 seconds after typing stops, 10 after a failed save), the test moves the
browser's clock on, as if the person had closed the lid for that long, rather than waiting in real time."""

import time

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.axe import assert_accessible
from tests.signin import sign_in
from visits.models import Answer, TemplateQuestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATUS = "[data-save-status]"


@pytest.fixture
def second_page(browser, live_server):
    """Another person's browser: its own cookies and storage."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def eventually(check, timeout=10.0):
    """`check()` once it is true (the server may still be saving what the page sent as it left)."""
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.2)
    return check()


def answer(visit, text):
    found = Answer.objects.filter(visit=visit, question__text=text).first()
    return (found.text or found.choice) if found else ""


def own_clock(page):
    """The page's timers run on a clock the test can move on (page.clock.fast_forward); it keeps time
    as usual otherwise. Set before the first page loads."""
    page.clock.install()


def open_section(page, visit, number):
    page.goto(f"/visits/{visit.pk}/sections/{number}/")


def test_a_choice_survives_moving_to_another_section_and_a_reload(page, senior_leader, visit):
    sign_in(page, senior_leader.email)
    open_section(page, visit, 8)
    page.get_by_label("No", exact=True).check()
    # Straight on to another section, without pressing Save.
    page.get_by_role("link", name="3. The home and the area").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3. The home and the area")
    page.reload()
    page.get_by_role("link", name="8. Overall").click()
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    assert eventually(lambda: visit.__class__.objects.get(pk=visit.pk).overall_judgement == "no")
    expect(page.locator("#section-8-status")).to_have_text("In progress")


def test_two_people_writing_different_answers_of_one_section_keep_both(
    page, second_page, senior_leader, qa_lead, visit
):
    own_clock(page)
    own_clock(second_page)
    sign_in(page, senior_leader.email)
    sign_in(second_page, qa_lead.email)
    open_section(page, visit, 3)
    open_section(second_page, visit, 3)

    page.get_by_label("Security").fill("Locks and fire doors checked")
    expect(page.locator(STATUS)).to_contain_text("Changes not saved yet")
    expect(page.locator(STATUS)).to_be_in_viewport()  # it stays in view while typing
    page.clock.fast_forward("03")  # they stop typing
    expect(page.locator(STATUS)).to_contain_text("Saved at", timeout=15000)

    # The second person has not reloaded: they change only Amenities, and press Save.
    second_page.get_by_label("Amenities nearby").fill("A park and a bus stop")
    expect(second_page.locator(STATUS)).to_contain_text("Changes not saved yet")
    second_page.clock.fast_forward("03")
    expect(second_page.locator(STATUS)).to_contain_text("Saved at", timeout=15000)
    second_page.get_by_role("button", name="Save", exact=True).click()
    expect(second_page.locator(".govuk-notification-banner")).to_contain_text("Section 3 saved")
    expect(second_page.locator(".app-conflict")).to_have_count(0)
    expect(second_page.get_by_label("Security")).to_have_value("Locks and fire doors checked")
    expect(second_page.get_by_label("Amenities nearby")).to_have_value("A park and a bus stop")

    page.reload()
    expect(page.get_by_label("Security")).to_have_value("Locks and fire doors checked")
    expect(page.get_by_label("Amenities nearby")).to_have_value("A park and a bus stop")
    assert answer(visit, "Security") == "Locks and fire doors checked"
    assert answer(visit, "Amenities nearby") == "A park and a bus stop"


def test_saving_while_the_page_autosaves_is_not_taken_for_a_conflict_with_oneself(page, senior_leader, visit):
    """The page autosaves what is typed so far, and the person goes on typing and presses Save and continue
    before that autosave's answer is back (a slow connection, a busy server): their own earlier words are
    not someone else's version, so the section saves and moves on, with all they wrote."""
    own_clock(page)
    answered = []  # autosaves the server has made, their answers held back from the page
    page.route("**/autosave", lambda route: answered.append((route, route.fetch())))
    sign_in(page, senior_leader.email)
    open_section(page, visit, 3)

    page.get_by_label("Security").fill("Locks checked")
    page.clock.fast_forward(4_000)  # the page's wait after typing
    for _ in range(50):  # Playwright runs the route's handler while the test waits on the page
        if answered:
            break
        page.wait_for_timeout(200)
    assert answered and answer(visit, "Security") == "Locks checked"
    page.get_by_label("Security").fill("Locks checked and the fire doors closed properly")
    page.get_by_role("button", name="Save and continue").click()
    for route, response in answered:
        route.fulfill(response=response)

    expect(page.get_by_role("heading", level=1)).to_have_text("4. Young people's views, in their own words")
    assert answer(visit, "Security") == "Locks checked and the fire doors closed properly"
    page.unroute("**/autosave")


def test_a_save_does_not_wait_for_ever_on_an_autosave_that_gets_no_answer(page, senior_leader, visit):
    """An autosave the server made but whose answer never comes back (a connection gone quiet): Save waits
    five seconds for it, then is sent, and the server shows both versions rather than losing either."""
    own_clock(page)
    answered = []
    page.route("**/autosave", lambda route: answered.append((route, route.fetch())))  # never answered
    sign_in(page, senior_leader.email)
    open_section(page, visit, 3)

    page.get_by_label("Security").fill("Locks checked")
    page.clock.fast_forward(4_000)
    for _ in range(50):
        if answered:
            break
        page.wait_for_timeout(200)
    page.get_by_label("Security").fill("Locks checked and the fire doors closed properly")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_timeout(500)
    expect(page.get_by_role("heading", level=1)).to_have_text("3. The home and the area")  # still waiting
    page.clock.fast_forward(6_000)

    expect(page.locator(".govuk-error-summary")).to_contain_text("saved a different version")
    expect(page.get_by_label("Security")).to_have_value("Locks checked and the fire doors closed properly")
    assert answer(visit, "Security") == "Locks checked"
    page.unroute("**/autosave")


def test_both_changing_one_answer_see_both_versions_and_must_choose(page, second_page, senior_leader, qa_lead, visit):
    sign_in(page, senior_leader.email)
    sign_in(second_page, qa_lead.email)
    open_section(page, visit, 3)
    open_section(second_page, visit, 3)
    safe = page.get_by_role("group", name="Does the young person feel safe in the area?")
    second_safe = second_page.get_by_role("group", name="Does the young person feel safe in the area?")

    page.get_by_label("Security").fill("Locks checked on the day")
    safe.get_by_label("Yes").check()
    expect(page.locator(STATUS)).to_contain_text("Saved at", timeout=15000)

    second_page.get_by_label("Security").fill("The back door did not lock")
    second_safe.get_by_label("No").check()
    status = second_page.locator(STATUS)
    expect(status).to_contain_text("someone else changed “Security”", timeout=15000)
    expect(status).to_contain_text("someone else changed “Does the young person feel safe in the area?”")
    expect(status).not_to_contain_text("Saved at")
    panel = second_page.locator("#conflict-q" + str(TemplateQuestion.objects.get(text="Security").pk))
    expect(panel).to_contain_text("Locks checked on the day")
    expect(second_page.get_by_label("Security")).to_have_value("The back door did not lock")

    # Pressing Save without choosing keeps their version, and shows both again.
    second_page.get_by_role("button", name="Save", exact=True).click()
    expect(second_page.locator(".govuk-error-summary")).to_contain_text("saved a different version")
    assert answer(visit, "Security") == "Locks checked on the day"
    assert answer(visit, "Does the young person feel safe in the area?") == "yes"
    assert_accessible(second_page)

    # The status links to where both versions are; the choice settles it.
    status.get_by_role("link", name="See both versions and choose which to keep").first.click()
    expect(panel).to_be_focused()
    panel.get_by_role("button", name="Keep my version").click()
    safe_panel = second_page.locator("[data-conflict-for$='_choice']")
    safe_panel.get_by_role("button", name="Use their version").click()
    expect(second_safe.get_by_label("Yes")).to_be_checked()
    expect(status).to_contain_text("Saved at", timeout=15000)
    assert eventually(lambda: answer(visit, "Security") == "The back door did not lock")
    assert answer(visit, "Does the young person feel safe in the area?") == "yes"


def test_a_save_while_the_database_is_unreachable_says_so_and_happens_when_it_returns(page, senior_leader, visit):
    own_clock(page)
    sign_in(page, senior_leader.email)
    open_section(page, visit, 8)
    settings_dict, port = connection.settings_dict, connection.settings_dict["PORT"]
    settings_dict["PORT"] = "1"  # where no database listens: the server cannot connect again
    with connection.cursor() as cursor:  # and its open connections drop, as in an outage
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    try:
        page.get_by_label("No", exact=True).check()
        expect(page.locator(STATUS)).to_contain_text("no connection to the database", timeout=15000)
        expect(page.locator(STATUS)).not_to_contain_text("signed out")
    finally:
        settings_dict["PORT"] = port
    page.clock.fast_forward("10")  # the page tries again after a while
    expect(page.locator(STATUS)).to_contain_text("Saved at", timeout=20000)
    page.reload()
    expect(page.get_by_label("No", exact=True)).to_be_checked()


def test_a_choice_made_after_the_session_ended_is_kept_and_saved_after_signing_in_again(page, senior_leader, visit):
    own_clock(page)
    sign_in(page, senior_leader.email)
    open_section(page, visit, 8)
    page.context.clear_cookies(name="sessionid")  # the session has ended
    page.get_by_label("No", exact=True).check()
    status = page.locator(STATUS)
    expect(status).to_contain_text("you have been signed out", timeout=15000)
    expect(status.get_by_role("link", name="Sign in again (opens in a new tab)")).to_be_visible()

    other_tab = page.context.new_page()
    sign_in(other_tab, senior_leader.email)
    other_tab.close()
    page.clock.fast_forward("10")  # the page tries again after a while
    expect(status).to_contain_text("Saved at", timeout=20000)
    assert visit.__class__.objects.get(pk=visit.pk).overall_judgement == "no"
