"""The demo: one account per role, a provider register shaped like the City of London's, its QA
visits, review meetings and recommendations, and the committee report on its year.

The story is told in data files (`data/*.toml`, read by `seeding`), with dates relative to the
demo's year, which is always the last full financial year before today: that year has the City's
2024-25 shape (six visits meeting 22 of 56 children and young people, 39%, both children with an
EHCP among them), and the months since hold a current year that is under way (visits planned and
being written up, recommendations due this month, a review meeting next week). `seed_demo` runs
`seed`."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from qa_portal.periods import FinancialYear
from qa_portal.reporting.demo import action_plans, meetings, recommendations, register, responses, risk, visits
from qa_portal.reporting.demo.accounts import (
    DEMO_AUTHENTICATOR_KEY,
    DEMO_PASSWORD,
    DEMO_PROVIDER_NAME,
    DEMO_USERS,
    seed_accounts,
)
from qa_portal.reporting.demo.seeding import Calendar

__all__ = ["DEMO_AUTHENTICATOR_KEY", "DEMO_PASSWORD", "DEMO_PROVIDER_NAME", "DEMO_USERS", "SeedResult", "seed"]


@dataclass(frozen=True)
class SeedResult:
    year: FinancialYear  # the demo's year: the last full financial year before today
    accounts: list[tuple[str, str, bool]]  # (email, role, created) for each demo account
    register: dict[str, int]  # what the provider register holds afterwards, by kind of record
    visits: dict[str, int]  # QA visits afterwards: in all, finalised, young people met, case records
    recommendations: dict[str, int]  # recommendations afterwards: in all, by status, overdue, from meetings
    meetings: dict[str, int]  # review meetings afterwards: in all, held, open, overdue; compliance checks
    risk: dict[str, int]  # providers by risk rating afterwards, and overrides in force
    action_plans: dict[str, int]  # action plans afterwards: in all, awaiting review, overdue, re-check due
    responses: dict[str, int]  # responses to Inadequate judgements afterwards: in all, open; decisions overdue


@transaction.atomic
def seed(*, today: date | None = None) -> SeedResult:
    """Create or bring up to date the whole demo as it stands on `today` (default: today), and
    return what the database holds afterwards.

    Safe to run again: every record is found by its natural key and saved only if it differs, so
    a second run on the same day changes nothing. A run on a later day moves the current year on;
    one in a later financial year tells the same story about that year's last full year. Sends
    no email."""
    calendar = Calendar(today or timezone.localdate())
    accounts = seed_accounts()
    register.seed(calendar)
    made = visits.seed(calendar)
    recommendations.seed(calendar, made)
    meetings.seed(calendar)
    recommendations.seed_meeting_recommendations(calendar)
    visits.seed_committee_report(calendar)
    action_plans.seed(calendar)
    responses.seed(calendar)
    risk.seed(calendar)
    return SeedResult(
        year=calendar.year,
        accounts=accounts,
        register=register.counts(calendar.today),
        visits=visits.counts(),
        recommendations=recommendations.counts(calendar.today),
        meetings=meetings.counts(calendar.today),
        risk=risk.counts(),
        action_plans=action_plans.counts(calendar.today),
        responses=responses.counts(),
    )
