"""What the council writes at each step of a provider's action plan (returning it, accepting it,
re-checking it) is in the plan's history, which the provider's users read: each box says so before it
is written, so nothing meant for the council alone is put there."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import action_plans as services
from tests.factories import VisitFactory
from tests.pages import text_of
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(provider, commissioning_officer):
    visit = VisitFactory(provider=provider, status=VisitStatus.SHARED, visit_date=timezone.localdate() - timedelta(30))
    return services.request_action_plan(provider=provider, source="visit", record=visit, by=commissioning_officer)


def submitted(plan, provider_user):
    services.plan_action_add(
        plan=plan,
        by=provider_user,
        text="Replace the boiler",
        responsible="Dee Grant, registered manager",
        timescale=timezone.localdate() + timedelta(days=30),
    )
    services.action_plan_submit(plan=plan, by=provider_user)
    return plan


@pytest.mark.parametrize("step", ["action_plan_return", "action_plan_accept"])
def test_the_boxes_of_returning_and_accepting_say_the_provider_reads_them(client, plan, provider_user, qa_lead, step):
    submitted(plan, provider_user)
    client.force_login(qa_lead)
    page = text_of(client.get(reverse(f"reviews:{step}", args=[plan.pk])))
    assert "The provider reads this" in page or "Note for the provider" in page


def test_the_re_check_box_says_the_provider_reads_it_and_they_do(
    client, plan, provider_user, qa_lead, commissioning_officer
):
    submitted(plan, provider_user)
    services.action_plan_accept(plan=plan, by=commissioning_officer, recheck_date=timezone.localdate() + timedelta(1))
    client.force_login(qa_lead)
    form = text_of(client.get(reverse("reviews:action_plan_recheck", args=[plan.pk])))
    assert "Whether each action was done, and what difference it made. The provider reads this" in form

    services.action_plan_recheck(plan=plan, by=qa_lead, comment="Boiler replaced; heating tested in every room")
    client.force_login(provider_user)
    assert "Boiler replaced; heating tested in every room" in text_of(client.get(plan.get_absolute_url()))
