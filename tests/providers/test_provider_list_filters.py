"""The provider list on its FilterSet: filtered and sorted, over more than one page, the CSV and
XLSX downloads hold exactly the rows shown, in the same order; bad values are explained, not a 500."""

import pytest
from django.urls import reverse

from tests.factories import PlacementFactory, ProviderFactory, SettingFactory
from tests.lists import csv_rows, error_next_to, every_page, table_rows, xlsx_rows

pytestmark = pytest.mark.django_db

LIST = reverse("providers:provider_list")


@pytest.fixture
def register():
    """30 fostering agencies in Kent with 0 to 3 placements each (ties broken by name), and
    providers the filters leave out: a children's home in Kent and a fostering agency in Cumbria."""
    for n in range(30):
        provider = ProviderFactory(name=f"Agency {n:02d}", provision_types=["fostering"])
        SettingFactory(provider=provider, local_authority="Kent")
        for _ in range(n % 4):
            PlacementFactory(provider=provider)
    SettingFactory(provider=ProviderFactory(name="Hill House", provision_types=["childrens_home"]))
    SettingFactory(
        provider=ProviderFactory(name="Fell Fostering", provision_types=["fostering"]), local_authority="Cumbria"
    )


def _expected():
    # Most active placements first (3, 2, 1, 0 by n % 4), then by name.
    return sorted((f"Agency {n:02d}" for n in range(30)), key=lambda name: (-(int(name[-2:]) % 4), name))


def test_it_filters_and_sorts_and_the_downloads_hold_the_rows_shown(client, commissioning_officer, register):
    client.force_login(commissioning_officer)
    query = {"provision_type": "fostering", "area": "Kent", "sort": "-placements"}
    first = client.get(LIST, query)
    assert "30 providers match the filters" in " ".join(first.text.split())
    assert len(table_rows(first.text)) == 25

    shown = [row[0] for row in every_page(client, LIST, query)]
    assert shown == _expected()

    csv_export = csv_rows(client.get(reverse("providers:provider_export", args=["csv"]), query))
    xlsx_export = xlsx_rows(client.get(reverse("providers:provider_export", args=["xlsx"]), query))
    assert [row[0] for row in csv_export[1:]] == shown
    assert [row[0] for row in xlsx_export[1:]] == shown
    # The placements column agrees with the sort.
    assert [int(row[5]) for row in csv_export[1:]] == [3] * 7 + [2] * 7 + [1] * 8 + [0] * 8


def test_the_chosen_values_stay_in_the_form_and_the_sorted_column_says_so(client, commissioning_officer, register):
    client.force_login(commissioning_officer)
    html = client.get(LIST, {"provision_type": "fostering", "sort": "-placements"}).text
    assert '<option value="fostering" selected>' in html
    assert '<option value="-placements" selected>' in html
    assert 'aria-sort="descending"' in html
    # The column head sorts the other way, keeping the filter.
    assert "?provision_type=fostering&amp;sort=placements" in html


def test_bad_values_are_explained_next_to_their_field_and_the_rest_still_apply(client, commissioning_officer, register):
    client.force_login(commissioning_officer)
    response = client.get(LIST, {"status": "bogus", "judgement": "9", "sort": "nope", "area": "Cumbria"})
    assert response.status_code == 200
    assert error_next_to(response.text, "status") == "Choose a status from the list"
    assert error_next_to(response.text, "judgement") == "Choose a judgement from the list"
    assert error_next_to(response.text, "sort") == "Choose a sort order from the list"
    assert error_next_to(response.text, "area") == ""
    assert [row[0] for row in table_rows(response.text)] == ["Fell Fostering"]
    export = client.get(reverse("providers:provider_export", args=["csv"]), {"status": "bogus", "area": "Cumbria"})
    assert [row[0] for row in csv_rows(export)[1:]] == ["Fell Fostering"]
