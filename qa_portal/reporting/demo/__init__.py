"""Demo data: accounts, a provider register shaped like the City of London's, its QA visits,
review meetings and recommendations. `seed_demo` runs `seed`."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from qa_portal.reporting.demo import register as register_demo
from qa_portal.reporting.demo import reviews as recommendations_demo
from qa_portal.reporting.demo import visits as visits_demo
from qa_portal.reporting.demo.accounts import DEMO_PASSWORD, DEMO_PROVIDER_NAME, DEMO_USERS, seed_accounts

__all__ = ["DEMO_PASSWORD", "DEMO_PROVIDER_NAME", "DEMO_USERS", "SeedResult", "seed"]


@dataclass(frozen=True)
class SeedResult:
    accounts: list[tuple[str, str, bool]]  # (email, role, created) for each demo account
    register: dict[str, int]  # what the provider register holds afterwards, by kind of record
    visits: dict[str, int]  # QA visits afterwards: in all, finalised, young people met, case records
    recommendations: dict[str, int]  # recommendations afterwards: in all, by status, overdue


@transaction.atomic
def seed(*, today: date | None = None) -> SeedResult:
    """Create or refresh the demo accounts, then the demo provider register, QA visits and
    recommendations."""
    accounts = seed_accounts()
    # After the accounts: placement stops are recorded as changed by the commissioning officer.
    register = register_demo.seed(today=today)
    # Visits meet young people placed in the register; recommendations come from the visits.
    visits = visits_demo.seed(today=today)
    return SeedResult(
        accounts=accounts, register=register, visits=visits, recommendations=recommendations_demo.seed(today=today)
    )
