"""Providers' action plans (issue 16): asked for with a due date, written and submitted by the
provider's users, returned or accepted by the council, re-checked; each step in the history with who
and when; overdue plans chased once; who may see and do what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Contact
from qa_portal.models import Notification
from qa_portal.reporting.reminders import send_reminders
from qa_portal.roles import Role
from reviews import action_plans as services
from reviews.models import ActionPlan, ActionPlanEvent
from tests.factories import (
    ActionPlanFactory,
    InspectionFactory,
    PlanActionFactory,
    RecommendationFactory,
    SettingFactory,
    UserFactory,
    VisitFactory,
)
from tests.mail import deliver_all, text, to
from tests.pages import mentions, text_of
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_visit(provider):
    return VisitFactory(provider=provider, status=VisitStatus.SHARED, visit_date=timezone.localdate() - timedelta(30))


@pytest.fixture
def plan(provider, commissioning_officer, shared_visit, provider_user):
    return services.request_action_plan(
        provider=provider, source="visit", record=shared_visit, by=commissioning_officer
    )


def steps(plan) -> list[tuple[str, str]]:
    return [(event.step, event.by.full_name if event.by else "") for event in plan.events.order_by("at", "pk")]


def add_action(plan, by, **values):
    values = {
        "text": "Replace the boiler",
        "responsible": "Dee Grant, registered manager",
        "timescale": timezone.localdate() + timedelta(days=30),
        **values,
    }
    return services.plan_action_add(plan=plan, by=by, **values)


def test_a_plan_is_due_in_14_days_and_its_provider_is_emailed(
    smtp_server, provider, commissioning_officer, shared_visit, provider_user
):
    Contact.objects.create(provider=provider, name="Dee Grant", email="dee@harbour.example")
    Contact.objects.create(provider=provider, name="No Reports", email="no@harbour.example", receives_reports=False)
    plan = services.request_action_plan(
        provider=provider, source="visit", record=shared_visit, by=commissioning_officer
    )
    assert plan.due_date == timezone.localdate() + timedelta(days=14)
    messages = deliver_all(smtp_server)
    assert sorted(m["To"] for m in messages) == sorted([provider_user.email, "dee@harbour.example"])
    body = text(to(messages, provider_user)[0])
    assert f"Action plan requested from {provider.name}" in to(messages, provider_user)[0]["Subject"]
    assert "Sam Okafor" in body and f"{plan.due_date:%-d %B %Y}" in body
    assert reverse("reviews:action_plan_detail", args=[plan.pk]) in body
    assert steps(plan) == [("requested", "Sam Okafor")]


def test_asking_again_from_the_same_record_returns_the_open_plan_and_tells_nobody_twice(
    provider, commissioning_officer, shared_visit, provider_user
):
    first = services.request_action_plan(
        provider=provider, source="visit", record=shared_visit, by=commissioning_officer
    )
    again = services.request_action_plan(
        provider=provider, source="visit", record=shared_visit, by=commissioning_officer
    )
    assert again == first
    assert ActionPlan.objects.count() == 1
    assert Notification.objects.filter(kind="action_plan_requested").count() == 1


def test_an_inadequate_judgement_is_a_source_and_a_good_one_is_not(provider, qa_lead):
    setting = SettingFactory(provider=provider, name="Harbour House")
    inadequate = InspectionFactory(setting=setting, judgement=4)
    plan = services.request_action_plan(provider=provider, source="inadequate", record=inadequate, by=qa_lead)
    assert plan.source_in_words.startswith("Inadequate Ofsted judgement of Harbour House on ")
    with pytest.raises(services.ValidationError):
        services.request_action_plan(
            provider=provider, source="inadequate", record=InspectionFactory(setting=setting, judgement=2), by=qa_lead
        )


def test_the_path_is_recorded_step_by_step_with_who_and_when(
    smtp_server, plan, provider_user, commissioning_officer, qa_lead
):
    action = add_action(plan, provider_user)
    services.action_plan_submit(plan=plan, by=provider_user)
    services.action_plan_return(
        plan=plan, by=commissioning_officer, comment="Say who checks the fire doors", due=timezone.localdate()
    )
    services.plan_action_change(
        action=action, by=provider_user, loaded_at=action.updated_at, values={"responsible": "Ann Lee, deputy"}
    )
    services.action_plan_submit(plan=plan, by=provider_user)
    services.action_plan_accept(plan=plan, by=commissioning_officer)
    services.action_plan_recheck(plan=plan, by=qa_lead, comment="Boiler replaced; heating tested")
    plan.refresh_from_db()
    assert plan.status == "rechecked"
    assert plan.recheck_date is not None
    assert steps(plan) == [
        ("requested", "Sam Okafor"),
        ("submitted", "Jo Marsh"),
        ("returned", "Sam Okafor"),
        ("revised", "Jo Marsh"),
        ("submitted", "Jo Marsh"),
        ("accepted", "Sam Okafor"),
        ("rechecked", "Laura Dennison"),
    ]
    assert plan.events.get(step="returned").comment == "Say who checks the fire doors"
    messages = deliver_all(smtp_server)
    officer_mail = [m["Subject"] for m in to(messages, commissioning_officer)]
    assert officer_mail == [f"Action plan submitted: {plan.provider}", f"Action plan submitted again: {plan.provider}"]
    provider_mail = [m["Subject"] for m in to(messages, provider_user)]
    assert provider_mail[1].startswith(f"Action plan returned to {plan.provider} for changes")
    assert provider_mail[2] == f"Action plan accepted: {plan.provider}"
    returned = text(to(messages, provider_user)[1])
    assert "Say who checks the fire doors" in returned


def test_accepting_sets_the_re_check_six_months_on(plan, provider_user, commissioning_officer):
    add_action(plan, provider_user)
    services.action_plan_submit(plan=plan, by=provider_user)
    services.action_plan_accept(plan=plan, by=commissioning_officer)
    today = timezone.localdate()
    assert plan.recheck_date.month == (today.month + 5) % 12 + 1


def test_a_plan_without_actions_cannot_be_submitted_nor_a_submitted_one_changed(plan, provider_user):
    with pytest.raises(services.ActionPlanStepRefused, match="at least one action"):
        services.action_plan_submit(plan=plan, by=provider_user)
    action = add_action(plan, provider_user)
    services.action_plan_submit(plan=plan, by=provider_user)
    with pytest.raises(services.ActionPlanStepRefused, match="council is reviewing it"):
        services.plan_action_change(
            action=action, by=provider_user, loaded_at=action.updated_at, values={"text": "Something else"}
        )
    with pytest.raises(services.ActionPlanStepRefused):
        services.action_plan_submit(plan=plan, by=provider_user)


def test_an_overdue_plan_is_chased_once_never_every_day(
    smtp_server, plan, provider_user, commissioning_officer, provider
):
    Contact.objects.create(provider=provider, name="Dee Grant", email="dee@harbour.example")
    deliver_all(smtp_server)
    after_due = plan.due_date + timedelta(days=1)
    assert send_reminders(today=plan.due_date).summary().get("action_plan_chased") is None
    assert send_reminders(today=after_due).summary()["action_plan_chased"] == 3
    for day in range(2, 6):
        assert "action_plan_chased" not in send_reminders(today=plan.due_date + timedelta(days=day)).summary()
    messages = deliver_all(smtp_server)
    assert sorted(m["To"] for m in messages) == sorted(
        [provider_user.email, "dee@harbour.example", commissioning_officer.email]
    )
    assert {m["Subject"] for m in messages} == {f"Action plan overdue: {provider}"}
    assert "was due by" in text(to(messages, provider_user)[0])
    assert steps(plan)[-1] == ("chased", "")


def test_a_plan_returned_with_a_new_date_is_chased_once_more_if_that_passes(plan, provider_user, commissioning_officer):
    add_action(plan, provider_user)
    services.action_plan_submit(plan=plan, by=provider_user)
    new_due = timezone.localdate() + timedelta(days=20)
    services.action_plan_return(plan=plan, by=commissioning_officer, comment="More detail please", due=new_due)
    send_reminders(today=new_due + timedelta(days=1))
    send_reminders(today=new_due + timedelta(days=2))
    assert plan.events.filter(step="chased").count() == 1


def test_a_submitted_plan_is_not_chased(plan, provider_user):
    add_action(plan, provider_user)
    services.action_plan_submit(plan=plan, by=provider_user)
    assert "action_plan_chased" not in send_reminders(today=plan.due_date + timedelta(days=3)).summary()


def test_the_re_check_is_a_reminder_to_the_council_once(smtp_server, plan, provider_user, commissioning_officer):
    add_action(plan, provider_user)
    services.action_plan_submit(plan=plan, by=provider_user)
    services.action_plan_accept(plan=plan, by=commissioning_officer)
    deliver_all(smtp_server)
    assert send_reminders(today=plan.recheck_date)
    send_reminders(today=plan.recheck_date + timedelta(days=1))
    messages = deliver_all(smtp_server)
    assert [m["To"] for m in messages] == [commissioning_officer.email]
    assert messages[0]["Subject"] == f"Re-check the action plan of {plan.provider}"


def test_the_recheck_is_on_the_home_page_of_the_council(client, plan, provider_user, commissioning_officer):
    add_action(plan, provider_user)
    services.action_plan_submit(plan=plan, by=provider_user)
    client.force_login(commissioning_officer)
    assert f"Accept or return the action plan of {plan.provider}" in text_of(client.get(reverse("home")))
    services.action_plan_accept(plan=plan, by=commissioning_officer, recheck_date=timezone.localdate() + timedelta(1))
    ActionPlan.objects.filter(pk=plan.pk).update(recheck_date=timezone.localdate())
    assert f"Re-check the action plan of {plan.provider}" in text_of(client.get(reverse("home")))


def test_the_provider_is_asked_on_their_home_page(client, plan, provider_user):
    client.force_login(provider_user)
    assert "Write and submit your action plan (QA visit on" in text_of(client.get(reverse("home")))


# Pages and who may use them.


def test_a_provider_user_sees_only_their_own_organisations_plans(client, plan, other_provider_user, provider_user):
    client.force_login(other_provider_user)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert "Action plan" not in text_of(client.get(reverse("reviews:provider_action_plans"))).replace(
        "action plans", ""
    )
    client.force_login(provider_user)
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert f"Action plan {plan.pk}" in text_of(client.get(reverse("reviews:provider_action_plans")))


@pytest.mark.parametrize(
    ("role", "detail", "accept"),
    [
        ("qa_lead", 200, 200),
        ("commissioning_officer", 200, 200),
        ("senior_leader", 200, 403),
        ("manager", 200, 403),
        ("social_worker", 403, 403),
        ("administrator", 403, 403),
        ("provider_user", 200, 403),
    ],
)
def test_who_may_read_and_review_a_plan(request, client, plan, role, detail, accept):
    add_action(plan, request.getfixturevalue("provider_user"))
    services.action_plan_submit(plan=plan, by=request.getfixturevalue("provider_user"))
    client.force_login(request.getfixturevalue(role))
    assert client.get(plan.get_absolute_url()).status_code == detail
    assert client.get(reverse("reviews:action_plan_accept", args=[plan.pk])).status_code == accept


def test_council_staff_may_not_write_the_providers_actions(client, plan, qa_lead):
    client.force_login(qa_lead)
    response = client.post(
        reverse("reviews:plan_action_add", args=[plan.pk]),
        {"text": "x", "responsible": "y", "timescale_day": "1", "timescale_month": "1", "timescale_year": "2030"},
    )
    assert response.status_code == 403
    assert not plan.actions.exists()


def test_a_bad_date_is_explained_beside_the_box_and_the_text_kept(client, plan, provider_user):
    client.force_login(provider_user)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("reviews:plan_action_add", args=[plan.pk]),
        {
            "text": "Train every member of staff in safer recruitment",
            "responsible": "Dee Grant",
            "timescale_day": str(yesterday.day),
            "timescale_month": str(yesterday.month),
            "timescale_year": str(yesterday.year),
        },
    )
    assert response.status_code == 200
    assert "The date must be today or later" in text_of(response)
    assert "Train every member of staff in safer recruitment" in response.text
    assert not plan.actions.exists()


def test_a_colleagues_change_meanwhile_is_shown_not_overwritten(client, plan, provider_user, provider):
    colleague = UserFactory(role=Role.PROVIDER_USER, provider=provider, full_name="Ann Lee")
    action = PlanActionFactory(plan=plan, updated_by=provider_user)
    loaded_at = action.updated_at.isoformat()
    services.plan_action_change(
        action=action, by=colleague, loaded_at=action.updated_at, values={"responsible": "Ann Lee, deputy manager"}
    )
    client.force_login(provider_user)
    url = reverse("reviews:plan_action_edit", args=[plan.pk, action.pk])
    day = action.timescale
    posted = {
        "text": action.text,
        "responsible": "Dee Grant, registered manager and trainer",
        "timescale_day": str(day.day),
        "timescale_month": str(day.month),
        "timescale_year": str(day.year),
        "status": "not_started",
        "loaded_at": loaded_at,
    }
    response = client.post(url, posted)
    assert response.status_code == 200
    page = text_of(response)
    assert "Ann Lee changed this action" in page
    assert "Saved by Ann Lee meanwhile: Ann Lee, deputy manager" in page
    assert 'value="Dee Grant, registered manager and trainer"' in response.text
    action.refresh_from_db()
    assert action.responsible == "Ann Lee, deputy manager"
    # Saving again, having seen theirs, saves.
    again = client.post(url, {**posted, "loaded_at": action.updated_at.isoformat()})
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.responsible == "Dee Grant, registered manager and trainer"


def test_an_action_answering_a_recommendation_shows_on_the_recommendation(
    client, plan, provider_user, qa_lead, shared_visit
):
    recommendation = RecommendationFactory(visit=shared_visit, owner=qa_lead)
    add_action(
        plan, provider_user, text="Evening activities agreed with each young person", recommendation=recommendation
    )
    client.force_login(qa_lead)
    page = text_of(client.get(reverse("reviews:recommendation_detail", args=[recommendation.pk])))
    assert "In the provider's action plan" in page
    assert "Evening activities agreed with each young person" in page
    assert f"Action plan {plan.pk}" in page
    client.force_login(provider_user)
    page = text_of(client.get(reverse("reviews:provider_recommendation_update", args=[recommendation.pk])))
    assert "Evening activities agreed with each young person" in page


def test_a_recommendation_the_provider_was_not_shown_cannot_be_answered(plan, provider_user, qa_lead, provider):
    draft = VisitFactory(provider=provider)
    hidden = RecommendationFactory(visit=draft, owner=qa_lead)
    with pytest.raises(services.ValidationError):
        add_action(plan, provider_user, recommendation=hidden)


def test_the_provider_page_lists_its_plans_and_offers_to_ask_for_one(client, plan, commissioning_officer, manager):
    client.force_login(commissioning_officer)
    page = text_of(client.get(plan.provider.get_absolute_url()))
    assert f"Action plan {plan.pk}" in page and "Ask for an action plan" in page
    client.force_login(manager)
    page = text_of(client.get(plan.provider.get_absolute_url()))
    assert f"Action plan {plan.pk}" in page and "Ask for an action plan" not in page


def test_asking_for_a_plan_from_the_provider_page(client, provider, commissioning_officer, shared_visit, provider_user):
    client.force_login(commissioning_officer)
    url = reverse("reviews:action_plan_request", args=[provider.pk])
    due = timezone.localdate() + timedelta(days=10)
    response = client.post(
        url,
        {
            "source": "visit",
            "visit": str(shared_visit.pk),
            "asks": "Fix the fire door",
            "due_date_day": str(due.day),
            "due_date_month": str(due.month),
            "due_date_year": str(due.year),
        },
    )
    plan = ActionPlan.objects.get()
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert (plan.due_date, plan.asks, plan.visit) == (due, "Fix the fire door", shared_visit)


def test_a_source_with_nothing_recorded_is_explained(client, provider, commissioning_officer):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("reviews:action_plan_request", args=[provider.pk]), {"source": "concern", "asks": "Tell us"}
    )
    assert response.status_code == 200
    assert f"{provider.name} has no concern recorded" in text_of(response)
    assert "Tell us" in response.text
    assert ActionPlanEvent.objects.count() == 0


def test_the_councils_list_puts_plans_awaiting_review_and_overdue_first(client, provider, qa_lead, provider_user):
    waiting = ActionPlanFactory(provider=provider, status="submitted", submitted_at=timezone.now())
    late = ActionPlanFactory(provider=provider, due_date=timezone.localdate() - timedelta(days=2))
    client.force_login(qa_lead)
    page = text_of(client.get(reverse("reviews:action_plan_list")))
    assert page.index(f"Action plan {waiting.pk}") < page.index(f"Action plan {late.pk}")
    assert "Awaiting review (1)" in page and "Overdue: not submitted by the due date (1)" in page


def test_a_second_click_on_remove_goes_back_to_the_plan_saying_it_is_removed(client, plan, provider_user):
    action = add_action(plan, provider_user)
    client.force_login(provider_user)
    url = reverse("reviews:plan_action_remove", args=[plan.pk, action.pk])
    assert client.post(url).status_code == 302
    second = client.post(url, follow=True)
    assert second.status_code == 200
    assert second.redirect_chain[-1][0] == reverse("reviews:action_plan_detail", args=[plan.pk])
    assert "This action is no longer on the plan: it has been removed." in text_of(second)
    assert not plan.actions.exists()


def test_a_change_to_an_action_a_colleague_removed_keeps_what_was_typed(client, plan, provider_user, provider):
    colleague = UserFactory(role=Role.PROVIDER_USER, provider=provider, full_name="Ann Lee")
    action = add_action(plan, provider_user)
    day = action.timescale
    posted = {
        "text": "Replace the boiler and service the radiators",
        "responsible": action.responsible,
        "timescale_day": str(day.day),
        "timescale_month": str(day.month),
        "timescale_year": str(day.year),
        "status": "not_started",
        "loaded_at": action.updated_at.isoformat(),
    }
    edit_url = reverse("reviews:plan_action_edit", args=[plan.pk, action.pk])
    services.plan_action_remove(action=action, by=colleague)
    client.force_login(provider_user)
    response = client.post(edit_url, posted)
    assert response.status_code == 200
    assert "This action was removed from the plan since you opened it." in text_of(response)
    assert "Replace the boiler and service the radiators" in response.text
    add_url = reverse("reviews:plan_action_add", args=[plan.pk])
    assert f'action="{add_url}"' in response.text
    # Saving it there adds it again.
    assert client.post(add_url, posted).status_code == 302
    assert list(plan.actions.values_list("text", flat=True)) == ["Replace the boiler and service the radiators"]


def test_the_councils_list_dates_a_submitted_plan_by_its_submission_and_lists_the_re_checked(client, provider, qa_lead):
    today = timezone.localdate()
    submitted = ActionPlanFactory(
        provider=provider,
        status="submitted",
        due_date=today - timedelta(days=3),
        submitted_at=timezone.now() - timedelta(days=5),
    )
    rechecked = ActionPlanFactory(
        provider=provider,
        status="rechecked",
        accepted_at=timezone.now() - timedelta(days=200),
        recheck_date=today - timedelta(days=20),
        rechecked_at=timezone.now() - timedelta(days=18),
    )
    client.force_login(qa_lead)
    page = text_of(client.get(reverse("reviews:action_plan_list")))
    row = page[page.index(f"Action plan {submitted.pk}") :][:200]
    assert f"Submitted {today - timedelta(days=5):%-d %b %Y}" in row and "Due" not in row
    assert "Re-checked and closed (1)" in page
    row = page[page.index(f"Action plan {rechecked.pk}") :][:200]
    assert f"Re-checked {today - timedelta(days=18):%-d %b %Y}" in row


def test_the_councils_list_shows_the_closed_plans_a_page_at_a_time_the_latest_closed_first(client, provider, qa_lead):
    today = timezone.localdate()
    closed = [
        ActionPlanFactory(
            provider=provider,
            status="rechecked",
            accepted_at=timezone.now() - timedelta(days=400),
            recheck_date=today - timedelta(days=100),
            rechecked_at=timezone.now() - timedelta(days=60 - number),
        )
        for number in range(30)
    ]  # closed[-1] the latest closed
    waiting = ActionPlanFactory(provider=provider, status="submitted", submitted_at=timezone.now())
    client.force_login(qa_lead)
    first = text_of(client.get(reverse("reviews:action_plan_list")))
    assert "Re-checked and closed (30)" in first and "Showing 1 to 25 of 30" in first
    assert mentions(first, f"Action plan {waiting.pk}")
    assert mentions(first, f"Action plan {closed[-1].pk}") and mentions(first, f"Action plan {closed[5].pk}")
    assert not mentions(first, f"Action plan {closed[4].pk}")
    assert first.index(f"Action plan {closed[-1].pk}") < first.index(f"Action plan {closed[-2].pk}")
    second = text_of(client.get(reverse("reviews:action_plan_list"), {"page": 2}))
    assert "Showing 26 to 30 of 30" in second and mentions(second, f"Action plan {closed[0].pk}")
    assert mentions(second, f"Action plan {waiting.pk}")  # the plans to act on stay on every page
