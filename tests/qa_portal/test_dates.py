"""UK dates: typed as dd/mm/yyyy with the year in 4 digits (every form's UKDateField), shown as "23 April 2024"."""

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone

import providers
import qa_portal
import reviews
import visits
from qa_portal.fields import UKDateField


class DateForm(forms.Form):
    day = forms.DateField()


def test_dates_are_shown_the_uk_way():
    rendered = Template("{{ day|date }}").render(Context({"day": datetime.date(2024, 4, 23)}))
    assert rendered == "23 April 2024"


@pytest.mark.parametrize("typed", ["23/04/2024", "23/4/2024", "2024-04-23"])
def test_dates_typed_day_first_are_understood(typed):
    form = DateForm(data={"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2024, 4, 23)


def test_a_us_style_date_is_refused():
    assert not DateForm(data={"day": "04/23/2024"}).is_valid()


class VisitDateForm(forms.Form):
    day = UKDateField(label="Date of the visit", earliest=datetime.date(2000, 1, 1))


# Case 07: years typed short or zero-padded, refused by every date field of every form.
@pytest.mark.parametrize(
    "typed", ["14/02/10", "14/02/0010", "01/04/68", "1/4/24", "12/03/202", "0010-02-14", "1-Apr-24"]
)
def test_a_year_typed_short_or_zero_padded_is_refused(typed):
    form = VisitDateForm(data={"day": typed})
    assert form.errors["day"] == [f"Enter the year as 4 digits, for example {timezone.localdate().year}"]


@pytest.mark.parametrize(
    "typed",
    [
        "23/04/2024",
        "23/4/2024",
        "23-04-2024",
        "23.04.2024",
        "23 04 2024",
        "23 April 2024",
        "23-Apr-2024",
        "2024-04-23",
        "2024-04-23T00:00:00",
        "23/04/2024 00:00",
    ],
)
def test_dates_as_people_type_them_and_spreadsheets_show_them_are_read(typed):
    form = VisitDateForm(data={"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2024, 4, 23)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2024", "Enter a real date in the format dd/mm/yyyy, like 23/04/2024"),
        ("23/Foo/2024", "Enter a real date in the format dd/mm/yyyy, like 23/04/2024"),
        ("14/02/1024", "Enter a year from 1900 onwards"),
        ("31/12/1999", "The date of the visit must be on or after 1 January 2000"),
    ],
)
def test_an_impossible_date_is_refused_with_a_message_to_act_on(typed, message):
    assert VisitDateForm(data={"day": typed}).errors["day"] == [message]


def _project_forms():
    for package in (providers, visits, reviews, qa_portal):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            # Forms live in forms modules, and a few small ones beside their views.
            if "forms" in module.name or "views" in module.name:
                importlib.import_module(module.name)
    found, queue = [], [forms.BaseForm]
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in ("providers", "visits", "reviews", "qa_portal"):
            found.append(cls)
    return found


def test_every_date_field_of_every_form_refuses_a_year_typed_short():
    """Fields added in a form's __init__ are not seen here: those are UKDateFields too (the visit plan's,
    the tracker's filters', the review actions')."""
    date_fields = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in _project_forms()
        for name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, forms.DateField)
    }
    assert len(date_fields) > 10, "the search for forms is broken"
    accepting = []
    for name, field in date_fields.items():
        try:
            field.clean("14/02/0010")
        except ValidationError as exc:
            if exc.messages != [f"Enter the year as 4 digits, for example {timezone.localdate().year}"]:
                accepting.append(f"{name}: {exc.messages}")
        else:
            accepting.append(name)
    assert accepting == []
