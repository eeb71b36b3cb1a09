"""The compliance overview: one row per provider in use, with the contractual compliance
ratings from its latest review meeting held, its last QA visit, its next review due and its
recommendations.

Every row is built from a fixed number of queries however many providers there are. The
rows are then filtered and sorted in Python, because the next review due comes from
`review_statuses` (the cadence rules live there, not in SQL); a register holds tens to a
few hundred providers, so that is cheap.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max
from django.utils import timezone

from providers import selectors as provider_selectors
from providers.models import NO_NEW_PLACEMENTS, Provider, ProviderStatus
from qa_portal import access
from reviews.models import IS_LIVE, ComplianceArea, ComplianceCheck, Rag, Recommendation, ReviewMeeting, overdue_on
from reviews.selectors import ReviewStatus, review_statuses
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
RAG_LETTERS = {Rag.RED: "R", Rag.AMBER: "A", Rag.GREEN: "G"}
RAG_COLOURS = {Rag.RED: "red", Rag.AMBER: "orange", Rag.GREEN: "green"}
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

    @property
    def letter(self) -> str:
        return RAG_LETTERS.get(self.rag, "")

    @property
    def colour(self) -> str:
        return RAG_COLOURS.get(self.rag, "")


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


# The overview's sort orders: key in the query string -> label. "name" and "judgement" are the
# provider list's own orders (providers.selectors.SORTS); the others sort the built rows.
SORTS = {
    "name": "Name",
    "judgement": "Worst judgement first",
    "next_review": "Next review due, soonest first",
    "overdue_recommendations": "Most overdue recommendations first",
    "red": "Any red rating first",
}
_ROW_SORTS = {
    "next_review": lambda row: (row.review.next_due is None, row.review.next_due or date.max),
    "overdue_recommendations": lambda row: -row.overdue_recommendations,
    "red": lambda row: not row.has_red,
}
_PROVIDER_FILTERS = ("provision_type", "status", "judgement")


def _providers(user, filters: dict) -> list[Provider]:
    wanted = {key: filters[key] for key in _PROVIDER_FILTERS if filters.get(key)}
    if wanted.get("status") not in IN_USE:
        wanted.pop("status", None)
    sort = filters.get("sort") if filters.get("sort") in ("name", "judgement") else "name"
    providers = provider_selectors.filtered_providers(user, {**wanted, "sort": sort})
    return list(providers.filter(status__in=IN_USE))


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


def compliance_rows(user, filters: dict | None = None, *, today: date | None = None) -> list[ComplianceRow]:
    """The overview's rows for `user`, filtered and sorted by `filters` (the filter form's cleaned
    data: provision_type, status, judgement, red, review_overdue, sort)."""
    filters = filters or {}
    today = today or timezone.localdate()
    providers = _providers(user, filters)
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
    if filters.get("red"):
        rows = [row for row in rows if row.has_red]
    if filters.get("review_overdue"):
        rows = [row for row in rows if row.review.is_overdue]
    row_sort = _ROW_SORTS.get(filters.get("sort") or "")
    if row_sort:
        rows.sort(key=row_sort)  # stable: ties keep the providers' order by name
    return rows
