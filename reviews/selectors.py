"""Reusable reads of review meetings and recommendations."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils import timezone

from providers.models import Placement
from reviews.models import Cadence, CadenceThresholds, ReviewMeeting, next_due


@dataclass
class ReviewStatus:
    cadence: str
    placement_volume: int
    last_held: date | None
    next_due: date | None
    open_meeting: ReviewMeeting | None

    @property
    def cadence_label(self) -> str:
        return Cadence(self.cadence).label

    @property
    def is_overdue(self) -> bool:
        return self.next_due is not None and self.next_due < timezone.localdate()


def review_statuses(providers, *, today: date | None = None) -> dict[int, ReviewStatus]:
    """Cadence, last review held, next review due and overdue for each provider, in a fixed
    number of queries. `providers` may carry `active_placements` (ProviderQuerySet.with_active_placement_count)."""
    today = today or timezone.localdate()
    providers = list(providers)
    ids = [p.pk for p in providers]
    thresholds = CadenceThresholds.current()
    volumes = {p.pk: p.active_placements for p in providers if hasattr(p, "active_placements")}
    missing = [pk for pk in ids if pk not in volumes]
    if missing:
        for placement_provider in (
            Placement.objects.active_on(today).filter(provider_id__in=missing).values_list("provider_id", flat=True)
        ):
            volumes[placement_provider] = volumes.get(placement_provider, 0) + 1
    last_held = dict(
        ReviewMeeting.objects.held()
        .filter(provider_id__in=ids)
        .values("provider_id")
        .annotate(last=Max("held_at"))
        .values_list("provider_id", "last")
    )
    open_meetings = {m.provider_id: m for m in ReviewMeeting.objects.open().filter(provider_id__in=ids)}
    statuses = {}
    for pk in ids:
        volume = volumes.get(pk, 0)
        cadence = thresholds.cadence_for(volume)
        held = timezone.localtime(last_held[pk]).date() if last_held.get(pk) else None
        meeting = open_meetings.get(pk)
        due = meeting.due_date if meeting else next_due(cadence, held, today)
        statuses[pk] = ReviewStatus(cadence, volume, held, due, meeting)
    return statuses


def review_status(provider, *, today: date | None = None) -> ReviewStatus:
    return review_statuses([provider], today=today)[provider.pk]


def providers_with_a_review_overdue(providers, today: date) -> set[int]:
    """The ids of `providers` (a queryset) with an open review meeting due before `today`: one reason
    a provider is of concern (providers.of_concern)."""
    return set(
        ReviewMeeting.objects.overdue(today).filter(provider__in=providers).values_list("provider_id", flat=True)
    )
