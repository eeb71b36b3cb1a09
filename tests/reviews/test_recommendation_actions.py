"""One recommendation: what its page shows and to whom, recording progress, completing it with an impact
statement, and not accepting it."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qa_portal.roles import Role
from reviews import services
from reviews.models import ProgressUpdate, Recommendation, RecommendationStatus
from tests.factories import UserFactory
from tests.pages import heading, text_of
from tests.reviews.recommendation_pages import IMPACT_NEEDED, complete, detail, error_beside, not_accepted, progress

pytestmark = pytest.mark.django_db


# The page of one recommendation


def test_the_page_shows_everything_about_the_recommendation(client, qa_lead, rec, provider):
    rec.provider_accepted = True
    rec.provider_action = "Travel trainer booked"
    rec.provider_action_by = timezone.localdate() + timedelta(days=7)
    rec.save()
    ProgressUpdate.objects.create(
        recommendation=rec, text="First: spoke to college", status_after="open", by=qa_lead, at=timezone.now()
    )
    ProgressUpdate.objects.create(
        recommendation=rec,
        text="Second: bus pass ordered",
        status_after="in_progress",
        by=qa_lead,
        at=timezone.now() + timedelta(minutes=1),
    )
    client.force_login(qa_lead)
    page = client.get(detail(rec)).text
    assert f"Recommendation {rec.pk}</h1>" in page
    assert "Agree a plan for JB&#x27;s college travel with her social worker." in page
    assert rec.visit.get_absolute_url() in page
    for words in (
        "Child-level",
        ">JB</a>",
        "Chris Palmer",
        "Social worker",
        "High",
        "Open</strong>",
        "Travel trainer booked",
        provider.name,
    ):
        assert words in page, words
    assert page.index("Second: bus pass ordered") < page.index("First: spoke to college")
    assert "Change history" in page
    assert rec.young_person.case_record_id not in page


def test_the_change_history_is_only_for_those_who_may_see_it(client, social_worker, rec):
    client.force_login(social_worker)
    page = client.get(detail(rec)).text
    assert rec.text.split(" ")[0] in page
    assert "Change history" not in page


def test_the_page_offers_only_the_steps_the_user_may_take(client, qa_lead, social_worker, manager, rec):
    client.force_login(qa_lead)
    page = client.get(detail(rec)).text
    assert progress(rec) in page and complete(rec) in page and not_accepted(rec) in page
    client.force_login(social_worker)  # flagged to them: progress only
    page = client.get(detail(rec)).text
    assert progress(rec) in page and complete(rec) not in page and not_accepted(rec) not in page
    client.force_login(manager)
    page = client.get(detail(rec)).text
    assert progress(rec) not in page and complete(rec) not in page


def test_a_provider_user_of_another_provider_gets_not_found_everywhere(client, other_provider_user, rec):
    client.force_login(other_provider_user)
    for url in (detail(rec), progress(rec), complete(rec), not_accepted(rec)):
        assert client.get(url).status_code == 404, url
    assert client.post(complete(rec), {"impact_statement": "Sneaky"}).status_code == 404
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


def test_a_provider_user_uses_their_own_pages_not_the_staff_ones(client, provider_user, rec):
    rec.visit.status = "shared"
    rec.visit.save()
    client.force_login(provider_user)
    for url in (detail(rec), progress(rec), complete(rec)):
        assert client.get(url).status_code == 403, url


def test_someone_without_the_tracker_cannot_see_a_recommendation(client, administrator, rec):
    client.force_login(administrator)
    assert client.get(detail(rec)).status_code == 403


# Recording progress


@pytest.mark.parametrize(
    "user_with_role", [Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER], indirect=True
)
def test_the_owner_qa_lead_commissioning_and_the_flagged_social_worker_record_progress(client, user_with_role, rec):
    client.force_login(user_with_role)
    form = client.get(progress(rec))
    assert heading(form) == "Record progress"
    assert "Agree a plan for JB's college travel with her social worker." in text_of(form)
    response = client.post(progress(rec), {"text": "Bus pass ordered", "status": "in_progress"})
    assert response.status_code == 302
    page = client.get(response.url).text
    assert "Progress saved" in page
    assert "Bus pass ordered" in page
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.IN_PROGRESS
    assert rec.progress_updates.get().by == user_with_role


def test_a_manager_and_a_social_worker_not_flagged_cannot_record_progress(client, manager, rec):
    other_worker = UserFactory(role=Role.SOCIAL_WORKER)
    for user in (manager, other_worker):
        client.force_login(user)
        assert client.get(progress(rec)).status_code == 403
        assert client.post(progress(rec), {"text": "Sneaky", "status": "in_progress"}).status_code == 403
    assert not rec.progress_updates.exists()


def test_progress_needs_a_note(client, qa_lead, rec):
    client.force_login(qa_lead)
    response = client.post(progress(rec), {"text": "  ", "status": "in_progress"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<!DOCTYPE html>")
    assert "<title>\n      \n  Error: Record progress" in response.text
    assert error_beside(response.text, "text") == "Error: Say what progress has been made"


def test_progress_cannot_complete_a_recommendation(client, qa_lead, rec):
    client.force_login(qa_lead)
    response = client.post(progress(rec), {"text": "All done", "status": "completed"})
    assert response.status_code == 200
    assert error_beside(response.text, "status").startswith("Error: Select a valid choice")
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN
    with pytest.raises(services.RecommendationStepRefused):
        services.recommendation_record_progress(recommendation=rec, by=qa_lead, text="Done", status="completed")


def test_the_same_note_sent_twice_is_recorded_once(client, qa_lead, rec):
    client.force_login(qa_lead)
    for _ in range(2):
        client.post(progress(rec), {"text": "Bus pass ordered", "status": "in_progress"})
    assert rec.progress_updates.count() == 1


# Completing: never without an impact statement


def test_completing_without_an_impact_statement_is_refused_beside_the_field(client, senior_leader, rec):
    client.force_login(senior_leader)
    response = client.post(complete(rec), {"impact_statement": "   "})
    assert response.status_code == 200
    page = response.text
    assert "Error: Complete the recommendation" in page
    assert 'class="govuk-error-summary"' in page
    assert page.index("govuk-error-summary") < page.index("<h1")
    assert IMPACT_NEEDED in page[page.index("govuk-error-summary") : page.index("<h1")]
    assert error_beside(page, "impact_statement") == f"Error: {IMPACT_NEEDED}"
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


def test_completing_with_an_impact_statement_shows_in_the_tracker_and_the_downloads(client, senior_leader, rec):
    client.force_login(senior_leader)
    impact = "JB now travels to college on her own and has not missed a day this term."
    response = client.post(complete(rec), {"impact_statement": impact})
    assert response.status_code == 302
    page = client.get(response.url).text
    assert "Recommendation completed" in page
    assert impact in page
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.COMPLETED
    assert rec.completed_at is not None
    assert rec.progress_updates.get().status_after == RecommendationStatus.COMPLETED

    tracker = reverse("reviews:tracker")
    assert [r.pk for r in client.get(tracker).context["page"]] == []
    completed = client.get(tracker, {"status": "completed"})
    assert [r.pk for r in completed.context["page"]] == [rec.pk]
    assert "Completed</strong>" in completed.text

    response = client.get(reverse("reviews:tracker_export", args=["csv"]), {"status": "completed"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert [(row["Reference"], row["Status"], row["Impact statement"]) for row in rows] == [
        (str(rec.pk), "Completed", impact)
    ]
    response = client.get(reverse("reviews:tracker_export", args=["xlsx"]), {"status": "completed"})
    sheet = list(load_workbook(io.BytesIO(response.content)).active.values)
    header = sheet[0]
    assert [(row[header.index("Status")], row[header.index("Impact statement")]) for row in sheet[1:]] == [
        ("Completed", impact)
    ]


def test_the_service_refuses_to_complete_without_an_impact_statement(qa_lead, rec):
    with pytest.raises(ValidationError) as refused:
        services.recommendation_complete(recommendation=rec, by=qa_lead, impact_statement="")
    assert refused.value.message_dict == {"impact_statement": [IMPACT_NEEDED]}


def test_two_presses_of_complete_complete_it_once(client, qa_lead, rec):
    stale = Recommendation.objects.get(pk=rec.pk)
    services.recommendation_complete(recommendation=rec, by=qa_lead, impact_statement="JB travels alone")
    with pytest.raises(services.RecommendationStepRefused):
        services.recommendation_complete(recommendation=stale, by=qa_lead, impact_statement="Again")
    client.force_login(qa_lead)
    response = client.post(complete(rec), {"impact_statement": "Again"}, follow=True)
    assert "already completed" in response.text
    rec.refresh_from_db()
    assert rec.impact_statement == "JB travels alone"
    assert rec.progress_updates.count() == 1


def test_a_flagged_social_worker_cannot_complete_or_not_accept(client, social_worker, rec):
    client.force_login(social_worker)
    assert client.get(complete(rec)).status_code == 403
    assert client.post(complete(rec), {"impact_statement": "Done"}).status_code == 403
    assert client.post(not_accepted(rec), {"not_accepted_reason": "No"}).status_code == 403


# Not accepting: needs a reason


def test_not_accepting_needs_a_reason(client, qa_lead, rec):
    client.force_login(qa_lead)
    response = client.post(not_accepted(rec), {"not_accepted_reason": ""})
    assert response.status_code == 200
    assert "Error: Record that it was not accepted" in response.text
    assert error_beside(response.text, "not_accepted_reason") == "Error: Give the reason it was not accepted"
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN


def test_not_accepted_with_a_reason_leaves_the_live_tracker(client, qa_lead, rec):
    client.force_login(qa_lead)
    response = client.post(not_accepted(rec), {"not_accepted_reason": "JB has moved to a new placement."})
    page = client.get(response.url).text
    assert "Recorded as not accepted" in page
    assert "JB has moved to a new placement." in page
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.NOT_ACCEPTED
    tracker = reverse("reviews:tracker")
    assert [r.pk for r in client.get(tracker, {"status": "not_accepted"}).context["page"]] == [rec.pk]
    assert client.get(progress(rec), follow=True).redirect_chain[-1][0] == detail(rec)


def test_the_service_needs_a_reason(qa_lead, rec):
    with pytest.raises(ValidationError):
        services.recommendation_not_accept(recommendation=rec, by=qa_lead, reason=" ")
