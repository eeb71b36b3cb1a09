"""Each person's notifications."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qa_portal import access
from qa_portal.filters import NOTIFICATION_COLUMNS, NotificationFilterSet
from qa_portal.lists import paginate
from qa_portal.models import Notification


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
