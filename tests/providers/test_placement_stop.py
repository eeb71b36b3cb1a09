"""A placement stop means stop everywhere (issue 11): a placement with a provider on placement stop or
not to be used, whatever its dates, is recorded only with a QA lead's or commissioning officer's
confirmation and reason, shown on the provider's and the young person's pages and in the history; the
placements import refuses such rows, listing them in its preview before anything is imported."""

import html
import re
from datetime import date, datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from providers.models import ImportRun, Placement, Provider, ProviderStatus, ProviderStatusChange
from tests.factories import PlacementFactory, UserFactory, YoungPersonFactory
from tests.pages import date_shown
from tests.providers.form_errors import errors_beside
from tests.providers.test_import_pages import text_of, upload
from tests.providers.test_import_placements import counts, placement_row, placements_csv, rejections, run_import

pytestmark = pytest.mark.django_db

CONFIRM = "I confirm this placement despite the placement stop"


def stop(provider, status, on):
    """Put the provider under `status` as if it had been changed on the date `on`."""
    Provider.objects.filter(pk=provider.pk).update(status=status)
    ProviderStatusChange.objects.create(
        provider=provider,
        from_status=ProviderStatus.ACTIVE,
        to_status=status,
        reason="Inadequate judgement",
        changed_by=UserFactory(),
        changed_at=timezone.make_aware(datetime.combine(on, datetime.min.time().replace(hour=15))),
    )


def add_placement(client, person, provider, **data):
    return client.post(
        reverse("providers:placement_create", args=[person.pk]), {"provider": provider.pk, **data}, follow=True
    )


@pytest.fixture
def person():
    return YoungPersonFactory(initials="JB", case_record_id="7000001")


# The placement form ---------------------------------------------------------------------


def test_the_form_asks_for_a_confirmation_only_for_a_provider_under_a_stop(
    client, commissioning_officer, provider, other_provider, person
):
    stop(provider, ProviderStatus.PLACEMENT_STOP, date(2026, 11, 3))
    client.force_login(commissioning_officer)
    blank = client.get(reverse("providers:placement_create", args=[person.pk])).text
    assert CONFIRM not in blank
    assert "Harbour Lights Fostering (placement stop)" in blank
    response = add_placement(client, person, other_provider, start_date="01/03/2024")
    assert response.redirect_chain
    assert CONFIRM not in response.text


@pytest.mark.parametrize(
    ("status", "start", "message"),
    [
        # Before the stop, as well as after it: whatever its dates.
        (
            ProviderStatus.PLACEMENT_STOP,
            "01/03/2024",
            "Harbour Lights Fostering is on placement stop since 3 November 2026",
        ),
        (
            ProviderStatus.PLACEMENT_STOP,
            "10/11/2026",
            "Harbour Lights Fostering is on placement stop since 3 November 2026",
        ),
        (
            ProviderStatus.NOT_TO_BE_USED,
            "01/03/2024",
            "Harbour Lights Fostering is marked not to be used since 3 November 2026",
        ),
    ],
)
def test_a_placement_at_a_stopped_provider_is_refused_without_a_confirmation(
    client, commissioning_officer, provider, person, status, start, message
):
    stop(provider, status, date(2026, 11, 3))
    client.force_login(commissioning_officer)
    response = add_placement(client, person, provider, start_date=start)
    assert errors_beside(response.text, "confirm_despite_stop") == [
        f"{message}. Confirm this placement despite the placement stop, or choose another provider"
    ]
    day, month, year = start.split("/")
    assert CONFIRM in response.text and date_shown(response, "start_date") == f"{int(day)}/{int(month)}/{year}"
    assert not Placement.objects.exists()


def test_a_confirmation_needs_a_reason(client, qa_lead, provider, person):
    stop(provider, ProviderStatus.PLACEMENT_STOP, date(2026, 11, 3))
    client.force_login(qa_lead)
    response = add_placement(
        client, person, provider, start_date="01/03/2024", confirm_despite_stop="on", stop_reason=" "
    )
    assert errors_beside(response.text, "stop_reason") == [
        "Enter why this placement is confirmed despite the placement stop"
    ]
    assert re.search(r"<input type=\"checkbox\" name=\"confirm_despite_stop\"[^>]* checked>", response.text)
    assert not Placement.objects.exists()


def test_a_qa_lead_confirms_it_with_a_reason_shown_on_the_pages_and_in_the_history(client, qa_lead, provider, person):
    stop(provider, ProviderStatus.PLACEMENT_STOP, date(2026, 11, 3))
    client.force_login(qa_lead)
    reason = "Emergency placement agreed by the head of service; the placement started before the stop"
    response = add_placement(
        client, person, provider, start_date="01/03/2024", confirm_despite_stop="on", stop_reason=reason
    )
    assert "Placement added" in response.text
    placement = Placement.objects.get()
    assert (placement.provider, placement.stop_confirmed_by, placement.stop_reason) == (provider, qa_lead, reason)

    person_page = text_of(response)
    assert f"Confirmed despite the placement stop by Laura Dennison on {timezone.localdate():%-d %B %Y}: {reason}" in (
        person_page
    )
    provider_page = text_of(client.get(reverse("providers:provider_detail", args=[provider.pk])))
    assert "Placements confirmed despite the placement stop" in provider_page
    assert "JB (7000001) From 1 March 2024 Laura Dennison" in provider_page and reason in provider_page
    history = text_of(client.get(reverse("providers:provider_history", args=[provider.pk]))).replace(" :", ":")
    assert (
        "Laura Dennison Placement from 01/03/2024: created (reason: Confirmed despite the placement stop "
        f"(Harbour Lights Fostering is on placement stop since 3 November 2026): {reason})"
    ) in history


def test_a_commissioning_officer_may_confirm_one_too(client, commissioning_officer, provider, person):
    stop(provider, ProviderStatus.NOT_TO_BE_USED, date(2026, 11, 3))
    client.force_login(commissioning_officer)
    add_placement(
        client, person, provider, start_date="01/03/2024", confirm_despite_stop="on", stop_reason="Court order"
    )
    assert Placement.objects.get().stop_confirmed_by == commissioning_officer


def test_someone_else_who_records_placements_cannot_confirm_one(client, provider, person):
    recorder = UserFactory(full_name="Pat Clerk")
    recorder.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="providers",
            codename__in=["view_provider", "view_youngperson", "view_placement", "add_placement"],
        )
    )
    stop(provider, ProviderStatus.PLACEMENT_STOP, date(2026, 11, 3))
    client.force_login(recorder)
    response = add_placement(
        client, person, provider, start_date="01/03/2024", confirm_despite_stop="on", stop_reason="Please"
    )
    assert errors_beside(response.text, "provider") == [
        "Harbour Lights Fostering is on placement stop since 3 November 2026. Only a QA lead or a commissioning "
        "officer can confirm a placement there: ask one of them to record it"
    ]
    assert CONFIRM not in response.text
    assert not Placement.objects.exists()


def test_a_stop_with_no_recorded_date_still_needs_a_confirmation(client, commissioning_officer, provider, person):
    Provider.objects.filter(pk=provider.pk).update(status=ProviderStatus.PLACEMENT_STOP)
    client.force_login(commissioning_officer)
    response = add_placement(client, person, provider, start_date="01/03/2020")
    assert errors_beside(response.text, "confirm_despite_stop") == [
        "Harbour Lights Fostering is on placement stop. Confirm this placement despite the placement stop, "
        "or choose another provider"
    ]


def test_moving_a_placement_to_a_stopped_provider_needs_a_confirmation(
    client, commissioning_officer, provider, other_provider, person
):
    placement = PlacementFactory(young_person=person, provider=other_provider, start_date=date(2024, 3, 1))
    stop(provider, ProviderStatus.PLACEMENT_STOP, date(2026, 11, 3))
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_edit", args=[placement.pk]), {"provider": provider.pk, "start_date": "01/03/2024"}
    )
    assert errors_beside(response.text, "confirm_despite_stop")
    placement.refresh_from_db()
    assert placement.provider == other_provider


# The placements import ------------------------------------------------------------------


def test_the_import_refuses_rows_at_a_provider_on_placement_stop_naming_the_line(tmp_path, provider, other_provider):
    # A placement recorded there before the stop can still be ended.
    person = YoungPersonFactory(case_record_id="1234567", initials="JB", date_of_birth=date(2010, 2, 14))
    recorded = PlacementFactory(young_person=person, provider=provider, start_date=date(2024, 9, 3))
    YoungPersonFactory(case_record_id="7000003", initials="PQ", date_of_birth=date(2010, 2, 14))
    stop(provider, ProviderStatus.PLACEMENT_STOP, date(2026, 11, 3))
    rows = [
        placement_row("7000001", Provider="Northgate Homes"),
        placement_row("7000002", Initials="KL", **{"Start date": "01/03/2024"}),  # before the stop
        placement_row("1234567", **{"End date": "20/11/2026"}),
        placement_row("7000003", Initials="PQ"),  # on the portal already, not placed there
    ]
    output = run_import(tmp_path, placements_csv(rows))
    assert counts(output) == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 2, "skipped": 0}
    recorded.refresh_from_db()
    assert recorded.end_date == date(2026, 11, 20)
    # KL is not on the portal (a refused row adds nobody): they must be added first.
    assert rejections(output) == [
        "line 3: KL (7000002) with Harbour Lights Fostering from 01/03/2024: Harbour Lights Fostering is on "
        "placement stop since 3 November 2026: not imported, and the young person was not added. To record it, "
        "add the young person, then a QA lead or commissioning officer records the placement on their page, "
        "confirming the stop with a reason",
        "line 5: PQ (7000003) with Harbour Lights Fostering from 03/09/2024: Harbour Lights Fostering is on "
        "placement stop since 3 November 2026: not imported. To record it, a QA lead or commissioning officer "
        "records the placement on the young person's page, confirming the stop with a reason",
    ]
    assert list(Placement.objects.filter(provider=provider)) == [recorded]


def test_the_preview_lists_the_refused_rows_and_the_rest_imports_only_when_confirmed(
    client, commissioning_officer, provider, other_provider
):
    stop(provider, ProviderStatus.PLACEMENT_STOP, date(2026, 11, 3))
    content = placements_csv(
        [
            placement_row("7000001", Provider="Northgate Homes"),
            placement_row("7000002", Initials="KL"),
            placement_row("7000003", Initials="MN", Provider="Northgate Homes"),
        ]
    )
    client.force_login(commissioning_officer)
    run_url = upload(client, "placements", content).url

    preview = client.get(run_url)
    table = re.search(r'<table[^>]*id="refusals".*?</table>', preview.text, re.S).group(0)
    cells = [
        html.unescape(" ".join(re.sub(r"<[^>]+>", " ", c).split())) for c in re.findall(r"<td.*?</td>", table, re.S)
    ]
    assert cells[:3] == ["3", "KL (7000002) Placement from 03/09/2024", "Harbour Lights Fostering"]
    assert cells[3].startswith("Harbour Lights Fostering is on placement stop since 3 November 2026")
    text = text_of(preview)
    assert "will not be imported" in text and "Import 2 rows" in text
    # Nothing is imported until the user has seen the list and confirmed.
    assert not Placement.objects.exists()

    done = text_of(client.post(run_url, follow=True))
    assert "File imported: 2 created, 0 updated, 0 unchanged, 1 rejected" in done
    assert "Placements not imported: the provider is on placement stop or not to be used" in done
    assert sorted(Placement.objects.values_list("young_person__case_record_id", flat=True)) == ["7000001", "7000003"]


def test_a_stop_put_on_after_the_preview_stops_the_import_until_the_new_list_is_seen(
    client, commissioning_officer, provider, other_provider
):
    content = placements_csv(
        [placement_row("7000001", Provider="Northgate Homes"), placement_row("7000002", Initials="KL")]
    )
    client.force_login(commissioning_officer)
    run_url = upload(client, "placements", content).url
    assert "refusals" not in client.get(run_url).text
    stop(provider, ProviderStatus.PLACEMENT_STOP, date(2026, 11, 3))

    response = text_of(client.post(run_url, follow=True))

    assert "Nothing has been imported: since you checked this file" in response
    assert "Import 1 row" in response
    assert not Placement.objects.exists()
    assert ImportRun.objects.get().applied_at is None
    client.post(run_url)
    assert list(Placement.objects.values_list("provider__name", flat=True)) == ["Northgate Homes"]


def test_the_import_page_explains_the_placement_stop_rule(client, commissioning_officer):
    client.force_login(commissioning_officer)
    page = text_of(client.get(reverse("providers:import_upload", args=["placements"])))
    assert (
        "A new placement with a provider on placement stop or not to be used, whatever its dates, is not imported"
        in page
    )
