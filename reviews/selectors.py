"""Reusable reads of review meetings and recommendations."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, DateField, F, Func, Max, Min, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from providers.models import Placement
from qa_portal import access
from qa_portal.working_days import bank_holidays_between, working_day_on_or_after
from reviews.models import (
    CADENCE_MONTHS,
    Cadence,
    CadenceThresholds,
    MeetingStatus,
    PlanAction,
    ReviewMeeting,
    next_due,
)


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


def plan_actions_answering(user, recommendation) -> list:
    """The actions of providers' action plans that answer `recommendation` and `user` may see (their
    own organisation's, for a provider user), with their plans: its progress in the action plan."""
    return list(
        access.visible_to(user, PlanAction)
        .filter(recommendation=recommendation)
        .select_related("plan")
        .order_by("timescale", "pk")
    )


class _NextReviewDue(Func):
    """The next review due of the provider whose active placements and last meeting held (as a
    date) are the two expressions given, by `next_due` and `_keeps_its_own_date`, as one scalar
    subquery: each input is read once a provider (the derived tables end in OFFSET 0 so that
    PostgreSQL does not copy the placements' count into every place it is used), and the open
    meeting is one probe of the index that allows one a provider."""

    output_field = DateField()

    def __init__(self, volume, last_held, *, thresholds: CadenceThresholds, now: date, bank_holidays: list[date]):
        super().__init__(volume, last_held, F("pk"))
        self.thresholds, self.now, self.bank_holidays = thresholds, now, list(bank_holidays)

    def as_sql(self, compiler, connection, **extra):
        (volume, volume_params), (last_held, last_held_params), (provider, provider_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        thresholds = self.thresholds
        months = " ".join("WHEN %s THEN %s" for _ in CADENCE_MONTHS)
        sql = f"""(SELECT CASE
            WHEN open_meeting.brought_forward_because > '' OR open_meeting.placement_volume = 0
                OR open_meeting.cadence = review.cadence THEN open_meeting.due_date
            WHEN review.cadence = %s THEN NULL
            WHEN review.last_held IS NULL THEN %s::date
            ELSE (
                SELECT max(candidate.day) FROM (
                    SELECT (review.last_held + make_interval(months => review.months))::date - back AS day
                    FROM generate_series(0, 14) AS back
                ) AS candidate
                WHERE extract(isodow FROM candidate.day) < 6 AND candidate.day <> ALL(%s::date[])
            ) END
        FROM (
            SELECT cadenced.*, CASE cadenced.cadence {months} END AS months FROM (
                SELECT CASE WHEN given.volume >= %s THEN %s WHEN given.volume >= %s THEN %s
                    WHEN given.volume >= %s THEN %s ELSE %s END AS cadence, given.last_held
                FROM (SELECT ({volume}) AS volume, ({last_held}) AS last_held OFFSET 0) AS given OFFSET 0
            ) AS cadenced
        ) AS review
        LEFT JOIN {ReviewMeeting._meta.db_table} AS open_meeting
            ON open_meeting.provider_id = {provider} AND open_meeting.status = %s)"""
        params = [
            Cadence.NONE.value,
            self.now,
            self.bank_holidays,
            *[value for cadence, n in CADENCE_MONTHS.items() for value in (cadence.value, n)],
            thresholds.quarterly_from,
            Cadence.QUARTERLY.value,
            thresholds.half_yearly_from,
            Cadence.HALF_YEARLY.value,
            thresholds.annual_from,
            Cadence.ANNUAL.value,
            Cadence.NONE.value,
            *volume_params,
            *last_held_params,
            *provider_params,
            MeetingStatus.SCHEDULED.value,
        ]
        return sql, tuple(params)


def with_next_review_due(providers, *, today: date | None = None):
    """`providers` (a queryset of Provider) annotated with `next_review_due`: the same date as
    `review_statuses(...)[pk].next_due` on `today` (None when no routine review is due), worked out in
    the database, so that the compliance overview sorts and filters by it and then builds only the
    page it shows (issue 15: 1,000 providers' statuses in Python took 150 ms a request).

    Why SQL and not a column kept up to date: the status depends on the day itself (the placements
    active on `today` set the cadence; a provider never reviewed is due "now", today's working day),
    so a stored value would be wrong between midnight and the nightly `schedule_reviews`, and after any
    change of placements or meetings made outside the services that would have to keep it. Computed
    here from the same records as `review_statuses`, by the same rules, it is right whenever it is read.
    Those rules, in order: an open meeting that keeps its own date (`_keeps_its_own_date`) gives it;
    no routine review (no placements) gives None; none ever held gives today's working day or the
    next; otherwise one cadence after the day (in the portal's time zone) of the last meeting held,
    brought back to the working day before when it falls on a weekend or bank holiday. The bank
    holidays are those of the years from the first meeting held to the year after `today` (one
    query). tests/reviews/test_next_review_due_in_sql.py holds the two to the same answer.

    `providers` may carry `active_placements` counted on `today`
    (ProviderQuerySet.with_active_placement_count); it is counted here otherwise."""
    today = today or timezone.localdate()
    if "active_placements" not in providers.query.annotations:
        providers = providers.with_active_placement_count(today)
    held = ReviewMeeting.objects.held().aggregate(first=Min("held_at"), last=Max("held_at"))
    first_year = timezone.localtime(held["first"]).year if held["first"] else today.year
    last_year = max(today.year, timezone.localtime(held["last"]).year if held["last"] else today.year) + 1
    last_held = (
        ReviewMeeting.objects.held()
        .filter(provider=OuterRef("pk"))
        .order_by("-held_at")
        .annotate(day=TruncDate("held_at"))
        .values("day")[:1]
    )
    return providers.annotate(
        next_review_due=_NextReviewDue(
            F("active_placements"),
            Subquery(last_held, output_field=DateField()),
            thresholds=CadenceThresholds.current(),
            now=working_day_on_or_after(today),
            bank_holidays=bank_holidays_between(first_year, last_year),
        )
    )
