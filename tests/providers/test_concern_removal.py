"""A concern recorded in error (twice, say) is removed by whoever recorded it, or a QA lead, with a reason:
it leaves every list and count, and the provider's history keeps it with who removed it and why."""

import re

import pytest
from django.urls import reverse

from providers.models import Concern
from qa_portal.roles import Role
from tests.factories import ConcernFactory, UserFactory
from tests.pages import heading, text_of

pytestmark = pytest.mark.django_db

SUMMARY = "Told me they feel unsafe at night"


@pytest.fixture
def twice(provider, social_worker):
    """The same concern recorded twice by the social worker."""
    return [ConcernFactory(provider=provider, raised_by=social_worker, summary=SUMMARY) for _ in range(2)]


def remove(concern):
    return reverse("providers:concern_remove", args=[concern.pk])


def concern_rows(response) -> int:
    table = re.search(r"<table.*?Concerns about this provider.*?</table>", response.text, re.S)
    return table.group(0).count('<tr class="govuk-table__row">') - 1 if table else 0


def test_the_social_worker_who_recorded_a_concern_twice_removes_the_second(client, social_worker, provider, twice):
    client.force_login(social_worker)
    page = client.get(provider.get_absolute_url())
    assert concern_rows(page) == 2
    assert page.text.count("Remove (recorded in error)") == 2

    form = client.get(remove(twice[1]))
    assert heading(form) == "Remove this concern?"
    assert SUMMARY in text_of(form)
    assert "Only remove a concern recorded in error" in text_of(form)

    refused = client.post(remove(twice[1]), {"reason": "  "})
    assert refused.status_code == 200
    assert "Say why it is being removed" in text_of(refused)
    assert Concern.objects.count() == 2

    response = client.post(remove(twice[1]), {"reason": "Recorded twice"}, follow=True)
    assert response.redirect_chain == [(provider.get_absolute_url(), 302)]
    assert "The concern was removed" in text_of(response)
    assert concern_rows(response) == 1
    assert list(Concern.objects.all()) == [twice[0]]
    removed = Concern.all_objects.get(pk=twice[1].pk)
    assert (removed.removed_by, removed.removed_reason) == (social_worker, "Recorded twice")


def test_the_history_keeps_the_removed_concern_with_who_removed_it_and_why(client, qa_lead, social_worker, twice):
    client.force_login(social_worker)
    client.post(remove(twice[1]), {"reason": "Recorded twice"})
    client.force_login(qa_lead)
    history = text_of(client.get(reverse("providers:provider_history", args=[twice[1].provider_id])))
    assert "Removed in error: Recorded twice" in history
    assert social_worker.full_name in history


def test_only_the_recorder_or_a_qa_lead_may_remove_a_concern(client, qa_lead, provider, twice):
    other_worker = UserFactory(role=Role.SOCIAL_WORKER)
    client.force_login(other_worker)
    assert "Remove (recorded in error)" not in client.get(provider.get_absolute_url()).text
    assert client.get(remove(twice[0])).status_code == 403
    assert client.post(remove(twice[0]), {"reason": "Not mine"}).status_code == 403
    assert Concern.objects.count() == 2

    client.force_login(qa_lead)
    assert client.post(remove(twice[0]), {"reason": "Recorded twice"}).status_code == 302
    assert Concern.objects.count() == 1


def test_a_concern_removed_twice_is_removed_once(client, social_worker, provider, twice):
    client.force_login(social_worker)
    client.post(remove(twice[1]), {"reason": "Recorded twice"})
    again = client.post(remove(twice[1]), {"reason": "Pressed again"}, follow=True)
    assert "This concern was already removed" in text_of(again)
    assert Concern.all_objects.get(pk=twice[1].pk).removed_reason == "Recorded twice"


def test_a_removed_concern_no_longer_counts_on_the_commissioning_home_page(
    client, commissioning_officer, social_worker, twice
):
    from tests.reporting.test_home import figures

    client.force_login(commissioning_officer)
    assert figures(client.get(reverse("home")).text)["Concerns not yet closed"] == "2"
    client.force_login(social_worker)
    client.post(remove(twice[1]), {"reason": "Recorded twice"})
    client.force_login(commissioning_officer)
    assert figures(client.get(reverse("home")).text)["Concerns not yet closed"] == "1"
