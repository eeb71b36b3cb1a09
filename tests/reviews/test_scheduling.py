"""Review scheduling by placement volume: one open meeting per provider, however it is run."""

import threading
import time
from datetime import datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from providers.models import Placement
from qa_portal.models import JobRun, Notification
from reviews.models import ReviewMeeting
from reviews.scheduling import schedule_reviews
from tests.factories import PlacementFactory, ProviderFactory

TODAY = timezone.localdate()


def place(provider, count):
    for _ in range(count):
        PlacementFactory(provider=provider, start_date=TODAY - timedelta(days=60))


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
        ("Busy", "quarterly", TODAY),
        ("Steady", "half_yearly", TODAY),
        ("Single", "annual", TODAY),
    }
    # The commissioning officer is told, with a calendar invite.
    told = Notification.objects.filter(email=commissioning_officer.email, kind="review_scheduled")
    assert told.count() == 3
    assert all("BEGIN:VCALENDAR" in n.calendar for n in told)


@pytest.mark.django_db
def test_running_it_twice_changes_nothing(providers, commissioning_officer):
    schedule_reviews()
    first = open_meetings()
    result = schedule_reviews()
    assert open_meetings() == first
    assert (result.created, result.moved, result.unchanged) == ([], [], 3)
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_the_next_meeting_is_due_one_cadence_after_the_last_held(providers):
    busy = providers[0]
    held = TODAY - timedelta(days=20)
    ReviewMeeting.objects.create(
        provider=busy,
        cadence="quarterly",
        placement_volume=5,
        due_date=held,
        status="held",
        held_at=timezone.make_aware(datetime.combine(held, datetime.min.time()).replace(hour=14)),
    )
    schedule_reviews()
    assert ReviewMeeting.objects.open().get(provider=busy).due_date == held + relativedelta(months=3)


@pytest.mark.django_db
def test_when_volume_changes_cadence_the_open_meeting_moves_and_the_invite_updates(providers, commissioning_officer):
    single = providers[2]
    held = TODAY - timedelta(days=100)
    ReviewMeeting.objects.create(
        provider=single,
        cadence="annual",
        placement_volume=1,
        due_date=held,
        status="held",
        held_at=timezone.make_aware(datetime.combine(held, datetime.min.time()).replace(hour=10)),
    )
    schedule_reviews()
    meeting = ReviewMeeting.objects.open().get(provider=single)
    assert (meeting.cadence, meeting.due_date) == ("annual", held + relativedelta(months=12))
    place(single, 3)  # now 4 placements: quarterly
    result = schedule_reviews()
    meeting.refresh_from_db()
    assert (meeting.cadence, meeting.due_date, meeting.invite_sequence) == (
        "quarterly",
        held + relativedelta(months=3),
        1,
    )
    assert len(result.moved) == 1
    moved = Notification.objects.get(kind="review_moved")
    scheduled = Notification.objects.get(kind="review_scheduled", object_id=meeting.pk)
    uid = next(line for line in scheduled.calendar.splitlines() if line.startswith("UID:"))
    assert uid in moved.calendar
    assert "SEQUENCE:1" in moved.calendar


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
