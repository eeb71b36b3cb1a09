"""Review meeting workflows: one open meeting per provider, bringing a meeting forward, recording
a meeting held (once), and what the preparation gathers since the last review."""

from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qa_portal.working_days import working_day_on_or_after, working_day_on_or_before
from reviews import meetings, preparation
from reviews.models import (
    COUNTED_AREAS,
    Cadence,
    ComplianceArea,
    ComplianceCheck,
    MeetingStatus,
    Recommendation,
    ReviewMeeting,
    Source,
    YoungPersonOutcome,
)
from reviews.selectors import review_status
from tests.factories import (
    ConcernFactory,
    InspectionFactory,
    PlacementFactory,
    RecommendationFactory,
    SettingFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db


# Helpers shared with the page tests (plain functions, not fixtures).


def today() -> date:
    return timezone.localdate()


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def ahead(n: int) -> date:
    """A due date about `n` days ahead: the first working day from then (a due date is always one)."""
    return working_day_on_or_after(today() + timedelta(days=n))


def place(provider, count, *, start=None, initials=None):
    """`count` young people placed with the provider now; returns them."""
    people = []
    for n in range(count):
        kwargs = {"initials": initials[n]} if initials else {}
        person = YoungPersonFactory(**kwargs)
        PlacementFactory(young_person=person, provider=provider, start_date=start or days_ago(400))
        people.append(person)
    return people


def held_meeting(provider, held_on: date, *, recorded_by=None) -> ReviewMeeting:
    """A meeting already held on `held_on`, at 10:00."""
    return ReviewMeeting.objects.create(
        provider=provider,
        cadence=Cadence.QUARTERLY,
        placement_volume=4,
        due_date=held_on,
        status=MeetingStatus.HELD,
        held_at=timezone.make_aware(datetime.combine(held_on, time(10, 0))),
        recorded_by=recorded_by,
    )


def all_checks(rag="green") -> dict:
    return {
        area: (rag, 2 if area in COUNTED_AREAS else None, f"Notes on {area.label.lower()}") for area in ComplianceArea
    }


def record(meeting, by, held_at, *, checks=None, outcomes=None):
    return meetings.meeting_record(
        meeting=meeting,
        by=by,
        held_at=held_at,
        attendees="Sam Okafor, commissioning officer\nDee Brown, registered manager",
        provider_concerns="Recruiting night staff",
        provider_successes="Two young people started college",
        feedback_to_authority="Referrals arrive late on Fridays",
        notes="",
        checks=all_checks() if checks is None else checks,
        outcomes=outcomes or {},
    )


def yesterday_at_ten():
    return timezone.make_aware(datetime.combine(days_ago(1), time(10, 0)))


# Scheduling


def test_a_meeting_takes_its_cadence_and_volume_from_the_register(provider, commissioning_officer):
    place(provider, 5)
    meeting = meetings.meeting_schedule(
        provider=provider, due_date=today() + timedelta(days=14), by=commissioning_officer
    )
    assert (meeting.cadence, meeting.placement_volume, meeting.status) == (
        Cadence.QUARTERLY,
        5,
        MeetingStatus.SCHEDULED,
    )
    assert meeting.history.get().history_user == commissioning_officer


def test_scheduling_twice_leaves_one_open_meeting(provider, commissioning_officer):
    place(provider, 2)
    first = meetings.meeting_schedule(provider=provider, due_date=ahead(30), by=commissioning_officer)
    second = meetings.meeting_schedule(provider=provider, due_date=ahead(10), by=commissioning_officer)
    assert second.pk == first.pk
    assert ReviewMeeting.objects.open().filter(provider=provider).count() == 1
    # Not brought forward, so the date stands.
    assert ReviewMeeting.objects.get(pk=first.pk).due_date == ahead(30)


def test_bringing_a_meeting_forward_moves_the_open_meetings_due_date(provider, commissioning_officer):
    place(provider, 2)
    first = meetings.meeting_schedule(provider=provider, due_date=ahead(60), by=commissioning_officer)
    moved = meetings.meeting_schedule(
        provider=provider,
        due_date=ahead(3),
        by=commissioning_officer,
        brought_forward_because="Social worker's concern about night staffing",
    )
    assert moved.pk == first.pk
    first.refresh_from_db()
    assert first.due_date == ahead(3)
    assert first.brought_forward_because == "Social worker's concern about night staffing"
    assert ReviewMeeting.objects.open().filter(provider=provider).count() == 1


def test_bringing_forward_to_a_later_date_leaves_the_open_meeting_alone(provider, commissioning_officer):
    due = working_day_on_or_after(ahead(5))
    first = meetings.meeting_schedule(provider=provider, due_date=due, by=commissioning_officer)
    meetings.meeting_schedule(
        provider=provider, due_date=ahead(20), by=commissioning_officer, brought_forward_because="x"
    )
    first.refresh_from_db()
    assert (first.due_date, first.brought_forward_because) == (due, "")


def test_a_meeting_scheduled_by_someone_else_meanwhile_is_returned_not_duplicated(provider, commissioning_officer):
    # As if another request committed its meeting between our look and our insert.
    theirs = ReviewMeeting.objects.create(
        provider=provider, cadence=Cadence.ANNUAL, placement_volume=1, due_date=ahead(9)
    )
    real = meetings._open_meeting_locked
    calls = []

    def nothing_the_first_time(p):
        calls.append(p)
        return None if len(calls) == 1 else real(p)

    with mock.patch.object(meetings, "_open_meeting_locked", side_effect=nothing_the_first_time):
        ours = meetings.meeting_schedule(provider=provider, due_date=ahead(2), by=commissioning_officer)
    assert ours.pk == theirs.pk
    assert ReviewMeeting.objects.filter(provider=provider).count() == 1


def test_a_held_meeting_does_not_stop_the_next_being_scheduled(provider, commissioning_officer):
    held_meeting(provider, days_ago(30))
    meeting = meetings.meeting_schedule(provider=provider, due_date=ahead(60), by=commissioning_officer)
    assert ReviewMeeting.objects.filter(provider=provider).count() == 2
    assert meeting.status == MeetingStatus.SCHEDULED


# Recording


@pytest.mark.parametrize(("placed", "months"), [(5, 3), (3, 6), (1, 12)])
def test_the_next_review_is_due_one_cadence_after_the_meeting_held(provider, commissioning_officer, placed, months):
    place(provider, placed)
    meeting = meetings.meeting_schedule(provider=provider, due_date=today(), by=commissioning_officer)
    record(meeting, commissioning_officer, yesterday_at_ten())
    status = review_status(provider)
    assert status.last_held == days_ago(1)
    assert status.next_due == working_day_on_or_before(days_ago(1) + relativedelta(months=months))
    assert status.open_meeting is None


def test_recording_stores_the_checklist_and_outcomes_and_marks_the_meeting_held(provider, commissioning_officer):
    jb, km = place(provider, 2, initials=["JB", "KM"])
    meeting = meetings.meeting_schedule(provider=provider, due_date=today(), by=commissioning_officer)
    checks = all_checks()
    checks[ComplianceArea.COMPLAINTS] = ("amber", 3, "Three complaints about food")
    record(
        meeting,
        commissioning_officer,
        yesterday_at_ten(),
        checks=checks,
        outcomes={jb.pk: ("Settled; college place confirmed", True), km.pk: ("", False)},
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.held_at == yesterday_at_ten()
    assert meeting.recorded_by == commissioning_officer
    assert meeting.provider_successes == "Two young people started college"
    assert meeting.compliance_checks.count() == 9
    complaints = meeting.compliance_checks.get(area=ComplianceArea.COMPLAINTS)
    assert (complaints.rag, complaints.count, complaints.notes) == ("amber", 3, "Three complaints about food")
    # Only the counted areas carry a number.
    assert meeting.compliance_checks.get(area=ComplianceArea.PAYMENT).count is None
    outcome = meeting.outcomes.get()  # KM's blank notes make no outcome
    assert (outcome.young_person, outcome.notes, outcome.for_case_record) == (
        jb,
        "Settled; college place confirmed",
        True,
    )


def test_a_meeting_is_recorded_once_however_often_it_is_submitted(provider, commissioning_officer):
    meeting = meetings.meeting_schedule(provider=provider, due_date=today(), by=commissioning_officer)
    stale = ReviewMeeting.objects.get(pk=meeting.pk)  # the second submission's copy, loaded before the first saved
    record(meeting, commissioning_officer, yesterday_at_ten())
    with pytest.raises(meetings.MeetingStepRefused):
        record(stale, UserFactory(), yesterday_at_ten() - timedelta(hours=1))
    meeting.refresh_from_db()
    assert meeting.held_at == yesterday_at_ten()
    assert meeting.recorded_by == commissioning_officer
    assert ComplianceCheck.objects.filter(meeting=meeting).count() == 9


def test_a_meeting_cannot_be_recorded_as_held_in_the_future(provider, commissioning_officer):
    meeting = meetings.meeting_schedule(provider=provider, due_date=today(), by=commissioning_officer)
    with pytest.raises(ValidationError):
        record(meeting, commissioning_officer, timezone.now() + timedelta(hours=2))
    assert ReviewMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED
    assert not ComplianceCheck.objects.exists()


def test_an_outcome_for_the_case_record_needs_notes(provider, commissioning_officer):
    (jb,) = place(provider, 1)
    meeting = meetings.meeting_schedule(provider=provider, due_date=today(), by=commissioning_officer)
    with pytest.raises(ValidationError):
        record(meeting, commissioning_officer, yesterday_at_ten(), outcomes={jb.pk: ("  ", True)})
    assert not YoungPersonOutcome.objects.exists()
    assert ReviewMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_a_recommendation_from_a_meeting_points_at_it(provider, commissioning_officer):
    meeting = meetings.meeting_schedule(provider=provider, due_date=today(), by=commissioning_officer)
    recommendation = meetings.meeting_recommendation_raise(
        recommendation=Recommendation(
            level="provider_service",
            text="Recruit two waking night staff by the end of March.",
            owner=commissioning_officer,
            due_date=today() + timedelta(days=30),
        ),
        meeting=meeting,
        by=commissioning_officer,
    )
    recommendation.refresh_from_db()
    assert (recommendation.source, recommendation.review_meeting, recommendation.provider) == (
        Source.REVIEW_MEETING,
        meeting,
        provider,
    )
    assert recommendation.created_by == commissioning_officer


# Preparation


def since_the_last_review(provider, commissioning_officer):
    """A provider reviewed 100 days ago, with things that happened before and after that review."""
    held_meeting(provider, days_ago(100))
    setting = SettingFactory(provider=provider, name="Willow House")
    VisitFactory(
        provider=provider,
        planned_date=days_ago(55),
        visit_date=days_ago(50),
        overall_judgement="with_reservations",
        overall_summary="Warm home; the garden needs work.",
    )
    VisitFactory(
        provider=provider, planned_date=days_ago(200), visit_date=days_ago(200), overall_summary="An old visit."
    )
    ConcernFactory(provider=provider, received_on=days_ago(30), summary="Staff do not knock before entering.")
    ConcernFactory(provider=provider, received_on=days_ago(150), summary="An old concern about food.")
    # Raised at the old visit: still open, so still to review.
    old_visit = VisitFactory(provider=provider, planned_date=days_ago(210), visit_date=days_ago(210))
    RecommendationFactory(visit=old_visit, text="Agree a bedtime routine with RT.")
    RecommendationFactory(
        visit=old_visit, text="A finished recommendation.", status="completed", impact_statement="Better."
    )
    InspectionFactory(setting=setting, inspection_date=days_ago(400), judgement=2)
    InspectionFactory(setting=setting, inspection_date=days_ago(40), judgement=4)
    started = YoungPersonFactory(initials="NS")
    PlacementFactory(young_person=started, provider=provider, start_date=days_ago(20))
    ended = YoungPersonFactory(initials="EL")
    PlacementFactory(young_person=ended, provider=provider, start_date=days_ago(300), end_date=days_ago(10))
    long_ago = YoungPersonFactory(initials="OL")
    PlacementFactory(young_person=long_ago, provider=provider, start_date=days_ago(500))
    return meetings.meeting_schedule(provider=provider, due_date=today() + timedelta(days=7), by=commissioning_officer)


def test_the_preparation_gathers_what_happened_since_the_last_review(provider, commissioning_officer):
    meeting = since_the_last_review(provider, commissioning_officer)
    since, last_held = preparation.since_last_review(meeting)
    assert since == last_held == days_ago(100)
    prep = preparation.meeting_preparation(provider=provider, since=since, user=commissioning_officer)
    assert [v.overall_summary for v in prep.visits] == ["Warm home; the garden needs work."]
    assert [c.summary for c in prep.concerns] == ["Staff do not knock before entering."]
    assert [r.text for r in prep.open_recommendations] == ["Agree a bedtime routine with RT."]
    assert [(c.inspection.result_label, c.previous, c.changed) for c in prep.inspections] == [
        ("Inadequate", "Good", True)
    ]
    assert [p.young_person.initials for p in prep.placements_started] == ["NS"]
    assert [p.young_person.initials for p in prep.placements_ended] == ["EL"]


def test_the_preparation_shows_only_what_the_user_may_see(provider, commissioning_officer, manager):
    meeting = since_the_last_review(provider, commissioning_officer)
    since, _ = preparation.since_last_review(meeting)
    # A manager sees visits, recommendations and concerns, but not young people or their placements.
    prep = preparation.meeting_preparation(provider=provider, since=since, user=manager)
    assert [v.overall_summary for v in prep.visits] == ["Warm home; the garden needs work."]
    assert [r.text for r in prep.open_recommendations] == ["Agree a bedtime routine with RT."]
    assert prep.placements_started == prep.placements_ended == []
    assert preparation.placed_for_meeting(meeting, user=manager) == []
    assert [p.initials for p in preparation.placed_for_meeting(meeting, user=commissioning_officer)] == ["NS", "OL"]


def test_without_a_review_held_the_preparation_looks_back_twelve_months(provider, commissioning_officer):
    meeting = meetings.meeting_schedule(
        provider=provider, due_date=today() + timedelta(days=7), by=commissioning_officer
    )
    assert preparation.since_last_review(meeting) == (today() - relativedelta(months=12), None)


def test_the_preparation_runs_a_fixed_number_of_queries(provider, commissioning_officer):
    meeting = since_the_last_review(provider, commissioning_officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            preparation.meeting_preparation(provider=provider, since=days_ago(100), user=commissioning_officer)
            preparation.placed_for_meeting(meeting, user=commissioning_officer)
        return len(captured)

    queries()  # the first loads the user's permissions, once
    before = queries()
    for n in range(4):
        VisitFactory(provider=provider, visit_date=days_ago(5 + n), planned_date=days_ago(5 + n))
        ConcernFactory(provider=provider, received_on=days_ago(5 + n))
        RecommendationFactory(visit__provider=provider)
        InspectionFactory(setting=SettingFactory(provider=provider), inspection_date=days_ago(5 + n))
        PlacementFactory(provider=provider, start_date=days_ago(5 + n))
    assert queries() == before


def test_young_people_for_the_meeting_are_those_placed_around_its_date(provider, commissioning_officer):
    place(provider, 1, initials=["NW"])
    PlacementFactory(
        young_person=YoungPersonFactory(initials="GO"),
        provider=provider,
        start_date=days_ago(400),
        end_date=days_ago(200),
    )
    meeting = meetings.meeting_schedule(
        provider=provider, due_date=today() + timedelta(days=7), by=commissioning_officer
    )
    assert [p.initials for p in preparation.placed_for_meeting(meeting, user=commissioning_officer)] == ["NW"]
