"""The filters and sort orders of the reviews app's lists: the Recommendation and Impact Tracker,
the review meetings and the compliance overview.

Each FilterSet is given a queryset already restricted by `qa_portal.access.visible_to`, and the
choices it offers (owners, providers) come only from what that user may see."""

import django_filters
from django.db.models import Exists, F, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone

from providers.filters import PROVIDER_SORTS, ProviderFiltersMixin
from providers.models import Provider, ProviderStatus
from qa_portal import access
from qa_portal.lists import CheckboxFilter, Column, ListFilterSet, SortFilter, choose_from_list
from qa_portal.models import User
from reviews.models import Level, RecommendationStatus, Source
from reviews.overview import IN_USE

# The Recommendation and Impact Tracker.

LIVE = "live"
ANY = "all"
STATUS_FILTERS = [
    (LIVE, "Open and in progress"),
    (RecommendationStatus.OPEN, "Open"),
    (RecommendationStatus.IN_PROGRESS, "In progress"),
    (RecommendationStatus.COMPLETED, "Completed"),
    (RecommendationStatus.NOT_ACCEPTED, "Not accepted"),
    (ANY, "Any status"),
]
TRACKER_SORTS = {
    "due": ("Soonest due first", ["due_date", "pk"]),
    "-due": ("Latest due first", ["-due_date", "-pk"]),
    "provider": ("Provider", [F("provider__name").asc(nulls_last=True), "due_date", "pk"]),
    "owner": ("Owner", ["owner__full_name", "due_date", "pk"]),
    "status": ("Status", ["status", "due_date", "pk"]),
    "number": ("Number, oldest first", ["pk"]),
    "-number": ("Number, newest first", ["-pk"]),
}
TRACKER_COLUMNS = [
    Column("Recommendation", ascending="number", descending="-number", classes="govuk-!-width-one-quarter"),
    Column("Provider", ascending="provider"),
    Column("Young person"),
    Column("Owner", ascending="owner"),
    Column("Due", ascending="due", descending="-due"),
    Column("Status", ascending="status"),
    Column("Latest progress", classes="govuk-!-width-one-quarter"),
]


class TrackerFilterSet(ListFilterSet):
    """The tracker's filters. With no status chosen it shows the live ones (open and in progress)."""

    column_width = "one-third"
    rows = [["status", "owner", "provider"], ["source", "level", "sort"], ["overdue", "due_this_month"]]
    choice_labels = {"owner": "full_name", "provider": "name"}
    autocomplete = ("owner", "provider")

    status = django_filters.ChoiceFilter(
        label="Status",
        choices=STATUS_FILTERS,
        empty_label=None,
        method="filter_status",
        error_messages=choose_from_list("a status"),
    )
    owner = django_filters.ModelChoiceFilter(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Anyone",
        error_messages=choose_from_list("an owner"),
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=Provider.objects.none(),
        empty_label="All providers",
        error_messages=choose_from_list("a provider"),
    )
    source = django_filters.ChoiceFilter(
        label="Source", choices=Source.choices, empty_label="Any source", error_messages=choose_from_list("a source")
    )
    level = django_filters.ChoiceFilter(
        label="Level", choices=Level.choices, empty_label="Any level", error_messages=choose_from_list("a level")
    )
    overdue = CheckboxFilter(label="Overdue only", method="filter_overdue")
    due_this_month = CheckboxFilter(label="Due this month", method="filter_due_this_month")
    sort = SortFilter(orders=TRACKER_SORTS, default="due")

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # Only the owners and providers that appear in the tracker this user may see, and the user
        # themselves (the home page links to "owned by me" even before they own any).
        # Asked person by person and provider by provider (EXISTS, an index probe each): a few hundred
        # people and a thousand providers, where reading every one of 50,000 recommendations took 30 ms.
        owners = Q(Exists(queryset.filter(owner_id=OuterRef("pk"))))
        if self.request is not None and not self.request.user.is_provider_user:
            owners |= Q(pk=self.request.user.pk)
        self.filters["owner"].queryset = User.objects.filter(owners).order_by("full_name", "pk").only("pk", "full_name")
        self.filters["provider"].queryset = (
            Provider.objects.filter(Exists(queryset.filter(provider_id=OuterRef("pk"))))
            .order_by("name")
            .only("pk", "name")
        )

    def filter_status(self, queryset, name, value):
        if value == LIVE:
            return queryset.live()
        return queryset if value == ANY else queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(on=timezone.localdate())

    def filter_due_this_month(self, queryset, name, value):
        return queryset.due_this_month(timezone.localdate())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # No status chosen (or one refused): what is still to do.
        return queryset if "status" in self.values else queryset.live()

    @property
    def status_in_force(self) -> str:
        """The status filter in force: LIVE, ANY or a recommendation status."""
        return self.values.get("status", LIVE)

    def described(self) -> list[str]:
        """The filters in words, for the results line and the printed tracker."""
        values = self.values
        words = [dict(STATUS_FILTERS)[self.status_in_force]]
        if values.get("owner"):
            words.append(f"owned by {values['owner'].full_name}")
        if values.get("provider"):
            words.append(f"provider {values['provider'].name}")
        for name, choices in (("source", Source), ("level", Level)):
            if values.get(name):
                words.append(f"{name}: {choices(values[name]).label}")
        if values.get("overdue"):
            words.append("overdue only")
        if values.get("due_this_month"):
            words.append("due this month")
        return words


# Review meetings.

DUE_FILTERS = [("overdue", "Overdue"), ("this_month", "Due this month")]
MEETING_SORTS = {
    "due": ("Soonest due first", ["due_date", "provider__name", "pk"]),
    "-due": ("Latest due first", ["-due_date", "provider__name", "-pk"]),
    "provider": ("Provider", ["provider__name", "due_date", "pk"]),
    "-provider": ("Provider (Z to A)", ["-provider__name", "due_date", "pk"]),
}
MEETING_COLUMNS = [
    Column("Provider", ascending="provider", descending="-provider"),
    Column("Due", ascending="due", descending="-due"),
    Column("Cadence"),
]


class MeetingFilterSet(ListFilterSet):
    """The scheduled (open) review meetings: when due, provider and sort. The page also applies
    `due` and `provider` to the providers due a review but not scheduled, and `provider` to the
    meetings recently held."""

    column_width = "one-third"
    choice_labels = {"provider": "name"}
    autocomplete = ("provider",)

    due = django_filters.ChoiceFilter(
        label="When due",
        choices=DUE_FILTERS,
        empty_label="Any time",
        method="filter_due",
        error_messages=choose_from_list("when due"),
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=Provider.objects.none(),
        empty_label="Any provider",
        error_messages=choose_from_list("a provider"),
    )
    sort = SortFilter(orders=MEETING_SORTS, default="due")

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["provider"].queryset = (
            access.visible_to(request.user, Provider).not_archived().order_by("name").only("pk", "name")
        )

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.overdue(today)
        return queryset.due_this_month(today)


# The compliance overview.

COMPLIANCE_SORTS = {
    "name": ("Name", PROVIDER_SORTS["name"][1]),
    "judgement": ("Worst judgement first", PROVIDER_SORTS["judgement"][1]),
    "risk": PROVIDER_SORTS["risk"],
    # These are ordered by reviews.overview.providers_in_order, ties by name.
    "next_review": ("Next review due, soonest first", ["name"]),
    "overdue_recommendations": ("Most overdue recommendations first", ["name"]),
    "red": ("Any red rating first", ["name"]),
}


def _keep(queryset, name, value):
    return queryset  # applied by reviews.overview.providers_in_order


class ComplianceFilterSet(ProviderFiltersMixin, ListFilterSet):
    """The provider list's status, judgement and provision type filters, and the overview's own.
    Give it the providers in use (`reviews.overview.providers_in_use`)."""

    column_width = "one-third"
    rows = [["status", "judgement", "provision_type"], ["risk", "red", "review_overdue"], ["sort"]]

    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(status, ProviderStatus(status).label) for status in IN_USE],
        empty_label="Any",
        field_name="status",
        error_messages=choose_from_list("a status"),
    )
    red = CheckboxFilter(label="Has a red rating at the latest review", method=_keep)
    review_overdue = CheckboxFilter(label="Review overdue", method=_keep)
    sort = SortFilter(orders=COMPLIANCE_SORTS, default="name")


# The responses to Inadequate judgements (issue 16).

RESPONSE_STATUSES = [("open", "Open"), ("closed", "Closed"), (ANY, "Open and closed")]


class InadequateResponseFilterSet(ListFilterSet):
    """The list of responses to Inadequate judgements: open (the default), closed, or both; and a
    provider. Give it `visible_to(user, InadequateResponse)`."""

    column_width = "one-third"
    choice_labels = {"provider": "name"}
    autocomplete = ("provider",)

    status = django_filters.ChoiceFilter(
        label="Status",
        choices=RESPONSE_STATUSES,
        empty_label=None,
        method="filter_status",
        error_messages=choose_from_list("a status"),
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=Provider.objects.none(),
        empty_label="Any",
        error_messages=choose_from_list("a provider"),
    )

    def __init__(self, data=None, *args, **kwargs):
        data = (data or QueryDict()).copy()
        data.setdefault("status", "open")
        super().__init__(data, *args, **kwargs)
        self.filters["provider"].queryset = Provider.objects.filter(pk__in=self.queryset.values("provider")).order_by(
            "name"
        )

    @property
    def is_filtered(self) -> bool:
        """Narrowed by more than the default (open responses, any provider)."""
        return any(name != "status" or value != "open" for name, value in self.values.items())

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "closed":
            return queryset.filter(closed_at__isnull=False)
        return queryset
