"""The filters of "Which provider to visit next" (qa_portal.reporting.visit_next).

Given `visible_to(user, Provider)`, providers still in use. By default only those holding our young
people now are ranked: a visit is to see how they live (seeds/000: "to experience firsthand the day to
day lives of our children and young people")."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone

from providers.models import Placement, ProvisionType
from qa_portal.lists import CheckboxFilter, ListFilterSet, choose_from_list
from visits.models import Visit


class VisitNextFilterSet(ListFilterSet):
    """Provision type; whether providers with no young people placed now are ranked too; whether those
    with a visit already planned are left out."""

    rows = [["provision_type", "include_unplaced", "without_planned"]]
    column_width = "one-third"

    provision_type = django_filters.ChoiceFilter(
        label="Provision type",
        choices=ProvisionType.choices,
        empty_label="Any",
        method="filter_provision_type",
        error_messages=choose_from_list("a provision type"),
    )
    include_unplaced = CheckboxFilter(label="Include providers with no young people placed now", method="_keep")
    without_planned = CheckboxFilter(label="Leave out providers with a visit planned", method="filter_without_planned")

    @staticmethod
    def _keep(queryset, name, value):
        return queryset  # read in filter_queryset

    def filter_provision_type(self, queryset, name, value):
        return queryset.filter(provision_types__contains=[value])

    def filter_without_planned(self, queryset, name, value):
        planned = Visit.objects.filter(
            provider=OuterRef("pk"), visit_date__isnull=True, planned_date__gte=timezone.localdate()
        )
        return queryset.exclude(Exists(planned))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.values.get("include_unplaced"):
            placed = Placement.objects.active().filter(provider=OuterRef("pk"))
            queryset = queryset.filter(Exists(placed))
        return queryset
