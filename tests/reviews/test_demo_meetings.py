"""The demo review meetings: from April 2024 to today at each provider's cadence, the full
compliance checklist at every meeting held, one open meeting per provider with young people
placed (a couple overdue), recommendations raised at meetings, and safe to run twice."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from providers.models import Placement, Provider
from qa_portal.reporting import demo
from reviews.models import (
    CADENCE_MONTHS,
    COUNTED_AREAS,
    CadenceThresholds,
    ComplianceArea,
    ComplianceCheck,
    MeetingStatus,
    ProgressUpdate,
    Rag,
    Recommendation,
    RecommendationStatus,
    ReviewMeeting,
    Source,
    YoungPersonOutcome,
    next_due,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return demo.seed()


def providers_with_placements(on=None):
    on = on or timezone.localdate()
    return Provider.objects.filter(pk__in=Placement.objects.active_on(on).values("provider"))


def held_meetings(provider):
    return list(ReviewMeeting.objects.held().filter(provider=provider).order_by("held_at"))


def test_every_provider_with_young_people_placed_has_exactly_one_open_meeting(seeded):
    placed = providers_with_placements()
    assert placed.count() >= 10
    for provider in placed:
        assert ReviewMeeting.objects.open().filter(provider=provider).count() == 1, provider
        assert held_meetings(provider), provider
    # No routine review without anyone placed.
    assert not ReviewMeeting.objects.exclude(provider__in=placed).exists()
    assert seeded.recommendations["meetings_open"] == placed.count()


def test_held_meetings_run_from_april_2024_at_the_cadence_placements_call_for(seeded):
    thresholds = CadenceThresholds.current()
    today = timezone.localdate()
    cadences = Counter()
    for provider in providers_with_placements():
        meetings = held_meetings(provider)
        assert date(2024, 4, 1) <= meetings[0].held_on < date(2024, 12, 1), provider
        assert meetings[-1].held_on < today
        for earlier, later in pairwise(meetings):
            placed = Placement.objects.active_on(earlier.held_on).filter(provider=provider).count()
            assert later.placement_volume == placed, (provider, later)
            assert later.cadence == thresholds.cadence_for(placed), (provider, later)
            on_cadence = earlier.held_on + relativedelta(months=CADENCE_MONTHS[later.cadence])
            if later.brought_forward_because:
                assert later.due_date < on_cadence
            else:
                assert later.due_date == on_cadence, (provider, later)
            cadences[later.cadence] += 1
        for meeting in meetings:
            # Held on the day it was due or in the week before (a weekend or bank holiday may add a day or two).
            assert 0 <= (meeting.due_date - meeting.held_on).days <= 10, meeting
            assert meeting.status == MeetingStatus.HELD and meeting.recorded_by.email == "commissioning@example.org"
        open_meeting = ReviewMeeting.objects.open().get(provider=provider)
        assert open_meeting.due_date == next_due(open_meeting.cadence, meetings[-1].held_on, today)
    assert set(cadences) == {"quarterly", "half_yearly", "annual"}


def test_every_meeting_held_has_its_write_up_and_all_nine_checks(seeded):
    for meeting in ReviewMeeting.objects.held().prefetch_related("compliance_checks"):
        assert meeting.attendees.count("\n") >= 1, meeting
        assert meeting.provider_concerns and meeting.provider_successes and meeting.feedback_to_authority, meeting
        assert meeting.notes, meeting
        checks = {check.area: check for check in meeting.compliance_checks.all()}
        assert set(checks) == set(ComplianceArea.values), meeting
        for area, check in checks.items():
            assert check.rag in Rag.values and check.notes, check
            if area in COUNTED_AREAS:
                assert check.count is not None, check
                assert str(check.count) in check.notes or check.count == 0, check
            else:
                assert check.count is None, check
    for meeting in ReviewMeeting.objects.open():
        assert meeting.held_at is None and not meeting.compliance_checks.exists()
    # Written up in varied words, not one note pasted everywhere.
    assert ReviewMeeting.objects.held().values("notes").distinct().count() > 0.9 * ReviewMeeting.objects.held().count()


def test_ratings_are_mostly_green_and_amber_with_a_few_red(seeded):
    ratings = Counter(ComplianceCheck.objects.values_list("rag", flat=True))
    total = sum(ratings.values())
    assert ratings[Rag.GREEN] > 0.75 * total
    assert ratings[Rag.AMBER] >= 20
    assert 3 <= ratings[Rag.RED] <= 0.03 * total
    assert seeded.recommendations["red_ratings"] == ratings[Rag.RED]


def test_the_provider_under_a_placement_stop_is_red_on_notifications_and_retention(seeded):
    fellside = Provider.objects.get(name="Fellside Care")
    latest = held_meetings(fellside)[-1]
    reds = set(latest.compliance_checks.filter(rag=Rag.RED).values_list("area", flat=True))
    assert reds == {ComplianceArea.SAFEGUARDING_NOTIFICATIONS, ComplianceArea.STAFF_RETENTION}
    # The Regulation 44 concern brought a meeting forward to 5 December 2024, with the QA lead there.
    urgent = ReviewMeeting.objects.get(provider=fellside, brought_forward_because__contains="Regulation 44")
    assert urgent.held_on == date(2024, 12, 5)
    assert "Laura Dennison" in urgent.attendees


def test_a_couple_of_open_meetings_are_overdue(seeded):
    overdue = ReviewMeeting.objects.overdue()
    assert 2 <= overdue.count() <= 3
    assert {"Oakhurst Children's Homes", "Brightwater Foster Care"} <= set(
        overdue.values_list("provider__name", flat=True)
    )
    assert seeded.recommendations["meetings_overdue"] == overdue.count()


def test_outcomes_are_for_young_people_placed_there_by_initials_and_some_go_on_the_case_record(seeded):
    outcomes = YoungPersonOutcome.objects.select_related("meeting", "young_person")
    assert outcomes.count() >= ReviewMeeting.objects.held().count()
    for outcome in outcomes:
        meeting, person = outcome.meeting, outcome.young_person
        assert (
            Placement.objects.active_on(meeting.held_on).filter(provider=meeting.provider, young_person=person).exists()
        ), outcome
        assert person.initials in outcome.notes
        if outcome.recorded_on_case_record_at:
            assert outcome.for_case_record and outcome.recorded_on_case_record_by
    flagged = outcomes.filter(for_case_record=True)
    assert 0.2 * outcomes.count() < flagged.count() < 0.8 * outcomes.count()
    assert flagged.filter(recorded_on_case_record_at__isnull=False).exists()


def test_recommendations_raised_at_meetings_are_in_various_states(seeded):
    raised = Recommendation.objects.filter(source=Source.REVIEW_MEETING).select_related("review_meeting")
    assert 2 <= raised.count() <= 3
    assert len(set(raised.values_list("status", flat=True))) == raised.count()
    for rec in raised:
        rec.full_clean()
        assert rec.provider == rec.review_meeting.provider
        assert rec.review_meeting.status == MeetingStatus.HELD
        assert rec.created_at > rec.review_meeting.held_at
        if rec.status == RecommendationStatus.COMPLETED:
            assert len(rec.impact_statement) > 80 and rec.completed_at > rec.created_at
    assert ProgressUpdate.objects.filter(recommendation__in=raised).exists()
    assert seeded.recommendations["meeting_recommendations"] == raised.count()


def _snapshot():
    snapshot = {}
    for model in (ReviewMeeting, ComplianceCheck, YoungPersonOutcome, Recommendation):
        snapshot[model.__name__] = list(model.objects.order_by("pk").values())
        snapshot[f"{model.__name__} history"] = model.history.count()
    snapshot["progress"] = list(ProgressUpdate.objects.order_by("pk").values())
    return snapshot


def test_running_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    before = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == before
    assert not mail.outbox


def test_a_later_day_holds_the_meetings_then_due_and_opens_the_next(seeded):
    later = timezone.localdate() + timedelta(days=120)
    was_open = {m.provider_id: m.pk for m in ReviewMeeting.objects.open()}
    again = demo.seed(today=later)
    for provider in providers_with_placements(later):
        assert ReviewMeeting.objects.open().filter(provider=provider).count() == 1, provider
    assert again.recommendations["meetings_held"] > seeded.recommendations["meetings_held"]
    # The meetings open before were held, or are still the provider's one open meeting: none left behind.
    before = ReviewMeeting.objects.filter(pk__in=was_open.values())
    assert set(before.values_list("status", flat=True)) == {MeetingStatus.HELD, MeetingStatus.SCHEDULED}
    assert before.held().exists()
    pairs = ReviewMeeting.objects.values_list("provider", "due_date")
    assert len(set(pairs)) == len(pairs)
    assert again.recommendations["meeting_recommendations"] == seeded.recommendations["meeting_recommendations"]


def test_an_open_meeting_someone_scheduled_is_left_alone(seeded):
    keystone = Provider.objects.get(name="Keystone Pathways")
    ours = ReviewMeeting.objects.open().get(provider=keystone)
    ours.delete()
    theirs = ReviewMeeting.objects.create(
        provider=keystone, cadence="quarterly", placement_volume=11, due_date=timezone.localdate() + timedelta(days=3)
    )
    demo.seed()
    assert list(ReviewMeeting.objects.open().filter(provider=keystone)) == [theirs]
