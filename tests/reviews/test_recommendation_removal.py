"""A recommendation or a progress note recorded in error (twice, say) is removed by whoever recorded it, or a
QA lead, with a reason: it leaves the tracker, the visit, the actions and every count, and the history keeps
it with who removed it and why."""

import pytest
from django.urls import reverse

from qa_portal.roles import Role
from reviews.models import ProgressUpdate, Recommendation, RecommendationStatus
from reviews.services import recommendation_complete
from tests.factories import RecommendationFactory, UserFactory, VisitFactory
from tests.pages import heading, text_of
from tests.reviews.recommendation_pages import detail

pytestmark = pytest.mark.django_db

TEXT = "Agree an evening activities plan with each young person by the end of the month."


def remove(rec):
    return reverse("reviews:recommendation_remove", args=[rec.pk])


def remove_note(note):
    return reverse("reviews:progress_remove", args=[note.recommendation_id, note.pk])


@pytest.fixture
def twice(provider, senior_leader):
    """The same recommendation raised twice in a draft visit by its lead visitor."""
    visit = VisitFactory(provider=provider, lead_visitor=senior_leader)
    return [RecommendationFactory(visit=visit, text=TEXT, owner=senior_leader) for _ in range(2)]


def test_the_lead_visitor_removes_a_recommendation_raised_twice(client, senior_leader, twice):
    visit = twice[0].visit
    client.force_login(senior_leader)
    assert text_of(client.get(visit.get_absolute_url())).count(TEXT) == 2

    form = client.get(remove(twice[1]))
    assert heading(form) == "Remove this recommendation?"
    assert "Only remove a recommendation recorded in error" in text_of(form)
    response = client.post(remove(twice[1]), {"reason": "Added twice by a double click"}, follow=True)
    assert response.redirect_chain == [(visit.get_absolute_url(), 302)]
    assert "The recommendation was removed" in text_of(response)
    assert text_of(response).count(TEXT) == 1
    assert list(visit.recommendations.all()) == [twice[0]]

    tracker = text_of(client.get(reverse("reviews:tracker")))
    assert tracker.count(TEXT) == 1
    assert text_of(client.get(reverse("reviews:my_actions"))).count(TEXT) == 1


def test_a_removed_recommendation_says_so_on_its_page_and_in_its_history(client, qa_lead, senior_leader, twice):
    client.force_login(senior_leader)
    client.post(remove(twice[1]), {"reason": "Added twice by a double click"})
    client.force_login(qa_lead)
    page = client.get(detail(twice[1]))
    assert page.status_code == 200
    words = text_of(page)
    assert f"Removed in error by {senior_leader.full_name}" in words
    assert "Added twice by a double click" in words
    assert "Removed in error: Added twice by a double click" in words  # the change history
    assert "Record progress" not in words
    assert client.get(reverse("reviews:recommendation_progress", args=[twice[1].pk])).status_code == 404


def test_only_the_recorder_or_a_qa_lead_may_remove_a_recommendation(client, qa_lead, manager, twice):
    for someone in (UserFactory(role=Role.SENIOR_LEADER), manager):
        client.force_login(someone)
        assert "recorded in error" not in client.get(detail(twice[1])).text
        assert client.get(remove(twice[1])).status_code == 403
        assert client.post(remove(twice[1]), {"reason": "Not mine"}).status_code == 403
    assert Recommendation.objects.count() == 2
    client.force_login(qa_lead)
    assert client.post(remove(twice[1]), {"reason": "Recorded twice"}).status_code == 302
    assert Recommendation.objects.count() == 1


def test_a_recommendation_from_the_tracker_goes_back_to_the_tracker(client, commissioning_officer, provider):
    rec = RecommendationFactory(visit=None, source="other", provider=provider, owner=commissioning_officer)
    client.force_login(commissioning_officer)
    response = client.post(remove(rec), {"reason": "Recorded twice"})
    assert response.url == reverse("reviews:tracker")


def test_a_progress_note_recorded_twice_is_removed_and_the_history_says_so(client, qa_lead, senior_leader, twice):
    rec = twice[0]
    notes = [
        ProgressUpdate.objects.create(recommendation=rec, text="Plans agreed with two", status_after="open", by=qa_lead)
        for _ in range(2)
    ]
    client.force_login(qa_lead)
    page = client.get(detail(rec))
    assert text_of(page).count("Plans agreed with two") == 2
    response = client.post(remove_note(notes[1]), {"reason": "Saved twice"}, follow=True)
    assert response.redirect_chain == [(detail(rec), 302)]
    words = text_of(response)
    assert words.count("Plans agreed with two") == 1
    assert "removed in error: Saved twice" in words
    assert list(rec.progress_updates.all()) == [notes[0]]

    # Someone who did not write it may not remove it.
    client.force_login(senior_leader)
    assert client.post(remove_note(notes[0]), {"reason": "Not mine"}).status_code == 403


def test_the_note_that_completed_a_recommendation_stays(client, qa_lead, twice):
    rec = twice[0]
    recommendation_complete(recommendation=rec, by=qa_lead, impact_statement="Every child now has a plan.")
    note = rec.progress_updates.get()
    assert note.status_after == RecommendationStatus.COMPLETED
    client.force_login(qa_lead)
    assert "recorded in error)</a>" not in client.get(detail(rec)).text.split("Progress updates")[1]
    assert client.post(remove_note(note), {"reason": "Oops"}).status_code == 403
    assert rec.progress_updates.count() == 1
