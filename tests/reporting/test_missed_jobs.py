"""A daily job whose time came while the worker (or Redis) was down runs as soon as a worker is
back, once, and the jobs page says it did not run on time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal import catchup, jobs
from qa_portal.models import JobRun
from qa_portal.reporting.tasks import send_reminders
from reviews.tasks import schedule_reviews
from tests.pages import text_of
from tests.processes import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminders_two_hours_ago(settings):
    """Reminders due two hours ago (whatever the time now), with yesterday's run made on time.
    Returns the time today's fell due."""
    clock = (timezone.localtime() - timedelta(hours=2)).time().replace(second=0, microsecond=0)
    settings.DAILY_JOBS = {
        **settings.DAILY_JOBS,
        "send_reminders": {**settings.DAILY_JOBS["send_reminders"], "at": clock},
    }
    due = jobs.last_due("send_reminders")
    yesterday = due - timedelta(days=1)
    JobRun.objects.create(job="send_reminders", due_at=yesterday, started_at=yesterday, finished_at=yesterday, ok=True)
    return timezone.localtime(due)


@pytest.mark.processes
def test_a_daily_job_missed_while_the_worker_was_down_runs_when_it_starts_and_shows_late(
    client, qa_lead, reminders_two_hours_ago, start_worker
):
    due = reminders_two_hours_ago
    client.force_login(qa_lead)
    page = text_of(client.get(reverse("jobs")))
    assert f"Did not run Did not run at {due:%H:%M} on {due:%-d %B}. It runs as soon as" in page

    start_worker(REMINDERS_TIME=f"{due:%H:%M}")

    run = wait_until(
        lambda: JobRun.objects.filter(job="send_reminders", due_at=due, finished_at__isnull=False).first(),
        60,
        "the worker ran the missed reminders",
        0.2,
    )
    assert run.ok and run.late
    page = text_of(client.get(reverse("jobs")))
    assert f"Late Did not run at {due:%H:%M} on {due:%-d %B}; ran at " in page
    assert "when the background worker came back." in page
    assert f"(late: due at {due:%H:%M})" in page


def test_the_catch_up_runs_a_missed_daily_job_once_however_often_it_runs(reminders_two_hours_ago):
    assert catchup.run()["daily jobs run late"] >= 1
    assert "daily jobs run late" not in catchup.run()
    assert send_reminders() is None  # beat's own message, arriving late, finds it done
    assert JobRun.objects.filter(job="send_reminders", due_at=reminders_two_hours_ago).count() == 1


def test_daily_jobs_that_ran_on_time_are_not_late(client, qa_lead, settings):
    now = timezone.localtime().time()
    settings.DAILY_JOBS = {job: {**daily, "at": now} for job, daily in settings.DAILY_JOBS.items()}
    send_reminders()
    schedule_reviews()
    assert "daily jobs run late" not in catchup.run()
    client.force_login(qa_lead)
    page = text_of(client.get(reverse("jobs")))
    assert "Did not run" not in page and "Late" not in page
