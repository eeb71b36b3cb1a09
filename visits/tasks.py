"""Emails about visits, sent by the worker once the change that prompts them is committed."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from qa_portal.models import User
from qa_portal.roles import Role
from visits.models import Visit

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": 30, "retry_backoff_max": 1800, "max_retries": 8}


def _send(template: str, visit: Visit, recipients: list[str]) -> int:
    if not recipients:
        return 0
    context = {
        "visit": visit,
        "link": settings.SITE_URL + visit.get_absolute_url(),
        "service_name": settings.SERVICE_NAME,
        "authority_name": settings.AUTHORITY_NAME,
    }
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    return send_mail(subject.strip(), body.strip() + "\n", None, sorted(set(recipients)))


@shared_task(ignore_result=True, **RETRY)
def email_visit_shared(visit_id: int) -> int:
    """Tell the provider's contacts and users that a visit report awaits their response.

    The email carries a link, never the report: it is OFFICIAL-SENSITIVE."""
    visit = Visit.objects.select_related("provider").get(pk=visit_id)
    contacts = visit.provider.contacts.filter(receives_reports=True).exclude(email="").values_list("email", flat=True)
    users = User.objects.filter(
        provider=visit.provider, is_active=True, groups__name=Role.PROVIDER_USER.label
    ).values_list("email", flat=True)
    return _send("visits/email/shared.txt", visit, [*contacts, *users])


@shared_task(ignore_result=True, **RETRY)
def email_visit_to_commissioning(visit_id: int) -> int:
    """Tell the commissioning officers that a finalised visit report is ready for them."""
    visit = Visit.objects.select_related("provider").get(pk=visit_id)
    officers = User.objects.filter(is_active=True, groups__name=Role.COMMISSIONING_OFFICER.label)
    return _send("visits/email/commissioning.txt", visit, list(officers.values_list("email", flat=True)))
