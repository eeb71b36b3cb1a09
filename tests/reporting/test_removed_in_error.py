"""A recommendation made twice by a double click counts twice in the committee pack until the duplicate is
removed in error; then the pack counts it once again, in its totals and in the visit's paragraph."""

from datetime import date

import pytest
from django.urls import reverse

from qa_portal.reporting.committee import counting
from reviews.models import Recommendation
from tests.reporting.committee_year import END, START, build_year

pytestmark = pytest.mark.django_db


def _open_count(figures) -> int:
    return dict(figures.recommendation_statuses)["Open"]


def test_removing_a_duplicate_recommendation_takes_it_out_of_the_committee_packs_figures(client):
    year = build_year()
    original = Recommendation.objects.filter(visit=year.visits[2], status="open").order_by("-due_date").first()
    duplicate = Recommendation.objects.get(pk=original.pk)
    duplicate.pk = None
    duplicate._state.adding = True
    duplicate.save()  # as a second press of "Save recommendation" made it, before one record per intention

    doubled = counting.committee_figures(START, END)
    assert (doubled.recommendations_made, _open_count(doubled)) == (8, 2)
    assert doubled.visit_summaries[2].recommendations == 4

    client.force_login(year.qa_lead)
    response = client.post(reverse("reviews:recommendation_remove", args=[duplicate.pk]), {"reason": "Recorded twice"})
    assert response.status_code == 302

    figures = counting.committee_figures(START, END)
    assert (figures.recommendations_made, _open_count(figures)) == (7, 1)
    assert figures.visit_summaries[2].recommendations == 3
    assert "3 recommendations were made." in figures.visit_summaries[2].paragraph
    assert figures.visit_summaries[2].date == date(2025, 2, 3)
