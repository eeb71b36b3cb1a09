"""Each person's notifications, and for the QA lead the scheduled jobs' last runs."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qa_portal import access
from qa_portal.filters import NOTIFICATION_COLUMNS, NotificationFilterSet
from qa_portal.lists import paginate
from qa_portal.models import JobRun, Notification

JOBS = {
    "schedule_reviews": "Review scheduling",
    "send_reminders": "Reminders",
    "send_pending_notifications": "Sending waiting notifications",
}


@require_GET
def notifications(request):
    mine = access.visible_to(request.user, Notification)
    filterset = NotificationFilterSet(request.GET, queryset=mine, request=request)
    page = paginate(request, filterset.qs, 25)
    unread = [n.pk for n in page if n.read_at is None]
    context = {"filterset": filterset, "columns": NOTIFICATION_COLUMNS, "page": page, "unread_ids": set(unread)}
    response = render(request, "qa_portal/notifications.html", context)
    # Seen now: the next page load shows them as read.
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response


@require_GET
@permission_required("qa_portal.view_jobs_page", raise_exception=True)
def jobs(request):
    latest_ids = JobRun.objects.values("job").annotate(last=Max("pk")).values_list("last", flat=True)
    latest = {run.job: run for run in JobRun.objects.filter(pk__in=list(latest_ids))}
    rows = [(name, label, latest.get(name)) for name, label in JOBS.items()]
    failed = Notification.objects.filter(status="failed").order_by("-created_at")[:20]
    recent = JobRun.objects.order_by("-started_at")[:30]
    return render(request, "qa_portal/jobs.html", {"rows": rows, "failed": failed, "recent": recent})
