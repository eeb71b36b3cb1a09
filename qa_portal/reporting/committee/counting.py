"""Counting the committee pack's figures from the data, in a fixed number of queries whatever the
size of the year (DOMAIN.md: the committee pack; the City's 2024-25 report in seeds/000)."""

from collections import Counter, defaultdict
from contextlib import suppress
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from redis.exceptions import RedisError

from providers.models import (
    InspectionScale,
    Judgement,
    OfstedInspection,
    Placement,
    Provider,
    ProvisionType,
    RiskRating,
    RiskRatingChange,
    YoungPerson,
)
from qa_portal.reporting.committee.figures import (
    CadenceRow,
    CommitteeFigures,
    ImpactStatement,
    OfstedRow,
    ProviderReviews,
    ResponseRow,
    RiskRow,
    VisitSummary,
    percent,
)
from reviews.models import (
    LIVE_STATUSES,
    Cadence,
    CadenceThresholds,
    InadequateResponse,
    MeetingStatus,
    ProgressUpdate,
    Recommendation,
    RecommendationStatus,
    ReviewMeeting,
)
from visits.models import Visit


def _visits(figures: CommitteeFigures, start: date, end: date) -> None:
    visits = list(
        Visit.objects.held_between(start, end)
        .select_related("provider", "setting", "lead_visitor")
        .prefetch_related("young_people_met")
        # A join, not a manager: recommendations removed in error must be left out here by name.
        .annotate(
            recommendation_count=Count(
                "recommendations", filter=Q(recommendations__removed_at__isnull=True), distinct=True
            )
        )
        .order_by("visit_date", "pk")
    )
    cohort = dict(
        YoungPerson.objects.filter(placements__in=Placement.objects.active_between(start, end))
        .distinct()
        .values_list("pk", "ehcp")
    )
    met: set[int] = set()
    ehcp_settings: list[str] = []
    per_month = Counter()
    types = dict(ProvisionType.choices)
    for visit in visits:
        people = list(visit.young_people_met.all())
        met.update(person.pk for person in people)
        ages = sorted(person.age_on(visit.visit_date) for person in people)
        ehcp_met = sum(person.ehcp for person in people)
        setting_type = (
            types.get(visit.setting.setting_type, "")
            if visit.setting
            else ", ".join(types.get(t, t) for t in visit.provider.provision_types)
        )
        if ehcp_met:
            ehcp_settings.append(
                f"{visit.provider.name} ({setting_type.lower()})" if setting_type else visit.provider.name
            )
        per_month[(visit.visit_date.year, visit.visit_date.month)] += 1
        figures.visit_summaries.append(
            VisitSummary(
                visit_id=visit.pk,
                date=visit.visit_date,
                lead_visitor=visit.lead_visitor.full_name,
                lead_visitor_role=visit.lead_visitor_role,
                provider=visit.provider.name,
                setting=visit.setting.name if visit.setting else "",
                setting_type=setting_type,
                children_in_care=sum(person.cohort == "child_in_care" for person in people),
                care_leavers=sum(person.cohort == "care_leaver" for person in people),
                youngest=ages[0] if ages else None,
                oldest=ages[-1] if ages else None,
                others_spoken_to=visit.others_spoken_to,
                ehcp_met=ehcp_met,
                judgement=visit.get_overall_judgement_display() if visit.overall_judgement else "",
                summary=visit.overall_summary,
                recommendations=visit.recommendation_count,
            )
        )
    figures.visits = len(visits)
    figures.providers_visited = len({visit.provider_id for visit in visits})
    figures.young_people_met = len(met)
    figures.cohort = len(cohort)
    figures.share_met = percent(len(met), len(cohort))
    figures.ehcp_cohort = sum(cohort.values())
    # Children met who had an EHCP; all of them are in the cohort, being placed on the visit date.
    figures.ehcp_visited = len({pk for pk in met if cohort.get(pk)})
    figures.ehcp_visit_settings = list(dict.fromkeys(ehcp_settings))
    month = date(start.year, start.month, 1)
    while month <= end:
        figures.visits_by_month.append(
            (f"{month:%b %y}", f"{month:%b %Y}", per_month.get((month.year, month.month), 0))
        )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low} or {high}" if high == low + 1 else f"{low} to {high}"


def _cadence_rule(t: CadenceThresholds) -> str:
    """The thresholds in words: "4 or more placements, quarterly; 2 or 3, half-yearly; 1, annual"."""
    return (
        f"{t.quarterly_from} or more placements, quarterly; "
        f"{_span(t.half_yearly_from, t.quarterly_from - 1)}, half-yearly; "
        f"{_span(t.annual_from, t.half_yearly_from - 1)}, annual"
    )


def cadence_in_words(labels: list[str]) -> str:
    """A provider's cadences over the period, in the order its meetings fell due, as the per-provider
    table shows them: ["Half-yearly", "Quarterly"] is "Half-yearly, then quarterly". A provider whose
    placements grew in the year has meetings of both, and the by-cadence table counts each meeting under
    its own; naming only the latest (as it did) left the two tables not adding up (a tester's finding:
    20 quarterly meetings by provider against 22 by cadence)."""
    return ", then ".join([labels[0], *(label.lower() for label in labels[1:])])


CADENCE_ORDER = [Cadence.QUARTERLY, Cadence.HALF_YEARLY, Cadence.ANNUAL, Cadence.NONE]


def _meetings(figures: CommitteeFigures, start: date, end: date) -> None:
    """Meetings that fell due in the period (cancelled ones apart) and how many of them were held."""
    meetings = list(ReviewMeeting.objects.due_between(start, end).select_related("provider").order_by("due_date", "pk"))
    by_cadence: dict[str, CadenceRow] = {}
    by_provider: dict[int, ProviderReviews] = {}
    cadences: dict[int, list[str]] = {}  # each provider's cadences in the order their meetings fell due
    for meeting in meetings:
        held = meeting.status == MeetingStatus.HELD
        label = Cadence(meeting.cadence).label
        row = by_cadence.setdefault(meeting.cadence, CadenceRow(label, 0, 0))
        row.due += 1
        row.held += held
        provider = by_provider.setdefault(
            meeting.provider_id, ProviderReviews(meeting.provider.name, label, 0, 0, None)
        )
        seen = cadences.setdefault(meeting.provider_id, [])
        if not seen or seen[-1] != label:
            seen.append(label)
        provider.due += 1
        if held:
            provider.held += 1
            provider.last_held = max(filter(None, [provider.last_held, meeting.held_on]))
    for provider_id, provider in by_provider.items():
        provider.cadence = cadence_in_words(cadences[provider_id])
    figures.meetings_due = len(meetings)
    figures.cadence_rule = _cadence_rule(CadenceThresholds.current())
    figures.meetings_held = sum(row.held for row in by_cadence.values())
    figures.meetings_by_cadence = [by_cadence[c] for c in CADENCE_ORDER if c in by_cadence]
    figures.meetings_by_provider = sorted(by_provider.values(), key=lambda row: row.provider.lower())


def _closed_after(rec: Recommendation, closed_at: dict[int, object], end: date) -> bool:
    """Whether a completed or not-accepted recommendation was closed after the period's last day: its
    completion (completed_at) or, for one not accepted, the progress note that recorded it."""
    if rec.status == RecommendationStatus.COMPLETED:
        when = rec.completed_at
    elif rec.status == RecommendationStatus.NOT_ACCEPTED:
        when = closed_at.get(rec.pk)
    else:
        return False
    return when is not None and timezone.localtime(when).date() > end


def _recommendations(figures: CommitteeFigures, start: date, end: date, today: date) -> None:
    """Recommendations made in the period, each counted once. One completed or not accepted within
    the period counts as that, and only a completion within the period is quoted for its impact
    (issue 14: a 2024-25 pack quoted a completion of May 2025). One closed after the period counts as
    it stood at the end of the period: the status of its last progress note by then (open if none),
    and overdue if it was due before the period ended. One still open or in progress counts as it
    stands today: overdue if due before `today`."""
    recommendations = list(
        Recommendation.objects.filter(created_at__date__range=(start, end))
        .select_related("provider")
        .order_by("completed_at", "pk")
    )
    closed = [rec.pk for rec in recommendations if not rec.is_live]
    notes = (
        ProgressUpdate.objects.filter(recommendation_id__in=closed)
        .order_by("recommendation_id", "at", "pk")
        .values_list("recommendation_id", "status_after", "at")
    )
    not_accepted_at: dict[int, object] = {}
    status_at_end: dict[int, str] = {}
    for rec_id, status_after, at in notes:
        if status_after == RecommendationStatus.NOT_ACCEPTED:
            not_accepted_at.setdefault(rec_id, at)
        if timezone.localtime(at).date() <= end and status_after in LIVE_STATUSES:
            status_at_end[rec_id] = status_after
    for rec in recommendations:
        status, late_on = rec.status, today
        if _closed_after(rec, not_accepted_at, end):
            status, late_on = status_at_end.get(rec.pk, RecommendationStatus.OPEN), end + timedelta(days=1)
        if status in LIVE_STATUSES and rec.due_date < late_on:
            figures.overdue += 1
        elif status == RecommendationStatus.OPEN:
            figures.open += 1
        elif status == RecommendationStatus.IN_PROGRESS:
            figures.in_progress += 1
        elif status == RecommendationStatus.NOT_ACCEPTED:
            figures.not_accepted += 1
        elif status == RecommendationStatus.COMPLETED:
            figures.completed += 1
            figures.impact_statements.append(
                ImpactStatement(
                    provider=rec.provider.name if rec.provider else "",
                    level=rec.get_level_display(),
                    recommendation=rec.text,
                    impact=rec.impact_statement,
                    completed_on=timezone.localtime(rec.completed_at).date() if rec.completed_at else None,
                )
            )
    figures.recommendations_made = len(recommendations)


FOUR_POINT_COLUMNS = [
    (Judgement.OUTSTANDING, "Outstanding"),
    (Judgement.GOOD, "Good"),
    (Judgement.REQUIRES_IMPROVEMENT, "Requires improvement"),
    (Judgement.INADEQUATE, "Inadequate"),
]
NOT_YET = "Not yet inspected"
SA_COLUMNS = ["SA outcome 1", "SA outcome 2", "SA outcome 3"]
ROW_ORDER = [
    ProvisionType.FOSTERING,
    ProvisionType.CHILDRENS_HOME,
    ProvisionType.RESIDENTIAL_SCHOOL,
    ProvisionType.SUPPORTED_ACCOMMODATION,
    ProvisionType.OTHER,
]


def _ofsted(figures: CommitteeFigures, start: date, end: date) -> None:
    """The latest Ofsted result, at the end of the period, of each home, agency office or school
    where a young person lived during it; supported accommodation is judged per provider on its
    own three-outcome scale. A placement with no setting recorded counts its provider as a whole."""
    placements = list(Placement.objects.active_between(start, end).select_related("provider", "setting"))
    provider_ids = {p.provider_id for p in placements}
    latest_setting: dict[int, tuple[date, int, int]] = {}  # setting -> (inspected, judgement, provider)
    latest_sa: dict[int, tuple[date, int]] = {}
    # Full inspections only: a visit never replaces a judgement (OfstedInspectionQuerySet.deciding).
    inspections = (
        OfstedInspection.objects.filter(provider_id__in=provider_ids, inspection_date__lte=end)
        .deciding()
        .values_list("provider_id", "setting_id", "scale", "inspection_date", "judgement", "sa_outcome")
    )
    for provider_id, setting_id, scale, on, judgement, sa_outcome in inspections:
        if scale == InspectionScale.SUPPORTED_ACCOMMODATION:
            if provider_id not in latest_sa or on >= latest_sa[provider_id][0]:
                latest_sa[provider_id] = (on, sa_outcome)
        elif setting_id is not None and (setting_id not in latest_setting or on >= latest_setting[setting_id][0]):
            latest_setting[setting_id] = (on, judgement, provider_id)
    # For a placement with no setting recorded: the worst of its provider's settings' latest judgements.
    worst_by_provider: dict[int, int] = {}
    for _, judgement, provider_id in latest_setting.values():
        if judgement != Judgement.NOT_JUDGED:
            worst_by_provider[provider_id] = max(worst_by_provider.get(provider_id, 0), judgement)

    units: dict[tuple, tuple[str, str]] = {}  # unit -> (provision type, column)
    for placement in placements:
        if placement.setting_id:
            kind = placement.setting.setting_type
        else:
            kinds = placement.provider.provision_types or [ProvisionType.OTHER]
            kind = kinds[0]
        if kind == ProvisionType.SUPPORTED_ACCOMMODATION:
            outcome = latest_sa.get(placement.provider_id)
            units[("sa", placement.provider_id)] = (kind, f"SA outcome {outcome[1]}" if outcome else NOT_YET)
        elif placement.setting_id:
            result = latest_setting.get(placement.setting_id)
            judgement = result[1] if result else None
            units[("setting", placement.setting_id)] = (kind, _judgement_column(judgement))
        else:
            units[("provider", placement.provider_id)] = (
                kind,
                _judgement_column(worst_by_provider.get(placement.provider_id)),
            )
    columns = [label for _, label in FOUR_POINT_COLUMNS] + [NOT_YET] + SA_COLUMNS
    counts: dict[str, Counter] = defaultdict(Counter)
    for kind, column in units.values():
        counts[kind][column] += 1
    labels = dict(ProvisionType.choices)
    for kind in ROW_ORDER:
        if kind not in counts:
            continue
        sa = kind == ProvisionType.SUPPORTED_ACCOMMODATION
        cells = [
            (counts[kind][column] if sa else None)
            if column in SA_COLUMNS
            else (None if sa and column != NOT_YET else counts[kind][column])
            for column in columns
        ]
        figures.ofsted_rows.append(OfstedRow(labels[kind], cells, sum(counts[kind].values())))
    figures.ofsted_columns = columns
    figures.ofsted_total = len(units)


NOT_RATED = "Not rated then"


def _risk(figures: CommitteeFigures, start: date, end: date, today: date) -> None:
    """Each provider where a young person lived during the period, by its risk rating as shown at the
    end of the period (its rating now while the period runs on): the latest change of its rating on
    or before that day (providers.RiskRatingChange), in two queries."""
    on = min(end, today)
    provider_ids = set(Placement.objects.active_between(start, end).values_list("provider_id", flat=True))
    names = dict(Provider.objects.filter(pk__in=provider_ids).values_list("pk", "name"))
    if on >= today:
        ratings = dict(Provider.objects.filter(pk__in=provider_ids).values_list("pk", "risk_rating"))
    else:
        day_after = timezone.make_aware(datetime.combine(on + timedelta(days=1), datetime.min.time()))
        ratings = dict(
            RiskRatingChange.objects.filter(provider_id__in=provider_ids, changed_at__lt=day_after)
            .order_by("provider_id", "-changed_at", "-pk")
            .distinct("provider_id")
            .values_list("provider_id", "to_rating")
        )
    by_rating: dict[str, list[str]] = defaultdict(list)
    labels = dict(RiskRating.choices)
    for pk, name in names.items():
        by_rating[labels.get(ratings.get(pk), NOT_RATED)].append(name)
    figures.risk_on = on
    figures.risk_rows = [
        RiskRow(label, sorted(by_rating[label], key=str.lower))
        for label in [*(labels[value] for value in sorted(labels, reverse=True)), NOT_RATED]
        if label in by_rating or label != NOT_RATED
    ]


def _judgement_column(judgement: int | None) -> str:
    for value, label in FOUR_POINT_COLUMNS:
        if judgement == value:
            return label
    return NOT_YET


def _responses(figures: CommitteeFigures, start: date, end: date) -> None:
    """Each response to an Inadequate judgement recorded in the period, oldest first: the days to its
    visit and the hours to each child's decision (reviews.responses), in two queries."""
    after = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    before = timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()))
    responses = (
        InadequateResponse.objects.filter(opened_at__gte=after, opened_at__lt=before)
        .select_related("provider", "setting", "visit")
        .prefetch_related("decisions")
        .order_by("opened_at", "pk")
    )
    rows = []
    for response in responses:
        visit = response.visit
        held = visit is not None and visit.visit_date is not None and visit.status != "draft"
        opened_on = timezone.localdate(response.opened_at)
        rows.append(
            ResponseRow(
                where=response.where,
                recorded_on=opened_on,
                days_to_visit=(visit.visit_date - opened_on).days if held else None,
                decision_hours=[
                    (d.recorded_at - response.opened_at).total_seconds() / 3600 if d.recorded_at else None
                    for d in sorted(
                        response.decisions.all(), key=lambda d: (d.recorded_at is None, d.recorded_at, d.pk)
                    )
                ],
            )
        )
    figures.response_rows = rows


def committee_figures(start: date, end: date, *, today: date | None = None) -> CommitteeFigures:
    """Every figure in the pack for the period, from the data, in a fixed number of queries."""
    today = today or timezone.localdate()
    figures = CommitteeFigures(period_start=start, period_end=end, counted_on=today)
    _visits(figures, start, end)
    _meetings(figures, start, end)
    _recommendations(figures, start, end, today)
    _ofsted(figures, start, end)
    _risk(figures, start, end, today)
    _responses(figures, start, end)
    return figures


# The report page's figures are kept this long (README: Performance): counting a regional consortium's
# year takes seconds, and the page is opened again and again while the narrative is written.
FIGURES_KEPT_FOR = timedelta(minutes=10)


def committee_figures_for_page(
    start: date, end: date, *, count_again: bool = False
) -> tuple[CommitteeFigures, datetime]:
    """The figures of the period as the report page shows them, and when they were counted (an aware
    datetime): counted at most `FIGURES_KEPT_FOR` ago, kept in the cache (Redis) per period and day, or
    counted now when `count_again` or when none are kept. The pack itself always counts afresh
    (`committee_figures`). When the cache cannot be reached the figures are counted now; nothing fails."""
    key = f"committee-figures:{start:%Y-%m-%d}:{end:%Y-%m-%d}:{timezone.localdate():%Y-%m-%d}"
    if not count_again:
        try:
            kept = cache.get(key)
        except (RedisError, ConnectionError):  # Redis away: count now, as if nothing were kept
            kept = None
        if kept is not None:
            return kept
    counted = (committee_figures(start, end), timezone.now())
    with suppress(RedisError, ConnectionError):  # Redis away: the figures are shown all the same
        cache.set(key, counted, FIGURES_KEPT_FOR.total_seconds())
    return counted
