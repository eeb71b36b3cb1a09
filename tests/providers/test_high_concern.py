"""A High concern is a hand-off (issue 11): recorded by anyone (a social worker, say), or raised to
High on an update, it tells every QA lead and the provider's commissioning officer once, in the portal
and by email with a link back, naming who recorded it; and the provider is "of concern" until the
concern is closed: on the home pages, the provider page and the provider list."""

import csv
import io
import re

import pytest
from django.urls import reverse

from providers.models import Concern
from qa_portal.roles import Role
from tests.factories import ConcernFactory, ProviderFactory, UserFactory
from tests.mail import deliver_all, html, link, listed_in_portal, text, to
from tests.pages import text_of

pytestmark = pytest.mark.django_db

SUBJECT = "High concern about Harbour Lights Fostering"
CONCERN = {
    "source": "young_person",
    "received_on": "02/10/2025",
    "summary": "Told me they feel unsafe at night",
    "severity": "high",
}


@pytest.fixture
def assigned(provider, commissioning_officer):
    """The provider's own commissioning officer, and another who does not look after it."""
    provider.commissioning_officer = commissioning_officer
    provider.save()
    return UserFactory(role=Role.COMMISSIONING_OFFICER, full_name="Rene Other")


def record(client, user, provider, **changes):
    client.force_login(user)
    return client.post(reverse("providers:concern_create", args=[provider.pk]), {**CONCERN, **changes})


def update(client, user, concern, **changes):
    client.force_login(user)
    data = {
        "source": concern.source,
        "received_on": concern.received_on.strftime("%d/%m/%Y"),
        "summary": concern.summary,
        "severity": concern.severity,
        "status": concern.status,
        "outcome": concern.outcome,
        **changes,
    }
    response = client.post(reverse("providers:concern_edit", args=[concern.pk]), data)
    assert response.status_code == 302, text_of(response)
    return response


def of_concern_on_home(client, user) -> dict[str, str]:
    """{provider name: its reasons} in the home page's providers of concern."""
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    table = page.split('id="providers-of-concern"', 1)[1]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)
    found = {}
    for row in rows:
        name = re.search(r">([^<]+)</a>", row)
        if name:
            found[name.group(1)] = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    return found


def listed_of_concern(client, user) -> list[str]:
    client.force_login(user)
    page = client.get(reverse("providers:provider_list"), {"of_concern": "yes"})
    return re.findall(r'class="govuk-link" href="/providers/\d+/">([^<]+)</a>', page.content.decode())


def test_a_social_workers_high_concern_tells_the_qa_leads_and_the_providers_officer_once(
    client, social_worker, qa_lead, manager, provider, assigned, commissioning_officer, smtp_server
):
    second_lead = UserFactory(role=Role.QA_LEAD, full_name="Morgan Hale")
    assert record(client, social_worker, provider).status_code == 302
    messages = deliver_all(smtp_server)
    assert sorted(m["To"] for m in messages) == sorted([qa_lead.email, second_lead.email, commissioning_officer.email])
    message = to(messages, commissioning_officer)[0]
    assert message["Subject"] == SUBJECT
    body = text(message)
    print(body)
    assert f"Dear {commissioning_officer.full_name}," in body
    assert "Tom Reilly has recorded a High concern about Harbour Lights Fostering, received on 2 October 2025." in body
    assert "Source: Young person" in body
    assert "Harbour Lights Fostering is now one of the providers of concern until the concern is closed." in body
    provider_page = provider.get_absolute_url() + "#concerns"
    assert link(provider_page) in body
    assert "feel unsafe at night" not in body  # what a concern says stays in the portal
    assert "Tom Reilly" in html(message)
    assert listed_in_portal(client, qa_lead, SUBJECT, provider_page)

    # Updating it, still High, tells nobody again.
    update(client, qa_lead, Concern.objects.get(), status="under_review")
    assert deliver_all(smtp_server) == []


def test_the_provider_is_of_concern_while_a_high_concern_is_open_and_stops_when_it_is_closed(
    client, social_worker, qa_lead, commissioning_officer, administrator, provider, other_provider
):
    ConcernFactory(provider=other_provider, severity="medium")  # a Medium concern does not count
    ConcernFactory(provider=other_provider, severity="high", status="closed", outcome="Resolved")
    assert of_concern_on_home(client, qa_lead) == {}
    record(client, social_worker, provider)

    for user in (qa_lead, commissioning_officer):
        found = of_concern_on_home(client, user)
        assert list(found) == ["Harbour Lights Fostering"]
        assert "High concern not yet closed" in found["Harbour Lights Fostering"]
    client.force_login(social_worker)
    page = text_of(client.get(provider.get_absolute_url()))
    assert "This provider is of concern: High concern not yet closed" in page
    assert "Of concern" in text_of(client.get(reverse("providers:provider_list")))
    assert listed_of_concern(client, social_worker) == ["Harbour Lights Fostering"]
    client.force_login(commissioning_officer)
    export = client.get(reverse("providers:provider_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    column = rows[0].index("Of concern")
    assert {row[0]: row[column] for row in rows[1:]} == {
        "Harbour Lights Fostering": "High concern not yet closed",
        "Northgate Homes": "No",
    }

    # An administrator, who may not see concerns, is not told of one by the provider page.
    client.force_login(administrator)
    assert "High concern" not in text_of(client.get(provider.get_absolute_url()))

    # Under review, it is still not closed: it is never called "open".
    update(client, qa_lead, Concern.objects.get(provider=provider), status="under_review")
    client.force_login(social_worker)
    page = text_of(client.get(provider.get_absolute_url()))
    assert "This provider is of concern: High concern not yet closed" in page
    assert "Open High concern" not in page

    update(client, commissioning_officer, Concern.objects.get(provider=provider), status="closed", outcome="Visited")
    assert of_concern_on_home(client, qa_lead) == {}
    client.force_login(social_worker)
    assert "of concern" not in text_of(client.get(provider.get_absolute_url())).lower()
    assert listed_of_concern(client, social_worker) == []


def test_raising_a_concern_to_high_tells_once_however_often_it_is_raised(
    client, social_worker, qa_lead, provider, assigned, commissioning_officer, smtp_server
):
    record(client, social_worker, provider, severity="medium")
    assert deliver_all(smtp_server) == []  # a Medium concern is no hand-off
    concern = Concern.objects.get()

    update(client, commissioning_officer, concern, severity="high")
    messages = deliver_all(smtp_server)
    assert [m["To"] for m in messages] == [qa_lead.email]  # not the officer who raised it
    assert messages[0]["Subject"] == SUBJECT
    body = text(messages[0])
    print(body)
    assert (
        "Sam Okafor has raised a concern about Harbour Lights Fostering, received on 2 October 2025, to High." in body
    )

    concern.refresh_from_db()
    update(client, qa_lead, concern, severity="medium")
    concern.refresh_from_db()
    update(client, qa_lead, concern, severity="high")
    assert deliver_all(smtp_server) == []


def test_with_no_officer_assigned_every_commissioning_officer_is_told(
    client, social_worker, commissioning_officer, smtp_server
):
    other_officer = UserFactory(role=Role.COMMISSIONING_OFFICER, full_name="Rene Other")
    provider = ProviderFactory(name="Harbour Lights Fostering")
    record(client, social_worker, provider)
    assert sorted(m["To"] for m in deliver_all(smtp_server)) == sorted(
        [commissioning_officer.email, other_officer.email]
    )
