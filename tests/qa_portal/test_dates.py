"""UK dates: typed as dd/mm/yyyy, shown as "23 April 2024"."""

import datetime

import pytest
from django import forms
from django.template import Context, Template


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
