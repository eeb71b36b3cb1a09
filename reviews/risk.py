"""Each provider's risk rating by the rules (issue 16): High, Medium or Low, with the reasons.

The rules (`reviews.models.RiskRule`, set by an administrator) are worked out here because they read
the whole register: Ofsted judgements, placement stops, concerns and placements (providers), QA
visits (visits), review meetings and recommendations (reviews). A provider is the worst rating of the
rules that hold for it, Low if none does. The result is stored on the provider with its reasons
(providers.risk records it, with any override and the history), so lists filter and sort by a column.

When it is worked out:
- at once for a provider whose evidence changes: a save or delete of its record, an inspection, a
  concern, a placement, a visit, a recommendation or a review meeting marks it, and it is worked out
  again when the transaction commits (`risk_evidence_changed`, connected in reviews/apps.py);
- for every provider when an administrator changes a rule;
- for every provider daily (`risk_ratings_daily`, beat's "refresh_risk_ratings"), which catches what
  changes with time alone: a recommendation or review meeting falling overdue, a visit or an
  unplanned ending leaving its window, and overrides passing their look-again date.

Each finder is one query over the providers given, so the daily run over a thousand providers is a
dozen queries, then one small transaction for each provider whose rating or reasons changed.
"""

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from providers import risk as recording
from providers.models import (
    Concern,
    InspectionScale,
    Judgement,
    OfstedInspection,
    Placement,
    PlacementEnding,
    Provider,
    ProviderStatus,
    RiskRating,
    Severity,
    SupportedAccommodationOutcome,
)
from reviews.models import ActionHolder, Level, Recommendation, ReviewMeeting, RiskRule, RiskRuleKind
from visits.models import OverallJudgement, Visit, VisitStatus

# Given the rule as set, the providers to look at and today: {provider id: the reason in words}.
Finder = Callable[[RiskRule, QuerySet, date], dict[int, str]]


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _concerns(severity: str | None = None, *, lado: bool = False) -> Finder:
    def find(rule, providers, today):
        concerns = Concern.objects.open().filter(provider__in=providers)
        concerns = concerns.filter(lado_referral=True) if lado else concerns.filter(severity=severity)
        found = {}
        for row in concerns.values("provider_id").annotate(n=Count("pk"), latest=Max("received_on")):
            what = "referred to the LADO" if lado else f"of {severity} severity"
            if row["n"] == 1:
                found[row["provider_id"]] = f"A concern {what} not yet closed, received {_day(row['latest'])}"
            else:
                found[row["provider_id"]] = (
                    f"{row['n']} concerns {what} not yet closed, the latest received {_day(row['latest'])}"
                )
        return found

    return find


def _where_judged(provider_ids, judgement: int) -> dict[int, list[str]]:
    """For each of `provider_ids`, the live settings whose current judgement (the latest judged full
    inspection, as providers.services.refresh_judgements works it out) is `judgement`, each as
    "Oak House, inspected 3 March 2026", latest first. One query; a provider whose judgement was set
    without inspections (none recorded) is left out, and its reason names no setting."""
    latest: dict[int, int] = {}
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        OfstedInspection.objects.deciding()
        .filter(provider_id__in=list(provider_ids), scale=InspectionScale.FOUR_POINT, setting__is_archived=False)
        .exclude(judgement=Judgement.NOT_JUDGED)
        .exclude(judgement__isnull=True)
        .order_by("-inspection_date", "-pk")
        .values_list("provider_id", "setting_id", "setting__name", "judgement", "inspection_date")
    )
    for provider_id, setting_id, name, judged, on in rows:
        if setting_id in latest:
            continue
        latest[setting_id] = judged
        if judged == judgement:
            found[provider_id].append(f"{name}, inspected {_day(on)}")
    return found


def _sa_inspected(provider_ids) -> dict[int, date]:
    """For each of `provider_ids`, the date of its latest full supported accommodation inspection."""
    rows = (
        OfstedInspection.objects.deciding()
        .filter(provider_id__in=list(provider_ids), scale=InspectionScale.SUPPORTED_ACCOMMODATION)
        .values("provider_id")
        .annotate(latest=Max("inspection_date"))
    )
    return {row["provider_id"]: row["latest"] for row in rows}


def _judged(words: str, where: list[str]) -> str:
    return f"{words} ({'; '.join(where)})" if where else words


def _inadequate(rule, providers, today):
    """Inadequate, or supported accommodation outcome 3, naming the setting and inspection date behind it."""
    flagged = list(
        providers.filter(
            Q(current_judgement=Judgement.INADEQUATE) | Q(current_sa_outcome=SupportedAccommodationOutcome.OUTCOME_3)
        ).values_list("pk", "current_judgement", "current_sa_outcome")
    )
    if not flagged:
        return {}
    where = _where_judged(
        [pk for pk, judgement, _ in flagged if judgement == Judgement.INADEQUATE], Judgement.INADEQUATE
    )
    sa_on = _sa_inspected([pk for pk, _, outcome in flagged if outcome == SupportedAccommodationOutcome.OUTCOME_3])
    found = {}
    for pk, judgement, outcome in flagged:
        words = []
        if judgement == Judgement.INADEQUATE:
            words.append(_judged("Ofsted: Inadequate", where.get(pk, [])))
        if outcome == SupportedAccommodationOutcome.OUTCOME_3:
            inspected = [f"inspected {_day(sa_on[pk])}"] if pk in sa_on else []
            words.append(
                _judged("Ofsted: supported accommodation outcome 3 (serious or widespread weaknesses)", inspected)
            )
        found[pk] = "; ".join(words)
    return found


def _requires_improvement(rule, providers, today):
    """Requires improvement to be good, naming the settings and inspection dates behind it."""
    pks = list(providers.filter(current_judgement=Judgement.REQUIRES_IMPROVEMENT).values_list("pk", flat=True))
    where = _where_judged(pks, Judgement.REQUIRES_IMPROVEMENT) if pks else {}
    return {pk: _judged("Ofsted: Requires improvement to be good", where.get(pk, [])) for pk in pks}


def _placement_stop(rule, providers, today):
    return dict.fromkeys(
        providers.filter(status=ProviderStatus.PLACEMENT_STOP).values_list("pk", flat=True), "Under a placement stop"
    )


def _visit_no(rule, providers, today):
    since = today - relativedelta(months=rule.number)
    rows = (
        Visit.objects.submitted()
        .filter(provider__in=providers, overall_judgement=OverallJudgement.NO, visit_date__gte=since)
        .values("provider_id")
        .annotate(latest=Max("visit_date"))
    )
    return {
        row["provider_id"]: f'QA visit of {_day(row["latest"])}: "no", not good enough for my own child' for row in rows
    }


def overdue_provider_recommendations(providers, today: date):
    """The recommendations counted against providers: live, overdue on `today`, for the provider to act
    on (not the council's own actions, nor about the authority's own service)."""
    return (
        Recommendation.objects.overdue(today)
        .filter(provider__in=providers, action_holder=ActionHolder.PROVIDER)
        .exclude(level=Level.AUTHORITY_SERVICE)
    )


def _recommendations_overdue(rule, providers, today):
    rows = (
        overdue_provider_recommendations(providers, today)
        .values("provider_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=rule.number)
    )
    return {row["provider_id"]: f"{row['n']} recommendation{'s' if row['n'] != 1 else ''} overdue" for row in rows}


def _review_overdue(rule, providers, today):
    rows = (
        ReviewMeeting.objects.overdue(today - timedelta(days=rule.number))
        .filter(provider__in=providers)
        .values("provider_id")
        .annotate(due=Max("due_date"))
    )
    return {row["provider_id"]: f"Review meeting overdue: it was due {_day(row['due'])}" for row in rows}


def _unplanned_ending(rule, providers, today):
    since = today - relativedelta(months=rule.number)
    rows = (
        Placement.objects.filter(
            provider__in=providers, ending=PlacementEnding.UNPLANNED, end_date__gte=since, end_date__lte=today
        )
        .values("provider_id")
        .annotate(n=Count("pk"), latest=Max("end_date"))
    )
    found = {}
    for row in rows:
        if row["n"] == 1:
            found[row["provider_id"]] = f"A placement ended unplanned on {_day(row['latest'])}"
        else:
            found[row["provider_id"]] = (
                f"{row['n']} placements ended unplanned in the last {rule.number} months, "
                f"the latest on {_day(row['latest'])}"
            )
    return found


@dataclass(frozen=True)
class Rule:
    find: Finder
    permission: str  # who may be told the reason: the permission to see the records behind it


RULES: dict[str, Rule] = {
    RiskRuleKind.INADEQUATE: Rule(_inadequate, "providers.view_provider"),
    RiskRuleKind.PLACEMENT_STOP: Rule(_placement_stop, "providers.view_provider"),
    RiskRuleKind.CONCERN_HIGH: Rule(_concerns(Severity.HIGH), "providers.view_concern"),
    RiskRuleKind.LADO_REFERRAL: Rule(_concerns(lado=True), "providers.view_concern"),
    RiskRuleKind.VISIT_NO: Rule(_visit_no, "visits.view_visit"),
    RiskRuleKind.REQUIRES_IMPROVEMENT: Rule(_requires_improvement, "providers.view_provider"),
    RiskRuleKind.CONCERN_MEDIUM: Rule(_concerns(Severity.MEDIUM), "providers.view_concern"),
    RiskRuleKind.RECOMMENDATIONS_OVERDUE: Rule(_recommendations_overdue, "reviews.view_recommendation"),
    RiskRuleKind.REVIEW_OVERDUE: Rule(_review_overdue, "reviews.view_reviewmeeting"),
    RiskRuleKind.UNPLANNED_ENDING: Rule(_unplanned_ending, "providers.view_placement"),
}


def ratings_by_the_rules(providers: QuerySet, today: date) -> dict[int, tuple[int, list[dict]]]:
    """{provider id: (rating, reasons)} by the rules as set now, for each of `providers` (archived ones
    too: they are Low with no reasons). Reasons are dicts {"rule", "rating", "text", "permission"},
    worst first, then in the rules' order. Reads only; one query a rule in use."""
    reasons: dict[int, list[dict]] = defaultdict(list)
    for rule in RiskRule.current().values():
        if not rule.rating:
            continue
        how = RULES[rule.rule]
        for provider_id, text in how.find(rule, providers.not_archived(), today).items():
            reasons[provider_id].append(
                {"rule": rule.rule, "rating": rule.rating, "text": text, "permission": how.permission}
            )
    order = list(RiskRuleKind.values)
    result = {}
    for provider_id in providers.values_list("pk", flat=True):
        found = sorted(reasons.get(provider_id, []), key=lambda r: (-r["rating"], order.index(r["rule"])))
        result[provider_id] = (max((r["rating"] for r in found), default=RiskRating.LOW), found)
    return result


@dataclass
class RefreshSummary:
    providers: int = 0
    changed: list[int] = field(default_factory=list)  # provider ids whose rating shown changed
    to_high: int = 0
    overrides_lapsed: int = 0

    def summary(self) -> dict:
        return {
            "providers": self.providers,
            "ratings_changed": len(self.changed),
            "to_high": self.to_high,
            "overrides_lapsed": self.overrides_lapsed,
        }


def risk_ratings_refresh(*, provider_ids: Iterable[int] | None = None, today: date | None = None) -> RefreshSummary:
    """Work out the risk rating by the rules of the providers `provider_ids` (all when None) as on
    `today`, and store each that changed, or was never rated (providers.risk.risk_rating_record: the
    rating shown, its history, the email on a change to High). Returns what changed."""
    today = today or timezone.localdate()
    providers = Provider.objects.all() if provider_ids is None else Provider.objects.filter(pk__in=list(provider_ids))
    stored = {
        pk: (rules_rating, reasons, rated_at)
        for pk, rules_rating, reasons, rated_at in providers.values_list(
            "pk", "risk_rules_rating", "risk_reasons", "risk_rated_at"
        )
    }
    summary = RefreshSummary(providers=len(stored))
    for provider_id, (rating, reasons) in ratings_by_the_rules(providers, today).items():
        before = stored.get(provider_id)
        if before and before[2] is not None and (before[0], before[1]) == (rating, reasons):
            continue
        change = recording.risk_rating_record(
            provider_id=provider_id, rules_rating=rating, reasons=reasons, today=today
        )
        if change is not None:
            summary.changed.append(provider_id)
            summary.to_high += change.is_to_high
    return summary


def risk_ratings_daily(today: date | None = None) -> RefreshSummary:
    """The daily run: end the overrides past their look-again date (telling who set each), then work
    out every provider's rating again (windows and overdue dates move with the day)."""
    today = today or timezone.localdate()
    lapsed = recording.risk_overrides_lapse(today)
    summary = risk_ratings_refresh(today=today)
    summary.overrides_lapsed = lapsed
    return summary


# Evidence changed: the providers to work out again when the transaction commits, per thread.
_pending = threading.local()
ALL = "all"


def _flush() -> None:
    ids, _pending.ids = getattr(_pending, "ids", set()), set()
    if ALL in ids:
        risk_ratings_refresh()
    elif ids:
        risk_ratings_refresh(provider_ids=ids)


def risk_evidence_changed(provider_id: int | str | None) -> None:
    """Work out `provider_id`'s rating again once the current transaction commits (at once outside
    one); ALL for every provider (a rule changed). Many changes in one transaction (an import) make
    one refresh of the providers they touched: the first flush takes them all, the others find none.
    A provider noted in a transaction that was rolled back is worked out at the thread's next flush,
    which does no harm."""
    if provider_id is None:
        return
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(provider_id)
    transaction.on_commit(_flush, robust=True)


def risk_evidence_forget() -> None:
    """Forget the providers noted for this thread's next refresh (the demo data, which rates every
    provider itself as on its own day)."""
    _pending.ids = set()


def _provider_saved(sender, instance, **kwargs):
    risk_evidence_changed(instance.pk)


def _evidence_saved(sender, instance, update_fields=None, **kwargs):
    # A draft's autosave (a few fields, every few seconds while someone types) changes nothing the
    # rules read: they read submitted visits only. Returning a visit to draft saves its status.
    if sender is Visit and instance.status == VisitStatus.DRAFT and update_fields and "status" not in update_fields:
        return
    risk_evidence_changed(instance.provider_id)


def _rule_saved(sender, instance, **kwargs):
    risk_evidence_changed(ALL)


# The records the rules read, each naming its provider.
EVIDENCE = (OfstedInspection, Concern, Placement, Visit, Recommendation, ReviewMeeting)


def connect() -> None:
    """Listen for changes of the evidence (reviews/apps.py). The listeners only note the provider; the
    work is `risk_ratings_refresh`, after the commit. Bulk updates send no signal: the daily run
    catches what they change."""
    post_save.connect(_provider_saved, sender=Provider, dispatch_uid="reviews.risk.provider")
    for model in EVIDENCE:
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(_evidence_saved, sender=model, dispatch_uid=f"reviews.risk.{model.__name__}.{name}")
    post_save.connect(_rule_saved, sender=RiskRule, dispatch_uid="reviews.risk.rule")
