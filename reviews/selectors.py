"""Reusable reads of review meetings and recommendations."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max
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
    number of queries. Computed from the placements active on `today` and the meetings held, never
    waiting for the nightly scheduling job: the next review is due one cadence after the last one
    held (or now), unless the open meeting keeps its own date (`_keeps_its_own_date`). `providers`
    may carry `active_placements` (ProviderQuerySet.with_active_placement_count)."""
    today = today or timezone.localdate()
    providers = list(providers)
    ids = [p.pk for p in providers]
    thresholds = CadenceThresholds.current()
    volumes = {p.pk: p.active_placements for p in providers if hasattr(p, "active_placements")}
    missing = [pk for pk in ids if pk not in volumes]
    if missing:
        # Counted in the database: the busiest provider has hundreds placed.
        volumes.update(
            Placement.objects.active_on(today)
            .filter(provider_id__in=missing)
            .order_by()
            .values("provider_id")
            .annotate(n=Count("pk"))
            .values_list("provider_id", "n")
        )
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
        due = next_due(cadence, held, today)
        if meeting is not None and _keeps_its_own_date(meeting, cadence):
            due = meeting.due_date
        statuses[pk] = ReviewStatus(cadence, volume, held, due, meeting)
    return statuses


def _keeps_its_own_date(meeting: ReviewMeeting, cadence: str) -> bool:
    """Whether an open meeting's due date is the provider's next review due: one brought forward (for
    a concern, say) or scheduled by hand with nobody placed keeps its own; one scheduled at the
    cadence the placements call for today keeps its own too. One scheduled at another cadence is
    out of date: the placements changed since, and the cadence and next due follow them at once
    (issue 14: "Quarterly (4 active placements)" beside a half-yearly due date), until the open
    meeting itself is moved (reviews.scheduling, told of every change of placements)."""
    if meeting.brought_forward_because or meeting.placement_volume == 0:
        return True
    return meeting.cadence == cadence


def review_status(provider, *, today: date | None = None) -> ReviewStatus:
    return review_statuses([provider], today=today)[provider.pk]


def providers_with_a_review_overdue(providers, today: date):
    """The ids of `providers` (a queryset) with an open review meeting due before `today`, as a
    queryset of ids (a subquery where it is used): one reason a provider is of concern
    (providers.of_concern)."""
    return (
        ReviewMeeting.objects.overdue(today)
        .filter(provider__in=providers)
        .order_by()
        .values_list("provider_id", flat=True)
    )
