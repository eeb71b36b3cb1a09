"""Demo accounts, one per role (listed in the README)."""

from django.contrib.auth.models import Group

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


def seed_accounts() -> list[tuple[str, str, bool]]:
    """Create or refresh one account per role, all with DEMO_PASSWORD. Returns (email, role, created)."""
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
    return results
