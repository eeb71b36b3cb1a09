from datetime import timedelta

import pytest
from django.utils import timezone

from visits.models import TemplateQuestion, VisitTemplate
from visits.template_versions import template_start_draft


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


# The visit template: the published first version, and a draft of the next.
@pytest.fixture
def v1():
    return VisitTemplate.objects.get(version=1)


@pytest.fixture
def draft(administrator):
    return template_start_draft(by=administrator)
