"""Demo accounts, one per role (data/accounts.toml, also listed in the README)."""

from django.contrib.auth.models import Group

from providers.models import Provider
from qa_portal.models import User
from qa_portal.reporting.demo.seeding import load
from qa_portal.roles import Role

DEMO_PASSWORD: str = load("accounts")["password"]
DEMO_PROVIDER_NAME: str = load("accounts")["provider"]
# (email, full name, job title, role)
DEMO_USERS: list[tuple[str, str, str, Role]] = [
    (user["email"], user["name"], user["job_title"], Role(user["role"])) for user in load("accounts")["users"]
]


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
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role.label)])
        results.append((email, role.label, created))
    return results
