"""In a real browser: two clicks 250 ms apart on "Save concern" or "Add the recommendation", while the
server is slow to answer the first, record one concern and one recommendation.

With JavaScript the button ignores the second click (GOV.UK's prevent-double-click), so one POST is sent.
Without it the browser sends the form twice, and the one-time form token keeps the second from saving
again: it lands on the same page, told "This was already saved". The server is made slow by holding the
record's table locked from the test while the clicks are made."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from playwright.sync_api import expect

from providers.models import Concern
from qa_portal.intentions import ALREADY_SAVED
from reviews.models import Recommendation
from tests.pages import choose_option, fill_date
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "Told me staff shout at night and the door alarm is switched off."
TEXT = "Review the home's night-time staffing with the manager and agree a plan by the end of the month."


@pytest.fixture(params=[True, False], ids=["with JavaScript", "without JavaScript"])
def page(request, browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 768}, java_script_enabled=request.param
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.javascript = request.param
    page.posts = []
    page.on("request", lambda r: page.posts.append(r.url) if r.method == "POST" else None)
    yield page
    context.close()


def click_twice_while_the_server_is_slow(page, button, *, table):
    """Click `button`, then again 250 ms later, while `table` is locked so the first POST cannot finish;
    then let it finish. Asserts how many POSTs the browser sent: one with JavaScript, two without."""
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.posts.clear()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table._meta.db_table} IN EXCLUSIVE MODE")
        # The mouse itself, not Locator.click, which would wait for the first navigation to finish.
        page.mouse.click(x, y)
        page.wait_for_timeout(250)
        page.mouse.click(x, y)
        page.wait_for_timeout(500)  # the second POST, if any, reaches the server
    assert len(page.posts) == (1 if page.javascript else 2)


def test_a_double_click_on_save_concern_records_one_concern(page, qa_lead, provider):
    sign_in(page, qa_lead.email)
    page.goto(provider.get_absolute_url())
    page.get_by_role("link", name="Record a concern").click()
    page.get_by_role("radio", name="Young person").check()
    fill_date(page, "Date received", timezone.localdate())
    page.get_by_label("Summary").fill(SUMMARY)
    click_twice_while_the_server_is_slow(page, page.get_by_role("button", name="Save concern"), table=Concern)
    expect(page.get_by_role("heading", level=1)).to_have_text(provider.name)
    if not page.javascript:
        expect(page.locator(".govuk-notification-banner")).to_contain_text(ALREADY_SAVED)
    table = page.get_by_role("table", name="Concerns about this provider")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(SUMMARY)
    assert Concern.objects.filter(provider=provider).count() == 1


def test_a_double_click_on_add_the_recommendation_adds_one(page, qa_lead, provider):
    sign_in(page, qa_lead.email)
    page.goto("/recommendations/new/")
    choose_option(page, "Provider", provider.name)
    page.get_by_label("Provider's service").check()
    page.get_by_label("Recommendation", exact=True).fill(TEXT)
    page.get_by_label("Owner").select_option(label=f"{qa_lead.full_name}, {qa_lead.job_title}".rstrip(", "))
    fill_date(page, "Due date", timezone.localdate() + timedelta(days=30))
    button = page.get_by_role("button", name="Add the recommendation")
    click_twice_while_the_server_is_slow(page, button, table=Recommendation)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Recommendation \d+$"))
    if not page.javascript:
        expect(page.locator(".govuk-notification-banner")).to_contain_text(ALREADY_SAVED)
    assert Recommendation.objects.count() == 1
    page.goto("/tracker/")
    table = page.get_by_role("table", name=re.compile("^Recommendations"))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(TEXT)


@pytest.fixture
def accessible_page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 768})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_person_who_recorded_a_concern_twice_removes_one(accessible_page, qa_lead, provider):
    from tests.axe import assert_accessible
    from tests.factories import ConcernFactory

    page = accessible_page
    for _ in range(2):
        ConcernFactory(provider=provider, raised_by=qa_lead, summary=SUMMARY)
    sign_in(page, qa_lead.email)
    page.goto(provider.get_absolute_url())
    table = page.get_by_role("table", name="Concerns about this provider")
    expect(table.locator("tbody tr")).to_have_count(2)
    table.get_by_role("link", name=re.compile("^Remove")).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this concern?")
    assert_accessible(page)
    page.get_by_role("button", name="Remove the concern").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why it is being removed")
    assert_accessible(page)
    page.get_by_label("Why are you removing it?").fill("Recorded twice")
    page.get_by_role("button", name="Remove the concern").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The concern was removed")
    expect(table.locator("tbody tr")).to_have_count(1)
    assert Concern.objects.count() == 1
