"""The young people list on its FilterSet: filtered and sorted over more than one page (it has no
download); bad values are explained next to their field, not a 500."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import PlacementFactory, YoungPersonFactory
from tests.lists import error_next_to, every_page, table_rows

pytestmark = pytest.mark.django_db

LIST = reverse("providers:young_person_list")


@pytest.fixture
def people(provider):
    """55 care leavers with an EHCP, 10 of them placed now; and people the filters leave out."""
    leavers = [
        YoungPersonFactory(cohort="care_leaver", ehcp=True, date_of_birth=date(2006, 1, 1 + n % 28)) for n in range(55)
    ]
    for person in leavers[:10]:
        PlacementFactory(young_person=person, provider=provider)
    YoungPersonFactory(cohort="child_in_care", ehcp=True)
    YoungPersonFactory(cohort="care_leaver", ehcp=False)
    return leavers


def test_it_filters_and_sorts_over_every_page(client, qa_lead, people):
    client.force_login(qa_lead)
    query = {"cohort": "care_leaver", "needs": "ehcp", "sort": "-case_record"}
    first = client.get(LIST, query)
    assert "55 young people" in first.text
    assert len(table_rows(first.text)) == 50
    shown = [row[1] for row in every_page(client, LIST, query)]
    assert shown == sorted((person.case_record_id for person in people), reverse=True)


def test_it_sorts_by_age_youngest_first(client, qa_lead, people):
    client.force_login(qa_lead)
    shown = every_page(client, LIST, {"cohort": "care_leaver", "needs": "ehcp", "placed": "yes", "sort": "age"})
    placed = sorted(people[:10], key=lambda p: (-p.date_of_birth.toordinal(), p.initials, p.case_record_id))
    assert [row[1] for row in shown] == [person.case_record_id for person in placed]
    assert {row[5] for row in shown} == {"Harbour Lights Fostering"}


def test_bad_values_are_explained_next_to_their_field(client, qa_lead, people):
    client.force_login(qa_lead)
    response = client.get(LIST, {"cohort": "grown_up", "needs": "everything", "placed": "yes"})
    assert response.status_code == 200
    assert error_next_to(response.text, "cohort") == "Choose a cohort from the list"
    assert error_next_to(response.text, "needs") == "Choose needs from the list"
    assert "10 young people" in response.text  # the placement filter still applies
