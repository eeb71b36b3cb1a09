from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PlacementFactory, VisitFactory, YoungPersonFactory
from visits.models import TemplateQuestion


@pytest.fixture
def visit(provider, senior_leader):
    return VisitFactory(provider=provider, lead_visitor=senior_leader)


@pytest.fixture
def placed(provider):
    """Two young people placed with the provider now."""
    start = timezone.localdate() - timedelta(days=200)
    people = [
        YoungPersonFactory(initials="JB", case_record_id="7100001"),
        YoungPersonFactory(initials="KM", case_record_id="7100002", cohort="care_leaver"),
    ]
    for person in people:
        PlacementFactory(young_person=person, provider=provider, start_date=start)
    return people


def complete(visit, placed):
    """Fill in everything submission needs, directly in the database."""
    visit.visit_date = timezone.localdate() - timedelta(days=1)
    visit.spaces_seen = "Kitchen, lounge and JB's bedroom"
    visit.overall_judgement = "yes"
    visit.overall_summary = "A warm, well-run home."
    visit.save()
    visit.young_people_met.set(placed)
    for question in TemplateQuestion.objects.filter(section__template=visit.template, required=True):
        if question.kind == "long_text":
            visit.answers.create(question=question, text=f"Answer to {question.text}")
        else:
            visit.answers.create(question=question, choice="yes")
    return visit
