"""A record of every scheduled job run, shown to the QA lead, and the daily jobs' timetable.

A daily job (settings.DAILY_JOBS) runs once for each time it falls due: beat starts it at its
time, and if the worker or Redis was down then, the catch-up starts it when they are back
(qa_portal.catchup). Each run records the time it was due, so the jobs page can say it was late.
"""

import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from qa_portal.models import JobRun

# A run still unfinished after this long died with its worker: it no longer counts as running.
RUN_GIVEN_UP_AFTER = timedelta(minutes=30)
# The catch-up leaves a daily job this long after its time to beat, and tries a failing one this
# many times a day.
MISSED_AFTER = timedelta(minutes=2)
TRIES_A_DAY = 3


@contextmanager
def record_job(job: str, *, dry_run: bool = False, due_at: datetime | None = None):
    """Run a job's body, recording when it ran, whether it worked and the summary it filled in.
    `due_at`: for a daily job, the scheduled time this run is for."""
    run = JobRun.objects.create(job=job, dry_run=dry_run, due_at=due_at)
    summary: dict = {}
    try:
        yield summary
    except Exception as exc:
        run.ok, run.error = False, f"{exc.__class__.__name__}: {exc}"[:2000]
        raise
    else:
        run.ok = True
    finally:
        run.summary = summary
        run.finished_at = timezone.now()
        run.save(update_fields=["ok", "error", "summary", "finished_at"])


def last_due(job: str, now: datetime | None = None) -> datetime:
    """The latest time, at or before `now`, that the daily `job` fell due (UK time, so 07:00 stays
    07:00 across the clock changes)."""
    at = settings.DAILY_JOBS[job]["at"]
    today = timezone.localtime(now or timezone.now())
    due = timezone.make_aware(datetime.combine(today.date(), at))
    if due > today:
        due = timezone.make_aware(datetime.combine(today.date() - timedelta(days=1), at))
    return due


def runs_since(job: str, due: datetime):
    """Real (not dry) runs of `job` started at or after `due`."""
    return JobRun.objects.filter(job=job, dry_run=False, started_at__gte=due)


def has_run(job: str, due: datetime, now: datetime) -> bool:
    """Whether `job` has run for the time it fell due, or is running now: a run that worked, or
    one started lately and not yet finished."""
    return (
        runs_since(job, due).filter(Q(ok=True) | Q(ok__isnull=True, started_at__gt=now - RUN_GIVEN_UP_AFTER)).exists()
    )


def missed(now: datetime | None = None) -> list[str]:
    """The daily jobs whose latest time came (MISSED_AFTER ago or more) with no run for it, and
    which have not already failed TRIES_A_DAY times since."""
    now = now or timezone.now()
    names = []
    for job in settings.DAILY_JOBS:
        due = last_due(job, now)
        if now - due < MISSED_AFTER or has_run(job, due, now):
            continue
        if runs_since(job, due).filter(ok=False).count() >= TRIES_A_DAY:
            continue
        names.append(job)
    return names


@contextmanager
def _only_one(job: str) -> Iterator[bool]:
    # A PostgreSQL advisory lock: beat's run and the catch-up's can start at the same moment.
    key = zlib.crc32(f"qa_portal.daily:{job}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        locked = cursor.fetchone()[0]
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def run_daily(job: str, body: Callable[[], dict], *, now: datetime | None = None) -> dict | None:
    """Run the daily `job` for its latest due time, unless it has run for it already or is running
    now (beat and the catch-up may both start it). `body` does the work and returns the summary.
    Returns the summary, or None if it did not run."""
    now = now or timezone.now()
    due = last_due(job, now)
    with _only_one(job) as locked:
        if not locked or has_run(job, due, now):
            return None
        with record_job(job, due_at=due) as summary:
            summary.update(body())
    return summary
