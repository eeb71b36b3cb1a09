"""Demo accounts, one per role, and the demo data built on them. Later features add their
demo data to `seed`."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction

from providers.models import Provider
from qa_portal.models import User
from qa_portal.roles import Role

DEMO_PASSWORD = "demo-password-2026"

# (email, full name, job title, role); also listed in the README.
DEMO_USERS = [
    ("leader@example.org", "Chris Palmer", "Assistant Director, People's Services", Role.SENIOR_LEADER),
    ("qa.lead@example.org", "Laura Dennison", "Head of Safeguarding and Quality Assurance", Role.QA_LEAD),
    ("commissioning@example.org", "Sam Okafor", "Commissioning Officer", Role.COMMISSIONING_OFFICER),
    ("manager@example.org", "Priya Shah", "Service Manager", Role.MANAGER),
    ("social.worker@example.org", "Tom Reilly", "Social Worker, Children in Care", Role.SOCIAL_WORKER),
    ("provider@example.org", "Jo Marsh", "Registered Manager", Role.PROVIDER_USER),
    ("admin@example.org", "Alex Morgan", "Systems Administrator", Role.ADMINISTRATOR),
]

DEMO_PROVIDER_NAME = "Harbour Lights Fostering"


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
    # Imported here because these modules read the accounts defined in this module.
    from providers import demo as register_demo
    from reviews import demo as recommendations_demo
    from visits import demo as visits_demo

    provider, _ = Provider.objects.get_or_create(name=DEMO_PROVIDER_NAME)
    results = []
    for email, full_name, job_title, role in DEMO_USERS:
        user, created = User.objects.update_or_create(
            email=email,
            defaults={
                "full_name": full_name,
                "job_title": job_title,
                "is_active": True,
                "provider": provider if role is Role.PROVIDER_USER else None,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role.label)])
        results.append((email, role.label, created))
    # After the accounts: placement stops are recorded as changed by the commissioning officer.
    register = register_demo.seed(today=today)
    # Visits meet young people placed in the register; recommendations come from the visits.
    visits = visits_demo.seed(today=today)
    return SeedResult(
        accounts=results, register=register, visits=visits, recommendations=recommendations_demo.seed(today=today)
    )
