"""The filters and sort orders of the provider register's lists: providers, young people and concerns.

Each FilterSet is given a queryset already restricted by `qa_portal.access.visible_to`."""

import django_filters
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from providers.models import (
    Cohort,
    ConcernStatus,
    Judgement,
    Placement,
    Provider,
    ProviderStatus,
    ProvisionType,
    RiskRating,
    Severity,
    SupportedAccommodationOutcome,
)
from providers.of_concern import reasons_of_concern
from providers.selectors import provider_areas
from qa_portal.lists import Column, ListFilterSet, SortFilter, choose_from_list

# The provider list's sort orders: key in the query string -> (label, ordering).
PROVIDER_SORTS = {
    "name": ("Name", ["name"]),
    "-name": ("Name (Z to A)", ["-name"]),
    "-placements": ("Most active placements", ["-active_placements", "name"]),
    "placements": ("Fewest active placements", ["active_placements", "name"]),
    # Judgements run 1 (Outstanding) to 4 (Inadequate); providers not yet inspected go last.
    "judgement": ("Worst judgement first", [F("current_judgement").desc(nulls_last=True), "name"]),
    "-judgement": ("Best judgement first", [F("current_judgement").asc(nulls_last=True), "name"]),
    "status": ("Status", ["status", "name"]),
    "risk": ("Highest risk first", ["-risk_rating", "name"]),
    "-risk": ("Lowest risk first", ["risk_rating", "name"]),
}

PROVIDER_COLUMNS = [
    Column("Name", ascending="name", descending="-name"),
    Column("Provision"),
    Column("Status", ascending="status"),
    Column("Current judgement", ascending="-judgement", descending="judgement", first="descending"),
    Column("Risk rating", ascending="-risk", descending="risk", first="descending"),
    Column("Active placements", ascending="placements", descending="-placements", first="descending", numeric=True),
]


def judgement_choices() -> list[tuple[str, str]]:
    """Ofsted judgements ("4"), supported accommodation outcomes ("sa3") and "none" (not yet inspected)."""
    return [
        *[(str(value), label) for value, label in Judgement.choices if value != Judgement.NOT_JUDGED],
        *[(f"sa{value}", f"Supported accommodation {label}") for value, label in SupportedAccommodationOutcome.choices],
        ("none", "Not yet inspected"),
    ]


def _provider_areas() -> list[tuple[str, str]]:
    return [(area, area) for area in provider_areas()]


class ProviderFiltersMixin(django_filters.FilterSet):
    """Provision type, status and current judgement: shared by the provider list and the compliance overview."""

    provision_type = django_filters.ChoiceFilter(
        label="Provision type",
        choices=ProvisionType.choices,
        empty_label="Any",
        method="filter_provision_type",
        error_messages=choose_from_list("a provision type"),
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=ProviderStatus.choices,
        empty_label="Any but archived",
        field_name="status",
        error_messages=choose_from_list("a status"),
    )
    judgement = django_filters.ChoiceFilter(
        label="Current judgement",
        choices=judgement_choices,
        empty_label="Any",
        method="filter_judgement",
        error_messages=choose_from_list("a judgement"),
    )

    risk = django_filters.ChoiceFilter(
        label="Risk rating",
        choices=[(str(value), label) for value, label in reversed(RiskRating.choices)],
        empty_label="Any",
        field_name="risk_rating",
        error_messages=choose_from_list("a risk rating"),
    )

    def filter_provision_type(self, queryset, name, value):
        return queryset.filter(provision_types__contains=[value])

    def filter_judgement(self, queryset, name, value):
        if value == "none":
            return queryset.filter(current_judgement__isnull=True, current_sa_outcome__isnull=True)
        if value.startswith("sa"):
            return queryset.filter(current_sa_outcome=int(value[2:]))
        return queryset.filter(current_judgement=int(value))


class ProviderFilterSet(ProviderFiltersMixin, ListFilterSet):
    """The provider list: search, provision type, status (archived ones only when asked for),
    judgement, area and sort. Give it `visible_to(user, Provider).with_active_placement_count()`."""

    column_width = None  # a filter panel beside the list

    q = django_filters.CharFilter(label="Search by name, URN or postcode", method="search")
    area = django_filters.ChoiceFilter(
        label="Local authority area",
        choices=_provider_areas,
        empty_label="Any",
        method="filter_area",
        error_messages=choose_from_list("an area"),
    )
    of_concern = django_filters.ChoiceFilter(
        label="Of concern",
        choices=[("yes", "Of concern"), ("no", "Not of concern")],
        empty_label="Any",
        method="filter_of_concern",
        error_messages=choose_from_list("whether the provider is of concern"),
    )
    sort = SortFilter(orders=PROVIDER_SORTS, default="name")

    field_order = ["q", "provision_type", "status", "judgement", "risk", "of_concern", "area", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_area(self, queryset, name, value):
        return queryset.in_area(value)

    def filter_of_concern(self, queryset, name, value):
        """By the one rule of providers.of_concern, as this user may be told it."""
        found = reasons_of_concern(self.request.user, queryset, timezone.localdate())
        return queryset.filter(pk__in=found) if value == "yes" else queryset.exclude(pk__in=found)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset if self.values.get("status") else queryset.not_archived()


# Young people.

NEEDS = [("ehcp", "Has an EHCP"), ("send", "Has SEND"), ("uasc", "UASC")]
YOUNG_PERSON_SORTS = {
    "initials": ("Initials", ["initials", "case_record_id"]),
    "-initials": ("Initials (Z to A)", ["-initials", "case_record_id"]),
    "case_record": ("Case-record ID", ["case_record_id"]),
    "-case_record": ("Case-record ID (highest first)", ["-case_record_id"]),
    "age": ("Youngest first", [F("date_of_birth").desc(nulls_last=True), "initials", "case_record_id"]),
    "-age": ("Oldest first", [F("date_of_birth").asc(nulls_last=True), "initials", "case_record_id"]),
    "cohort": ("Cohort", ["cohort", "initials", "case_record_id"]),
    "placed_with": ("Placed with", [F("current_provider").asc(nulls_last=True), "initials", "case_record_id"]),
}
YOUNG_PERSON_COLUMNS = [
    Column("Initials", ascending="initials", descending="-initials"),
    Column("Case-record ID", ascending="case_record", descending="-case_record"),
    Column("Age", ascending="age", descending="-age", numeric=True),
    Column("Cohort", ascending="cohort"),
    Column("Needs"),
    Column("Placed with", ascending="placed_with"),
]


def with_current_placement(people):
    """`people` with the provider of each one's current placement: current_provider (its name) and
    current_provider_id, or None when not placed now."""
    current = Placement.objects.active().filter(young_person=OuterRef("pk"))
    return people.annotate(
        current_provider=Subquery(current.values("provider__name")[:1]),
        current_provider_id=Subquery(current.values("provider_id")[:1]),
    )


def add_current_placement(people) -> None:
    """Give each of `people` (a page of the young people list) `current_provider` and
    `current_provider_id` as `with_current_placement` does, in one query: the page's placements
    active today, found by the young person's index. Asked in the list's own query, as a subquery a
    young person, PostgreSQL looks each one up in placement_no_overlap's GiST index (the young
    person is its second column), about 0.2 ms each, 10 ms a page (issue 15)."""
    people = list(people)
    current = {}
    placements = (
        Placement.objects.active()
        .filter(young_person_id__in=[person.pk for person in people])
        .order_by("-start_date", "-pk")
        .values_list("young_person_id", "provider_id", "provider__name")
    )
    for young_person_id, provider_id, provider_name in placements:
        current.setdefault(young_person_id, (provider_id, provider_name))
    for person in people:
        person.current_provider_id, person.current_provider = current.get(person.pk, (None, None))


class YoungPersonFilterSet(ListFilterSet):
    """The young people list. Give it `visible_to(user, YoungPerson)`, and
    `with_current_placement` of it to sort by "placed_with" (`needs_current_placement`); then
    `add_current_placement` to the page shown."""

    rows = [["q", "cohort", "needs", "placed"], ["sort"]]

    q = django_filters.CharFilter(label="Case-record ID or initials", method="search")
    cohort = django_filters.ChoiceFilter(
        label="Cohort",
        choices=Cohort.choices,
        empty_label="Any",
        field_name="cohort",
        error_messages=choose_from_list("a cohort"),
    )
    needs = django_filters.ChoiceFilter(
        label="Needs", choices=NEEDS, empty_label="Any", method="filter_needs", error_messages=choose_from_list("needs")
    )
    placed = django_filters.ChoiceFilter(
        label="Placement",
        choices=[("yes", "Placed now")],
        empty_label="Any",
        method="filter_placed",
        error_messages=choose_from_list("a placement"),
    )
    sort = SortFilter(orders=YOUNG_PERSON_SORTS, default="initials")

    def search(self, queryset, name, value):
        value = value.strip()
        initials = value.replace(" ", "").replace(".", "")
        return queryset.filter(Q(case_record_id__iexact=value) | Q(initials__iexact=initials))

    def filter_needs(self, queryset, name, value):
        return queryset.filter(**{value: True})

    def filter_placed(self, queryset, name, value):
        return queryset.filter(Exists(Placement.objects.active().filter(young_person=OuterRef("pk"))))

    @property
    def needs_current_placement(self) -> bool:
        """Whether the order asks for each young person's current placement in the query."""
        return self.sort_key == "placed_with"


# Not closed: open or under review (ConcernQuerySet.open), as the home pages count them.
NOT_CLOSED = "not_closed"
CONCERN_SORTS = {
    "-received": ("Newest first", ["-received_on", "-pk"]),
    "received": ("Oldest first", ["received_on", "pk"]),
    "provider": ("Provider", ["provider__name", "-received_on", "-pk"]),
    # High first: the choices run low, medium, high.
    "severity": ("Most severe first", [F("severity_rank").desc(), "-received_on", "-pk"]),
}
CONCERN_COLUMNS = [
    Column("Received", ascending="received", descending="-received", first="descending"),
    Column("Provider", ascending="provider"),
    Column("From"),
    Column("Concern"),
    Column("Severity", ascending="severity"),
    Column("Status"),
]


class ConcernFilterSet(ListFilterSet):
    """The concerns list: status ("not_closed" for open or under review), severity, provider and sort.
    Give it `with_severity_rank(visible_to(user, Concern))`."""

    rows = [["status", "severity", "provider"], ["sort"]]
    column_width = "one-third"
    choice_labels = {"provider": "name"}
    autocomplete = ("provider",)

    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(NOT_CLOSED, "Open or under review"), *ConcernStatus.choices],
        empty_label="Any",
        method="filter_status",
        error_messages=choose_from_list("a status"),
    )
    severity = django_filters.ChoiceFilter(
        label="Severity",
        choices=Severity.choices,
        empty_label="Any",
        field_name="severity",
        error_messages=choose_from_list("a severity"),
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider",
        queryset=Provider.objects.none(),
        empty_label="Any",
        error_messages=choose_from_list("a provider"),
    )
    sort = SortFilter(orders=CONCERN_SORTS, default="-received")

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        # Only the providers with concerns the user may see.
        self.filters["provider"].queryset = (
            Provider.objects.filter(pk__in=queryset.values("provider_id")).order_by("name").only("pk", "name")
        )

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == NOT_CLOSED else queryset.filter(status=value)


def with_severity_rank(concerns):
    """Concerns with `severity_rank` (low 1, medium 2, high 3), to sort the most severe first."""
    ranks = [When(severity=value, then=Value(rank)) for rank, value in enumerate(Severity.values, start=1)]
    return concerns.annotate(severity_rank=Case(*ranks, default=Value(0), output_field=IntegerField()))
