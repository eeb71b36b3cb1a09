"""One recommendation: what its page shows, recording progress, completing it with an impact statement,
not accepting it, the monthly meeting, raising one from a concern, and the actions flagged to staff."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qa_portal.roles import Role
from reviews import services
from reviews.models import ProgressUpdate, Recommendation, RecommendationStatus
from tests.factories import (
    ConcernFactory,
    PlacementFactory,
    RecommendationFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)
from tests.pages import heading, text_of

pytestmark = pytest.mark.django_db

IMPACT_NEEDED = "Say what difference this made for the child before completing it"
MEETING = reverse("reviews:tracker_meeting")
MY_ACTIONS = reverse("reviews:my_actions")


def detail(rec):
    return reverse("reviews:recommendation_detail", args=[rec.pk])


def progress(rec):
    return reverse("reviews:recommendation_progress", args=[rec.pk])


def complete(rec):
    return reverse("reviews:recommendation_complete", args=[rec.pk])


def not_accepted(rec):
    return reverse("reviews:recommendation_not_accepted", args=[rec.pk])


def error_beside(html, field):
    """The error message shown beside a field (GOV.UK: in the field's form group, above the input)."""
    match = re.search(
        rf'<span id="id_{field}_\d+_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>(.*?)</span>',
        html,
        re.S,
    )
    return "Error: " + " ".join(match.group(1).split()) if match else None


@pytest.fixture
def person(social_worker):
    return YoungPersonFactory(initials="JB", social_worker=social_worker)


@pytest.fixture
def rec(provider, senior_leader, person):
    """A child-level recommendation owned by the senior leader, the social worker holding the action."""
    return RecommendationFactory(
        visit=VisitFactory(provider=provider),
        level="child",
        young_person=person,
        owner=senior_leader,
        action_holder="social_worker",
        text="Agree a plan for JB's college travel with her social worker.",
        due_date=timezone.localdate() + timedelta(days=14),
        priority="high",
    )


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
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
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


# The monthly tracking meeting


@pytest.fixture
def meeting(provider, qa_lead):
    """Three live recommendations, due one after the other, and one completed (not in the meeting)."""
    today = timezone.localdate()
    recs = [
        RecommendationFactory(
            text=f"Meeting item {n}", provider=provider, owner=qa_lead, due_date=today + timedelta(days=n)
        )
        for n in (1, 2, 3)
    ]
    RecommendationFactory(
        text="Already done", status="completed", impact_statement="Done", due_date=today - timedelta(days=1)
    )
    return recs


def test_the_meeting_walks_through_live_recommendations_in_due_order(client, qa_lead, meeting):
    client.force_login(qa_lead)
    first = client.get(MEETING)
    assert first.context["recommendation"] == meeting[0]
    assert "Monthly tracking meeting: 1 of 3" in first.text
    assert 'href="?at=2"' in first.text
    second = client.get(MEETING, {"at": 2})
    assert second.context["recommendation"] == meeting[1]
    assert 'href="?at=1"' in second.text
    end = client.get(MEETING, {"at": 4})
    assert "That was the last recommendation" in end.text


def test_saving_progress_in_the_meeting_moves_to_the_next(client, qa_lead, meeting):
    client.force_login(qa_lead)
    response = client.post(
        f"{MEETING}?at=1", {"recommendation": meeting[0].pk, "text": "Started", "status": "in_progress"}
    )
    assert response.status_code == 302
    assert response.url == f"{MEETING}?at=2"
    page = client.get(response.url)
    assert page.context["recommendation"] == meeting[1]
    assert f"Progress saved on recommendation {meeting[0].pk}" in page.text
    meeting[0].refresh_from_db()
    assert meeting[0].status == RecommendationStatus.IN_PROGRESS


def test_completing_in_the_meeting_needs_an_impact_statement_and_keeps_what_was_typed(client, qa_lead, meeting):
    client.force_login(qa_lead)
    data = {"recommendation": meeting[1].pk, "text": "Fence replaced last week", "status": "completed"}
    response = client.post(f"{MEETING}?at=2", data)
    assert response.status_code == 200
    page = response.text
    assert "<title>\n      \n  Error: Monthly tracking meeting" in page
    assert error_beside(page, "impact_statement") == f"Error: {IMPACT_NEEDED}"
    assert "Fence replaced last week</textarea>" in page
    meeting[1].refresh_from_db()
    assert meeting[1].status == RecommendationStatus.OPEN

    data["impact_statement"] = "The young people use the garden again."
    response = client.post(f"{MEETING}?at=2", data)
    # It has left the list, so the one that took its place comes next.
    assert response.url == f"{MEETING}?at=2"
    assert client.get(response.url).context["recommendation"] == meeting[2]
    meeting[1].refresh_from_db()
    assert meeting[1].status == RecommendationStatus.COMPLETED
    assert meeting[1].impact_statement == "The young people use the garden again."


def test_the_meeting_keeps_the_tracker_filters(client, qa_lead, meeting, other_provider):
    elsewhere = RecommendationFactory(provider=other_provider, text="Elsewhere", due_date=timezone.localdate())
    client.force_login(qa_lead)
    assert client.get(MEETING).context["recommendation"] == elsewhere
    filtered = client.get(MEETING, {"provider": meeting[0].provider_id})
    assert filtered.context["total"] == 3
    assert filtered.context["recommendation"] == meeting[0]
    response = client.post(
        f"{MEETING}?provider={meeting[0].provider_id}&at=1",
        {"recommendation": meeting[0].pk, "text": "Going well", "status": "open"},
    )
    assert response.url == f"{MEETING}?provider={meeting[0].provider_id}&at=2"


def test_in_the_meeting_a_manager_reads_but_cannot_update(client, manager, meeting):
    client.force_login(manager)
    page = client.get(MEETING)
    assert "Monthly tracking meeting: 1 of 3" in text_of(page)
    assert "Meeting item 1" in text_of(page)
    assert "You can read this recommendation but not update it." in text_of(page)
    assert "Update from this meeting" not in page.text
    response = client.post(MEETING, {"recommendation": meeting[0].pk, "text": "Sneaky", "status": "in_progress"})
    assert response.status_code == 403


def test_in_the_meeting_a_flagged_social_worker_records_progress_but_cannot_complete(client, social_worker, rec):
    client.force_login(social_worker)
    page = client.get(MEETING)
    assert page.context["recommendation"] == rec
    assert 'value="completed"' not in page.text
    data = {"recommendation": rec.pk, "text": "Met JB", "status": "completed", "impact_statement": "Better"}
    refused = client.post(f"{MEETING}?at=1", data)
    assert refused.status_code == 200
    assert error_beside(refused.text, "status").startswith("Error: Select a valid choice")
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN
    data["status"] = "in_progress"
    assert client.post(f"{MEETING}?at=1", data).status_code == 302
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.IN_PROGRESS


@pytest.mark.parametrize("user_with_role", [Role.PROVIDER_USER, Role.ADMINISTRATOR], indirect=True)
def test_the_meeting_is_for_staff(client, user_with_role, meeting):
    client.force_login(user_with_role)
    assert client.get(MEETING).status_code == 403


def test_with_nothing_live_the_meeting_says_so(client, qa_lead):
    client.force_login(qa_lead)
    assert "Nothing to go through" in client.get(MEETING).text


# Raising a recommendation from a concern or another source


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


# The actions flagged to a member of staff


def test_a_social_worker_sees_the_actions_flagged_to_them(client, social_worker, rec, person, senior_leader):
    not_theirs = RecommendationFactory(text="Not theirs", owner=senior_leader)
    held_by_provider = RecommendationFactory(
        text="Provider holds it", level="child", young_person=person, action_holder="provider"
    )
    owned = RecommendationFactory(text="Owned by them", owner=social_worker)
    done = RecommendationFactory(
        text="Done", owner=social_worker, status="completed", impact_statement="Better", completed_at=timezone.now()
    )
    client.force_login(social_worker)
    response = client.get(MY_ACTIONS)
    shown = [r.pk for r in response.context["page"]]
    assert sorted(shown) == sorted([rec.pk, owned.pk])
    assert not {not_theirs.pk, held_by_provider.pk, done.pk} & set(shown)
    assert f'{progress(rec)}">Record progress<span class="govuk-visually-hidden"> on recommendation {rec.pk}' in (
        response.text
    )


def test_a_provider_user_is_sent_to_their_own_page_from_my_actions(client, provider_user):
    client.force_login(provider_user)
    response = client.get(MY_ACTIONS)
    assert response.url == reverse("reviews:provider_recommendations")


def test_my_actions_runs_a_fixed_number_of_queries(client, social_worker):
    client.force_login(social_worker)

    def make(count):
        for n in range(count):
            person = YoungPersonFactory(social_worker=social_worker)
            rec = RecommendationFactory(level="child", young_person=person, action_holder="social_worker")
            ProgressUpdate.objects.create(recommendation=rec, text=f"Note {n}", status_after="open", by=rec.owner)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MY_ACTIONS).status_code == 200
        return len(captured)

    make(2)
    small = queries()
    make(20)
    assert queries() == small
    assert client.get(MY_ACTIONS).context["page"].paginator.count == 22
