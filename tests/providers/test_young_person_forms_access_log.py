"""The forms about one young person (their details, adding or changing a placement) are filled with
their data (case-record ID, initials, date of birth, needs, where they live): each showing is a read of
it, recorded in the access log of personal data with them and nobody else, a form back with its
errors too."""

import pytest
from django.urls import reverse

from providers.models import YoungPerson
from qa_portal.access_log import entries_about

pytestmark = pytest.mark.django_db


def log_of(person) -> list[tuple[str, str, str]]:
    return [(e.user.email, e.get_action_display(), e.what) for e in entries_about(YoungPerson, person.pk)]


@pytest.mark.parametrize(
    "name, heading",
    [
        ("providers:young_person_edit", "Edit young person"),
        ("providers:placement_create", "Add a placement"),
        ("providers:placement_edit", "Edit placement"),
    ],
)
def test_each_form_about_a_young_person_is_in_their_log(client, commissioning_officer, placed, name, heading):
    jb, km = placed
    args = [jb.placements.get().pk if name == "providers:placement_edit" else jb.pk]
    client.force_login(commissioning_officer)
    page = client.get(reverse(name, args=args))
    assert page.status_code == 200
    assert jb.case_record_id in page.text

    assert log_of(jb) == [(commissioning_officer.email, "Viewed a page", heading)]
    assert log_of(km) == []

    back = client.post(reverse(name, args=args), {"initials": "?"})  # the rest left out: the form comes back
    assert back.status_code == 200 and "govuk-error-summary" in back.text
    assert len(log_of(jb)) == 2
