"""Who is told what in the provider register. Emails carry a link, never the concern itself: what
a concern says about a child is OFFICIAL-SENSITIVE."""

from providers.models import Concern, Provider
from qa_portal.models import User
from qa_portal.notify import notify_each
from qa_portal.roles import Role


def tell_high_concern(concern: Concern, *, by, raised: bool) -> int:
    """A High concern, recorded as High or `raised` to High on an update: every active QA lead and the
    provider's commissioning officer (every commissioning officer while none is assigned), at once.

    Keyed by the concern, so each concern is told once however often it is saved; `by` (who recorded
    or raised it) is named and not told. Returns how many were told now."""
    provider = concern.provider
    return notify_each(
        [*User.objects.active_with_role(Role.QA_LEAD), *provider.commissioning_officers()],
        actor=by,
        kind="concern_high",
        key=f"concern:{concern.pk}",
        subject=f"High concern about {provider}",
        template="emails/concern_high",
        context={"concern": concern, "provider": provider, "by": by, "raised": raised},
        about=concern,
        link=provider.get_absolute_url() + "#concerns",
    )


def provider_recipients(provider: Provider) -> list:
    """Who at a provider is emailed about what the council shares with or asks of it (a visit report,
    an action plan): its active provider users (User), then the email addresses of its contacts who
    receive reports and are not among those users, each once, in that order."""
    users = list(User.objects.active_with_role(Role.PROVIDER_USER).filter(provider=provider).order_by("email", "pk"))
    known = {user.email.lower() for user in users}
    contacts = []
    for email in provider.contacts.filter(receives_reports=True).exclude(email="").order_by("email", "pk"):
        email = email.email
        if email.lower() not in known:
            known.add(email.lower())
            contacts.append(email)
    return [*users, *contacts]
