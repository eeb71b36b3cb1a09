"""Review scheduling by placement volume: one open meeting per provider, however it is run."""

import threading
import time
from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from providers.models import Placement
from qa_portal.models import JobRun, Notification
from qa_portal.working_days import working_day_on_or_after
from reviews import meetings
from reviews.models import ReviewMeeting
from reviews.scheduling import schedule_reviews
from tests.factories import PlacementFactory, ProviderFactory

TODAY = timezone.localdate()
# Never held: due now, or on the next working day when run on a weekend or bank holiday.
NOW = working_day_on_or_after(TODAY)


def place(provider, count):
    # Placed long before any of the days these tests schedule on.
    for _ in range(count):
        PlacementFactory(provider=provider, start_date=date(2024, 1, 8))


@pytest.fixture
def providers(db):
    busy, steady, single, empty = (ProviderFactory(name=n) for n in ("Busy", "Steady", "Single", "Empty"))
    place(busy, 5)
    place(steady, 2)
    place(single, 1)
    return busy, steady, single, empty


def open_meetings():
    return {(m.provider.name, m.cadence, m.due_date) for m in ReviewMeeting.objects.open().select_related("provider")}


@pytest.mark.django_db
def test_it_schedules_one_meeting_per_provider_with_placements_at_its_cadence(providers, commissioning_officer):
    schedule_reviews()
    assert open_meetings() == {
        ("Busy", "quarterly", NOW),
        ("Steady", "half_yearly", NOW),
        ("Single", "annual", NOW),
    }
    # The commissioning officer is told, to book it; a due date is not a meeting, so no calendar invite
    # goes until it is booked (a date, a time and a place).
    told = Notification.objects.filter(email=commissioning_officer.email, kind="review_scheduled")
    assert told.count() == 3
    assert all(n.calendar == "" and "Book it (the date, time, place and who is invited)" in n.body for n in told)


@pytest.mark.django_db
def test_running_it_twice_changes_nothing(providers, commissioning_officer):
    schedule_reviews()
    first = open_meetings()
    result = schedule_reviews()
    assert open_meetings() == first
    assert (result.created, result.moved, result.unchanged) == ([], [], 3)
    assert Notification.objects.count() == 3


def hold(provider, on, cadence="quarterly"):
    ReviewMeeting.objects.create(
        provider=provider,
        cadence=cadence,
        placement_volume=5,
        due_date=on,
        status="held",
        held_at=timezone.make_aware(datetime.combine(on, datetime.min.time()).replace(hour=14)),
    )


@pytest.mark.django_db
def test_the_next_meeting_is_due_one_cadence_after_the_last_held(providers):
    busy = providers[0]
    held = date(2026, 9, 9)  # a Wednesday: 9 December is a Wednesday too
    hold(busy, held)
    schedule_reviews(today=date(2026, 10, 1))
    assert ReviewMeeting.objects.open().get(provider=busy).due_date == held + relativedelta(months=3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("held", "due"),
    [
        (date(2027, 4, 3), date(2027, 7, 2)),  # three months on is Saturday 3 July 2027: the Friday before
        (date(2026, 2, 25), date(2026, 5, 22)),  # Monday 25 May 2026 is the spring bank holiday
        (date(2026, 9, 25), date(2026, 12, 24)),  # Christmas Day, a Friday
    ],
)
def test_a_due_date_on_a_weekend_or_bank_holiday_is_the_working_day_before(providers, held, due):
    busy = providers[0]
    hold(busy, held)
    schedule_reviews(today=held + timedelta(days=1))
    assert ReviewMeeting.objects.open().get(provider=busy).due_date == due


@pytest.mark.django_db
def test_scheduled_on_a_saturday_a_meeting_never_held_is_due_on_the_monday(providers):
    schedule_reviews(today=date(2027, 7, 3))
    assert {due for _, _, due in open_meetings()} == {date(2027, 7, 5)}


@pytest.mark.django_db
def test_a_meeting_brought_forward_to_a_bank_holiday_is_due_the_working_day_before(providers, commissioning_officer):
    busy = providers[0]
    ReviewMeeting.objects.create(provider=busy, cadence="quarterly", placement_volume=5, due_date=date(2027, 6, 30))
    meeting = meetings.meeting_schedule(
        provider=busy,
        due_date=date(2027, 5, 31),  # the spring bank holiday
        by=commissioning_officer,
        brought_forward_because="Concern: a young person went missing overnight",
    )
    assert meeting.due_date == date(2027, 5, 28)


@pytest.mark.django_db
def test_when_volume_changes_cadence_the_open_meeting_moves_and_the_officer_is_told(providers, commissioning_officer):
    single = providers[2]
    held = date(2026, 6, 10)
    hold(single, held, cadence="annual")
    schedule_reviews(today=date(2026, 9, 1))
    meeting = ReviewMeeting.objects.open().get(provider=single)
    assert (meeting.cadence, meeting.due_date) == ("annual", date(2027, 6, 10))
    place(single, 3)  # now 4 placements: quarterly
    result = schedule_reviews(today=date(2026, 9, 1))
    meeting.refresh_from_db()
    assert (meeting.cadence, meeting.due_date) == ("quarterly", date(2026, 9, 10))
    assert len(result.moved) == 1
    moved = Notification.objects.get(kind="review_moved")
    assert moved.subject == "Review meeting with Single now due 10 September 2026"
    assert moved.calendar == ""  # not booked: nothing in anyone's calendar to update


@pytest.mark.django_db
def test_a_provider_whose_placements_ended_has_no_routine_review(providers):
    Placement.objects.filter(provider=providers[2]).update(end_date=TODAY - timedelta(days=1))
    result = schedule_reviews()
    assert result.no_routine_review == 2
    assert not ReviewMeeting.objects.filter(provider=providers[2]).exists()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_leave_one_open_meeting_each(providers):
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            schedule_reviews()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(name for name, _, _ in open_meetings()) == ["Busy", "Single", "Steady"]
    assert ReviewMeeting.objects.open().count() == 3


@pytest.mark.django_db
def test_the_command_dry_run_changes_nothing_and_the_real_run_is_recorded(providers, capsys):
    call_command("schedule_reviews", "--dry-run")
    out = capsys.readouterr().out
    assert "Would schedule: Busy: quarterly" in out
    assert not ReviewMeeting.objects.exists()
    assert not JobRun.objects.exists()
    call_command("schedule_reviews")
    assert ReviewMeeting.objects.open().count() == 3
    run = JobRun.objects.get(job="schedule_reviews")
    assert run.ok and run.summary["created"] == 3


@pytest.mark.django_db
def test_the_worker_runs_the_scheduling_task(providers, celery_worker):
    from reviews.tasks import schedule_reviews as task

    task.delay()
    deadline = time.monotonic() + 20
    while not JobRun.objects.filter(job="schedule_reviews", finished_at__isnull=False).exists():
        assert time.monotonic() < deadline, "the worker did not run the task"
        time.sleep(0.2)
    assert ReviewMeeting.objects.open().count() == 3
    assert JobRun.objects.get(job="schedule_reviews").ok


@pytest.mark.django_db
def test_a_meeting_no_longer_needed_is_closed_even_before_it_is_booked(providers, commissioning_officer):
    single = providers[2]
    schedule_reviews()
    meeting = ReviewMeeting.objects.open().get(provider=single)
    Placement.objects.filter(provider=single).update(end_date=TODAY - timedelta(days=1))
    result = schedule_reviews()
    assert len(result.closed) == 1
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert ("Single", "annual", meeting.due_date) not in open_meetings()
    # Nobody holds an invite to it: the officer is told by email, with nothing to take out of a calendar.
    [told] = Notification.objects.filter(kind="review_cancelled")
    assert (told.email, told.calendar) == (commissioning_officer.email, "")
    assert "no routine review is needed" in told.body


@pytest.mark.django_db
def test_a_meeting_brought_forward_or_arranged_with_nobody_placed_is_left_to_the_officer(
    providers, commissioning_officer
):
    empty, busy = providers[3], providers[0]
    by_hand = meetings.meeting_schedule(provider=empty, due_date=TODAY + timedelta(days=10), by=commissioning_officer)
    schedule_reviews()
    forward = meetings.meeting_schedule(
        provider=busy,
        due_date=TODAY - timedelta(days=1),
        by=commissioning_officer,
        brought_forward_because="Concern: staff asleep on shift",
    )
    Placement.objects.filter(provider=busy).update(end_date=TODAY - timedelta(days=1))
    result = schedule_reviews()
    assert result.closed == []
    assert set(ReviewMeeting.objects.open().filter(provider__in=[empty, busy])) == {by_hand, forward}
