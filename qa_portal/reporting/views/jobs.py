"""The jobs page: for the QA lead and administrators, when each scheduled job last ran, any daily
job that did not run on time, and the emails that failed (which administrators can send again)."""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from qa_portal import delivery, notify, tags
from qa_portal import jobs as daily
from qa_portal.models import JOB_LATE_AFTER, JobRun, Notification, NotificationStatus

JOBS = {
    "schedule_reviews": "Review scheduling",
    "send_reminders": "Reminders",
    "refresh_risk_ratings": "Providers' risk ratings",
    "catch_up": "Catching up: emails to send again, committee packs and documents held up, daily jobs missed",
    "delete_used_form_tokens": "Forgetting used form tokens",
    "delete_expired_documents": "Deleting documents kept for download past their time",
    "delete_old_access_log": "Deleting access log entries kept past their time",
}

tags.register(
    "job_timeliness",
    colours={"late": "orange", "missed": "red"},
    labels={"late": "Late", "missed": "Did not run"},
)


@dataclass
class JobRow:
    job: str
    label: str
    when: str  # how often it runs, in words
    run: JobRun | None  # the latest run
    timeliness: str = ""  # "late", "missed" or "" (on time, or not a daily job)
    note: str = ""

    @property
    def did(self) -> str:
        """What the latest run did, in words: "Provider flagged: 1, Review coming up: 2"."""
        return summary_words(self.run.summary if self.run else {})


def summary_words(summary: dict) -> str:
    """A job run's summary (counts by key, and "details", which is not shown) as the jobs page says
    it: each key in words with only its first letter capital ("review_coming_up" -> "Review
    coming up"), then its count, joined with commas; "" for an empty summary."""
    return ", ".join(
        f"{key.replace('_', ' ').capitalize()}: {value}" for key, value in summary.items() if key != "details"
    )


def job_name(job: str) -> str:
    """A job's short name for the list of recent runs: its label up to any colon, or its key in
    words for a job no longer scheduled."""
    return JOBS.get(job, job.replace("_", " ").capitalize()).split(":")[0]


def _at(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local:%-d %B}"


def _row(job: str, label: str, latest: JobRun | None, now) -> JobRow:
    if job not in settings.DAILY_JOBS:
        return JobRow(job, label, f"Every {settings.CATCH_UP_SECONDS // 60} minutes", latest)
    row = JobRow(job, label, f"Daily at {settings.DAILY_JOBS[job]['at']:%H:%M}", latest)
    due = daily.last_due(job, now)
    run = daily.runs_since(job, due).order_by("started_at").first()
    if run is None and now - due > JOB_LATE_AFTER:
        row.timeliness = "missed"
        row.note = f"Did not run at {_at(due)}. It runs as soon as the background worker and Redis are working again."
    elif run is not None and run.due_at and run.late:
        row.timeliness = "late"
        ran = timezone.localtime(run.started_at)
        ran_at = f"{ran:%H:%M}" if ran.date() == timezone.localtime(run.due_at).date() else _at(ran)
        row.note = f"Did not run at {_at(run.due_at)}; ran at {ran_at}, when the background worker came back."
    return row


@require_GET
@permission_required("qa_portal.view_jobs_page", raise_exception=True)
def jobs(request):
    now = timezone.now()
    latest_ids = JobRun.objects.values("job").annotate(last=Max("pk")).values_list("last", flat=True)
    latest = {run.job: run for run in JobRun.objects.filter(pk__in=list(latest_ids))}
    rows = [_row(job, label, latest.get(job), now) for job, label in JOBS.items()]
    failed = Notification.objects.filter(status=NotificationStatus.FAILED).order_by("-created_at")[:20]
    recent = list(JobRun.objects.order_by("-started_at")[:30])
    for run in recent:
        run.name = job_name(run.job)
    context = {
        "rows": rows,
        "failed": failed,
        "recent": recent,
        "can_send_again": request.user.has_perm("qa_portal.change_notification"),
    }
    return render(request, "reporting/jobs.html", context)


@require_POST
@permission_required("qa_portal.change_notification", raise_exception=True)
def send_again(request, pk):
    """An administrator sends a failed email again: it waits to be sent at once, with a fresh day
    of attempts and the same Message-ID."""
    notification = Notification.objects.filter(pk=pk).first()
    if notification is None or not delivery.send_again(Notification.objects.filter(pk=pk)):
        messages.error(request, "That email has not failed, so there is nothing to send again.")
    else:
        transaction.on_commit(partial(notify.enqueue, pk))
        messages.success(request, f"“{notification.subject}” to {notification.email} will be sent again.")
    return redirect("jobs")
