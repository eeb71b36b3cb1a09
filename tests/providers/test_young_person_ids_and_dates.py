"""The young person form, as case-record extracts and spreadsheets leave IDs and dates (case 07): a
case-record ID is one young person whatever leading zeros Excel dropped; a date of birth has a
4-digit year and an age the cohort allows. Refused beside the field, with what was typed kept."""

import re
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from providers.models import YoungPerson
from tests.factories import YoungPersonFactory
from tests.providers.form_errors import errors_beside

pytestmark = pytest.mark.django_db

NEW = reverse("providers:young_person_create")


def born(years_ago: int, days: int = 0) -> date:
    return timezone.localdate() - relativedelta(years=years_ago) - relativedelta(days=days)


def post(client, **values):
    """Posts the form as the browser does: a date of birth typed "d/m/y" goes in the date input's three
    boxes (a date of birth that is not three parts is posted as one text, as a script might)."""
    data = {"case_record_id": "7700001", "initials": "TB", "date_of_birth": "14/02/2012", "cohort": "child_in_care"}
    data.update(values)
    typed = data.pop("date_of_birth")
    if typed.count("/") == 2:
        data.update(
            zip(("date_of_birth_day", "date_of_birth_month", "date_of_birth_year"), typed.split("/"), strict=True)
        )
    else:
        data["date_of_birth"] = typed
    return client.post(NEW, data)


def boxes_shown(html: str) -> dict[str, tuple[str, str]]:
    """The date of birth's boxes as the page shows them: part -> (value, class)."""
    shown = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name = re.search(r'name="date_of_birth_(day|month|year)"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            shown[name.group(1)] = (value.group(1) if value else "", re.search(r'class="([^"]*)"', tag).group(1))
    return shown


@pytest.fixture
def officer(client, commissioning_officer):
    client.force_login(commissioning_officer)
    return client


# Case 07: 14/02/0010 was saved as a date of birth, and the young person's page said "age 2016".
@pytest.mark.parametrize(
    ("case_record_id", "initials", "typed"),
    [("7700001", "TB", "14/02/10"), ("7700002", "TC", "14/02/0010"), ("7700003", "TD", "01/04/68")],
)
def test_case_07_a_date_of_birth_with_a_short_year_is_refused_beside_the_field(
    officer, case_record_id, initials, typed
):
    response = post(officer, case_record_id=case_record_id, initials=initials, date_of_birth=typed)

    assert response.status_code == 200
    year = timezone.localdate().year
    assert errors_beside(response.text, "date_of_birth") == [f"Enter the year as 4 digits, for example {year}"]
    # The boxes show what was typed, and the year box (the one that is wrong) has the red border of an error.
    boxes = boxes_shown(response.text)
    day, month, year_typed = typed.split("/")
    assert {part: value for part, (value, _) in boxes.items()} == {"day": day, "month": month, "year": year_typed}
    assert "govuk-input--error" in boxes["year"][1]
    assert "govuk-input--error" not in boxes["day"][1]
    assert not YoungPerson.objects.exists()


def test_a_date_of_birth_as_excel_shows_it_is_read(officer):
    response = post(officer, date_of_birth="14-Feb-2012")

    person = YoungPerson.objects.get()
    assert response.url == person.get_absolute_url()
    assert person.date_of_birth == date(2012, 2, 14)


@pytest.mark.parametrize(
    ("cohort", "refused", "age", "allowed"),
    [
        ("child_in_care", born(18), 18, born(18, days=-1)),
        ("care_leaver", born(12), 12, born(16)),
        ("care_leaver", born(26), 26, born(26, days=-1)),
    ],
)
def test_a_date_of_birth_the_cohort_does_not_allow_is_refused_beside_the_field(officer, cohort, refused, age, allowed):
    typed = f"{refused:%d/%m/%Y}"

    response = post(officer, cohort=cohort, date_of_birth=typed)

    rule = "A child in care is under 18" if cohort == "child_in_care" else "A care leaver is 16 to 25"
    assert errors_beside(response.text, "date_of_birth") == [
        f"{rule}, and this date of birth makes them {age}. Check the date of birth, or the cohort"
    ]
    assert [value for value, _ in boxes_shown(response.text).values()] == typed.split("/")
    assert not YoungPerson.objects.exists()

    # The first or last day of the cohort's ages is allowed.
    post(officer, cohort=cohort, date_of_birth=f"{allowed:%d/%m/%Y}")

    assert YoungPerson.objects.get().date_of_birth == allowed


def test_an_id_differing_only_by_leading_zeros_is_the_young_person_already_recorded(officer):
    YoungPersonFactory(case_record_id="0012345", initials="SB")

    response = post(officer, case_record_id="12345", initials="SM")

    assert errors_beside(response.text, "case_record_id") == [
        "A young person with this case-record ID is already recorded as 0012345: SB (0012345). "
        "Leading zeros do not make a different ID"
    ]
    assert 'value="12345"' in response.text
    assert YoungPerson.objects.get().initials == "SB"

    # The young person recorded keeps their own ID when corrected.
    held = YoungPerson.objects.get()
    corrected = officer.post(
        reverse("providers:young_person_edit", args=[held.pk]),
        {"case_record_id": "0012345", "initials": "SM", "date_of_birth": "14/02/2012", "cohort": "child_in_care"},
    )

    assert corrected.status_code == 302
    held.refresh_from_db()
    assert held.initials == "SM"


def test_an_id_with_leading_zeros_added_is_the_young_person_already_recorded(officer):
    YoungPersonFactory(case_record_id="12345", initials="SB")

    response = post(officer, case_record_id="0012345", initials="SM")

    assert errors_beside(response.text, "case_record_id")[0].startswith(
        "A young person with this case-record ID is already recorded as 12345: SB (12345)"
    )
    assert YoungPerson.objects.count() == 1


def test_the_database_itself_refuses_a_second_young_person_differing_by_leading_zeros():
    YoungPersonFactory(case_record_id="0012345")

    with pytest.raises(IntegrityError), transaction.atomic():
        YoungPersonFactory(case_record_id="12345")

    assert YoungPerson.objects.with_case_record_id("000012345").get().case_record_id == "0012345"
