"""Supported accommodation outcome 3 is flagged to the QA lead exactly as an Inadequate judgement is
(issue 11): one rule for the worst result on either scale, each inspection once, while it is still the
provider's current result. Each flag is told once, when it arises, not at every run (issue 15): a
new Inadequate after a better judgement is told again, and a "no" visit only while it is the
provider's latest. Sent through the real SMTP server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from providers.services import refresh_judgements
from qa_portal.reporting.reminders import send_reminders
from qa_portal.roles import Role
from tests.factories import InspectionFactory, ProviderFactory, SettingFactory, UserFactory, VisitFactory
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


def inspection(provider, judgement, days_ago):
    return InspectionFactory(
        setting=SettingFactory(provider=provider, name=f"{provider.name} house {days_ago}"),
        judgement=judgement,
        inspection_date=TODAY - timedelta(days=days_ago),
    )


def test_a_flag_is_told_once_however_often_the_reminders_run_and_again_after_a_new_inadequate(
    qa_lead, provider, smtp_server
):
    # Inadequate at two of its homes: one flag, the latest inspection behind it.
    inspection(provider, 4, days_ago=90)
    inspection(provider, 4, days_ago=60)
    refresh_judgements(provider)
    send_reminders(today=TODAY)
    # A QA lead who starts later is not told of a flag already told.
    newcomer = UserFactory(role=Role.QA_LEAD, email="new.lead@example.org", full_name="Sam Okafor")
    send_reminders(today=TODAY + timedelta(days=1))
    assert [(m["To"], m["Subject"]) for m in deliver_all(smtp_server)] == [
        (qa_lead.email, "Inadequate Ofsted judgement: Harbour Lights Fostering"),
    ]

    # Good at the next inspection: nothing to tell. Inadequate again at the one after: told again.
    inspection(provider, 2, days_ago=30)
    refresh_judgements(provider)
    send_reminders(today=TODAY + timedelta(days=2))
    assert deliver_all(smtp_server) == []
    inspection(provider, 4, days_ago=5)
    refresh_judgements(provider)
    send_reminders(today=TODAY + timedelta(days=3))
    send_reminders(today=TODAY + timedelta(days=4))
    assert sorted((m["To"], m["Subject"]) for m in deliver_all(smtp_server)) == [
        (newcomer.email, "Inadequate Ofsted judgement: Harbour Lights Fostering"),
        (qa_lead.email, "Inadequate Ofsted judgement: Harbour Lights Fostering"),
    ]


def test_a_no_visit_is_told_while_it_is_the_providers_latest_visit_only(qa_lead, provider, other_provider, smtp_server):
    # A "no" years ago, followed by a visit that found the home good enough: not a flag now.
    VisitFactory(provider=provider, status="finalised", visit_date=TODAY - timedelta(days=900), overall_judgement="no")
    VisitFactory(provider=provider, status="finalised", visit_date=TODAY - timedelta(days=200), overall_judgement="yes")
    # The other provider's latest visit said "no": told once.
    VisitFactory(
        provider=other_provider, status="submitted", visit_date=TODAY - timedelta(days=3), overall_judgement="no"
    )
    send_reminders(today=TODAY)
    send_reminders(today=TODAY + timedelta(days=1))
    assert [(m["To"], m["Subject"]) for m in deliver_all(smtp_server)] == [
        (qa_lead.email, "Not good enough for our own child: Northgate Homes"),
    ]
