"""The compliance overview: one row per provider in use, with the contractual compliance
ratings from its latest review meeting held, its last QA visit, its next review due and its
recommendations.

A regional consortium's register holds a thousand providers, so the page builds only the rows it
shows: `providers_in_order` narrows and orders the providers in the database (the red rating at the
latest review and the overdue recommendations as subqueries), and `compliance_rows` builds the rows of
one page in a fixed number of queries. The next review due is worked out in the database too when it
filters or sorts the list (`reviews.selectors.with_next_review_due`, the same rules as
`review_statuses`, which the rows of the page shown still use).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from providers.models import NO_NEW_PLACEMENTS, Provider, ProviderStatus
from qa_portal import access
from reviews.models import IS_LIVE, ComplianceArea, ComplianceCheck, Rag, Recommendation, ReviewMeeting, overdue_on
from reviews.selectors import ReviewStatus, review_statuses, with_next_review_due
from visits.models import Visit

# The providers the overview is about: those the authority may place with or has placed with.
IN_USE = (ProviderStatus.ACTIVE, *NO_NEW_PLACEMENTS)

# Short column headings; the full name goes with each, for screen readers and on hover.
AREA_SHORT = {
    ComplianceArea.STAFF_RECRUITMENT: "Recruit",
    ComplianceArea.STAFF_RETENTION: "Retain",
    ComplianceArea.STAFF_TRAINING: "Train",
    ComplianceArea.PAYMENT: "Pay",
    ComplianceArea.SAFEGUARDING_NOTIFICATIONS: "Safeg",
    ComplianceArea.LADO_REFERRALS: "LADO",
    ComplianceArea.COMPLAINTS: "Compl",
    ComplianceArea.COPRODUCTION: "Coprod",
    ComplianceArea.SOCIAL_VALUE: "Social",
}
NOT_RATED = "Not rated"


@dataclass(frozen=True)
class Area:
    value: str
    label: str
    short: str


AREAS = [Area(value, label, AREA_SHORT[value]) for value, label in ComplianceArea.choices]


@dataclass(frozen=True)
class Rating:
    area: Area
    rag: str  # "red", "amber", "green" or "" (not rated, or no review held)

    @property
    def label(self) -> str:
        return Rag(self.rag).label if self.rag else NOT_RATED


@dataclass
class ComplianceRow:
    provider: Provider  # carries active_placements
    meeting: ReviewMeeting | None  # the latest review meeting held
    ratings: list[Rating]  # one per area, in the checklist's order
    last_visit: date | None
    review: ReviewStatus
    open_recommendations: int
    overdue_recommendations: int

    @property
    def reds(self) -> int:
        return sum(rating.rag == Rag.RED for rating in self.ratings)

    @property
    def has_red(self) -> bool:
        return self.reds > 0


# The overview's own sort orders (the filter set's "name" and "judgement" are the provider list's).
# Ties keep the providers' order by name; the primary key makes the pages stable.
RED_FIRST = ["-red_at_latest_review", "name", "pk"]
MOST_OVERDUE_FIRST = ["-overdue_recommendation_count", "name", "pk"]


def providers_in_use(user):
    """The providers `user` may see that the overview is about, with their active placements."""
    return access.visible_to(user, Provider).with_active_placement_count().filter(status__in=IN_USE)


def _latest_held_meetings(user, ids: list[int]) -> dict[int, ReviewMeeting]:
    latest = (
        access.visible_to(user, ReviewMeeting)
        .held()
        .filter(provider_id__in=ids)
        .order_by("provider_id", "-held_at", "-pk")
        .distinct("provider_id")
    )
    return {meeting.provider_id: meeting for meeting in latest}


def _ratings(meeting_ids: list[int]) -> dict[int, dict[str, str]]:
    rags: dict[int, dict[str, str]] = defaultdict(dict)
    for meeting_id, area, rag in ComplianceCheck.objects.filter(meeting_id__in=meeting_ids).values_list(
        "meeting_id", "area", "rag"
    ):
        rags[meeting_id][area] = rag
    return rags


def _last_visits(user, ids: list[int]) -> dict[int, date]:
    return dict(
        access.visible_to(user, Visit)
        .submitted()
        .filter(provider_id__in=ids, visit_date__isnull=False)
        .order_by()
        .values("provider_id")
        .annotate(last=Max("visit_date"))
        .values_list("provider_id", "last")
    )


def _recommendation_counts(user, ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    counts = (
        access.visible_to(user, Recommendation)
        .filter(provider_id__in=ids)
        .order_by()
        .values("provider_id")
        .annotate(open=Count("pk", filter=IS_LIVE), overdue=Count("pk", filter=overdue_on(today)))
        .values_list("provider_id", "open", "overdue")
    )
    return {provider_id: (n_open, n_overdue) for provider_id, n_open, n_overdue in counts}


def _red_at_latest_review(user):
    """Whether the provider's latest review meeting held rated any area red, as a subquery."""
    latest = (
        access.visible_to(user, ReviewMeeting)
        .held()
        .filter(provider=OuterRef(OuterRef("pk")))
        .order_by("-held_at", "-pk")
        .values("pk")[:1]
    )
    return Exists(ComplianceCheck.objects.filter(meeting_id=Subquery(latest), rag=Rag.RED))


def _overdue_recommendation_count(user, today: date):
    counted = (
        access.visible_to(user, Recommendation)
        .filter(overdue_on(today), provider=OuterRef("pk"))
        .order_by()
        .values("provider")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def providers_in_order(
    user,
    providers,
    *,
    red: bool = False,
    review_overdue: bool = False,
    sort: str | None = None,
    today: date | None = None,
):
    """`providers` (filtered and sorted by `reviews.filters.ComplianceFilterSet`) narrowed and ordered
    by the overview's own filters and sorts: `red` keeps those with a red rating at their latest
    review held, `review_overdue` those whose review is overdue; `sort` "red",
    "overdue_recommendations" or "next_review". A queryset, so that a page of it is all that is read."""
    today = today or timezone.localdate()
    if red or sort == "red":
        providers = providers.annotate(red_at_latest_review=_red_at_latest_review(user))
        if red:
            providers = providers.filter(red_at_latest_review=True)
        if sort == "red":
            providers = providers.order_by(*RED_FIRST)
    if sort == "overdue_recommendations":
        providers = providers.annotate(
            overdue_recommendation_count=_overdue_recommendation_count(user, today)
        ).order_by(*MOST_OVERDUE_FIRST)
    if review_overdue or sort == "next_review":
        providers = with_next_review_due(providers, today=today)
        if review_overdue:
            providers = providers.filter(next_review_due__lt=today)
        if sort == "next_review":
            # Ties keep the providers' order by name; the primary key makes the pages stable.
            providers = providers.order_by(F("next_review_due").asc(nulls_last=True), *providers.query.order_by, "pk")
    return providers


def compliance_rows(user, providers, *, today: date | None = None) -> list[ComplianceRow]:
    """The overview's rows for `user`, one per provider of `providers`, in their order (a page of
    `providers_in_order`), in a fixed number of queries."""
    today = today or timezone.localdate()
    providers = list(providers)
    ids = [provider.pk for provider in providers]
    statuses = review_statuses(providers, today=today)
    meetings = _latest_held_meetings(user, ids)
    rags = _ratings([meeting.pk for meeting in meetings.values()])
    visits = _last_visits(user, ids)
    recommendations = _recommendation_counts(user, ids, today)

    rows = []
    for provider in providers:
        meeting = meetings.get(provider.pk)
        meeting_rags = rags.get(meeting.pk, {}) if meeting else {}
        n_open, n_overdue = recommendations.get(provider.pk, (0, 0))
        rows.append(
            ComplianceRow(
                provider=provider,
                meeting=meeting,
                ratings=[Rating(area, meeting_rags.get(area.value, "")) for area in AREAS],
                last_visit=visits.get(provider.pk),
                review=statuses[provider.pk],
                open_recommendations=n_open,
                overdue_recommendations=n_overdue,
            )
        )
    return rows
