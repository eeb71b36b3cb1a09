"""Which provider to visit next: every provider scored on the reasons the City's annual report gives for
choosing whom to visit, each reason's points shown with the data behind them.

The reasons (seeds/000_ee67f3040fa837bf.txt, "Quality Assurance Visits" and "Focus on children with
Special Educational Needs"; issue 17) and the data each is read from:

- young people placed: active placements today (providers.Placement);
- how many of them are vulnerable: an EHCP, SEND or UASC (providers.YoungPerson), or under 16 in
  supported accommodation (the setting's type, or the provider's where no setting is recorded);
- new to the authority: the provider's flag;
- concerns: those received in the last few months, by severity, recent ones counting more
  (providers.Concern; those from a Regulation 44 report count under their own reason);
- open Regulation 44 issues: concerns from a Regulation 44 report not yet closed;
- high cost: the provider's flag, or a placement's;
- time since the last QA visit: calendar months since the last visit that has taken place (its date
  recorded, written up or not); never visited scores its own, higher, points;
- the risk rating (providers.Provider.risk_rating, kept by reviews.risk).

How many points each is worth is `VisitNextWeights`, set by administrators. The score is worked out in
PostgreSQL, so that the list sorts and pages by it: `ranked` gives every provider's score alone (for
the order and the page), `rows` the data and each reason's points for the providers shown. Both run one
query whatever the number of providers (issue 15).
"""

from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Case, Count, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.urls import reverse

from providers.models import (
    Concern,
    ConcernSource,
    Placement,
    ProvisionType,
    RiskRating,
    Severity,
)
from qa_portal.reporting.models import VisitNextWeights
from qa_portal.wording import count_of
from visits.models import Visit, VisitReason

SEVERITIES = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)
_INT = models.IntegerField()


class MonthsBetween(Func):
    """Whole calendar months from the date `earlier` to the date `later`, as PostgreSQL's AGE counts
    them (and dateutil's relativedelta): 3 March to 2 April is 0, to 3 April is 1."""

    template = "(EXTRACT(YEAR FROM AGE(%(expressions)s)) * 12 + EXTRACT(MONTH FROM AGE(%(expressions)s)))::integer"
    output_field = _INT

    def __init__(self, later, earlier):
        super().__init__(later, earlier)

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return sql, (*params, *params)  # the template names both dates twice


def _count(queryset) -> Coalesce:
    """How many rows of `queryset` (of a model with a `provider`) are the provider's, as a subquery."""
    counted = queryset.filter(provider=OuterRef("pk")).order_by().values("provider").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=_INT), 0)


def _under_16_in_supported_accommodation(today: date) -> Q:
    """A placement of a young person under 16 today in supported accommodation: its setting's type, or
    the provider's provision types where no setting is recorded. Since October 2023 supported
    accommodation may not take under-16s at all (the Supported Accommodation Regulations 2023)."""
    sixteenth_birthday_after = today - relativedelta(years=16)
    supported = ProvisionType.SUPPORTED_ACCOMMODATION
    in_supported = Q(setting__setting_type=supported) | Q(
        setting__isnull=True, provider__provision_types__contains=[supported]
    )
    return Q(young_person__date_of_birth__gt=sixteenth_birthday_after) & in_supported


def _data(weights: VisitNextWeights, today: date) -> dict[str, models.Expression]:
    """The data behind each reason, for each provider: {name: expression}."""
    placed = Placement.objects.active_on(today)
    under_16 = _under_16_in_supported_accommodation(today)
    vulnerable = Q(young_person__ehcp=True) | Q(young_person__send=True) | Q(young_person__uasc=True) | under_16
    looked_back = Concern.objects.exclude(source=ConcernSource.REGULATION_44).filter(
        received_on__gt=today - relativedelta(months=weights.concern_months)
    )
    recent_from = today - relativedelta(months=weights.recent_concern_months)
    visits = Visit.objects.filter(provider=OuterRef("pk"))
    data = {
        "placed": _count(placed),
        "vulnerable": _count(placed.filter(vulnerable)),
        "ehcp": _count(placed.filter(young_person__ehcp=True)),
        "send": _count(placed.filter(young_person__send=True)),
        "uasc": _count(placed.filter(young_person__uasc=True)),
        "under_16_supported": _count(placed.filter(under_16)),
        "high_cost_placements": _count(placed.filter(high_cost=True)),
        "regulation_44_open": _count(Concern.objects.open().filter(source=ConcernSource.REGULATION_44)),
        # The last visit that has taken place, written up or not; the next one planned.
        "last_visit": Subquery(
            visits.filter(visit_date__lte=today).order_by("-visit_date").values("visit_date")[:1],
            output_field=models.DateField(),
        ),
        "next_planned": Subquery(
            visits.filter(visit_date__isnull=True, planned_date__gte=today)
            .order_by("planned_date")
            .values("planned_date")[:1],
            output_field=models.DateField(),
        ),
    }
    for severity in SEVERITIES:
        of_severity = looked_back.filter(severity=severity)
        data[f"concerns_{severity}_recent"] = _count(of_severity.filter(received_on__gt=recent_from))
        data[f"concerns_{severity}_older"] = _count(of_severity.filter(received_on__lte=recent_from))
    data["months_since_visit"] = MonthsBetween(Value(today), F("last_visit"))
    return data


def _points(weights: VisitNextWeights) -> dict[str, models.Expression]:
    """Each reason's points, from the data (`_data`'s names): {reason: expression}."""
    concerns = sum(
        (
            (F(f"concerns_{severity}_recent") * weights.recent_concern_factor + F(f"concerns_{severity}_older"))
            * getattr(weights, f"concern_{severity}")
            for severity in SEVERITIES
        ),
        Value(0),
    )
    return {
        "placed": F("placed") * weights.per_young_person,
        "vulnerable": F("vulnerable") * weights.per_vulnerable_young_person,
        "new_to_authority": Case(When(new_to_authority=True, then=weights.new_to_authority), default=0),
        "concerns": concerns,
        "regulation_44": F("regulation_44_open") * weights.per_regulation_44_issue,
        "high_cost": Case(
            When(Q(high_cost=True) | Q(high_cost_placements__gt=0), then=weights.high_cost),
            default=0,
        ),
        "since_visit": Case(
            When(last_visit__isnull=True, then=weights.never_visited),
            default=Least(F("months_since_visit"), weights.months_since_visit_counted) * weights.per_month_since_visit,
        ),
        "risk": Case(
            When(risk_rating=RiskRating.HIGH, then=weights.risk_high),
            When(risk_rating=RiskRating.MEDIUM, then=weights.risk_medium),
            default=0,
        ),
    }


def _score(points: dict[str, models.Expression]) -> models.Expression:
    return models.ExpressionWrapper(sum(points.values(), Value(0)), output_field=_INT)


def ranked(providers, weights: VisitNextWeights, today: date):
    """`providers` with `score` (whole points), highest first, then by name: one query for the page of
    them asked for, however many there are. The data stays out of the rows (`rows` reads it for the
    providers shown)."""
    return (
        providers.alias(**_data(weights, today))
        .annotate(score=_score(_points(weights)))
        .order_by("-score", "name", "pk")
    )


def with_data(providers, weights: VisitNextWeights, today: date):
    """`providers` with the data behind each reason, each reason's points (`points_<reason>`) and the
    score, ordered as `ranked` orders them."""
    points = _points(weights)
    return (
        providers.annotate(**_data(weights, today))
        .annotate(**{f"points_{name}": models.ExpressionWrapper(p, output_field=_INT) for name, p in points.items()})
        .annotate(score=_score(points))
        .order_by("-score", "name", "pk")
    )


@dataclass(frozen=True)
class Contribution:
    """One reason's part of a provider's score: what it is, the data behind it in words, and its points.
    `reason` is the visit plan's reason it ticks (a VisitReason), `other` the words it adds to the plan's
    "Other" reason where it is not one of them."""

    label: str
    data: str
    points: int
    reason: str = ""
    other: str = ""
    order: int = 0  # its place in the list of reasons (the module's docstring)


@dataclass(frozen=True)
class Ranked:
    """A provider in the list: its place, its score and each reason's part in it (those that add points)."""

    place: int
    provider: object
    score: int
    contributions: list[Contribution]
    last_visit: date | None
    next_planned: date | None

    @property
    def reasons(self) -> list[str]:
        """The visit plan's reasons that apply, in the plan form's order (VisitReason)."""
        applying = {c.reason for c in self.contributions if c.reason}
        if any(c.other for c in self.contributions):
            applying.add(VisitReason.OTHER)
        return [reason for reason in VisitReason.values if reason in applying]

    @property
    def other_reason(self) -> str:
        """The reasons the plan form has no box for, in words: "Not visited since 3 March 2025; High risk
        rating" (the time since the last visit first, as the list of reasons has it)."""
        others = sorted((c for c in self.contributions if c.other), key=lambda c: c.order)
        return "; ".join(c.other for c in others)

    @property
    def plan_url(self) -> str:
        """The visit plan form with this provider chosen and the reasons that apply ticked."""
        query = [("provider", self.provider.pk), *(("reasons", reason) for reason in self.reasons)]
        if self.other_reason:
            query.append(("reason_other", self.other_reason))
        return f"{reverse('visits:visit_plan')}?{urlencode(query)}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _concerns_data(row, weights: VisitNextWeights) -> str:
    """ "3 concerns received: 1 High in the last 3 months, 2 Medium earlier in the last 12 months (a recent
    one counts 2 times)" """
    recent = [(getattr(row, f"concerns_{s}_recent"), Severity(s).label) for s in SEVERITIES]
    older = [(getattr(row, f"concerns_{s}_older"), Severity(s).label) for s in SEVERITIES]
    parts = [f"{n} {label} in the last {count_of(weights.recent_concern_months, 'month')}" for n, label in recent if n]
    parts += [f"{n} {label} earlier in the last {count_of(weights.concern_months, 'month')}" for n, label in older if n]
    total = sum(n for n, _ in recent + older)
    counted = ""
    if weights.recent_concern_factor > 1 and any(n for n, _ in recent):
        counted = f" (a recent one counts {weights.recent_concern_factor} times)"
    return f"{count_of(total, 'concern')} received: " + ", ".join(parts) + counted


def _vulnerable_data(row) -> str:
    kinds = [
        (row.ehcp, "with an EHCP"),
        (row.send, "with SEND"),
        (row.uasc, "UASC"),
        (row.under_16_supported, "under 16 in supported accommodation"),
    ]
    detail = "; ".join(f"{n} {words}" for n, words in kinds if n)
    who = count_of(row.vulnerable, "young person", "young people")
    return f"{who} with an EHCP, SEND or another vulnerability ({detail})"


def _high_cost_data(row) -> str:
    parts = ["High-cost provider"] if row.high_cost else []
    if row.high_cost_placements:
        parts.append(count_of(row.high_cost_placements, "high-cost placement"))
    return "; ".join(parts)


def _since_visit_data(row, weights: VisitNextWeights) -> str:
    if row.last_visit is None:
        return "Never visited"
    months = row.months_since_visit
    counted = (
        f", counted as {weights.months_since_visit_counted}" if months > weights.months_since_visit_counted else ""
    )
    return f"Last visited {count_of(months, 'month')} ago ({_day(row.last_visit)}{counted})"


def contributions(row, weights: VisitNextWeights) -> list[Contribution]:
    """The reasons that add points to `row` (a provider from `with_data`), biggest first (then in the
    order of the list above), each with its data in words and its points."""
    found = [
        Contribution(
            "Young people placed",
            count_of(row.placed, "young person", "young people") + " placed",
            row.points_placed,
            VisitReason.NUMBER_OF_YOUNG_PEOPLE,
        ),
        Contribution("Vulnerability", _vulnerable_data(row), row.points_vulnerable, VisitReason.VULNERABILITY)
        if row.vulnerable
        else None,
        Contribution(
            "New to the authority", "New to the authority", row.points_new_to_authority, VisitReason.NEW_PROVIDER
        ),
        Contribution("Concerns", _concerns_data(row, weights), row.points_concerns, VisitReason.CONCERNS)
        if row.points_concerns
        else None,
        Contribution(
            "Regulation 44",
            count_of(row.regulation_44_open, "open Regulation 44 issue"),
            row.points_regulation_44,
            VisitReason.CONCERNS,
        ),
        Contribution("High cost", _high_cost_data(row), row.points_high_cost, VisitReason.HIGH_COST),
        Contribution(
            "Time since the last QA visit",
            _since_visit_data(row, weights),
            row.points_since_visit,
            other="Never visited" if row.last_visit is None else f"Not visited since {_day(row.last_visit)}",
        ),
        Contribution(
            "Risk rating",
            f"{RiskRating(row.risk_rating).label} risk rating",
            row.points_risk,
            other=f"{RiskRating(row.risk_rating).label} risk rating",
        ),
    ]
    shown = [replace(c, order=order) for order, c in enumerate(found) if c is not None and c.points > 0]
    return sorted(shown, key=lambda c: (-c.points, c.order))


def rows(page_of_ranked, providers, weights: VisitNextWeights, today: date, *, first_place: int) -> list[Ranked]:
    """The providers of one page of `ranked` (a list of them, or of their ids) with everything the list
    shows: one query for the page, whatever its length."""
    ids = [getattr(item, "pk", item) for item in page_of_ranked]
    found = {row.pk: row for row in with_data(providers.filter(pk__in=ids), weights, today)}
    shown = []
    for place, pk in enumerate(ids, start=first_place):
        row = found.get(pk)
        if row is None:
            continue  # archived between the two queries
        shown.append(
            Ranked(
                place=place,
                provider=row,
                score=row.score,
                contributions=contributions(row, weights),
                last_visit=row.last_visit,
                next_planned=row.next_planned,
            )
        )
    return shown
