"""Raising a recommendation from a concern or another source: what it records, the checks on the concern
and the young person, and who may add one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.roles import Role
from reviews.models import Recommendation
from tests.factories import ConcernFactory, PlacementFactory, YoungPersonFactory
from tests.reviews.recommendation_pages import detail, error_beside

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(provider):
    person = YoungPersonFactory(initials="KM")
    PlacementFactory(young_person=person, provider=provider, start_date=timezone.localdate() - timedelta(days=90))
    return person


def _new(provider, owner, **extra):
    return {
        "provider": provider.pk,
        "level": "provider_service",
        "text": "Review the home's missing-from-care protocol with the manager by the end of the month.",
        "owner": owner.pk,
        "action_holder": "provider",
        "due_date": (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y"),
        "priority": "high",
        **extra,
    }


def test_a_recommendation_from_a_concern(client, qa_lead, provider, placed):
    concern = ConcernFactory(provider=provider)
    client.force_login(qa_lead)
    url = reverse("reviews:recommendation_create")
    form_page = client.get(url, {"concern": concern.pk})
    assert form_page.context["form"].initial == {"concern": concern.pk, "provider": provider.pk}
    response = client.post(url, _new(provider, qa_lead, concern=concern.pk, level="child", young_person=placed.pk))
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert response.url == detail(rec)
    assert (rec.source, rec.concern, rec.provider, rec.young_person, rec.created_by) == (
        "concern",
        concern,
        provider,
        placed,
        qa_lead,
    )
    assert "added to the tracker" in client.get(response.url).text


def test_a_recommendation_from_another_source(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    response = client.post(reverse("reviews:recommendation_create"), _new(provider, commissioning_officer))
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert (rec.source, rec.status, rec.concern) == ("other", "open", None)


def test_the_concern_must_be_about_the_provider_and_a_child_needs_a_young_person(
    client, qa_lead, provider, other_provider
):
    client.force_login(qa_lead)
    elsewhere = ConcernFactory(provider=other_provider)
    response = client.post(
        reverse("reviews:recommendation_create"), _new(provider, qa_lead, concern=elsewhere.pk, level="child")
    )
    assert response.status_code == 200
    page = response.text
    assert "Error: Add a recommendation" in page
    assert error_beside(page, "concern") == "Error: Choose a concern about this provider, or none"
    assert error_beside(page, "young_person") == "Error: Choose the young person this recommendation is for"
    assert "missing-from-care protocol" in page  # what was typed is kept
    assert not Recommendation.objects.exists()


def test_the_young_person_must_be_placed_with_the_provider(client, qa_lead, other_provider, placed):
    client.force_login(qa_lead)
    response = client.post(
        reverse("reviews:recommendation_create"),
        _new(other_provider, qa_lead, level="child", young_person=placed.pk),
    )
    assert error_beside(response.text, "young_person") == "Error: Choose a young person placed with Northgate Homes"


@pytest.mark.parametrize("user_with_role", [Role.SOCIAL_WORKER, Role.MANAGER, Role.PROVIDER_USER], indirect=True)
def test_only_those_who_raise_recommendations_may_add_one(client, user_with_role, provider):
    client.force_login(user_with_role)
    url = reverse("reviews:recommendation_create")
    assert client.get(url).status_code == 403
    assert client.post(url, _new(provider, user_with_role)).status_code == 403
    assert not Recommendation.objects.exists()
