"""This app's parts of a young person's subject-access export, and what anonymising them clears here
(providers.privacy; registered by ReviewsConfig.ready())."""

from django.db.models import Prefetch, Q
from django.utils.timezone import localtime

from providers.privacy import Scrubbed, SubjectPart, register_anonymiser, register_part
from reviews.models import ProgressUpdate, Recommendation, SafeToRemainDecision, YoungPersonOutcome, YouSaid
from reviews.responses import DecisionVersion, decision_versions

# What a meeting outcome's notes (and a safe-to-remain decision's details) say once the young person's
# record has been anonymised.
ANONYMISED_NOTES = "Removed when the young person's record was anonymised."


def _outcomes(person) -> list[list]:
    outcomes = YoungPersonOutcome.objects.filter(young_person=person).select_related(
        "meeting__provider", "recorded_on_case_record_by"
    )
    return [
        [
            outcome.meeting.held_on or outcome.meeting.due_date,
            outcome.meeting.provider.name,
            outcome.notes,
            outcome.for_case_record,
            outcome.recorded_on_case_record_at,
            outcome.recorded_on_case_record_by.full_name if outcome.recorded_on_case_record_by_id else "",
        ]
        for outcome in outcomes.order_by("meeting__due_date", "pk")
    ]


def _earlier(versions: list[DecisionVersion]) -> str:
    """The versions before the last, a line each: "Remain, with safeguards: … (Name, 02/12/2026 10:15)"."""
    lines = []
    for version in versions[:-1]:
        words = version.words or "Recorded (its words were not kept)"
        lines.append(f"{words} ({version.by}, {localtime(version.at):%d/%m/%Y %H:%M})")
    return "\n".join(lines)


def _decisions(person) -> list[list]:
    decisions = list(
        SafeToRemainDecision.objects.filter(young_person=person)
        .select_related("response__provider", "response__setting", "recorded_by", "changed_by")
        .order_by("due_at", "pk")
    )
    versions = decision_versions(decisions)
    return [
        [
            decision.response.opened_at,
            decision.response.provider.name,
            decision.response.setting.name if decision.response.setting_id else "",
            decision.due_at,
            decision.get_decision_display() if decision.decision else "Not yet decided",
            decision.safeguards,
            decision.move_by,
            decision.other,
            decision.recorded_at,
            decision.recorded_by.full_name if decision.recorded_by_id else "",
            decision.changed_at,
            decision.changed_by.full_name if decision.changed_by_id else "",
            _earlier(versions.get(decision.pk, [])),
        ]
        for decision in decisions
    ]


def anonymise_decision_details(person) -> Scrubbed:
    """Clear what was written about `person` in the safe-to-remain decisions made after an Inadequate
    judgement (the safeguards, or what else was decided), and the same in their change history, which
    keeps each earlier decision; the decisions and their dates stay, for the response's figures."""
    cleared = history_rows = 0
    for field in ("safeguards", "other"):
        written = ~Q(**{field: ""}) & ~Q(**{field: ANONYMISED_NOTES})
        cleared += (
            SafeToRemainDecision.objects.filter(young_person=person).filter(written).update(**{field: ANONYMISED_NOTES})
        )
        history_rows += (
            SafeToRemainDecision.history.filter(young_person_id=person.pk)
            .filter(written)
            .update(**{field: ANONYMISED_NOTES})
        )
    what = ""
    if cleared or history_rows:
        what = f"Safe-to-remain decisions: {cleared} details cleared, {history_rows} in their history"
    return Scrubbed(fields=cleared, history_rows=history_rows, what=what)


def _progress(recommendation: Recommendation) -> str:
    return "\n".join(
        f"{update.at:%d/%m/%Y}: {update.text}" + (" (removed in error)" if update.is_removed else "")
        for update in recommendation.all_progress
    )


def _recommendations(person) -> list[list]:
    recommendations = (
        Recommendation.all_objects.filter(young_person=person)
        .select_related("provider", "owner", "visit", "review_meeting", "concern")
        .prefetch_related(
            Prefetch(
                "progress_updates", queryset=ProgressUpdate.all_objects.order_by("at", "pk"), to_attr="all_progress"
            )
        )
    )
    return [
        [
            rec.pk,
            rec.created_at,
            rec.get_source_display(),
            rec.provider.name if rec.provider_id else "",
            rec.text,
            rec.owner.full_name,
            rec.due_date,
            rec.get_status_display(),
            _progress(rec),
            rec.impact_statement,
            rec.not_accepted_reason,
            f"{rec.removed_at:%d/%m/%Y}: {rec.removed_reason}" if rec.is_removed else "",
        ]
        for rec in recommendations.order_by("created_at", "pk")
    ]


def anonymise_outcome_notes(person) -> Scrubbed:
    """Clear the notes taken about `person` at review meetings, and the same notes in their history."""
    cleared = (
        YoungPersonOutcome.objects.filter(young_person=person)
        .exclude(notes=ANONYMISED_NOTES)
        .update(notes=ANONYMISED_NOTES)
    )
    history_rows = YoungPersonOutcome.history.filter(young_person_id=person.pk).update(notes=ANONYMISED_NOTES)
    what = ""
    if cleared or history_rows:
        what = f"Review meeting outcome notes: {cleared} cleared, {history_rows} rows of their history rewritten"
    return Scrubbed(fields=cleared, history_rows=history_rows, what=what)


def _asked_for(person) -> list[list]:
    marks = YouSaid.objects.filter(young_person=person).select_related("visit__provider")
    return [
        [mark.visit.date, mark.visit.provider.name, mark.said, "; ".join(r.text for r in mark.recommendations.all())]
        for mark in marks.prefetch_related("recommendations").order_by("visit__visit_date", "pk")
    ]


def anonymise_asked_for(person) -> Scrubbed:
    """Clear what `person` was recorded as asking for on visits ("You said, we did"), and the same words
    in its history: their own words may say who they are."""
    cleared = YouSaid.objects.filter(young_person=person).exclude(said=ANONYMISED_NOTES).update(said=ANONYMISED_NOTES)
    history_rows = YouSaid.history.filter(young_person_id=person.pk).update(said=ANONYMISED_NOTES)
    what = ""
    if cleared or history_rows:
        what = f"What they asked for on visits: {cleared} cleared, {history_rows} rows of their history rewritten"
    return Scrubbed(fields=cleared, history_rows=history_rows, what=what)


def register_privacy() -> None:
    register_part(
        SubjectPart(
            name="meeting-outcomes",
            title="Outcomes noted at review meetings",
            columns=("Meeting on", "Provider", "Notes", "For the case record", "Put on the case record on", "By"),
            rows=_outcomes,
            order=40,
            note="The notes about them at each commissioning review meeting with the provider they lived with.",
        )
    )
    register_part(
        SubjectPart(
            name="safe-to-remain-decisions",
            title="Whether they were safe to remain, after an Inadequate judgement",
            columns=(
                "Judgement recorded",
                "Provider",
                "Setting",
                "Due by",
                "Decision",
                "Safeguards",
                "Move by",
                "What was decided",
                "Recorded on",
                "By",
                "Last changed on",
                "By",
                "Earlier decisions",
            ),
            rows=_decisions,
            order=45,
            note="Each decision on whether they could stay where they lived after Ofsted judged it Inadequate.",
        )
    )
    register_part(
        SubjectPart(
            name="recommendations",
            title="Recommendations about them",
            columns=(
                "Reference",
                "Raised on",
                "Source",
                "Provider",
                "Recommendation",
                "Owner",
                "Due date",
                "Status",
                "Progress",
                "Impact statement",
                "Reason not accepted",
                "Removed in error",
            ),
            rows=_recommendations,
            order=50,
            note="Child-level recommendations naming them, from visits, review meetings and concerns.",
        )
    )
    register_part(
        SubjectPart(
            name="asked-for-on-visits",
            title="What they asked for on visits",
            columns=("Date of the visit", "Provider", "What they said or asked for", "Recommendations raised from it"),
            rows=_asked_for,
            order=32,
            note="What a visitor marked as something they asked for, in their own words (“You said, we did”).",
        )
    )
    register_anonymiser(anonymise_outcome_notes)
    register_anonymiser(anonymise_asked_for)
    register_anonymiser(anonymise_decision_details)
