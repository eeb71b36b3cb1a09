"""Each kind of date is within what it can be (qa_portal.dates): no year more than 10 years ahead
anywhere, a visit from 2000 to a year ahead, a due date to 5 years ahead."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.importers.parsing import RowError, parse_date
from qa_portal.dates import DUE, VISIT, DateTextError, read_date, years_after
from reviews.models import Recommendation
from tests.providers.form_errors import errors_beside

pytestmark = pytest.mark.django_db


def test_a_year_more_than_ten_years_ahead_is_refused_by_every_date_field_and_import():
    latest = timezone.localdate().year + 10
    assert read_date(f"31/12/{latest}") == date(latest, 12, 31)
    with pytest.raises(DateTextError, match=f"Enter a year up to {latest}"):
        read_date("31/12/9999")
    with pytest.raises(RowError, match=f"Start date '31/12/9999': enter a year up to {latest}"):
        parse_date("31/12/9999", "Start date")


def test_each_kind_of_date_names_its_own_range():
    today = date(2026, 5, 1)
    assert VISIT.problem(date(2027, 5, 2), "The planned date", today) == (
        "The planned date must be on or before 1 May 2027, a year from today"
    )
    assert DUE.problem(date(2031, 5, 2), "The due date", today) == (
        "The due date must be on or before 1 May 2031, 5 years from today"
    )
    assert DUE.problem(date(2031, 5, 1), "The due date", today) is None
    assert years_after(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_a_visit_planned_more_than_a_year_ahead_is_refused(client, senior_leader, provider):
    client.force_login(senior_leader)
    too_far = years_after(timezone.localdate(), 1) + timedelta(days=1)
    response = client.post(
        reverse("visits:visit_plan"), {"provider": provider.pk, "planned_date": f"{too_far:%d/%m/%Y}"}
    )
    assert errors_beside(response.content.decode(), "planned_date") == [
        f"The planned date must be on or before {years_after(timezone.localdate(), 1):%-d %B %Y}, a year from today"
    ]


def test_a_recommendation_due_more_than_five_years_ahead_is_refused(client, qa_lead, provider):
    client.force_login(qa_lead)
    response = client.post(
        reverse("reviews:recommendation_create"),
        {"provider": provider.pk, "level": "provider_service", "text": "Fix the fence", "due_date": "31/12/2035"},
    )
    message = errors_beside(response.content.decode(), "due_date")[0]
    assert message.startswith("The due date must be on or before") and message.endswith("5 years from today")
    assert not Recommendation.objects.exists()
