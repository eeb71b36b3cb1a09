"""Workflows of the Recommendation and Impact Tracker."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reviews.access import ADDRESSED_TO_PROVIDER
from reviews.models import LIVE_STATUSES, ProgressUpdate, Recommendation, RecommendationStatus, Source, YouSaid
from reviews.notifications import tell_owner_assigned
from visits import services as visit_services
from visits.models import Visit, VisitStatus


@transaction.atomic
def recommendation_raise_on_visit(*, recommendation: Recommendation, visit: Visit, by) -> Recommendation:
    """A recommendation written into a draft visit report; its owner is told at once."""
    if visit.status != VisitStatus.DRAFT:
        raise visit_services.VisitStepRefused("Recommendations are added while the visit is a draft.")
    recommendation.source = Source.VISIT
    recommendation.visit = visit
    recommendation.provider = visit.provider
    recommendation.created_by = recommendation.created_by if recommendation.created_by_id else by
    recommendation.full_clean()
    recommendation._history_user = by
    recommendation.save()
    tell_owner_assigned(recommendation, by=by)
    return recommendation


@transaction.atomic
def recommendation_save_changes(*, recommendation: Recommendation, by) -> Recommendation:
    """Save changes to a recommendation's own fields, validated by its form (on a draft visit
    report). If it now has another owner, the new owner is told at once."""
    owner_before = (
        Recommendation.objects.select_for_update().values_list("owner_id", flat=True).get(pk=recommendation.pk)
    )
    recommendation._history_user = by
    recommendation.save()
    if recommendation.owner_id != owner_before:
        tell_owner_assigned(recommendation, by=by)
    return recommendation


@transaction.atomic
def visit_provider_respond(*, visit: Visit, by, comment: str, responses: dict[int, dict]) -> Visit:
    """The provider's response to a shared report: a comment, and for each recommendation
    whether they accept it (and if not, why) and what they will do by when."""
    now = timezone.now()
    recommendations = {
        r.pk: r
        for r in Recommendation.objects.select_for_update().filter(ADDRESSED_TO_PROVIDER, visit=visit, pk__in=responses)
    }
    if set(responses) - set(recommendations):
        # Only what the provider was shown is theirs to answer (reviews.access).
        raise visit_services.VisitStepRefused("That recommendation is not one the provider answers.")
    for pk, response in responses.items():
        rec = recommendations[pk]
        rec.provider_accepted = response["accepted"]
        rec.provider_reason = response["reason"]
        rec.provider_action = response["action"]
        rec.provider_action_by = response["action_by"]
        rec.provider_responded_at = now
        rec._history_user = by
        rec.save(
            update_fields=[
                "provider_accepted",
                "provider_reason",
                "provider_action",
                "provider_action_by",
                "provider_responded_at",
            ]
        )
    return visit_services.visit_record_provider_response(visit=visit, by=by, comment=comment)


# The tracker: progress, completion and not accepting, each moving the status once however often
# the button is pressed.

IMPACT_STATEMENT_NEEDED = "Say what difference this made for the child before completing it"
REASON_NEEDED = "Give the reason it was not accepted"
PROGRESS_NEEDED = "Say what progress has been made"
# A second identical note within this time is the same press of the button twice, not new progress.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


class RecommendationStepRefused(Exception):
    """The recommendation is not where this step can be taken from (closed, or moved on by someone else)."""


def closed_message(recommendation: Recommendation) -> str:
    return (
        f"This recommendation is already {recommendation.get_status_display().lower()}, "
        "so it can no longer be changed here."
    )


def _lock_live(recommendation: Recommendation) -> None:
    """Hold the row until the transaction ends, so two presses of a button are taken one after the other."""
    locked = Recommendation.objects.select_for_update().only("status").get(pk=recommendation.pk)
    for current in (recommendation, locked):
        if not current.is_live:
            raise RecommendationStepRefused(closed_message(current))


def _move(recommendation: Recommendation, *, to: str, by, reason: str, **fields) -> None:
    """Move the status on only if it is still what the user saw (two clicks, one move), then save
    the other fields with it. The save after the claim also writes the change history."""
    seen = recommendation.status
    recommendation.status = to
    for name, value in fields.items():
        setattr(recommendation, name, value)
    recommendation.full_clean()
    claimed = Recommendation.objects.filter(pk=recommendation.pk, status=seen).update(status=to, **fields)
    if claimed != 1:
        raise RecommendationStepRefused(
            "Someone else updated this recommendation while you had it open. Check where it is now and try again."
        )
    recommendation._history_user = by
    recommendation._change_reason = reason
    recommendation.save(update_fields=["status", *fields])


def _progress(recommendation: Recommendation, *, by, text: str, status_after: str, at=None) -> ProgressUpdate:
    update = ProgressUpdate(
        recommendation=recommendation, text=text, status_after=status_after, by=by, at=at or timezone.now()
    )
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def recommendation_record_progress(*, recommendation: Recommendation, by, text: str, status: str) -> ProgressUpdate:
    """A note of progress, as at the monthly tracking meeting, leaving the recommendation open or in
    progress. Completing and not accepting have their own steps: one needs an impact statement, the
    other a reason."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": PROGRESS_NEEDED})
    if status not in LIVE_STATUSES:
        raise RecommendationStepRefused(
            "Progress leaves a recommendation open or in progress. Complete it with an impact statement, "
            "or record that it was not accepted with the reason."
        )
    _lock_live(recommendation)
    duplicate = recommendation.progress_updates.filter(
        by=by, text=text, status_after=status, at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW
    ).first()
    if duplicate is not None:
        return duplicate
    if status != recommendation.status:
        _move(recommendation, to=status, by=by, reason=f"Progress recorded: now {RecommendationStatus(status).label}")
    return _progress(recommendation, by=by, text=text, status_after=status)


@transaction.atomic
def recommendation_complete(*, recommendation: Recommendation, by, impact_statement: str) -> Recommendation:
    """Complete a recommendation. It cannot be done without saying what difference it made for the child."""
    impact_statement = (impact_statement or "").strip()
    if not impact_statement:
        raise ValidationError({"impact_statement": IMPACT_STATEMENT_NEEDED})
    _lock_live(recommendation)
    _move(
        recommendation,
        to=RecommendationStatus.COMPLETED,
        by=by,
        reason="Completed",
        impact_statement=impact_statement,
        completed_at=timezone.now(),
    )
    _progress(
        recommendation,
        by=by,
        text=f"Completed. Impact: {impact_statement}",
        status_after=RecommendationStatus.COMPLETED,
    )
    return recommendation


@transaction.atomic
def recommendation_not_accept(*, recommendation: Recommendation, by, reason: str) -> Recommendation:
    """Record that a recommendation was not accepted, and why; it leaves the live tracker."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"not_accepted_reason": REASON_NEEDED})
    _lock_live(recommendation)
    _move(
        recommendation,
        to=RecommendationStatus.NOT_ACCEPTED,
        by=by,
        reason="Not accepted",
        not_accepted_reason=reason,
    )
    _progress(recommendation, by=by, text=f"Not accepted: {reason}", status_after=RecommendationStatus.NOT_ACCEPTED)
    return recommendation


@transaction.atomic
def recommendation_raise(*, recommendation: Recommendation, by) -> Recommendation:
    """A recommendation from a concern, or from another source (a practice review, a Regulation 44
    report): not from a visit or a review meeting, which raise theirs on their own pages. Its owner
    is told at once."""
    if recommendation.source in (Source.VISIT, Source.REVIEW_MEETING) or recommendation.visit_id:
        raise RecommendationStepRefused("Recommendations from a visit or a review meeting are raised there.")
    if recommendation.concern_id:
        concern = recommendation.concern
        if recommendation.provider_id is None:
            recommendation.provider = concern.provider
        elif concern.provider_id != recommendation.provider_id:
            raise ValidationError({"concern": "Choose a concern about this provider"})
        recommendation.source = Source.CONCERN
    else:
        recommendation.source = Source.OTHER
    recommendation.review_meeting = None
    recommendation.status = RecommendationStatus.OPEN
    recommendation.created_by = by
    recommendation._history_user = by
    recommendation.full_clean()
    recommendation.save()
    tell_owner_assigned(recommendation, by=by)
    return recommendation


@transaction.atomic
def recommendation_share_with_provider(*, recommendation: Recommendation, by) -> Recommendation:
    """Share a recommendation with its provider, so that their users see it on their page and record
    their action on it (reviews.access.ADDRESSED_TO_PROVIDER). Who and when are kept on it and in its
    change history. Safe to run twice: one already shared is left as it is. Raises
    RecommendationStepRefused, with the reason in a sentence, for one that may not be shared
    (Recommendation.why_not_shared_with_provider: from a concern, about the authority's own service,
    or in a visit report)."""
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    refused = locked.why_not_shared_with_provider()
    if refused:
        raise RecommendationStepRefused(refused)
    if locked.shared_with_provider:
        return locked
    recommendation.shared_with_provider = True
    recommendation.shared_with_provider_at = timezone.now()
    recommendation.shared_with_provider_by = by
    recommendation.full_clean()
    recommendation._history_user = by
    recommendation._change_reason = "Shared with the provider"
    recommendation.save(update_fields=["shared_with_provider", "shared_with_provider_at", "shared_with_provider_by"])
    return recommendation


@transaction.atomic
def recommendation_provider_update(
    *, recommendation: Recommendation, by, action: str, action_by, note: str = ""
) -> ProgressUpdate | None:
    """The provider's own update: the action they will take and by when, and a note of progress for
    the council's staff. The status is the council's to move, so it stays as it is."""
    if not by.is_provider_user or by.provider_id != recommendation.provider_id:
        raise RecommendationStepRefused("Only the provider's own staff update their action.")
    if not Recommendation.objects.filter(ADDRESSED_TO_PROVIDER, pk=recommendation.pk).exists():
        raise RecommendationStepRefused("This recommendation has not been shared with your organisation.")
    _lock_live(recommendation)
    action = (action or "").strip()
    if not action:
        raise ValidationError({"provider_action": "Say what you will do"})
    recommendation.provider_action = action
    recommendation.provider_action_by = action_by
    # The moment of this update, which the tracker's "latest progress" shows (Recommendation._latest);
    # a note sent with it is recorded at the same moment, so the two read as one update.
    now = timezone.now()
    recommendation.provider_responded_at = now
    recommendation.full_clean()
    recommendation._history_user = by
    recommendation._change_reason = "Updated by the provider"
    recommendation.save(update_fields=["provider_action", "provider_action_by", "provider_responded_at"])
    note = (note or "").strip()
    if not note:
        return None
    return _progress(recommendation, by=by, text=note, status_after=recommendation.status, at=now)


@transaction.atomic
def progress_update_remove(*, update: ProgressUpdate, by, reason: str) -> None:
    """Remove a progress note recorded in error (qa_portal.removal), and write the removal, with who
    and why, into its recommendation's change history (progress notes keep no history of their own).
    The recommendation's status stays as it is. Raises what `remove_in_error` raises."""
    update.remove_in_error(by=by, reason=reason)
    recommendation = Recommendation.all_objects.get(pk=update.recommendation_id)
    Recommendation.history.bulk_history_create(
        [recommendation],
        update=True,
        default_user=by,
        default_change_reason=f"Progress note of {timezone.localtime(update.at):%-d %B %Y} removed in error: "
        f"{update.removed_reason}",
    )


class YouSaidChanged(Exception):
    """Someone saved the mark after the form was opened: `theirs` is their version."""

    def __init__(self, theirs: YouSaid):
        super().__init__("changed meanwhile")
        self.theirs = theirs


@transaction.atomic
def you_said_save(*, mark: YouSaid, by, base: str = "") -> YouSaid:
    """Save what a young person asked for on a draft visit ("You said, we did", issue 17): a new mark,
    or changes to one. `base` is the ISO time the mark was last saved as its form was opened; if it was
    saved since, nothing is saved and YouSaidChanged carries the stored version (never a silent
    overwrite: STYLE.md, the brief's rules). Raises VisitStepRefused once the visit is no longer a
    draft, and ValidationError (YouSaid.clean) for a young person not met on the visit."""
    visit = Visit.objects.select_for_update().get(pk=mark.visit_id)
    if visit.status != VisitStatus.DRAFT:
        raise visit_services.VisitStepRefused("What young people asked for is marked while the visit is a draft.")
    if mark.pk:
        stored = YouSaid.objects.select_for_update().select_related("updated_by").get(pk=mark.pk)
        if stored.updated_at.isoformat() != base:
            raise YouSaidChanged(stored)
    else:
        mark.created_by = by
    mark.updated_by = by
    mark.updated_at = timezone.now()
    mark.full_clean()
    mark._history_user = by
    mark.save()
    return mark


@transaction.atomic
def you_said_remove(*, mark: YouSaid, by) -> None:
    """Remove a mark from a draft visit (a recommendation raised from it stays, no longer linked).
    Its change history keeps who removed it. Raises VisitStepRefused once the visit is not a draft."""
    visit = Visit.objects.select_for_update().get(pk=mark.visit_id)
    if visit.status != VisitStatus.DRAFT:
        raise visit_services.VisitStepRefused("What young people asked for is marked while the visit is a draft.")
    mark._history_user = by
    mark.delete()
