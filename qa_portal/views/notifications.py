"""Each person's notifications."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qa_portal.models import Notification


@require_GET
def notifications(request):
    mine = Notification.objects.filter(recipient=request.user)
    page = Paginator(mine.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    response = render(request, "qa_portal/notifications.html", {"page": page, "unread_ids": set(unread)})
    # Seen now: the next page load shows them as read.
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response
