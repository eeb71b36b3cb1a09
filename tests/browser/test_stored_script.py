"""In a real browser (issue 13): a senior leader's recommendation holding a script shows as text on
the provider's response form (in its legend) and their recommendations page, and the script never
runs: the marker it would set, `window.__xss`, stays unset."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_sign_in import sign_in
from tests.factories import RecommendationFactory, VisitFactory
from visits.models import VisitStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = "<script>window.__xss = 1</script>"
IMAGE = '<img src=x onerror="window.__xss = 2">'
TEXT = f"Fix the garden fence {SCRIPT}{IMAGE}"


@pytest.fixture
def shared_visit(provider, senior_leader):
    visit = VisitFactory(
        provider=provider, lead_visitor=senior_leader, status=VisitStatus.SHARED, visit_date=timezone.localdate()
    )
    RecommendationFactory(visit=visit, text=TEXT, owner=senior_leader)
    return visit


def test_a_script_in_a_recommendation_shows_as_text_and_never_runs_for_the_provider(page, provider_user, shared_visit):
    sign_in(page, provider_user.email)
    page.goto(reverse("reviews:visit_respond", args=[shared_visit.pk]))
    legend = page.locator("legend", has_text="Recommendation 1:")
    expect(legend).to_contain_text(f"Recommendation 1: {TEXT}")
    assert page.evaluate("window.__xss") is None

    page.goto(reverse("reviews:provider_recommendations"))
    expect(page.get_by_role("table")).to_contain_text(TEXT)
    assert page.evaluate("window.__xss") is None
