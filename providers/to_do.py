"""What a person has to do next about the provider register, for their home page (qa_portal.to_do):
High concerns to act on, and decisions due after the worst Ofsted results: the QA lead's action
plan and placement stop, and a social worker's decision whether each child of theirs stays (Coventry's
practice, DOMAIN.md: a decision on each child within 24 hours of an Inadequate judgement).

Each selector runs a fixed number of queries whatever the size of the register, and lists at most
qa_portal.to_do.MOST of each kind."""

from datetime import date

from django.db.models import Q
from django.urls import reverse

from providers.models import (
    NO_NEW_PLACEMENTS,
    Concern,
    Judgement,
    OfstedInspection,
    Placement,
    Provider,
    ProviderStatus,
    Severity,
    SupportedAccommodationOutcome,
)
from qa_portal import access
from qa_portal.roles import Role
from qa_portal.to_do import MOST, ToDo, since, stays_key


def _high_concerns(user) -> list[ToDo]:
    """High concerns not yet closed, for those who keep concerns (providers.change_concern)."""
    concerns = (
        access.visible_to(user, Concern)
        .open()
        .filter(severity=Severity.HIGH)
        .select_related("provider")
        .order_by("received_on", "pk")[:MOST]
    )
    return [
        ToDo(
            f"Act on the High concern about {concern.provider.name} ({concern.get_source_display().lower()})",
            reverse("providers:concern_edit", args=[concern.pk]),
            concern.received_on,
            since(concern.received_on, "Received"),
            "Concern",
        )
        for concern in concerns
    ]


def _worst_results(user) -> list[ToDo]:
    """The QA lead's: providers still taking placements whose current Ofsted result is the worst on
    its scale, to agree an action plan with and decide on a placement stop (DOMAIN.md: Rules)."""
    providers = access.visible_to(user, Provider).needing_qa_lead_attention().filter(status=ProviderStatus.ACTIVE)
    inspections = (
        OfstedInspection.objects.behind_a_worst_current_result()
        .filter(provider__in=providers)
        .select_related("provider", "setting")
    )
    return [
        ToDo(
            f"Decide on an action plan, and whether to stop placements, at {inspection.provider.name}: "
            f"{inspection.result_label}" + (f" at {inspection.setting.name}" if inspection.setting else ""),
            inspection.provider.get_absolute_url(),
            inspection.inspection_date,
            since(inspection.inspection_date, "Inspected"),
            "Decision",
        )
        for inspection in inspections[:MOST]
    ]


def _children_to_decide_on(user, today: date) -> list[ToDo]:
    """A social worker's: their children placed today with a provider judged Inadequate (or supported
    accommodation outcome 3) or under a placement stop, for a decision whether each stays."""
    worst = Provider.objects.needing_qa_lead_attention()
    placements = (
        access.visible_to(user, Placement)
        .active_on(today)
        .filter(young_person__social_worker=user)
        .filter(Q(provider__in=worst) | Q(provider__status__in=NO_NEW_PLACEMENTS))
        .select_related("young_person", "provider")
        .order_by("young_person__initials", "pk")[:MOST]
    )
    items = []
    for placement in placements:
        provider = placement.provider
        if provider.current_judgement == Judgement.INADEQUATE:
            why = "judged Inadequate by Ofsted"
        elif provider.current_sa_outcome == SupportedAccommodationOutcome.OUTCOME_3:
            why = "Ofsted supported accommodation outcome 3"
        else:
            why = provider.get_status_display().lower()
        items.append(
            ToDo(
                f"Decide whether {placement.young_person.initials} stays at {provider.name} ({why})",
                placement.young_person.get_absolute_url(),
                today,
                "Decision due",
                "Decision",
                young_person_id=placement.young_person_id,
                about=stays_key(placement.young_person_id, placement.provider_id),
            )
        )
    return items


def register_to_do(user, today: date) -> list[ToDo]:
    """Everything about the register `user` has to do next, unordered (qa_portal.to_do.in_order
    orders them): High concerns for those who keep concerns, the worst Ofsted results for the QA
    lead, and the children of a social worker placed where one of those holds."""
    if user.is_provider_user:
        return []
    items = []
    if user.has_perm("providers.change_concern"):
        items += _high_concerns(user)
    if user.has_role(Role.QA_LEAD):
        items += _worst_results(user)
    if user.has_role(Role.SOCIAL_WORKER) and user.has_perm("providers.view_youngperson"):
        items += _children_to_decide_on(user, today)
    return items
