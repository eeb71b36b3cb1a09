"""The error summary links each problem to the field, radios and checkboxes to their first option, a
date input to its first box to correct."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_error_summary_links_land_on_real_elements(client, senior_leader):
    client.force_login(senior_leader)
    html = client.post(reverse("visits:visit_plan"), {"lead_visitor_role": "AD"}).text
    assert '<a href="#id_how_arranged_1">' in html
    assert 'id="id_how_arranged_1"' in html
    assert '<a href="#id_reasons_1">' in html
    assert 'id="id_reasons_1"' in html
    assert '<a href="#id_planned_date_day">' in html  # a date input: its first box
    assert 'id="id_planned_date_day"' in html
