"""The jobs page: for the QA lead, when each scheduled job last ran and the notifications that failed."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Max
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qa_portal.models import JobRun, Notification

JOBS = {
    "schedule_reviews": "Review scheduling",
    "send_reminders": "Reminders",
    "send_pending_notifications": "Sending waiting notifications",
    "delete_used_form_tokens": "Forgetting used form tokens",
}


@require_GET
@permission_required("qa_portal.view_jobs_page", raise_exception=True)
def jobs(request):
    latest_ids = JobRun.objects.values("job").annotate(last=Max("pk")).values_list("last", flat=True)
    latest = {run.job: run for run in JobRun.objects.filter(pk__in=list(latest_ids))}
    rows = [(name, label, latest.get(name)) for name, label in JOBS.items()]
    failed = Notification.objects.filter(status="failed").order_by("-created_at")[:20]
    recent = JobRun.objects.order_by("-started_at")[:30]
    return render(request, "reporting/jobs.html", {"rows": rows, "failed": failed, "recent": recent})
