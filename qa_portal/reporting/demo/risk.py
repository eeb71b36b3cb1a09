"""The demo's risk ratings (issue 16): every provider rated by the rules as on the demo's today, and
the overrides in data/risk.toml, set by hand with a reason and a date to look again.

The register's story already gives providers at each level: Fellside Care is High (Inadequate, a
placement stop, a High concern), Tamar Reach Residential High for a LADO referral and Medium for an
unplanned ending, Brightwater and Oakhurst Medium for Requires improvement and a review overdue, and
most are Low. Nothing is emailed: a change to High tells no one here."""

from datetime import date

from django.db import transaction

from providers import risk as recording
from providers.models import (
    Concern,
    ConcernStatus,
    InspectionEvent,
    OfstedInspection,
    Provider,
    RiskOverride,
    RiskRating,
    RiskRatingChange,
)
from providers.services import refresh_judgements
from qa_portal.reporting.demo.seeding import Calendar, demo_user, load
from qa_portal.roles import Role
from reviews import risk as rules


def seed(calendar: Calendar) -> None:
    """Rate every provider as on the calendar's today, then set each override of data/risk.toml that
    is not in force already (a later run whose override has passed its date sets it again)."""
    with recording.untold():
        # A provider never rated is first rated as at the end of the demo's year, and that rating is
        # dated then, so the committee pack's table of ratings at the period's end has them (in a live
        # portal, ratings start on the day it is switched on). Then as on today: a change since is a
        # second row of its history.
        never_rated = list(Provider.objects.filter(risk_rated_at__isnull=True).values_list("pk", flat=True))
        if never_rated:
            year_end = calendar.at(calendar.year.end, "17:00")
            for pk, (rating, reasons) in _rules_at_year_end(never_rated, calendar.year.end).items():
                change = recording.risk_rating_record(
                    provider_id=pk, rules_rating=rating, reasons=reasons, today=calendar.year.end
                )
                if change is not None:
                    RiskRatingChange.objects.filter(pk=change.pk).update(changed_at=year_end)
            Provider.objects.filter(pk__in=never_rated).update(risk_rated_at=year_end)
        rules.risk_ratings_refresh(today=calendar.today)
        for spec in load("risk")["overrides"]:
            provider = Provider.objects.select_related("risk_override").get(name=spec["provider"])
            override = provider.risk_override
            if override and override.ended_at is None and override.reason == spec["reason"]:
                continue
            set_at = calendar.at(spec["set"], "10:30")
            change = recording.risk_override_set(
                provider=provider,
                rating=RiskRating[spec["rating"].upper()],
                reason=spec["reason"],
                look_again_on=calendar.day(spec["look_again"]),
                by=demo_user(Role(spec["set_by"])),
            )
            provider.refresh_from_db()
            RiskOverride.objects.filter(pk=provider.risk_override_id).update(set_at=set_at)
            if change is not None:
                RiskRatingChange.objects.filter(pk=change.pk).update(changed_at=set_at)
    # What the records' saves noted is rated already, as on the demo's day.
    rules.risk_evidence_forget()


def _rules_at_year_end(provider_ids: list[int], year_end: date) -> dict[int, tuple[int, list[dict]]]:
    """The rules' rating of each provider as the register stood at the end of the demo's year. The rules
    read a provider's current judgement and open concerns, so for this reading (in a savepoint, rolled
    back) a judgement inspected since is set aside and a concern received since is left out: Larchfield's
    Inadequate of last week did not make it High in March."""
    savepoint = transaction.savepoint()
    try:
        later = OfstedInspection.objects.filter(provider_id__in=provider_ids, inspection_date__gt=year_end)
        touched = set(later.values_list("provider_id", flat=True))
        later.update(event_type=InspectionEvent.MONITORING)
        for provider in Provider.objects.filter(pk__in=touched):
            refresh_judgements(provider)
        Concern.objects.filter(provider_id__in=provider_ids, received_on__gt=year_end).update(
            status=ConcernStatus.CLOSED
        )
        return rules.ratings_by_the_rules(Provider.objects.filter(pk__in=provider_ids), year_end)
    finally:
        transaction.savepoint_rollback(savepoint)


def counts() -> dict[str, int]:
    """Providers by risk rating, and overrides in force."""
    by_rating = {
        label.lower(): Provider.objects.filter(risk_rating=value).count() for value, label in RiskRating.choices
    }
    return {
        **by_rating,
        "overrides": Provider.objects.filter(risk_override__ended_at__isnull=True).exclude(risk_override=None).count(),
    }
