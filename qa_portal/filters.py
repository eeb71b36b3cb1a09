"""The filters and sort orders of the portal's own list: each person's notifications."""

import django_filters
from django.db.models import Q

from qa_portal.lists import Column, ListFilterSet, SortFilter, choose_from_list
from qa_portal.models import NotificationStatus

NOTIFICATION_SORTS = {
    "-when": ("Newest first", ["-created_at", "-pk"]),
    "when": ("Oldest first", ["created_at", "pk"]),
    "subject": ("About (A to Z)", ["subject", "-created_at", "-pk"]),
}
NOTIFICATION_COLUMNS = [
    Column("When", ascending="when", descending="-when", first="descending"),
    Column("About", ascending="subject"),
    Column("Email"),
]
SEEN = [("new", "New"), ("seen", "Seen before")]


class NotificationFilterSet(ListFilterSet):
    """A person's notifications: words in the subject, new or seen, how the email went, and sort.
    Give it `visible_to(user, Notification)` (their own)."""

    rows = [["q", "seen", "status", "sort"]]

    q = django_filters.CharFilter(label="About", method="search")
    seen = django_filters.ChoiceFilter(
        label="New or seen",
        choices=SEEN,
        empty_label="Any",
        method="filter_seen",
        error_messages=choose_from_list("new or seen"),
    )
    status = django_filters.ChoiceFilter(
        label="Email",
        choices=NotificationStatus.choices,
        empty_label="Any",
        field_name="status",
        error_messages=choose_from_list("how the email went"),
    )
    sort = SortFilter(orders=NOTIFICATION_SORTS, default="-when")

    def search(self, queryset, name, value):
        return queryset.filter(Q(subject__icontains=value))

    def filter_seen(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "new")
