"""Supported accommodation outcome 3 is flagged to the QA lead exactly as an Inadequate judgement is
(issue 11): one rule for the worst result on either scale, each inspection once, while it is still the
provider's current result. Sent through the real SMTP server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from providers.services import refresh_judgements
from qa_portal.reporting.reminders import send_reminders
from tests.factories import InspectionFactory, ProviderFactory, SettingFactory
from tests.mail import deliver_all, link, listed_in_portal, text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def sa_inspection(provider, outcome, days_ago):
    return InspectionFactory(
        provider=provider,
        setting=None,
        scale="supported_accommodation",
        judgement=None,
        sa_outcome=outcome,
        inspection_date=TODAY - timedelta(days=days_ago),
    )


def test_supported_accommodation_outcome_3_is_sent_to_the_qa_lead_as_inadequate_is(
    client, qa_lead, commissioning_officer, provider, smtp_server
):
    sa_inspection(provider, 3, days_ago=20)
    refresh_judgements(provider)
    fellside = ProviderFactory(name="Fellside Care")
    InspectionFactory(setting=SettingFactory(provider=fellside, name="Fellside House"), judgement=4)
    refresh_judgements(fellside)
    improved = ProviderFactory(name="Moorside Housing")  # outcome 3 once, outcome 1 now: not sent
    sa_inspection(improved, 3, days_ago=400)
    sa_inspection(improved, 1, days_ago=30)
    refresh_judgements(improved)
    send_reminders(today=TODAY)
    send_reminders(today=TODAY + timedelta(days=1))  # each once
    messages = deliver_all(smtp_server)
    assert sorted((m["To"], m["Subject"]) for m in messages) == [
        (qa_lead.email, "Inadequate Ofsted judgement: Fellside Care"),
        (qa_lead.email, "Ofsted supported accommodation outcome 3: Harbour Lights Fostering"),
    ]
    message = next(m for m in messages if "outcome 3" in m["Subject"])
    body = text(message)
    print(body)
    assert (
        "Ofsted gave Harbour Lights Fostering supported accommodation outcome 3 (serious or widespread weaknesses) "
        f"on {TODAY - timedelta(days=20):%-d %B %Y}." in body
    )
    assert "Please agree an action plan with timescales with the provider and consider a placement stop." in body
    assert link(provider.get_absolute_url()) in body
    assert listed_in_portal(
        client,
        qa_lead,
        "Ofsted supported accommodation outcome 3: Harbour Lights Fostering",
        provider.get_absolute_url(),
    )
