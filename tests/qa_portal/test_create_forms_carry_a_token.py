"""Every form that creates something carries a one-time token, so that it creates one record however
often it is posted (qa_portal.intentions), and its button ignores a second click.

CREATE_FORMS lists them all; the second test fails when a view is marked one_record_per_intention
but not listed here, or when an address that makes something new ("…/new/") is not marked."""

import re
from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from providers.models import ImportRun
from qa_portal.reporting.committee import services as committee
from reviews import meetings
from tests.factories import ActionPlanFactory, RecommendationFactory, VisitFactory, YoungPersonFactory
from tests.visits.conftest import complete
from visits.models import VisitStatus
from visits.template_versions import template_current, template_start_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(request, provider, senior_leader, commissioning_officer, qa_lead, administrator):
    shared = VisitFactory(provider=provider, status=VisitStatus.SHARED, visit_date=date(2025, 10, 2))
    run = ImportRun.objects.create(
        kind="ofsted", filename="ofsted.csv", content="", uploaded_by=commissioning_officer, preview={"created": 1}
    )
    template = {"published_template": template_current()}
    # A draft of the visit template, except for the button that makes one (offered only when there is none).
    if request.node.callspec.params.get("name") != "visits:template_start_draft":
        draft = template_start_draft(by=administrator)
        section = draft.sections.get(number=3)
        template.update(draft_template=draft, draft_section=section, draft_question=section.questions.get(number=2))
    return {
        **template,
        "provider": provider,
        "young_person": YoungPersonFactory(),
        "visit": VisitFactory(provider=provider, lead_visitor=senior_leader),
        # Ready to submit: its check page shows the button.
        "complete_visit": complete(VisitFactory(provider=provider, lead_visitor=senior_leader), [YoungPersonFactory()]),
        "submitted_visit": VisitFactory(provider=provider, status=VisitStatus.SUBMITTED, visit_date=date(2025, 9, 1)),
        "shared_visit": shared,
        "recommendation": RecommendationFactory(visit=shared, owner=qa_lead),
        "requested_plan": ActionPlanFactory(provider=provider, visit=shared),
        "run": run,
        "meeting": meetings.meeting_schedule(
            provider=provider, due_date=timezone.localdate() + timedelta(days=7), by=commissioning_officer
        ),
        "report": committee.committee_report_create(
            by=qa_lead, title="", period_start=date(2024, 4, 1), period_end=date(2025, 3, 31)
        ),
    }


# url name -> (who opens the form, the address's arguments from `records`, the page that shows the form
# when it is not the address itself: its name, or its name and its own arguments)
CREATE_FORMS = {
    "providers:provider_create": ("commissioning_officer", [], None),
    "providers:provider_status": ("commissioning_officer", ["provider"], None),
    "providers:setting_create": ("commissioning_officer", ["provider"], None),
    "providers:inspection_create": ("commissioning_officer", ["provider"], None),
    "providers:contact_create": ("commissioning_officer", ["provider"], None),
    "providers:concern_create": ("qa_lead", ["provider"], None),
    "providers:young_person_create": ("commissioning_officer", [], None),
    "providers:placement_create": ("commissioning_officer", ["young_person"], None),
    "providers:import_upload": ("commissioning_officer", ["ofsted"], None),
    "providers:import_run": ("commissioning_officer", ["run"], None),
    # Not a new record each time but a new override: a second press must not replace the first.
    "providers:risk_rating": ("qa_lead", ["provider"], None),
    "visits:visit_plan": ("senior_leader", [], None),
    # Not a new record but a step on the visit's path, confirmed from a check page: a second press lands
    # where the first did.
    "visits:submit": ("senior_leader", ["complete_visit"], None),
    "visits:share": ("qa_lead", ["submitted_visit"], None),
    "reviews:visit_recommendation_create": ("senior_leader", ["visit"], None),
    "reviews:you_said_add": ("senior_leader", ["visit"], None),
    "reviews:visit_respond": ("provider_user", ["shared_visit"], None),
    "reviews:recommendation_create": ("qa_lead", [], None),
    "reviews:recommendation_progress": ("qa_lead", ["recommendation"], None),
    "reviews:recommendation_complete": ("qa_lead", ["recommendation"], None),
    "reviews:recommendation_not_accepted": ("qa_lead", ["recommendation"], None),
    "reviews:tracker_meeting": ("qa_lead", [], None),
    "reviews:provider_recommendation_update": ("provider_user", ["recommendation"], None),
    "reviews:action_plan_request": ("qa_lead", ["provider"], None),
    "reviews:plan_action_add": ("provider_user", ["requested_plan"], None),
    "reviews:meeting_schedule": ("commissioning_officer", [], None),
    "reviews:meeting_record": ("commissioning_officer", ["meeting"], None),
    "reviews:meeting_recommendation_create": ("commissioning_officer", ["meeting"], None),
    "committee:report_create": ("qa_lead", [], None),
    "committee:pack_generate": ("qa_lead", ["report"], "committee:report_detail"),
    "visits:template_start_draft": ("administrator", [], ("visits:template_version", ["published_template"])),
    "visits:template_publish": ("administrator", ["draft_template"], None),
    "visits:template_section_add": ("administrator", ["draft_template"], None),
    "visits:template_section_move": (
        "administrator",
        ["draft_section"],
        ("visits:template_version", ["draft_template"]),
    ),
    "visits:template_question_add": ("administrator", ["draft_section"], None),
    "visits:template_question_move": (
        "administrator",
        ["draft_question"],
        ("visits:template_version", ["draft_template"]),
    ),
}


def _post_forms(html: str, action: str, page: str) -> list[str]:
    """The POST forms on the page that send to `action` (a form with no action sends to the page)."""
    forms = re.findall(r"<form\b[^>]*>.*?</form>", html, re.S)
    found = []
    for form in forms:
        tag = form[: form.index(">")]
        if 'method="post"' not in tag:
            continue
        target = re.search(r'action="([^"]*)"', tag)
        if (target.group(1) if target else page) == action:
            found.append(form)
    return found


@pytest.mark.parametrize("name", sorted(CREATE_FORMS))
def test_every_create_form_carries_a_token_and_a_button_that_ignores_a_second_click(
    request, client, records, provider_user, name
):
    who, arguments, shown_on = CREATE_FORMS[name]
    client.force_login(request.getfixturevalue(who))
    args = [records[a].pk if a in records else a for a in arguments]
    action = reverse(name, args=args)
    if isinstance(shown_on, tuple):
        page = reverse(shown_on[0], args=[records[a].pk for a in shown_on[1]])
    else:
        page = reverse(shown_on, args=args) if shown_on else action
    response = client.get(page)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    forms = _post_forms(response.text, action, page)
    assert forms, f"no form on {page} posts to {action}"
    for form in forms:
        assert re.search(r'name="form_token" value="[0-9a-f-]{36}"', form), f"{name}: no form token"
        assert 'data-prevent-double-click="true"' in form, f"{name}: the button takes a second click"
        assert 'data-module="govuk-button"' in form, f"{name}: govuk-frontend's Button never sees it"


def _views(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", str(pattern.pattern), pattern.callback


def test_every_view_that_makes_something_new_is_marked_and_listed():
    views = list(_views(get_resolver().url_patterns))
    marked = {name for name, _, view in views if getattr(view, "one_record_per_intention", False)}
    assert marked == set(CREATE_FORMS), "marked one_record_per_intention but not listed here, or listed but not marked"
    unmarked_new = [name for name, route, view in views if route.endswith("new/") and name not in marked]
    assert not unmarked_new, f"these make something new but do not take one record per intention: {unmarked_new}"
