"""Workflows of a visit: plan, save what is typed (without overwriting anyone), and its path
from draft to finalised. Each step records who and when."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from providers.models import Placement, YoungPerson
from qa_portal.wording import count_of
from qa_portal.working_days import add_working_days
from visits import planning
from visits.models import (
    Answer,
    CaseRecordEntry,
    QuestionKind,
    TemplateQuestion,
    TemplateStatus,
    Visit,
    VisitEvent,
    VisitStatus,
    VisitTemplate,
)
from visits.notifications import (
    tell_commissioning,
    tell_provider_report_shared,
    tell_provider_responded,
    tell_qa_lead_submitted,
    tell_visitor_returned,
)

Step = VisitEvent.Step


class VisitStepRefused(Exception):
    """The visit is not at a point on its path where this step can be taken."""


class VisitIncomplete(Exception):
    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("The visit is not complete")
        self.problems = problems  # (section number, message)


def answer_key(question_id: int, part: str = "text") -> str:
    return f"q{question_id}" if part == "text" else f"q{question_id}_{part}"


@dataclass
class Conflict:
    theirs: str
    by: str
    at: datetime


@dataclass
class SaveResult:
    saved: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, Conflict] = field(default_factory=dict)
    # Fields posted as they were (value == base): neither compared nor written.
    unchanged: set[str] = field(default_factory=set)


# Fields of the visit itself that a section page edits, serialised as text for comparing.
VISIT_FIELDS = {
    # The date of the visit first: once it has happened, it is the one the write-up needs.
    "about": [
        "visit_date",
        "planned_date",
        "setting",
        "lead_visitor_role",
        "others_present",
        "young_inspectors",
        "how_arranged",
        "reasons",
        "reason_other",
    ],
    "met": ["young_people_met", "others_spoken_to", "staff_met", "spaces_seen"],
    "overall": ["overall_judgement", "overall_summary"],
}


def serialise(visit: Visit, name: str) -> str:
    """The field's current value as the text a form would post, for compare-and-set."""
    if name == "young_people_met":
        # Through .all(), so a visit loaded with them (visit_with_report_data) asks no query per visit; a
        # change to them through the manager forgets what was loaded, so this is never out of date.
        return ",".join(str(pk) for pk in sorted(person.pk for person in visit.young_people_met.all()))
    if name == "setting":
        return str(visit.setting_id or "")
    value = getattr(visit, name)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ",".join(sorted(value))
    return str(value)


def young_people_placed(visit: Visit):
    """Who could be met: young people placed with the provider on the visit date (or the planned
    date), and anyone already recorded as met."""
    placements = Placement.objects.active_on(visit.date).filter(provider=visit.provider)
    met = visit.young_people_met.through.objects.filter(visit=visit).values("youngperson")
    return YoungPerson.objects.filter(Q(placements__in=placements) | Q(pk__in=met)).distinct().order_by("initials")


@transaction.atomic
def visit_plan(*, visit: Visit, by) -> Visit:
    """Start a visit on the current published template version, and tell the listeners of
    visits.planning (the response to an Inadequate judgement takes it as its same-day visit)."""
    visit.template = VisitTemplate.objects.get(status=TemplateStatus.PUBLISHED)
    visit.full_clean()
    visit._history_user = by
    visit._change_reason = Step.PLANNED.label
    visit.save()
    VisitEvent.objects.create(visit=visit, step=Step.PLANNED, by=by)
    planning.visit_planned(visit, by)
    return visit


@transaction.atomic
def visit_save(
    *, visit: Visit, by, answers: dict[str, tuple[str, str]], fields: dict[str, tuple[str, object]]
) -> SaveResult:
    """Save what the visitor typed, never overwriting someone else's change unseen.

    `answers`: {answer key: (base, value)} where base is the text the visitor started from.
    `fields`: {visit field: (base text, cleaned value)}. A field whose value is its base was not
    changed by this visitor: it is skipped, neither compared nor written, so a save never puts back
    an answer the visitor did not touch (issue 11). A field whose stored value is neither the base
    nor the new value was changed by someone else meanwhile: it is not saved, and their value comes
    back as a conflict so the visitor sees both and chooses."""
    # Browsers post line breaks as CRLF but show them as LF: compare and store one form only,
    # or a visitor's own text would look like someone else's change.
    answers = {key: (_lines(base), _lines(value)) for key, (base, value) in answers.items()}
    fields = {
        name: (_lines(base), _lines(value) if isinstance(value, str) else value)
        for name, (base, value) in fields.items()
    }
    result = SaveResult()
    result.unchanged = {key for key, (base, value) in answers.items() if value == base}
    result.unchanged |= {name for name, (base, value) in fields.items() if _as_text(name, value) == base}
    answers = {key: change for key, change in answers.items() if key not in result.unchanged}
    fields = {name: change for name, change in fields.items() if name not in result.unchanged}
    locked = Visit.objects.select_for_update().get(pk=visit.pk)  # one save at a time per visit
    if locked.status != VisitStatus.DRAFT:
        raise VisitStepRefused("This visit has been submitted, so it can no longer be changed.")
    if answers:
        _save_answers(locked, by, answers, result)
    if fields:
        _save_fields(locked, by, fields, result)
    return result


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _save_answers(visit, by, answers, result):
    question_ids = {int(key[1:].split("_")[0]) for key in answers}
    stored = {
        a.question_id: a
        for a in Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(visit=visit, question_id__in=question_ids)
    }
    valid_questions = set(
        TemplateQuestion.objects.filter(section__template=visit.template, pk__in=question_ids).values_list(
            "pk", flat=True
        )
    )
    now = timezone.now()
    for key, (base, value) in answers.items():
        question_id, _, part = key[1:].partition("_")
        question_id = int(question_id)
        if question_id not in valid_questions:
            continue
        attr = "choice" if part == "choice" else "text"
        answer = stored.get(question_id)
        current = getattr(answer, attr) if answer else ""
        if current == value:
            result.saved[key] = value
            continue
        if answer is not None and current != base:  # no answer yet: nobody's words to overwrite
            result.conflicts[key] = Conflict(
                theirs=current, by=answer.updated_by.full_name if answer.updated_by else "Someone", at=answer.updated_at
            )
            continue
        if answer is None:
            answer = Answer(visit=visit, question_id=question_id)
            stored[question_id] = answer
        setattr(answer, attr, value)
        answer.updated_at, answer.updated_by = now, by
        answer.save()
        result.saved[key] = value


def _save_fields(visit, by, fields, result):
    changed = []
    for name, (base, value) in fields.items():
        current = serialise(visit, name)
        new = _as_text(name, value)
        if current == new:
            result.saved[name] = new
            continue
        if current != base:
            last = visit.history.first()
            who = last.history_user.full_name if last and last.history_user else "Someone"
            result.conflicts[name] = Conflict(theirs=current, by=who, at=last.history_date if last else timezone.now())
            continue
        if name == "young_people_met":
            visit.young_people_met.set(value)
        else:
            setattr(visit, name, value)
            changed.append(name)
        result.saved[name] = new
    if changed:
        visit._history_user = by
        visit.save(update_fields=changed)


def _as_text(name, value) -> str:
    if name == "young_people_met":
        return ",".join(str(pk) for pk in sorted(p.pk if hasattr(p, "pk") else int(p) for p in value))
    if name == "setting":
        return str(value.pk) if value else ""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ",".join(sorted(value))
    return str(value)


class Missing(NamedTuple):
    """One thing a visit still needs before it can be submitted: the section it is in (by number), what
    to do ("Enter the date of the visit"), and the name of the section form's field that takes it
    (visits.forms.SectionForm), for a link straight to it."""

    section: int
    message: str
    field: str


def missing_items(visit: Visit) -> list[Missing]:
    """Everything that must be filled in before the visit can be submitted, in the order of the
    sections and of their questions: the date of the visit (not in the future), the young people met
    or spoken to, the rooms and spaces seen, the overall judgement and summary, and every required
    question of the visit's template version (DOMAIN.md: the default visit template)."""
    problems = []
    sections = {s.special: s.number for s in visit.template.sections.all() if s.special}
    about, met, overall = sections.get("about", 1), sections.get("met", 2), sections.get("overall", 8)
    if not visit.visit_date:
        problems.append(Missing(about, "Enter the date of the visit", "visit_date"))
    elif visit.visit_date > timezone.localdate():
        problems.append(Missing(about, "The date of the visit cannot be in the future", "visit_date"))
    if not visit.young_people_met.exists() and not visit.others_spoken_to:
        problems.append(Missing(met, "Record the young people you met or spoke to", "young_people_met"))
    if not visit.spaces_seen.strip():
        problems.append(Missing(met, "Describe the rooms and spaces you saw", "spaces_seen"))
    if not visit.overall_judgement:
        problems.append(Missing(overall, "Answer 'would this be good enough for my own child?'", "overall_judgement"))
    if not visit.overall_summary.strip():
        problems.append(Missing(overall, "Write the overall summary", "overall_summary"))
    answers = {a.question_id: a for a in visit.answers.all()}
    for section in visit.template.sections.all():
        for question in section.questions.all():
            answer = answers.get(question.pk)
            if not question.required:
                continue
            long_text = question.kind == QuestionKind.LONG_TEXT
            blank = answer is None or (not answer.text.strip() if long_text else not answer.choice)
            if blank:
                key = answer_key(question.pk) if long_text else answer_key(question.pk, "choice")
                problems.append(Missing(section.number, f"Answer '{question.text}'", key))
    return sorted(problems, key=lambda item: item.section)


def missing_for_submission(visit: Visit) -> list[tuple[int, str]]:
    """What must be filled in before the visit can be submitted: [(section number, what to do)], as
    `missing_items` finds it."""
    return [(item.section, item.message) for item in missing_items(visit)]


def _step(visit: Visit, *, step: str, by, note: str = "") -> VisitEvent:
    """Record a step of the visit's path: a VisitEvent, and the visit as it now stands in its change
    history, by `by`, with the step as the reason. Every step goes into the history this way, those
    made by a compare-and-set `update()` and those that change no column of the visit (recorded on
    case records, shared with commissioning) alike, so the history reads like the path (issue 11)."""
    event = VisitEvent.objects.create(visit=visit, step=step, by=by, note=note)
    Visit.history.bulk_history_create(
        [Visit.objects.get(pk=visit.pk)], update=True, default_user=by, default_change_reason=event.history_reason
    )
    return event


def _move(visit: Visit, *, allowed_from: list[str], to: str) -> Visit:
    """Move the visit along its path only if it is still where the user saw it (two clicks, one move)."""
    updated = Visit.objects.filter(pk=visit.pk, status__in=allowed_from).update(status=to)
    if updated != 1:
        raise VisitStepRefused("This visit has moved on since you opened it. Reload the page to see where it is now.")
    visit.status = to
    return visit


@transaction.atomic
def visit_submit(*, visit: Visit, by) -> Visit:
    """Submit a complete draft to the QA lead, who is told at once. Raises VisitIncomplete (what is
    still to do, by section) or VisitStepRefused (no longer a draft)."""
    problems = missing_for_submission(visit)
    if problems:
        raise VisitIncomplete(problems)
    _move(visit, allowed_from=[VisitStatus.DRAFT], to=VisitStatus.SUBMITTED)
    event = _step(visit, step=Step.SUBMITTED, by=by)
    tell_qa_lead_submitted(visit, event)
    return visit


@transaction.atomic
def visit_return_to_draft(*, visit: Visit, by, note: str) -> Visit:
    """Return a submitted visit to draft with the reason (`note`), which its visitor is told at once.
    Raises VisitStepRefused if it is no longer submitted."""
    _move(visit, allowed_from=[VisitStatus.SUBMITTED], to=VisitStatus.DRAFT)
    event = _step(visit, step=Step.REOPENED, by=by, note=note)
    tell_visitor_returned(visit, event)
    return visit


@transaction.atomic
def visit_share(*, visit: Visit, by) -> Visit:
    """Share the submitted report with the provider: their contacts and users are emailed a link,
    and their response is due in a set number of working days."""
    _move(visit, allowed_from=[VisitStatus.SUBMITTED], to=VisitStatus.SHARED)
    visit.response_due = add_working_days(timezone.localdate(), settings.PROVIDER_RESPONSE_WORKING_DAYS)
    Visit.objects.filter(pk=visit.pk).update(response_due=visit.response_due)
    _step(visit, step=Step.SHARED, by=by, note=f"Response due by {visit.response_due:%d/%m/%Y}")
    tell_provider_report_shared(Visit.objects.select_related("provider", "setting").get(pk=visit.pk))
    return visit


@transaction.atomic
def visit_record_provider_response(*, visit: Visit, by, comment: str) -> Visit:
    """The provider's comment on the report (their recommendation responses are saved by the tracker).
    The QA lead and the lead visitor are told at once, each time the provider responds."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status not in (VisitStatus.SHARED, VisitStatus.RESPONDED):
        raise VisitStepRefused("This report is no longer open for the provider's response.")
    locked.provider_comment = comment
    locked.status = VisitStatus.RESPONDED
    locked.skip_history_when_saving = True  # the step below records it, with the step as the reason
    locked.save(update_fields=["provider_comment", "status"])
    del locked.skip_history_when_saving
    event = _step(locked, step=Step.RESPONDED, by=by)
    tell_provider_responded(locked, event)
    visit.provider_comment, visit.status = locked.provider_comment, locked.status
    return visit


@transaction.atomic
def visit_finalise(*, visit: Visit, by, note: str = "") -> Visit:
    _move(visit, allowed_from=[VisitStatus.RESPONDED, VisitStatus.SHARED], to=VisitStatus.FINALISED)
    if not note and not Visit.objects.filter(pk=visit.pk, provider_comment__gt="").exists():
        note = "Finalised without a response from the provider"
    _step(visit, step=Step.FINALISED, by=by, note=note)
    return visit


# The step taken once a report is finalised, once: the message when it is asked for again. (Putting
# the report on the case records is taken young person by young person: visit_record_case_record_note.)
_ONCE_FINALISED = {
    Step.COMMISSIONING: "This report has already been shared with commissioning.",
}


def steps_open(visit: Visit) -> set[str]:
    """The steps after finalising that can still be taken on `visit` (a set of `VisitEvent.Step`
    values): sharing with commissioning is taken once, so the visit page offers it only until it is
    taken. Empty unless the visit is finalised. (Case-record notes: visits.case_record_notes.)"""
    if visit.status != VisitStatus.FINALISED:
        return set()
    # From the visit's events as loaded (visit_with_report_data reads them for the page): no query of its own.
    taken = {event.step for event in visit.events.all() if event.step in _ONCE_FINALISED}
    return set(_ONCE_FINALISED) - taken


def _take_once(visit: Visit, step: str, not_finalised: str) -> None:
    """Refuse `step` (VisitStepRefused) unless the visit is finalised and the step not yet taken; the
    visit row is locked first, so two posts in quick succession take it once."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status != VisitStatus.FINALISED:
        raise VisitStepRefused(not_finalised)
    if locked.events.filter(step=step).exists():
        raise VisitStepRefused(_ONCE_FINALISED[step])


@transaction.atomic
def visit_record_case_record_note(*, visit: Visit, young_person: YoungPerson, by) -> CaseRecordEntry:
    """Record that `young_person`'s note of the visit (visits.case_record_notes) is on their case record
    (Mosaic): who did it, and when (a CaseRecordEntry), and a step on the visit's path and in its
    change history, "Recorded on case records", whose note counts how many of the young people met are
    done ("2 of 3 case records": it names nobody, as the path is shown to managers and the provider).

    Raises VisitStepRefused if the report is not finalised, or this young person's note is already
    recorded (saying by whom and when); the visit row is locked first, so two clicks record it once.
    Raises ValueError for a young person not met on the visit (the view answers 404 before that).
    Replaces the single "recorded on the case records" step of before issue 17."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status != VisitStatus.FINALISED:
        raise VisitStepRefused("Only a finalised report goes on the case records.")
    met = set(locked.young_people_met.values_list("pk", flat=True))
    if young_person.pk not in met:
        raise ValueError(f"Young person {young_person.pk} was not met on visit {visit.pk}")
    done = CaseRecordEntry.objects.filter(visit=locked, young_person=young_person).select_related("recorded_by").first()
    if done is not None:
        raise VisitStepRefused(
            f"The note for {young_person.initials} was already recorded on their case record by "
            f"{done.recorded_by.full_name} on {timezone.localtime(done.recorded_at):%-d %B %Y at %H:%M}."
        )
    entry = CaseRecordEntry.objects.create(visit=locked, young_person=young_person, recorded_by=by)
    recorded = CaseRecordEntry.objects.filter(visit=locked, young_person__in=met).count()
    _step(visit, step=Step.CASE_RECORDED, by=by, note=f"{recorded} of {count_of(len(met), 'case record')}")
    return entry


@transaction.atomic
def visit_share_with_commissioning(*, visit: Visit, by) -> VisitEvent:
    """Tell the commissioning officers the report is final. Taken once: raises VisitStepRefused if
    the report is not finalised or has already been shared with them."""
    _take_once(visit, Step.COMMISSIONING, "Only a finalised report is shared with commissioning.")
    event = _step(visit, step=Step.COMMISSIONING, by=by)
    tell_commissioning(visit)
    return event
