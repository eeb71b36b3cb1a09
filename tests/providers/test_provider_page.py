"""The provider page: one provider's story on one screen, shown according to role."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from providers.models import OfstedInspection, Provider, ProviderStatus, ProviderStatusChange
from providers.services import provider_change_status, refresh_judgements
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


def checked_radios(html, name):
    """The values of the radios named `name` that are checked in the page."""
    radios = re.findall(rf'<input[^>]*type="radio"[^>]*name="{name}"[^>]*>', html, re.S)
    return [re.search(r'value="([^"]*)"', radio).group(1) for radio in radios if re.search(r"\schecked\b", radio)]


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
    assert checked_radios(refused.text, "status") == ["placement_stop"]
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


def test_a_senior_leader_cannot_open_the_full_history(client, senior_leader, provider):
    client.force_login(senior_leader)
    assert client.get(reverse("providers:provider_history", args=[provider.pk])).status_code == 403


def test_an_administrator_sees_the_history_but_no_concerns_or_placements_in_it(client, administrator, story):
    concern = story.concerns.get()
    concern.summary = "Staff member shouted at a young person"
    concern.save()
    for url in (
        reverse("providers:provider_detail", args=[story.pk]),
        reverse("providers:provider_history", args=[story.pk]),
    ):
        client.force_login(administrator)
        response = client.get(url)
        assert response.status_code == 200
        assert "<strong>Setting: Willow House</strong>: created" in response.text
        assert "Staff member shouted at a young person" not in response.text
        assert "Missing from home twice in a month" not in response.text
        assert "Concern of" not in response.text
        assert "Placement from" not in response.text


def test_the_qa_lead_sees_concerns_and_placements_in_the_history(client, qa_lead, story):
    concern = story.concerns.get()
    concern.summary = "Staff member shouted at a young person"
    concern.save()
    client.force_login(qa_lead)
    html = client.get(reverse("providers:provider_history", args=[story.pk])).text
    assert "Staff member shouted at a young person" in html
    assert "Placement from" in html


def test_tags_say_in_words_what_a_supported_accommodation_outcome_means(client, qa_lead, provider):
    OfstedInspection.objects.create(
        provider=provider, scale="supported_accommodation", inspection_date=date(2024, 6, 3), sa_outcome=3
    )
    refresh_judgements(provider)
    html = page(client, qa_lead, provider).text
    assert "SA outcome 3: serious or widespread weaknesses</strong>" in html
    assert "3 June 2024: <strong" in html
    assert "Outcome 3: serious or widespread weaknesses</strong>" in html
    client.force_login(qa_lead)
    assert (
        "SA outcome 3: serious or widespread weaknesses</strong>" in client.get(reverse("providers:provider_list")).text
    )


def test_a_status_change_someone_else_made_first_is_not_claimed(client, commissioning_officer, provider):
    colleague = UserFactory(full_name="Dee Colleague")
    got_there_first = False

    def colleague_changes_it_first(execute, sql, params, many, context):
        # Just before our request locks the provider to change it, a colleague's request changes
        # it to the same status: our page was read while the provider was still active.
        nonlocal got_there_first
        if not got_there_first and "FOR UPDATE" in sql and '"providers_provider"' in sql:
            got_there_first = True
            provider_change_status(
                provider=Provider.objects.get(pk=provider.pk),
                to_status=ProviderStatus.PLACEMENT_STOP,
                reason="Ofsted judged it inadequate",
                by=colleague,
            )
        return execute(sql, params, many, context)

    client.force_login(commissioning_officer)
    with connection.execute_wrapper(colleague_changes_it_first):
        response = client.post(
            reverse("providers:provider_status", args=[provider.pk]),
            {"status": "placement_stop", "reason": "Safeguarding concern"},
            follow=True,
        )
    assert got_there_first
    assert "Status changed" not in response.text
    assert "Harbour Lights Fostering was already under a placement stop" in response.text
    assert [change.changed_by for change in ProviderStatusChange.objects.all()] == [colleague]


def _grow(provider, count):
    for n in range(count):
        setting = SettingFactory(provider=provider)
        InspectionFactory(setting=setting, inspection_date=date.today() - timedelta(days=10 + n))
        InspectionFactory(setting=setting, inspection_date=date.today() - timedelta(days=400 + n))
        PlacementFactory(provider=provider, setting=setting)
        ConcernFactory(provider=provider, setting=setting, raised_by=UserFactory())


def _queries(client, url):
    client.get(url)  # warm up: first-use rows such as the cadence thresholds are created once
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
