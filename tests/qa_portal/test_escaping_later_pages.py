"""What people type is text on the pages added after issue 13 too (issues 14 to 16): action plans
(what a plan must address, its actions, the council's comments, the recommendation an action answers
in its select box), the risk rating override's reason, the response to an Inadequate judgement (a
setting's name, the safeguards of a decision), the visit template editor (a section's title and
guidance, a question, its hint and its choices) and each role's "What to do next". Each holds a
script, an image with an onerror handler and template code (tests.qa_portal.test_escaping), and
every page showing it shows it as typed and runs none of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.risk import risk_override_set
from reviews.models import ActionPlanEvent, InadequateResponse, SafeToRemainDecision
from tests.factories import (
    ActionPlanFactory,
    InspectionFactory,
    PlacementFactory,
    PlanActionFactory,
    RecommendationFactory,
    SettingFactory,
    VisitFactory,
    YoungPersonFactory,
)
from tests.qa_portal.test_escaping import IMAGE, SCRIPT, assert_shown_as_text, hostile
from visits.models import TemplateQuestion, TemplateSection, VisitStatus
from visits.template_versions import template_start_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(provider, qa_lead, commissioning_officer):
    """A plan with the provider (an action answering a recommendation), one returned with comments."""
    provider.name = hostile("Harbour Lights")
    provider.save()
    visit = VisitFactory(provider=provider, status=VisitStatus.SHARED, visit_date=timezone.localdate())
    rec = RecommendationFactory(visit=visit, text=hostile("Fix the fence"), owner=qa_lead)
    writing = ActionPlanFactory(
        provider=provider, visit=visit, requested_by=commissioning_officer, asks=hostile("Asks")
    )
    action = PlanActionFactory(plan=writing, text=hostile("Mend it"), responsible=hostile("Dee"), recommendation=rec)
    returned = ActionPlanFactory(
        provider=provider, visit=visit, requested_by=commissioning_officer, status="returned", asks="Plan"
    )
    PlanActionFactory(plan=returned, text="Paint the hall")
    ActionPlanEvent.objects.create(plan=returned, step="returned", by=qa_lead, comment=hostile("Say when"))
    return {"rec": rec, "writing": writing, "action": action, "returned": returned}


def pages_show_as_text(client, user, pages):
    client.force_login(user)
    for url, typed in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.text, typed, url)


def test_action_plans_show_typed_text_as_text_to_the_council(client, qa_lead, plans):
    writing, returned = plans["writing"], plans["returned"]
    pages_show_as_text(
        client,
        qa_lead,
        [
            (reverse("reviews:action_plan_list"), writing.provider.name),
            (writing.get_absolute_url(), hostile("Asks")),
            (writing.get_absolute_url(), hostile("Mend it")),
            (writing.get_absolute_url(), hostile("Dee")),
            (writing.get_absolute_url(), f"Answers recommendation {plans['rec'].pk}: {plans['rec'].text[:97]}"),
            (returned.get_absolute_url(), hostile("Say when")),
        ],
    )


def test_action_plans_show_typed_text_as_text_to_the_provider_in_pages_and_forms(client, provider_user, plans):
    writing, returned, rec = plans["writing"], plans["returned"], plans["rec"]
    pages_show_as_text(
        client,
        provider_user,
        [
            (reverse("reviews:provider_action_plans"), hostile("Harbour Lights")),
            (writing.get_absolute_url(), hostile("Asks")),
            (returned.get_absolute_url(), hostile("Say when")),
            # The recommendation an action answers, in the form's select box.
            (reverse("reviews:plan_action_add", args=[writing.pk]), f"{rec.pk}: {rec.text[:120]}"),
            (reverse("reviews:plan_action_edit", args=[writing.pk, plans["action"].pk]), hostile("Mend it")),
            (reverse("home"), "Write and submit your action plan"),
        ],
    )


def test_the_risk_rating_overrides_reason_is_shown_as_text(client, provider, commissioning_officer, manager):
    risk_override_set(
        provider=provider,
        rating=3,
        reason=hostile("Two concerns"),
        look_again_on=timezone.localdate() + timedelta(days=30),
        by=commissioning_officer,
    )
    pages_show_as_text(
        client,
        manager,
        [
            (reverse("providers:risk_rating", args=[provider.pk]), hostile("Two concerns")),
            (reverse("providers:provider_detail", args=[provider.pk]), hostile("Two concerns")),
        ],
    )


def test_the_response_to_an_inadequate_judgement_shows_typed_text_as_text(client, provider, qa_lead):
    setting = SettingFactory(provider=provider, name=hostile("Fell House"))
    inspection = InspectionFactory(setting=setting, judgement=4, inspection_date=timezone.localdate() - timedelta(1))
    response = InadequateResponse.objects.create(
        provider=provider, inspection=inspection, setting=setting, visit_due_on=timezone.localdate()
    )
    pending, decided = YoungPersonFactory(initials="AB"), YoungPersonFactory(initials="CD")
    for person in (pending, decided):
        SafeToRemainDecision.objects.create(
            response=response,
            young_person=person,
            placement=PlacementFactory(young_person=person, provider=provider, setting=setting),
            due_at=timezone.now() + timedelta(hours=24),
        )
    SafeToRemainDecision.objects.filter(young_person=decided).update(
        decision="remain", safeguards=hostile("Night checks"), recorded_at=timezone.now(), recorded_by=qa_lead
    )
    decision = SafeToRemainDecision.objects.get(young_person=pending)
    pages_show_as_text(
        client,
        qa_lead,
        [
            (response.get_absolute_url(), hostile("Fell House")),
            (response.get_absolute_url(), f"Remain, with safeguards: {hostile('Night checks')}"),
            (decision.get_absolute_url(), hostile("Fell House")),
            (reverse("home"), f"Decide whether AB is safe to remain at {hostile('Fell House')}"),
        ],
    )


def test_the_visit_template_editor_shows_an_administrators_words_as_text(client, administrator):
    draft = template_start_draft(by=administrator)
    section = TemplateSection.objects.get(template=draft, number=3)
    TemplateSection.objects.filter(pk=section.pk).update(title=hostile("Home"), guidance=hostile("Look around"))
    question = TemplateQuestion.objects.filter(section=section).first()
    choice = f"Yes {SCRIPT}{IMAGE}"  # a choice is at most 100 characters
    TemplateQuestion.objects.filter(pk=question.pk).update(
        text=hostile("Is it safe?"), help_text=hostile("Ask them"), kind="choice", choices=[choice, "No"]
    )
    pages_show_as_text(
        client,
        administrator,
        [
            (reverse("visits:template_version", args=[draft.pk]), hostile("Home")),
            (reverse("visits:template_version", args=[draft.pk]), hostile("Is it safe?")),
            (reverse("visits:template_preview", args=[draft.pk, 3]), hostile("Look around")),
            (reverse("visits:template_preview", args=[draft.pk, 3]), hostile("Is it safe?")),
            (reverse("visits:template_preview", args=[draft.pk, 3]), hostile("Ask them")),
            (reverse("visits:template_preview", args=[draft.pk, 3]), choice),
            (reverse("visits:template_section_edit", args=[section.pk]), hostile("Look around")),
            (reverse("visits:template_question_edit", args=[question.pk]), hostile("Home")),
        ],
    )
