"""Who may see and change recommendations and review meetings, and who may take which step on a
recommendation.

Staff with the permission see all recommendations. A provider user sees only those addressed to
their organisation (`ADDRESSED_TO_PROVIDER`); any other is not found (404), so its existence is not
revealed either.
"""

from django.db.models import Q

from qa_portal import access
from qa_portal.roles import Role
from reviews.models import (
    ActionPlan,
    InadequateResponse,
    Level,
    PlanAction,
    Recommendation,
    ReviewMeeting,
    SafeToRemainDecision,
    Source,
    YouSaid,
)
from visits.models import SHARED_STATUSES, Visit


# The one rule for what a provider sees of the tracker (issue 13): a recommendation raised in a visit
# report once the report has been shared with them, or one the council has shared with them
# (Recommendation.shared_with_provider); never one raised from a concern (its text may repeat a
# whistleblower's allegation) or about the authority's own service, even in a shared report. Review
# meetings' recommendations ("consider a placement stop") stay the council's until it shares them.
def _addressed_to_provider(report_shared: Q) -> Q:
    return (
        (Q(source=Source.VISIT) & report_shared | Q(shared_with_provider=True))
        & ~Q(source=Source.CONCERN)
        & ~Q(level=Level.AUTHORITY_SERVICE)
    )


ADDRESSED_TO_PROVIDER = _addressed_to_provider(Q(visit__status__in=SHARED_STATUSES))


def addressed_to_provider_once_shared(visit):
    """The recommendations of `visit` its provider's users will see once its report is shared: the rule
    above with the report taken as shared. The check page before sharing shows them (visits.sharing)."""
    return visit.recommendations.filter(_addressed_to_provider(Q()), provider_id=visit.provider_id)


def _visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER):
        return queryset.filter(ADDRESSED_TO_PROVIDER, provider_id=user.provider_id)
    return queryset if user.has_perm("reviews.view_recommendation") else queryset.none()


def is_addressed_to_provider(recommendation: Recommendation) -> bool:
    """Whether `recommendation` is shown to its provider's users, by the rule above."""
    return Recommendation.all_objects.filter(ADDRESSED_TO_PROVIDER, pk=recommendation.pk).exists()


def may_share_with_provider(user, recommendation: Recommendation) -> bool:
    """May share it with its provider now: staff who share recommendations (the QA lead, commissioning
    officers), one not yet shared that may be (Recommendation.why_not_shared_with_provider)."""
    return (
        not user.is_provider_user
        and user.has_perm("reviews.share_recommendation")
        and not recommendation.shared_with_provider
        and not recommendation.why_not_shared_with_provider()
    )


def _can_change(user, recommendation):
    return user.has_perm("reviews.change_recommendation")


access.register(Recommendation, visible=_visible, can_change=_can_change)


def may_change(user, recommendation: Recommendation) -> bool:
    """May complete it or record it as not accepted: its owner, and staff who change recommendations
    (the QA lead, commissioning officers, senior leaders). Never a provider user: they answer on
    their own page."""
    if user.is_provider_user:
        return False
    return recommendation.owner_id == user.pk or access.can_change(user, recommendation)


def may_record_progress(user, recommendation: Recommendation) -> bool:
    """May record progress on it: whoever may change it, and social workers (staff who add
    progress) on the actions flagged to them (RecommendationQuerySet.flagged_to)."""
    if may_change(user, recommendation):
        return True
    return (
        not user.is_provider_user
        and user.has_perm("reviews.add_progressupdate")
        and Recommendation.objects.flagged_to(user).filter(pk=recommendation.pk).exists()
    )


def _meetings_visible(user, queryset):
    # Review meetings are the council's own record: never shown to provider users.
    if user.has_role(Role.PROVIDER_USER):
        return queryset.none()
    return queryset if user.has_perm("reviews.view_reviewmeeting") else queryset.none()


access.register(
    ReviewMeeting,
    visible=_meetings_visible,
    can_change=lambda user, meeting: user.has_perm("reviews.change_reviewmeeting"),
)


# Providers' action plans (issue 16). A provider user sees their own organisation's plans (every one:
# each was asked of them) and no other's (404); council staff with reviews.view_actionplan see all.
def _action_plans_visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER):
        return queryset.filter(provider_id=user.provider_id)
    return queryset if user.has_perm("reviews.view_actionplan") else queryset.none()


def may_review_action_plan(user) -> bool:
    """May ask a provider for an action plan, accept it, return it and re-check it: the QA lead and
    commissioning officers (reviews.review_actionplan)."""
    return not user.is_provider_user and user.has_perm("reviews.review_actionplan")


def may_write_action_plan(user, plan: ActionPlan) -> bool:
    """May write the plan's actions and submit it: the provider's own users."""
    return user.is_provider_user and user.provider_id == plan.provider_id


access.register(
    ActionPlan,
    visible=_action_plans_visible,
    can_change=lambda user, plan: may_write_action_plan(user, plan) or may_review_action_plan(user),
)
access.register(
    PlanAction,
    visible=lambda user, queryset: queryset.filter(plan__in=_action_plans_visible(user, ActionPlan.objects.all())),
    can_change=lambda user, action: may_write_action_plan(user, action.plan),
)


# The response to an Inadequate judgement (issue 16) is the council's own record: staff with
# reviews.view_inadequateresponse see every one; a provider user sees none (404): the children's
# decisions are not theirs to see, and they are asked for their plan through their action plan.
def _responses_visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER):
        return queryset.none()
    return queryset if user.has_perm("reviews.view_inadequateresponse") else queryset.none()


access.register(
    InadequateResponse,
    visible=_responses_visible,
    can_change=lambda user, response: user.has_perm("reviews.record_safetoremaindecision"),
)
access.register(
    SafeToRemainDecision,
    visible=lambda user, queryset: queryset.filter(
        response__in=_responses_visible(user, InadequateResponse.objects.all())
    ),
    can_change=lambda user, decision: user.has_perm("reviews.record_safetoremaindecision"),
)


# What young people asked for on a visit ("You said, we did", issue 17): seen as marked by whoever may
# see the visit, and changed while it may be. A provider user never sees the marks themselves (404):
# they see a young person's words only beside a completed recommendation addressed to them
# (reviews.you_said.you_said_we_did, which starts from the recommendations they may see).
def _you_said_visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER):
        return queryset.none()
    return queryset.filter(visit__in=access.visible_to(user, Visit.objects.all()))


access.register(
    YouSaid,
    visible=_you_said_visible,
    can_change=lambda user, mark: access.can_change(user, mark.visit),
)
