"""Who is told what along a visit's path. Emails carry a link, never the report: it is
OFFICIAL-SENSITIVE."""

from qa_portal.models import User
from qa_portal.notify import notify
from qa_portal.roles import Role
from visits.models import Visit


def tell_provider_report_shared(visit: Visit) -> int:
    """The provider's contacts (those who receive reports) and its users."""
    contacts = [c.email for c in visit.provider.contacts.filter(receives_reports=True).exclude(email="")]
    users = list(User.objects.active_with_role(Role.PROVIDER_USER).filter(provider=visit.provider))
    told = 0
    for recipient in [*users, *[email for email in contacts if email not in {u.email for u in users}]]:
        told += (
            notify(
                to=recipient,
                kind="visit_shared",
                key=f"visit:{visit.pk}:{visit.response_due:%Y-%m-%d}",
                subject=f"Quality assurance visit report: {visit.provider}",
                template="emails/visit_shared",
                context={"visit": visit},
                about=visit,
                link=visit.get_absolute_url(),
            )
            is not None
        )
    return told


def tell_commissioning(visit: Visit) -> int:
    officers = User.objects.active_with_role(Role.COMMISSIONING_OFFICER)
    return sum(
        notify(
            to=officer,
            kind="visit_to_commissioning",
            key=f"visit:{visit.pk}",
            subject=f"Finalised visit report: {visit.provider}",
            template="emails/visit_commissioning",
            context={"visit": visit},
            about=visit,
            link=visit.get_absolute_url(),
        )
        is not None
        for officer in officers
    )
