"""Sharing a visit report with its provider, who is then emailed, goes through a page that shows exactly
what the provider will receive: the report as its users will read it, who is emailed, and each email's
text (issue 14). Only the confirmation from that page shares it; emails go through the real SMTP server."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from providers.models import Contact
from qa_portal.models import Notification
from qa_portal.working_days import add_working_days
from tests.factories import RecommendationFactory
from tests.mail import deliver_all, text, to
from tests.pages import text_of
from tests.qa_portal.test_held_submissions import come_back, post_when_signed_out
from tests.visits.conftest import complete, share_form
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(visit, placed, senior_leader):
    """A submitted report with a contact who receives reports, one who does not, a recommendation for
    the provider and one about the authority's own service."""
    complete(visit, placed)
    visit.status = VisitStatus.SUBMITTED
    visit.save()
    Contact.objects.create(provider=visit.provider, name="Bernie Quist", email="bernie@provider.example.org")
    Contact.objects.create(
        provider=visit.provider, name="No Reports", email="quiet@provider.example.org", receives_reports=False
    )
    RecommendationFactory(visit=visit, owner=senior_leader, text="Agree weekend plans with each young person.")
    RecommendationFactory(
        visit=visit, owner=senior_leader, level="authority_service", text="Our own placements team to phone weekly."
    )
    return visit


def share_url(visit):
    return reverse("visits:share", args=[visit.pk])


def emails_shown(page) -> dict[str, str]:
    """{address: the email's text} as the check page shows each."""
    found = re.findall(
        r"The email to ([^<]+)</span>.*?<div class=\"app-email-preview\" data-email-body>(.*?)</div>",
        page.text,
        re.S,
    )
    return {html.unescape(address).strip(): html.unescape(body) for address, body in found}


def test_the_check_page_shows_the_report_the_recipients_and_the_emails(client, qa_lead, provider_user, submitted):
    client.force_login(qa_lead)
    page = client.get(share_url(submitted))
    text = text_of(page)
    due = add_working_days(date.today(), 10)

    assert "Check what the provider will receive" in text
    assert f"response will be due by {due:%-d %B %Y}" in text
    # Who: the provider's user and the contact who receives reports, not the one who does not.
    assert f"{provider_user.full_name} {provider_user.email} Signs in to QA Portal" in text
    assert "Bernie Quist bernie@provider.example.org Needs an account first" in text
    assert "quiet@provider.example.org" not in text
    # The emails: each one's text, with the link and the date the response is due.
    shown = emails_shown(page)
    assert sorted(shown) == sorted([provider_user.email, "bernie@provider.example.org"])
    assert shown[provider_user.email].startswith(f"Dear {provider_user.full_name},")
    assert shown["bernie@provider.example.org"].startswith("Hello,")
    assert f"{due:%-d %B %Y}:\nhttp://127.0.0.1:8000/visits/{submitted.pk}/" in shown[provider_user.email]
    assert "Subject Quality assurance visit report: Harbour Lights Fostering" in text
    # The report as the provider will read it: the answers, the young people by initials, only the
    # recommendations addressed to them, the status it will have.
    assert "A warm, well-run home." in text
    assert "Answer to Security" in text
    assert "JB" in text and "7100001" not in text
    assert "Agree weekend plans with each young person." in text
    assert "Our own placements team to phone weekly." not in text
    assert "Status of this report Shared with provider" in text
    assert "Confirm and share the report with the provider" in text
    submitted.refresh_from_db()
    assert submitted.status == VisitStatus.SUBMITTED  # looking shares nothing


def test_sharing_without_the_confirm_step_shares_nothing_and_emails_nobody(
    client, qa_lead, provider_user, submitted, smtp_server
):
    client.force_login(qa_lead)
    response = client.post(share_url(submitted), follow=True)  # the old one-click share
    assert "Check what the provider will receive, then confirm" in text_of(response)
    assert "Check what the provider will receive" in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == VisitStatus.SUBMITTED
    assert submitted.response_due is None
    assert not submitted.events.filter(step="shared").exists()
    assert not Notification.objects.filter(kind="visit_shared").exists()
    assert deliver_all(smtp_server) == []


def test_what_changed_after_the_check_is_not_shared_until_it_is_checked_again(
    client, qa_lead, provider_user, submitted, smtp_server
):
    client.force_login(qa_lead)
    confirmation = share_form(client, submitted)
    Contact.objects.create(provider=submitted.provider, name="New Manager", email="new@provider.example.org")
    response = client.post(share_url(submitted), confirmation, follow=True)
    assert "has changed since you opened this page, so nothing has been shared" in text_of(response)
    assert "new@provider.example.org" in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == VisitStatus.SUBMITTED
    assert deliver_all(smtp_server) == []


def test_confirming_shares_the_report_and_emails_exactly_what_the_page_showed(
    client, qa_lead, provider_user, submitted, smtp_server
):
    client.force_login(qa_lead)
    page = client.get(share_url(submitted))
    shown = emails_shown(page)
    response = client.post(share_url(submitted), share_form(client, submitted), follow=True)
    assert "Report shared with the provider" in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == VisitStatus.SHARED
    assert submitted.response_due == add_working_days(date.today(), 10)

    messages = deliver_all(smtp_server)
    assert sorted(m["To"] for m in messages) == sorted(shown)
    for message in messages:
        assert message["Subject"] == "Quality assurance visit report: Harbour Lights Fostering"
        assert text(message).replace("\r\n", "\n").strip() == shown[message["To"]].strip()
    assert "A warm, well-run home." not in text(to(messages, provider_user)[0])  # a link, never the report


def test_a_provider_nobody_at_which_would_be_told_cannot_be_shared_with(client, qa_lead, visit, placed):
    complete(visit, placed)
    visit.status = VisitStatus.SUBMITTED
    visit.save()
    client.force_login(qa_lead)
    page = client.get(share_url(visit))
    assert "Nobody at Harbour Lights Fostering would be emailed" in text_of(page)
    assert "Confirm and share" not in text_of(page)


def test_only_the_qa_lead_sees_the_check_page_or_shares(client, senior_leader, commissioning_officer, submitted):
    for user in (senior_leader, commissioning_officer):
        client.force_login(user)
        assert client.get(share_url(submitted)).status_code == 403
        assert client.post(share_url(submitted), {"checked": "0" * 64}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == VisitStatus.SUBMITTED


def test_a_confirmation_posted_after_the_session_ended_shares_nothing_and_comes_back_to_confirm(
    client, qa_lead, provider_user, submitted, smtp_server
):
    client.force_login(qa_lead)
    confirmation = share_form(client, submitted)
    _, page = come_back(client, qa_lead, post_when_signed_out(client, qa_lead, share_url(submitted), confirmation))
    submitted.refresh_from_db()
    assert submitted.status == VisitStatus.SUBMITTED
    assert deliver_all(smtp_server) == []
    assert "Check what the provider will receive" in text_of(page)
    assert "Confirm and share the report with the provider" in text_of(page)

    client.post(share_url(submitted), share_form(client, submitted))
    submitted.refresh_from_db()
    assert submitted.status == VisitStatus.SHARED
    assert len(deliver_all(smtp_server)) == 2
