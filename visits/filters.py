"""The visit list's filters and sort orders.

The FilterSet is given `visible_to(user, Visit)`; the providers, lead visitors and years it offers
come only from those visits. Provider users are not offered the provider or lead visitor filters."""

from datetime import date

import django_filters
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from providers.models import Provider
from qa_portal.lists import Column, ListFilterSet, SortFilter, choose_from_list
from qa_portal.models import User
from qa_portal.periods import FinancialYear
from visits.models import VisitStatus

# A visit's date is the day it took place, or the day planned while it has not.
VISIT_DATE = Coalesce("visit_date", "planned_date")
VISIT_SORTS = {
    "-date": ("Newest first", [VISIT_DATE.desc(), "-pk"]),
    "date": ("Oldest first", [VISIT_DATE.asc(), "pk"]),
    "provider": ("Provider", ["provider__name", VISIT_DATE.desc(), "-pk"]),
    "visitor": ("Lead visitor", [F("lead_visitor__full_name").asc(nulls_last=True), VISIT_DATE.desc(), "-pk"]),
    "status": ("Status", ["status", VISIT_DATE.desc(), "-pk"]),
}
VISIT_COLUMNS = [
    Column("Date", ascending="date", descending="-date", first="descending"),
    Column("Provider", ascending="provider"),
    Column("Lead visitor", ascending="visitor"),
    Column("Status", ascending="status"),
]


class VisitFilterSet(ListFilterSet):
    """The visit list: financial year (of the visit, or of the planned date while it has not taken
    place; `year` is the year it starts, 2025 for 2025-26), status, provider, lead visitor and sort."""

    rows = [["year", "status", "provider", "visitor"], ["sort"]]
    choice_labels = {"visitor": "full_name", "provider": "name"}
    autocomplete = ("provider", "visitor")

    year = django_filters.ChoiceFilter(
        label="Financial year", empty_label="Any", method="filter_year", error_messages=choose_from_list("a year")
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=VisitStatus.choices,
        empty_label="Any",
        field_name="status",
        error_messages=choose_from_list("a status"),
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=Provider.objects.none(),
        empty_label="Any",
        error_messages=choose_from_list("a provider"),
    )
    visitor = django_filters.ModelChoiceFilter(
        label="Lead visitor",
        field_name="lead_visitor",
        queryset=User.objects.none(),
        empty_label="Anyone",
        error_messages=choose_from_list("a lead visitor"),
    )
    sort = SortFilter(orders=VISIT_SORTS, default="-date")

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        today = timezone.localdate()
        # The financial years with visits, and this one and last (the home page links to this one's).
        months = set(queryset.dates("planned_date", "month"))
        months |= set(queryset.filter(visit_date__isnull=False).dates("visit_date", "month"))
        years = {FinancialYear.containing(day) for day in months | {today}} | {FinancialYear.last_full(today)}
        self.filters["year"].extra["choices"] = [
            (str(year.start.year), year.label) for year in sorted(years, key=lambda y: y.start, reverse=True)
        ]
        if request.user.is_provider_user:
            # Their own organisation's visits only; who led each is on the report.
            del self.filters["provider"], self.filters["visitor"]
        else:
            self.filters["provider"].queryset = (
                Provider.objects.filter(pk__in=queryset.values("provider_id")).order_by("name").only("pk", "name")
            )
            # The lead visitors of these visits, and the user (the home page links to "my drafts").
            visitors = Q(pk__in=queryset.values("lead_visitor_id")) | Q(pk=request.user.pk)
            self.filters["visitor"].queryset = (
                User.objects.filter(visitors).order_by("full_name").only("pk", "full_name")
            )

    def filter_year(self, queryset, name, value):
        return queryset.in_financial_year(FinancialYear.containing(date(int(value), 4, 1)))
