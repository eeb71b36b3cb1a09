"""In a real browser, at 1366 and 320 pixels wide: each role's home page, with things to do, passes axe
and fits the screen; the first thing to do opens its page by keyboard."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qa_portal.roles import Role
from tests.axe import assert_accessible
from tests.factories import (
    ConcernFactory,
    ProviderFactory,
    RecommendationFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def things_to_do(provider, qa_lead, senior_leader, social_worker, provider_user, commissioning_officer, manager):
    today = timezone.localdate()
    long_name = ProviderFactory(name="Tamar Reach Residential and Supported Living for Young People Ltd")
    VisitFactory(
        provider=long_name, lead_visitor=senior_leader, planned_date=today - timedelta(days=12),
        visit_date=today - timedelta(days=12),
    )  # fmt: skip
    VisitFactory(provider=provider, lead_visitor=qa_lead, planned_date=today + timedelta(days=4))
    shared = VisitFactory(provider=provider, status="shared", response_due=today - timedelta(days=1))
    for owner in (senior_leader, qa_lead, commissioning_officer, manager):
        RecommendationFactory(visit=shared, owner=owner, due_date=today - timedelta(days=3))
    RecommendationFactory(
        visit=shared, level="child", young_person=YoungPersonFactory(social_worker=social_worker),
        action_holder="social_worker", due_date=today + timedelta(days=6),
    )  # fmt: skip
    ConcernFactory(provider=long_name, severity="high")
    UserFactory(full_name="Nia Newcomer")  # the administrator's: give her a role


@pytest.mark.parametrize("user_with_role", list(Role), indirect=True)
def test_each_home_lists_what_to_do_passes_axe_and_fits_a_narrow_screen(page, user_with_role, things_to_do):
    sign_in(page, user_with_role.email)
    to_do = page.get_by_role("heading", name="What to do next")
    expect(to_do).to_be_visible()
    first = page.locator(".govuk-task-list__link").first
    expect(first).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    page.set_viewport_size({"width": 1366, "height": 768})
    page.reload()
    target = first.get_attribute("href")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")
    assert page.locator("h1").count() == 1
