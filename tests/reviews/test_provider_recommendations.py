"""The provider's own page of recommendations: theirs only, their action and by-when, a note for the
council's staff; never another organisation's, and never the staff tracker or its downloads."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Recommendation, RecommendationStatus
from tests.factories import RecommendationFactory, VisitFactory, YoungPersonFactory
from tests.pages import heading, text_of
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db

LIST = reverse("reviews:provider_recommendations")


def update(rec):
    return reverse("reviews:provider_recommendation_update", args=[rec.pk])


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def shared_visit(provider):
    return VisitFactory(provider=provider, status=VisitStatus.SHARED)


@pytest.fixture
def ours(shared_visit, provider, qa_lead):
    """The provider's recommendations: two live (one from a shared report, one the council shared with
    them), one completed, and one in a draft report the provider has not been sent."""
    return {
        "live": RecommendationFactory(
            visit=shared_visit,
            text="Agree an evening activities plan with each young person",
            level="child",
            young_person=YoungPersonFactory(initials="JB"),
            owner=qa_lead,
            due_date=in_days(20),
        ),
        "shared": RecommendationFactory(
            source="other",
            visit=None,
            provider=provider,
            shared_with_provider=True,
            text="Review the missing-from-care protocol",
            due_date=in_days(40),
        ),
        "completed": RecommendationFactory(
            visit=shared_visit,
            text="Fix the garden fence",
            status=RecommendationStatus.COMPLETED,
            impact_statement="The young people use the garden again.",
            completed_at=timezone.now(),
            due_date=in_days(-30),
        ),
        "draft": RecommendationFactory(visit=VisitFactory(provider=provider), text="Draft, not yet shared"),
    }


@pytest.fixture
def theirs(other_provider):
    return RecommendationFactory(
        visit=VisitFactory(provider=other_provider, status=VisitStatus.SHARED), text="Northgate's own recommendation"
    )


# The list


def test_a_provider_user_sees_their_organisations_recommendations_live_first(client, provider_user, ours, theirs):
    client.force_login(provider_user)
    response = client.get(LIST)
    assert [r.text for r in response.context["page"]] == [
        "Agree an evening activities plan with each young person",
        "Review the missing-from-care protocol",
        "Fix the garden fence",
    ]
    page = response.text
    assert "Northgate&#x27;s own recommendation" not in page and "Northgate" not in page
    assert "Draft, not yet shared" not in page
    pk = ours["live"].pk
    assert f'{update(ours["live"])}">Update<span class="govuk-visually-hidden"> recommendation {pk}</span>' in page
    assert f'{update(ours["completed"])}">View<span' in page
    assert "For JB." in page
    assert ours["live"].young_person.case_record_id not in page


def test_staff_cannot_open_the_provider_pages(client, qa_lead, ours):
    client.force_login(qa_lead)
    assert client.get(LIST).status_code == 403
    assert client.get(update(ours["live"])).status_code == 403
    assert (
        client.post(update(ours["live"]), {"provider_action": "x", "provider_action_by": "01/01/2030"}).status_code
        == 403
    )


# Updating their action


def test_the_provider_updates_their_action_and_sends_a_note_to_staff(client, provider_user, qa_lead, ours):
    rec = ours["live"]
    client.force_login(provider_user)
    form = client.get(update(rec))
    assert heading(form) == f"Recommendation {rec.pk}"
    assert "Agree an evening activities plan with each young person" in text_of(form)
    response = client.post(
        update(rec),
        {
            "provider_action": "Key workers will plan activities with each young person.",
            "provider_action_by": in_days(10).strftime("%d/%m/%Y"),
            "note": "Plans agreed with two of the three young people.",
        },
    )
    assert response.url == LIST
    assert "your update has been sent to the council" in client.get(LIST).text
    rec.refresh_from_db()
    assert rec.provider_action == "Key workers will plan activities with each young person."
    assert rec.provider_action_by == in_days(10)
    assert rec.status == RecommendationStatus.OPEN  # the council moves the status, not the provider
    note = rec.progress_updates.get()
    assert (note.by, note.text, note.status_after) == (
        provider_user,
        "Plans agreed with two of the three young people.",
        "open",
    )
    # Staff see the note, and who sent it, on the recommendation's page.
    client.force_login(qa_lead)
    page = client.get(reverse("reviews:recommendation_detail", args=[rec.pk])).text
    assert "Plans agreed with two of the three young people." in page
    assert "Jo Marsh (Harbour Lights Fostering)" in page


def test_the_update_needs_an_action_and_a_date(client, provider_user, ours):
    client.force_login(provider_user)
    response = client.post(update(ours["live"]), {"provider_action": "", "provider_action_by": "", "note": "Kept"})
    assert response.status_code == 200
    page = response.text
    assert "Error: Recommendation" in page
    assert "Say what you will do" in page
    assert "Say by when you will do it" in page
    assert "Kept</textarea>" in page
    assert not ours["live"].progress_updates.exists()


def test_a_closed_recommendation_is_shown_but_not_open_for_updates(client, provider_user, ours):
    rec = ours["completed"]
    client.force_login(provider_user)
    page = client.get(update(rec)).text
    assert "no longer open for updates" in page
    assert "Send your update" not in page
    client.post(update(rec), {"provider_action": "Late", "provider_action_by": in_days(5).strftime("%d/%m/%Y")})
    rec.refresh_from_db()
    assert rec.provider_action == ""


# Never another organisation's


def test_a_provider_user_of_another_provider_gets_not_found(client, other_provider_user, ours):
    client.force_login(other_provider_user)
    for rec in ours.values():
        assert client.get(update(rec)).status_code == 404
        response = client.post(
            update(rec), {"provider_action": "Sneaky", "provider_action_by": in_days(5).strftime("%d/%m/%Y")}
        )
        assert response.status_code == 404
    assert not Recommendation.objects.filter(provider_action="Sneaky").exists()
    assert list(client.get(LIST).context["page"]) == []


def test_a_draft_reports_recommendation_is_not_found_by_its_own_provider(client, provider_user, ours):
    client.force_login(provider_user)
    assert client.get(update(ours["draft"])).status_code == 404


def test_provider_users_cannot_reach_the_staff_tracker_pages_or_any_download(client, provider_user, ours, theirs):
    client.force_login(provider_user)
    assert client.get(reverse("reviews:tracker")).status_code == 403
    assert client.get(reverse("reviews:tracker_meeting")).status_code == 403
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(reverse("reviews:tracker_export", args=[fmt]), {"status": "all"})
        assert response.status_code == 403
        assert b"Northgate" not in response.content
    # Their own recommendation's staff page is refused; another organisation's is not found.
    assert client.get(reverse("reviews:recommendation_detail", args=[ours["live"].pk])).status_code == 403
    assert client.get(reverse("reviews:recommendation_detail", args=[theirs.pk])).status_code == 404
