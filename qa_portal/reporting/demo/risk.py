"""The demo's risk ratings (issue 16): every provider rated by the rules as on the demo's today, and
the overrides in data/risk.toml, set by hand with a reason and a date to look again.

The register's story already gives providers at each level: Fellside Care is High (Inadequate, a
placement stop, a High concern), Tamar Reach Residential High for a LADO referral and Medium for an
unplanned ending, Brightwater and Oakhurst Medium for Requires improvement and a review overdue, and
most are Low. Nothing is emailed: a change to High tells no one here."""

from providers import risk as recording
from providers.models import Provider, RiskOverride, RiskRating, RiskRatingChange
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
            first = rules.risk_ratings_refresh(provider_ids=never_rated, today=calendar.year.end)
            year_end = calendar.at(calendar.year.end, "17:00")
            Provider.objects.filter(pk__in=never_rated).update(risk_rated_at=year_end)
            RiskRatingChange.objects.filter(provider_id__in=first.changed).update(changed_at=year_end)
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


def counts() -> dict[str, int]:
    """Providers by risk rating, and overrides in force."""
    by_rating = {
        label.lower(): Provider.objects.filter(risk_rating=value).count() for value, label in RiskRating.choices
    }
    return {
        **by_rating,
        "overrides": Provider.objects.filter(risk_override__ended_at__isnull=True).exclude(risk_override=None).count(),
    }
