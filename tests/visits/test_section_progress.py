"""Each section of a visit shows how far it is written up: not started, in progress or completed, by
the rule that decides whether the visit can be submitted (issue 11)."""

import re

import pytest
from django.urls import reverse

from tests.pages import text_of
from tests.visits.conftest import complete
from visits.models import TemplateQuestion

pytestmark = pytest.mark.django_db


def progress_on(page) -> dict[str, str]:
    """{section title: its progress} as the visit page's task list shows them to its writer."""
    text = text_of(page).split("Write up the visit", 1)[1].split("Check your answers and submit", 1)[0]
    return dict(re.findall(r"\d+\. (.+?) (Not started|In progress|Completed)", text))


def test_the_visit_page_shows_each_sections_progress(client, senior_leader, visit):
    security = TemplateQuestion.objects.get(section__template=visit.template, text="Security")
    visit.answers.create(question=security, text="Locks and fire doors checked")
    for question in TemplateQuestion.objects.filter(section__template=visit.template, section__number=4):
        visit.answers.create(question=question, text="In their own words")
    client.force_login(senior_leader)
    progress = progress_on(client.get(visit.get_absolute_url()))
    assert progress == {
        "About the visit": "In progress",  # the plan is in, the date of the visit is not
        "Who we met and what we saw": "Not started",
        "The home and the area": "In progress",
        "Young people's views, in their own words": "Completed",
        "Care, support and staff": "Not started",
        "Plans and progress": "Not started",
        "Safeguarding": "Not started",
        "Overall": "Not started",
    }


def test_a_visit_ready_to_submit_has_every_section_completed(client, senior_leader, visit, placed):
    complete(visit, placed)
    client.force_login(senior_leader)
    assert set(progress_on(client.get(visit.get_absolute_url())).values()) == {"Completed"}


def test_a_section_page_lists_the_sections_with_their_progress(client, senior_leader, visit):
    client.force_login(senior_leader)
    page = client.get(reverse("visits:section", args=[visit.pk, 8]))
    nav = text_of(page).split("Sections", 1)[1].split("Back to the visit", 1)[0]
    assert "1. About the visit In progress" in nav
    assert "8. Overall Not started" in nav
    assert "9. Recommendations 10." in nav  # written on other pages: no progress of their own


def test_autosaving_an_answer_moves_its_section_on(client, senior_leader, visit):
    client.force_login(senior_leader)
    response = client.post(
        reverse("visits:autosave", args=[visit.pk, 8]),
        {"fields": {"overall_judgement": {"base": "", "value": "no"}}},
        content_type="application/json",
    )
    assert "In progress" in response.json()["section_status"]
