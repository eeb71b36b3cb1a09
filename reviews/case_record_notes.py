"""A review meeting's case-record notes: one for each young person whose outcome was marked at the
meeting to go on their case record (YoungPersonOutcome.for_case_record), ready to paste into Mosaic,
naming that young person and no other (issue 17; DOMAIN.md: "outcomes for children").

Each note holds the date, provider, who attended, the young person (initials, case-record ID, age on
the day, cohort), their outcome as written at the meeting, and the meeting's recommendations about
them with owner, due date and status. An outcome is written for one young person, so it is copied
whole; where it names another young person placed there or discussed at the meeting, their initials
or ID are replaced by "[another young person]" (providers.case_record_notes.Naming), and the page says so.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from providers.case_record_notes import Naming, Note, may_see_case_record_notes, paragraphs, recommendation_lines
from providers.models import Placement, YoungPerson
from qa_portal import access
from qa_portal.to_do import MOST, ToDo, since
from reviews.models import MeetingStatus, ReviewMeeting, YoungPersonOutcome


def _outcomes_for_case_records(meeting: ReviewMeeting):
    return (
        YoungPersonOutcome.objects.filter(meeting=meeting, for_case_record=True)
        .select_related("young_person", "recorded_on_case_record_by")
        .order_by("young_person__initials", "young_person__case_record_id")
    )


def _note(meeting: ReviewMeeting, outcome: YoungPersonOutcome, others, recommendations) -> Note:
    person = outcome.young_person
    naming = Naming.of(person, others)
    day = meeting.held_on
    age = person.age_on(day)
    lines = [
        f"Commissioning review meeting: case-record note for {person.initials} "
        f"(case-record ID {person.case_record_id})",
        "",
        f"Date of the meeting: {day:%-d %B %Y}",
        f"Provider: {meeting.provider.name}",
        f"Review: {meeting.get_cadence_display()}",
    ]
    attendees = "; ".join(paragraphs(meeting.attendees))
    if attendees:
        lines.append(f"Attended: {attendees}")
    if meeting.recorded_by_id:
        lines.append(f"Recorded by: {meeting.recorded_by.full_name}")
    lines.append(f"Young person: {person.initials}, aged {age} on the day, {person.get_cohort_display().lower()}")
    outcome_text, taken_out = naming.without_others(outcome.notes)
    lines += ["", f"Outcome for {person.initials}", *paragraphs(outcome_text)]
    lines += ["", f"Recommendations about {person.initials} from this meeting"]
    rec_lines, out = recommendation_lines([rec for rec in recommendations if rec.young_person_id == person.pk], naming)
    lines += rec_lines or ["None from this meeting."]
    lines += ["", f"From the QA Portal: review meeting {meeting.pk}"]
    return Note(
        young_person=person,
        age=age,
        text="\n".join(lines),
        others_taken_out=taken_out or out,
        recorded_by=outcome.recorded_on_case_record_by,
        recorded_at=outcome.recorded_on_case_record_at,
    )


def meeting_case_record_notes(meeting: ReviewMeeting, recommendations) -> list[Note]:
    """One Note for each outcome of the held `meeting` marked for the case record, by initials.
    `recommendations` are the meeting's recommendations the reader may see, owners loaded; those for
    one young person go in their note only. The other young people a note must not name are those
    with an outcome at the meeting and those placed with the provider on the day. Empty for a meeting
    not held. Raises nothing."""
    if meeting.status != MeetingStatus.HELD or meeting.held_at is None:
        return []
    outcomes = list(_outcomes_for_case_records(meeting))
    if not outcomes:
        return []
    placed = Placement.objects.active_on(meeting.held_on).filter(provider=meeting.provider).values("young_person")
    others = list(
        YoungPerson.objects.filter(pk__in=placed).union(YoungPerson.objects.filter(review_outcomes__meeting=meeting))
    )
    recommendations = list(recommendations)
    return [_note(meeting, outcome, others, recommendations) for outcome in outcomes]


NOT_YET_RECORDED = Q(outcomes__for_case_record=True, outcomes__recorded_on_case_record_at__isnull=True)


def case_record_notes_to_do(user) -> list[ToDo]:
    """For those who mark the notes (reviews.change_youngpersonoutcome, who also see young people): each
    held meeting with an outcome marked for the case record and not yet recorded there, oldest meeting
    first, at most qa_portal.to_do.MOST. A home page to-do (reviews.to_do)."""
    if not (user.has_perm("reviews.change_youngpersonoutcome") and may_see_case_record_notes(user)):
        return []
    waiting = YoungPersonOutcome.objects.filter(
        meeting=OuterRef("pk"), for_case_record=True, recorded_on_case_record_at__isnull=True
    )
    meetings = (
        access.visible_to(user, ReviewMeeting)
        .held()
        .filter(Exists(waiting))
        .annotate(waiting=Count("outcomes", filter=NOT_YET_RECORDED))
        .select_related("provider")
        .order_by("held_at", "pk")[:MOST]
    )
    return [
        ToDo(
            f"Put the note from the review meeting with {meeting.provider.name} on the young person's case record"
            if meeting.waiting == 1
            else f"Put the {meeting.waiting} notes from the review meeting with {meeting.provider.name} on the young "
            "people's case records",
            reverse("reviews:meeting_case_record_notes", args=[meeting.pk]),
            meeting.held_on,
            since(meeting.held_on, "Held"),
            "Review meeting",
        )
        for meeting in meetings
    ]
