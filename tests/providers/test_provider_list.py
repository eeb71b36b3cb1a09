"""The provider list: search, filters, sort, pagination, exports, and a fixed number of queries."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from providers.models import Provider, ProviderStatus, Setting
from tests.factories import InspectionFactory, PlacementFactory, ProviderFactory, SettingFactory
from tests.lists import error_next_to, table_rows

pytestmark = pytest.mark.django_db

LIST = reverse("providers:provider_list")


def names(response):
    return [provider.name for provider in response.context["page"]]


@pytest.fixture
def register():
    kent = ProviderFactory(name="Oakfield Homes", provision_types=["childrens_home"])
    SettingFactory(provider=kent, name="Oak House", urn="SC111111", postcode="CT1 2AB", local_authority="Kent")
    cumbria = ProviderFactory(name="Fellside Care", provision_types=["childrens_home", "residential_school"])
    inadequate = SettingFactory(provider=cumbria, urn="SC222222", postcode="CA1 1AA", local_authority="Cumbria")
    InspectionFactory(setting=inadequate, judgement=4, inspection_date=date(2025, 1, 10))
    fostering = ProviderFactory(
        name="Brightwater Fostering", provision_types=["fostering"], status=ProviderStatus.PLACEMENT_STOP
    )
    ProviderFactory(
        name="Old Lane Lodgings", provision_types=["supported_accommodation"], status=ProviderStatus.ARCHIVED
    )
    for _ in range(3):
        PlacementFactory(provider=fostering)
    PlacementFactory(provider=kent)
    PlacementFactory(provider=kent, start_date=date(2020, 1, 1), end_date=date(2021, 1, 1))  # ended: not counted
    from providers.services import refresh_judgements

    refresh_judgements(cumbria)
    return {"kent": kent, "cumbria": cumbria, "fostering": fostering}


def test_it_lists_providers_but_not_archived_ones_by_default(client, commissioning_officer, register):
    client.force_login(commissioning_officer)
    response = client.get(LIST)
    assert names(response) == ["Brightwater Fostering", "Fellside Care", "Oakfield Homes"]
    assert "Old Lane Lodgings" not in response.text


def test_it_shows_active_placements_and_current_judgement(client, commissioning_officer, register):
    client.force_login(commissioning_officer)
    providers = {p.name: p for p in client.get(LIST).context["page"]}
    assert providers["Brightwater Fostering"].active_placements == 3
    assert providers["Oakfield Homes"].active_placements == 1
    assert providers["Fellside Care"].judgement_label == "Inadequate"
    assert providers["Oakfield Homes"].judgement_label == "Not yet inspected"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "fell"}, ["Fellside Care"]),
        ({"q": "sc111111"}, ["Oakfield Homes"]),
        ({"q": "CT12AB"}, ["Oakfield Homes"]),
        ({"q": "ca1 1aa"}, ["Fellside Care"]),
        ({"provision_type": "residential_school"}, ["Fellside Care"]),
        ({"status": "placement_stop"}, ["Brightwater Fostering"]),
        ({"status": "archived"}, ["Old Lane Lodgings"]),
        ({"judgement": "4"}, ["Fellside Care"]),
        ({"judgement": "none"}, ["Brightwater Fostering", "Oakfield Homes"]),
        ({"area": "Kent"}, ["Oakfield Homes"]),
        ({"sort": "-placements"}, ["Brightwater Fostering", "Oakfield Homes", "Fellside Care"]),
        ({"sort": "judgement"}, ["Fellside Care", "Brightwater Fostering", "Oakfield Homes"]),
        ({"sort": "-name"}, ["Oakfield Homes", "Fellside Care", "Brightwater Fostering"]),
    ],
)
def test_it_searches_filters_and_sorts(client, commissioning_officer, register, query, expected):
    client.force_login(commissioning_officer)
    assert names(client.get(LIST, query)) == expected


def test_a_nonsense_filter_value_is_explained_not_an_error(client, commissioning_officer, register):
    client.force_login(commissioning_officer)
    response = client.get(LIST, {"status": "bogus", "sort": "nope"})
    assert response.status_code == 200
    assert error_next_to(response.text, "status") == "Choose a status from the list"
    # The bad value filters nothing out: the register is listed as with no status chosen, by name.
    assert [row[0] for row in table_rows(response.text)] == [row[0] for row in table_rows(client.get(LIST).text)]


def test_it_paginates_25_to_a_page_keeping_the_filters(client, commissioning_officer):
    for n in range(30):
        ProviderFactory(name=f"Provider {n:02d}", provision_types=["fostering"])
    client.force_login(commissioning_officer)
    first = client.get(LIST, {"provision_type": "fostering"})
    assert len(names(first)) == 25
    assert "provision_type=fostering&amp;page=2" in first.text
    second = client.get(LIST, {"provision_type": "fostering", "page": 2})
    assert len(names(second)) == 5


def test_the_csv_export_holds_the_filtered_rows(client, commissioning_officer, register):
    client.force_login(commissioning_officer)
    response = client.get(reverse("providers:provider_export", args=["csv"]), {"area": "Kent"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Name",
        "Provision types",
        "Contract route",
        "Status",
        "Current judgement",
        "Active placements",
    ]
    assert [row[0] for row in rows[1:]] == ["Oakfield Homes"]
    assert rows[1][5] == "1"
    assert rows[1][7] == "Kent"


def test_the_csv_export_counts_each_providers_settings_and_names_their_areas_once(client, commissioning_officer):
    provider = ProviderFactory(name="Harbour Lights Fostering")
    for area in ("Medway", "Kent", "Kent", ""):
        SettingFactory(provider=provider, local_authority=area)
    ProviderFactory(name="No Settings Yet")
    client.force_login(commissioning_officer)
    response = client.get(reverse("providers:provider_export", args=["csv"]))
    rows = {row[0]: row for row in csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")))}
    assert rows["Harbour Lights Fostering"][6:8] == ["4", "Kent, Medway"]
    assert rows["No Settings Yet"][6:8] == ["0", ""]


def test_the_xlsx_export_holds_the_filtered_rows(client, commissioning_officer, register):
    client.force_login(commissioning_officer)
    response = client.get(reverse("providers:provider_export", args=["xlsx"]), {"judgement": "4"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Name"
    assert [row[0] for row in rows[1:]] == ["Fellside Care"]
    assert rows[1][4] == "Inadequate"


def test_an_export_cannot_be_made_to_run_a_formula(client, commissioning_officer):
    ProviderFactory(name='=HYPERLINK("http://example.com")')
    client.force_login(commissioning_officer)
    response = client.get(reverse("providers:provider_export", args=["csv"]))
    assert "'=HYPERLINK" in response.getvalue().decode("utf-8-sig")


def test_control_characters_pasted_from_word_do_not_break_the_xlsx_export(client, commissioning_officer):
    ProviderFactory(name="Bright\x0bHorizons\x07 Care")
    client.force_login(commissioning_officer)
    response = client.get(reverse("providers:provider_export", args=["xlsx"]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][0] == "BrightHorizons Care"


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_a_value_starting_with_a_tab_or_carriage_return_is_kept_as_text(client, commissioning_officer, start):
    ProviderFactory(name=f"{start}=1+2")
    client.force_login(commissioning_officer)
    response = client.get(reverse("providers:provider_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[1][0] == f"'{start}=1+2"


def test_an_unknown_export_format_is_not_found(client, commissioning_officer):
    client.force_login(commissioning_officer)
    assert client.get(reverse("providers:provider_export", args=["pdf"])).status_code == 404


def test_a_provider_user_cannot_see_the_list_or_the_export(client, provider_user):
    client.force_login(provider_user)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("providers:provider_export", args=["csv"])).status_code == 403


def _make_providers(count):
    for n in range(count):
        provider = ProviderFactory(provision_types=["childrens_home"])
        setting = SettingFactory(provider=provider)
        InspectionFactory(setting=setting, inspection_date=date.today() - timedelta(days=30 + n))
        PlacementFactory(provider=provider, setting=setting)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["list", "csv", "xlsx"])
def test_the_list_and_exports_run_a_fixed_number_of_queries(client, commissioning_officer, url_name):
    url = LIST if url_name == "list" else reverse("providers:provider_export", args=[url_name])
    client.force_login(commissioning_officer)
    _make_providers(3)
    small = _queries(client, url)
    _make_providers(20)
    assert _queries(client, url) == small


def test_the_csv_runs_the_same_queries_however_many_chunks_it_streams(client, commissioning_officer):
    # The CSV is read 500 providers at a time: what a row shows of its settings comes in the same query.
    client.force_login(commissioning_officer)
    url = reverse("providers:provider_export", args=["csv"])

    def read_csv():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        return rows, len(queries)

    _make_providers(3)
    rows, few = read_csv()
    assert len(rows) == 1 + 3
    providers = Provider.objects.bulk_create(ProviderFactory.build_batch(600))
    Setting.objects.bulk_create(SettingFactory.build(provider=provider) for provider in providers)
    rows, many = read_csv()
    assert len(rows) == 1 + 603
    assert many == few
