"""The list of concerns about providers: the home pages' "Concerns not yet closed" opens it filtered;
staff who may see concerns filter it by status, severity and provider; nobody else opens it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.roles import Role
from tests.factories import ConcernFactory, ProviderFactory
from tests.lists import table_rows

pytestmark = pytest.mark.django_db

LIST = reverse("providers:concern_list")


@pytest.fixture
def concerns():
    today = timezone.localdate()
    ash, birch = ProviderFactory(name="Ash Homes"), ProviderFactory(name="Birch Lodge")
    return {
        "open": ConcernFactory(
            provider=ash, received_on=today - timedelta(days=3), severity="high", summary="Open one"
        ),
        "review": ConcernFactory(
            provider=birch, received_on=today - timedelta(days=10), status="under_review", summary="Under review"
        ),
        "closed": ConcernFactory(
            provider=ash,
            received_on=today - timedelta(days=30),
            severity="low",
            status="closed",
            outcome="Done",
            summary="Closed one",
        ),
    }


def summaries(client, **query):
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert not response.context["filterset"].form.errors
    return [concern.summary for concern in response.context["page"]]


@pytest.mark.parametrize(
    "user_with_role",
    [Role.SENIOR_LEADER, Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.MANAGER, Role.SOCIAL_WORKER],
    indirect=True,
)
def test_staff_who_see_concerns_list_them_newest_first(client, user_with_role, concerns):
    client.force_login(user_with_role)
    assert summaries(client) == ["Open one", "Under review", "Closed one"]
    rows = table_rows(client.get(LIST).text)
    assert rows[0][1:] == ["Ash Homes", "Social worker", "Open one", "High", "Open"]


def test_it_filters_by_status_severity_and_provider(client, qa_lead, concerns):
    client.force_login(qa_lead)
    assert summaries(client, status="not_closed") == ["Open one", "Under review"]
    assert summaries(client, status="closed") == ["Closed one"]
    assert summaries(client, severity="high") == ["Open one"]
    assert summaries(client, provider=concerns["closed"].provider_id) == ["Open one", "Closed one"]
    assert summaries(client, sort="severity") == ["Open one", "Under review", "Closed one"]
    assert summaries(client, sort="received") == ["Closed one", "Under review", "Open one"]


def test_a_value_it_cannot_use_is_refused_beside_its_field(client, qa_lead, concerns):
    client.force_login(qa_lead)
    response = client.get(LIST, {"status": "nonsense"})
    assert response.status_code == 200
    assert "Choose a status from the list" in response.text


@pytest.mark.parametrize("user_with_role", [Role.PROVIDER_USER, Role.ADMINISTRATOR], indirect=True)
def test_others_cannot_open_it(client, user_with_role, concerns):
    client.force_login(user_with_role)
    response = client.get(LIST)
    assert response.status_code == 403
    assert "Open one" not in response.text
