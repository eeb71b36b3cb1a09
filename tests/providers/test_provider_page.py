"""The provider page: one provider's story on one screen, shown according to role."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from providers.models import ProviderStatus, ProviderStatusChange
from providers.services import refresh_judgements
from tests.factories import (
    ConcernFactory,
    InspectionFactory,
    PlacementFactory,
    SettingFactory,
    UserFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(provider):
    home = SettingFactory(provider=provider, name="Willow House", urn="SC654321", local_authority="Devon")
    InspectionFactory(setting=home, judgement=3, inspection_date=date(2024, 6, 3))
    refresh_judgements(provider)
    PlacementFactory(
        provider=provider, setting=home, young_person=YoungPersonFactory(initials="JB", case_record_id="7000001")
    )
    ConcernFactory(provider=provider, summary="Missing from home twice in a month")
    return provider


def page(client, user, provider):
    client.force_login(user)
    return client.get(reverse("providers:provider_detail", args=[provider.pk]))


def test_it_shows_settings_with_judgement_and_a_link_to_the_ofsted_report(client, senior_leader, story):
    html = page(client, senior_leader, story).text
    assert "Willow House" in html
    assert "Requires improvement to be good" in html
    assert 'href="https://reports.ofsted.gov.uk/provider/2/SC654321"' in html


def test_every_member_of_staff_sees_the_count_of_active_placements(client, senior_leader, story):
    response = page(client, senior_leader, story)
    assert response.context["active_placement_count"] == 1
    assert "1 young person is placed here now" in response.text
    assert "JB (7000001)" not in response.text


def test_roles_that_may_see_young_people_see_who_is_placed(client, qa_lead, story):
    html = page(client, qa_lead, story).text
    assert "JB (7000001)" in html


def test_concerns_show_to_staff_and_history_only_to_the_qa_lead(client, qa_lead, manager, story):
    qa_html = page(client, qa_lead, story).text
    assert "Missing from home twice in a month" in qa_html
    assert "Recent changes" in qa_html
    manager_html = page(client, manager, story).text
    assert "Missing from home twice in a month" in manager_html
    assert "Recent changes" not in manager_html


def test_a_provider_user_cannot_open_the_councils_provider_page(client, provider_user, story):
    assert page(client, provider_user, story).status_code == 403


def test_an_unknown_provider_is_not_found(client, qa_lead):
    client.force_login(qa_lead)
    assert client.get(reverse("providers:provider_detail", args=[999999])).status_code == 404


def test_an_inadequate_judgement_flags_the_provider_for_the_qa_lead(client, qa_lead, provider):
    InspectionFactory(setting=SettingFactory(provider=provider), judgement=4)
    refresh_judgements(provider)
    html = page(client, qa_lead, provider).text
    assert "consider a placement stop" in html


def test_a_status_change_needs_a_reason_and_is_kept(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    url = reverse("providers:provider_status", args=[provider.pk])
    refused = client.post(url, {"status": "placement_stop", "reason": "  "})
    assert "Enter the reason for the change" in refused.text
    assert 'value="placement_stop" checked' in refused.text or "checked" in refused.text
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.ACTIVE

    done = client.post(url, {"status": "placement_stop", "reason": "Inadequate judgement on 3 June"})
    assert done.status_code == 302
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.PLACEMENT_STOP
    change = ProviderStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "active",
        "placement_stop",
        commissioning_officer,
    )
    assert "Inadequate judgement on 3 June" in client.get(reverse("providers:provider_detail", args=[provider.pk])).text


def test_only_commissioning_can_change_status(client, qa_lead, provider):
    client.force_login(qa_lead)
    response = client.post(
        reverse("providers:provider_status", args=[provider.pk]), {"status": "archived", "reason": "x"}
    )
    assert response.status_code == 403


def test_the_history_says_who_changed_what(client, qa_lead, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    client.post(
        reverse("providers:provider_edit", args=[provider.pk]),
        {"name": "Harbour Lights Fostering Ltd", "provision_types": ["fostering"], "contract_route": "block"},
    )
    client.force_login(qa_lead)
    response = client.get(reverse("providers:provider_history", args=[provider.pk]))
    [change] = [c for c in response.context["page"] if c.action == "Changed"]
    assert change.who == commissioning_officer.full_name
    fields = {f.label: (f.old, f.new) for f in change.fields}
    assert fields["Name"] == ("Harbour Lights Fostering", "Harbour Lights Fostering Ltd")
    assert fields["Contract route"] == ("Spot purchase", "Block contract")


def test_the_full_history_is_for_the_qa_lead_only(client, senior_leader, provider):
    client.force_login(senior_leader)
    assert client.get(reverse("providers:provider_history", args=[provider.pk])).status_code == 403


def _grow(provider, count):
    for n in range(count):
        setting = SettingFactory(provider=provider)
        InspectionFactory(setting=setting, inspection_date=date.today() - timedelta(days=10 + n))
        InspectionFactory(setting=setting, inspection_date=date.today() - timedelta(days=400 + n))
        PlacementFactory(provider=provider, setting=setting)
        ConcernFactory(provider=provider, setting=setting, raised_by=UserFactory())


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role_fixture", ["qa_lead", "senior_leader"])
def test_the_provider_page_runs_a_fixed_number_of_queries(client, request, role_fixture, provider):
    client.force_login(request.getfixturevalue(role_fixture))
    url = reverse("providers:provider_detail", args=[provider.pk])
    _grow(provider, 2)
    small = _queries(client, url)
    _grow(provider, 15)
    assert _queries(client, url) == small


def test_a_long_reason_for_a_status_change_is_kept_whole(client, commissioning_officer, provider):
    reason = "Inadequate judgement at Willow House on 3 June; " * 10
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:provider_status", args=[provider.pk]), {"status": "placement_stop", "reason": reason}
    )
    assert response.status_code == 302
    assert ProviderStatusChange.objects.get().reason == reason.strip()
    assert provider.history.latest().history_change_reason == reason.strip()
