"""Who is told what in the Recommendation and Impact Tracker, beyond the daily digest
(qa_portal/reporting/reminders.py) of what is due within 7 days or overdue."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from providers.access import may_see_young_people
from providers.notifications import provider_recipients
from qa_portal.notify import notify_each
from reviews.models import ActionPlan, ActionPlanEvent, Recommendation, Source


def where_from(recommendation: Recommendation) -> str:
    """Where the recommendation came from, as it reads after "a recommendation": "from the visit to
    Harbour Lights Fostering on 3 March 2026", "from the review meeting with …", "from a concern about
    …", "about …", or "" for the authority's own service with no provider."""
    provider = recommendation.provider
    if recommendation.source == Source.VISIT and recommendation.visit_id:
        return f"from the visit to {provider} on {recommendation.visit.date:%-d %B %Y}"
    if recommendation.source == Source.REVIEW_MEETING and provider:
        return f"from the review meeting with {provider}"
    if recommendation.source == Source.CONCERN and provider:
        return f"from a concern about {provider}"
    return f"about {provider}" if provider else ""


def tell_owner_assigned(recommendation: Recommendation, *, by) -> int:
    """The recommendation's owner, at once, when it is raised with them as its owner or passed to them
    (issue 11: not only in the digest, 7 days before it is due). Keyed by the recommendation and the
    owner, so each owner is told once and a new owner is told in turn; `by` (who raised it or passed
    it on) is named, and not told if they made themselves the owner. Returns how many were told."""
    provider = recommendation.provider
    days = (recommendation.due_date - timezone.localdate()).days
    return notify_each(
        [recommendation.owner],
        actor=by,
        kind="recommendation_assigned",
        key=f"recommendation:{recommendation.pk}:owner:{recommendation.owner_id}",
        subject=(
            f"Recommendation {'about ' + str(provider) + ' ' if provider else ''}assigned to you, "
            f"due {recommendation.due_date:%-d %B %Y}"
        ),
        template="emails/recommendation_assigned",
        context={
            "recommendation": recommendation,
            "by": by,
            "where_from": where_from(recommendation),
            "days": days,
            "young_people_shown": may_see_young_people(recommendation.owner),
        },
        about=recommendation,
        link=reverse("reviews:recommendation_detail", args=[recommendation.pk]),
    )


# Providers' action plans (issue 16): each step that passes the plan to the other side tells them at
# once, in the portal and by email, naming who took it; keyed by the step (ActionPlanEvent), so each
# goes once. The provider side is its users and its contacts who receive reports
# (providers.notifications.provider_recipients), as for a shared visit report.

ACTION_PLAN_TEMPLATE = "emails/action_plan"


def _action_plan_message(plan: ActionPlan, event: ActionPlanEvent) -> tuple[str, str, str]:
    """(subject, what happened, what to do next) of the email about `event` on `plan`."""
    provider, due = plan.provider, f"{plan.due_date:%-d %B %Y}"
    by = event.by.full_name if event.by_id else ""
    Step = ActionPlanEvent.Step
    if event.step == Step.REQUESTED:
        return (
            f"Action plan requested from {provider}, due {due}",
            f"{by} of {settings.AUTHORITY_NAME} asks {provider} for an action plan ({plan.source_in_words}).",
            f"Please sign in, write each action with the person responsible and the date it will be done by, "
            f"and submit the plan by {due}.",
        )
    if event.step == Step.RETURNED:
        return (
            f"Action plan returned to {provider} for changes, due again {due}",
            f"{by} has returned {provider}'s action plan with these comments:",
            f"Please sign in, revise the plan and submit it again by {due}.",
        )
    if event.step == Step.ACCEPTED:
        return (
            f"Action plan accepted: {provider}",
            f"{by} has accepted {provider}'s action plan.",
            f"Please keep each action's progress up to date in the portal. The council will re-check the plan "
            f"on {plan.recheck_date:%-d %B %Y}.",
        )
    if event.step == Step.CHASED:
        return (
            f"Action plan overdue: {provider}",
            f"{provider}'s action plan ({plan.source_in_words}) was due by {due} and has not been submitted.",
            "Please sign in, finish the plan and submit it as soon as you can.",
        )
    raise ValueError(f"No email for the step {event.step}")


def tell_provider_action_plan(plan: ActionPlan, event: ActionPlanEvent, *, also=()) -> int:
    """The provider's users and contacts who receive reports (and `also`: the council user who asked
    for an overdue plan), about a step on its action plan: requested, returned with comments,
    accepted, or chased because it is overdue. Returns how many were told now."""
    subject, what, next_step = _action_plan_message(plan, event)
    return notify_each(
        [*provider_recipients(plan.provider), *also],
        actor=event.by,
        kind=f"action_plan_{event.step}",
        key=f"action_plan_event:{event.pk}",
        subject=subject,
        template=ACTION_PLAN_TEMPLATE,
        context={"plan": plan, "event": event, "what": what, "next_step": next_step},
        about=plan,
        link=plan.get_absolute_url(),
    )


def tell_council_action_plan_submitted(plan: ActionPlan, event: ActionPlanEvent) -> int:
    """Who asked for the plan and the provider's commissioning officer (every one while none is
    named): a plan is waiting for them to accept or return."""
    again = plan.events.filter(step=ActionPlanEvent.Step.SUBMITTED, pk__lt=event.pk).exists()
    return notify_each(
        [plan.requested_by, *plan.provider.commissioning_officers()],
        actor=event.by,
        kind="action_plan_submitted",
        key=f"action_plan_event:{event.pk}",
        subject=f"Action plan {'submitted again' if again else 'submitted'}: {plan.provider}",
        template=ACTION_PLAN_TEMPLATE,
        context={
            "plan": plan,
            "event": event,
            "what": f"{event.by.full_name} of {plan.provider} has submitted its action plan"
            f"{' again, revised' if again else ''} ({plan.source_in_words}).",
            "next_step": "Please read it, then accept it (setting the date to re-check it) or return it with comments.",
        },
        about=plan,
        link=plan.get_absolute_url(),
    )


def tell_council_recheck_due(plan: ActionPlan, *, accepted_by) -> int:
    """Whoever accepted the plan and the provider's commissioning officer, once per re-check date: the
    day to re-check the plan has come."""
    return notify_each(
        [accepted_by, *plan.provider.commissioning_officers()],
        kind="action_plan_recheck_due",
        key=f"action_plan:{plan.pk}:recheck:{plan.recheck_date:%Y-%m-%d}",
        subject=f"Re-check the action plan of {plan.provider}",
        template=ACTION_PLAN_TEMPLATE,
        context={
            "plan": plan,
            "event": None,
            "what": f"The action plan of {plan.provider} ({plan.source_in_words}), accepted on "
            f"{timezone.localtime(plan.accepted_at):%-d %B %Y}, is due to be re-checked on "
            f"{plan.recheck_date:%-d %B %Y}.",
            "next_step": "Please check each action has been done, then record the re-check on the plan's page.",
        },
        about=plan,
        link=plan.get_absolute_url(),
    )
