"""Who is told what along a visit's path. Emails carry a link, never the report: it is
OFFICIAL-SENSITIVE."""

from providers.notifications import provider_recipients
from qa_portal.models import User
from qa_portal.notify import Message, compose, notify, notify_each
from qa_portal.roles import Role
from visits.models import Visit, VisitEvent


def provider_report_recipients(visit: Visit) -> list:
    """Who is emailed when the visit's report is shared with its provider: its active provider users
    (User), then the email addresses of its contacts who receive reports and are not among those users,
    each once, in that order (providers.notifications.provider_recipients)."""
    return provider_recipients(visit.provider)


SHARED_SUBJECT = "Quality assurance visit report: {provider}"
SHARED_TEMPLATE = "emails/visit_shared"


def provider_report_email(visit: Visit, recipient) -> Message:
    """The email `recipient` (a user or an address from `provider_report_recipients`) gets when the
    report is shared: a link to it and the date their response is due (`visit.response_due`), never
    the report itself."""
    return compose(
        to=recipient,
        subject=SHARED_SUBJECT.format(provider=visit.provider),
        template=SHARED_TEMPLATE,
        context={"visit": visit},
        link=visit.get_absolute_url(),
    )


def tell_provider_report_shared(visit: Visit) -> int:
    """The provider's users and its contacts who receive reports (`provider_report_recipients`), each
    the email `provider_report_email` composes. Returns how many were told now."""
    told = 0
    for recipient in provider_report_recipients(visit):
        told += (
            notify(
                to=recipient,
                kind="visit_shared",
                key=f"visit:{visit.pk}:{visit.response_due:%Y-%m-%d}",
                subject=SHARED_SUBJECT.format(provider=visit.provider),
                template=SHARED_TEMPLATE,
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


# Hand-offs along the path (issue 11): each step that passes the visit to someone else tells them at
# once, in the portal and by email, naming who took the step. Each is keyed by the step's VisitEvent,
# so it goes once however often it is looked at, and a visit submitted again after a return to draft
# is a new hand-off. Nobody is told of a step they took themselves.


def _qa_leads():
    return User.objects.active_with_role(Role.QA_LEAD)


def tell_qa_lead_submitted(visit: Visit, event: VisitEvent) -> int:
    """Every active QA lead: a visit report is waiting for them to read, then share or return it."""
    again = visit.events.filter(step=VisitEvent.Step.SUBMITTED, pk__lt=event.pk).exists()
    return notify_each(
        _qa_leads(),
        actor=event.by,
        kind="visit_submitted",
        key=f"visit_event:{event.pk}",
        subject=f"Visit to {visit.provider} submitted {'again ' if again else ''}for quality assurance",
        template="emails/visit_submitted",
        context={"visit": visit, "event": event, "again": again},
        about=visit,
        link=visit.get_absolute_url(),
    )


def tell_visitor_returned(visit: Visit, event: VisitEvent) -> int:
    """The lead visitor, and whoever submitted the visit if someone else: it is a draft again, and why."""
    submitted = visit.events.filter(step=VisitEvent.Step.SUBMITTED, pk__lt=event.pk).order_by("-pk").first()
    return notify_each(
        [visit.lead_visitor, submitted.by if submitted else None],
        actor=event.by,
        kind="visit_returned",
        key=f"visit_event:{event.pk}",
        subject=f"Visit to {visit.provider} returned to draft",
        template="emails/visit_returned",
        context={"visit": visit, "event": event},
        about=visit,
        link=visit.get_absolute_url(),
    )


def tell_provider_responded(visit: Visit, event: VisitEvent) -> int:
    """Every active QA lead (to finalise the report) and the lead visitor (to read the response)."""
    told = 0
    for recipients, to_finalise in ((_qa_leads(), True), ([visit.lead_visitor], False)):
        told += notify_each(
            recipients,
            actor=event.by,
            kind="visit_responded",
            key=f"visit_event:{event.pk}",
            subject=f"{visit.provider} responded to the {'visit report' if to_finalise else 'report of your visit'}",
            template="emails/visit_responded",
            context={"visit": visit, "event": event, "to_finalise": to_finalise},
            about=visit,
            link=visit.get_absolute_url(),
        )
    return told
