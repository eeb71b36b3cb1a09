import re
from datetime import timedelta

import pytest
from django.urls import reverse
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


def share_form(client, visit) -> dict:
    """The confirmation on the page that checks what the provider will receive, as the browser would
    post it: its hidden fields (what was checked, the one-time form token)."""
    page = client.get(reverse("visits:share", args=[visit.pk])).content.decode()
    form = page[page.index('action="' + reverse("visits:share", args=[visit.pk]) + '"') :]
    return dict(re.findall(r'<input type="hidden" name="(checked|form_token)" value="([^"]*)"', form))


def share_with_provider(client, visit, **extra):
    """Share the report as the QA lead does: open the check page, then confirm what it showed."""
    return client.post(reverse("visits:share", args=[visit.pk]), share_form(client, visit), follow=True, **extra)


# The visit template: the published first version, and a draft of the next.
@pytest.fixture
def v1():
    return VisitTemplate.objects.get(version=1)


@pytest.fixture
def draft(administrator):
    return template_start_draft(by=administrator)
