"""Demo accounts, one per role (data/accounts.toml, also listed in the README)."""

from base64 import b32decode

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from providers.models import Provider
from qa_portal.models import User
from qa_portal.reporting.demo.seeding import demo_provider_lookup, load
from qa_portal.roles import Role

DEMO_PASSWORD: str = load("accounts")["password"]
DEMO_PROVIDER_NAME: str = load("accounts")["provider"]
DEMO_AUTHENTICATOR_KEY: str = load("accounts")["authenticator_key"]
DEMO_AUTHENTICATOR_NAME = "Demo authenticator app"
# (email, full name, job title, role)
DEMO_USERS: list[tuple[str, str, str, Role]] = [
    (user["email"], user["name"], user["job_title"], Role(user["role"])) for user in load("accounts")["users"]
]


def seed_accounts() -> list[tuple[str, str, bool]]:
    """Create or refresh one account per role, all with DEMO_PASSWORD and an authenticator app set up
    with DEMO_AUTHENTICATOR_KEY (one set up by hand since is replaced). Returns (email, role, created)."""
    provider = Provider.objects.filter(**demo_provider_lookup(DEMO_PROVIDER_NAME)).first()
    if provider is None:
        provider = Provider.objects.create(name=DEMO_PROVIDER_NAME)
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
        _give_demo_authenticator(user)
        results.append((email, role.label, created))
    return results


def demo_authenticator_key_hex() -> str:
    """DEMO_AUTHENTICATOR_KEY as django-otp stores keys (hex)."""
    return b32decode(DEMO_AUTHENTICATOR_KEY).hex()


def _give_demo_authenticator(user) -> None:
    key = demo_authenticator_key_hex()
    TOTPDevice.objects.filter(user=user).exclude(name=DEMO_AUTHENTICATOR_NAME, key=key).delete()
    TOTPDevice.objects.get_or_create(user=user, name=DEMO_AUTHENTICATOR_NAME, key=key, defaults={"confirmed": True})
