"""Dates are entered in GOV.UK's date input (qa_portal.fields.UKDateField, qa_portal.widgets.DateInput):
day, month and year boxes in a group, one message for the group, the boxes marked that need correcting,
and what was typed shown back. The boxes are read by the one rule every date follows
(qa_portal.dates.read_date, case 07: a year in 4 digits)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import YoungPerson
from qa_portal.fields import UKDateField
from qa_portal.inputs.forms import PortalForm
from tests.pages import text_of

pytestmark = pytest.mark.django_db


class BirthForm(PortalForm):
    date_of_birth = UKDateField(label="Date of birth")


def _boxes(day, month, year):
    return {"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("23", "4", "2024"), ("23", "04", "2024"), (" 23 ", "Apr", "2024"), ("23", "april", "2024")],
)
def test_the_three_boxes_are_read_as_one_date(day, month, year):
    form = BirthForm(data=_boxes(day, month, year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2024, 4, 23)


@pytest.mark.parametrize(
    ("boxes", "message", "marked"),
    [
        (("14", "", "2010"), "Date of birth must include a month", ["month"]),
        (("", "", "2010"), "Date of birth must include a day and month", ["day", "month"]),
        (("14", "2", "10"), f"Enter the year as 4 digits, for example {timezone.localdate().year}", ["year"]),
        (("14", "2", "0010"), f"Enter the year as 4 digits, for example {timezone.localdate().year}", ["year"]),
        (("31", "2", "2024"), "Date of birth must be a real date", ["day", "month", "year"]),
        (("3a", "2", "2024"), "Date of birth must be a real date", ["day", "month", "year"]),
    ],
)
def test_a_date_that_cannot_be_read_gets_one_message_and_its_boxes_marked(boxes, message, marked):
    form = BirthForm(data=_boxes(*boxes))
    assert form.errors["date_of_birth"] == [message]
    html = str(form["date_of_birth"])
    for part, typed in zip(("day", "month", "year"), boxes, strict=True):
        box = html.split(f'name="date_of_birth_{part}"')[1].split(">")[0]
        assert ("govuk-input--error" in box) == (part in marked), part
        if typed:
            assert f'value="{typed}"' in box, f"the {part} typed is not shown back"
    assert form["date_of_birth"].anchor_id == f"id_date_of_birth_{marked[0]}"


def test_left_blank_it_is_asked_for():
    assert BirthForm(data=_boxes("", "", "")).errors["date_of_birth"] == ["Enter the date of birth"]


def test_a_whole_date_typed_in_the_days_box_is_read():
    form = BirthForm(data=_boxes("23/04/2024", "", ""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2024, 4, 23)


def test_a_date_posted_as_one_text_is_read_as_before():
    """As the visit autosave sends it, with half-filled boxes read as the boxes they came from."""
    form = BirthForm(data={"date_of_birth": "23/04/2024"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2024, 4, 23)
    assert BirthForm(data={"date_of_birth": "3//2024"}).errors["date_of_birth"] == [
        "Date of birth must include a month"
    ]


def test_a_control_character_in_a_box_is_taken_out_and_said():
    form = BirthForm(data=_boxes("23\x00", "4", "2024"))
    assert not form.is_valid()
    assert "that is not text (U+0000)" in form.errors["date_of_birth"][0]
    assert 'value="23"' in str(form["date_of_birth"])


def test_a_saved_date_is_shown_in_its_boxes():
    html = str(BirthForm(initial={"date_of_birth": datetime.date(2010, 2, 14)})["date_of_birth"])
    assert 'name="date_of_birth_day" value="14"' in html
    assert 'name="date_of_birth_month" value="2"' in html
    assert 'name="date_of_birth_year" value="2010"' in html


def test_on_a_page_the_date_is_a_labelled_group_and_comes_back_as_typed(client, commissioning_officer):
    client.force_login(commissioning_officer)
    url = reverse("providers:young_person_create")
    response = client.post(
        url, {"case_record_id": "7700001", "initials": "TB", "cohort": "child_in_care", **_boxes("14", "02", "10")}
    )
    html = response.content.decode()
    assert not YoungPerson.objects.exists()
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert '<a href="#id_date_of_birth_year">Enter the year as 4 digits' in html
    for label in ("Day", "Month", "Year"):
        assert f">{label}</label>" in html
    assert 'value="14"' in html and 'value="02"' in html and 'value="10"' in html
    assert "Date of birth For example, 14 2 2010 Error: Enter the year as 4 digits" in text_of(response)

    client.post(
        url, {"case_record_id": "7700001", "initials": "TB", "cohort": "child_in_care", **_boxes("14", "2", "2010")}
    )
    assert YoungPerson.objects.get().date_of_birth == datetime.date(2010, 2, 14)
