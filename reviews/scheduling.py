"""Review scheduling by placement volume: every provider with placements has exactly one open
review meeting, due one cadence after the last one held (or now, if none ever was), always on a
working day; a meeting scheduled for the young people placed with a provider is closed once none are
placed there any more (issue 12, case 12)."""

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from providers.models import Provider, ProviderStatus
from qa_portal.notify import notify
from reviews.meetings import MeetingStepRefused, meeting_cancel
from reviews.models import Cadence, MeetingStatus, ReviewMeeting, next_due
from reviews.selectors import review_statuses

NOT_NEEDED = "No children or young people are placed with {provider} any more, so no routine review is needed."


@dataclass
class ScheduleResult:
    created: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    unchanged: int = 0
    no_routine_review: int = 0

    def summary(self) -> dict:
        return {
            "created": len(self.created),
            "moved": len(self.moved),
            "closed": len(self.closed),
            "unchanged": self.unchanged,
            "no routine review": self.no_routine_review,
            "details": self.created + self.moved + self.closed,
        }


def _tell_officers(meeting: ReviewMeeting, *, moved: bool) -> None:
    """The provider's commissioning officers, once for each due date: a meeting to book, or one whose
    due date moved. No calendar invite: a due date is not a meeting; the invite goes when it is booked."""
    kind = "review_moved" if moved else "review_scheduled"
    subject = (
        f"Review meeting with {meeting.provider} now due {meeting.due_date:%-d %B %Y}"
        if moved
        else f"Review meeting with {meeting.provider} due {meeting.due_date:%-d %B %Y}"
    )
    for officer in meeting.provider.commissioning_officers():
        notify(
            to=officer,
            kind=kind,
            key=f"meeting:{meeting.pk}:{meeting.due_date:%Y-%m-%d}",
            subject=subject,
            template="emails/review_scheduled",
            context={"meeting": meeting, "moved": moved},
            about=meeting,
            link=meeting.get_absolute_url(),
        )


def _close_if_not_needed(meeting: ReviewMeeting, result: ScheduleResult) -> None:
    """Close an open meeting scheduled for the young people placed with its provider, now that none
    are: everyone holding its invite is sent the cancellation. One scheduled by hand with nobody placed,
    or brought forward (for a concern, say), is left for a commissioning officer to decide."""
    if meeting.placement_volume == 0 or meeting.brought_forward_because:
        return
    try:
        meeting_cancel(meeting=meeting, by=None, reason=NOT_NEEDED.format(provider=meeting.provider))
    except MeetingStepRefused:  # held or cancelled by someone else a moment ago
        return
    result.closed.append(f"{meeting.provider}: no young people placed, the meeting due {meeting.due_date:%d/%m/%Y}")


def schedule_reviews(*, today: date | None = None, provider_ids: list[int] | None = None) -> ScheduleResult:
    """Make sure each active provider's next review meeting exists with the right due date, and that a
    provider with nobody placed any more has none open (`_close_if_not_needed`). Only the providers
    `provider_ids` if given: those whose placements just changed (`placements_changed`).

    Safe to run twice, or twice at once: the database allows one open meeting per provider,
    a meeting is moved only if it is still as this run found it, and closed only while still open."""
    today = today or timezone.localdate()
    result = ScheduleResult()
    providers = Provider.objects.all() if provider_ids is None else Provider.objects.filter(pk__in=provider_ids)
    providers = (
        providers.exclude(status=ProviderStatus.ARCHIVED)
        .with_active_placement_count(today)
        .select_related("commissioning_officer")
        .order_by("name")
    )
    providers = list(providers)
    statuses = review_statuses(providers, today=today)
    for provider in providers:
        status = statuses[provider.pk]
        if status.cadence == Cadence.NONE:
            result.no_routine_review += 1
            if status.open_meeting is not None:
                _close_if_not_needed(status.open_meeting, result)
            continue
        due = next_due(status.cadence, status.last_held, today)
        meeting = status.open_meeting
        if meeting is None:
            try:
                with transaction.atomic():
                    meeting = ReviewMeeting.objects.create(
                        provider=provider,
                        cadence=status.cadence,
                        placement_volume=status.placement_volume,
                        due_date=due,
                    )
                    _tell_officers(meeting, moved=False)
            except IntegrityError:
                result.unchanged += 1  # another run scheduled it a moment ago
                continue
            result.created.append(f"{provider}: {meeting.get_cadence_display().lower()}, due {due:%d/%m/%Y}")
        elif meeting.cadence != status.cadence and not meeting.brought_forward_because and meeting.due_date != due:
            with transaction.atomic():
                moved = ReviewMeeting.objects.filter(
                    pk=meeting.pk, status=MeetingStatus.SCHEDULED, cadence=meeting.cadence, due_date=meeting.due_date
                ).update(
                    cadence=status.cadence,
                    placement_volume=status.placement_volume,
                    due_date=due,
                )
                if moved != 1:
                    result.unchanged += 1
                    continue
                meeting.refresh_from_db()
                _tell_officers(meeting, moved=True)
            result.moved.append(
                f"{provider}: now {meeting.get_cadence_display().lower()} "
                f"({status.placement_volume} placements), due {due:%d/%m/%Y}"
            )
        else:
            result.unchanged += 1
    return result


def placements_changed(provider_ids: list[int]) -> None:
    """Listener of providers.placement_changes: when placements are added, ended or moved, each
    provider's open review meeting follows its new placement volume at once (scheduled, moved to the
    new cadence, or closed once nobody is placed), not at the next nightly run (issue 14). The nightly
    job still catches what only the calendar changes: a placement's end date passing."""
    schedule_reviews(provider_ids=provider_ids)
