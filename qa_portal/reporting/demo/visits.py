"""Seeds the demo QA visits from data/visits.toml, and the committee report on the demo's year
from data/committee_report.toml.

A visit's past steps are written directly, with their own dates, rather than through the
services: the services stamp today's date and queue emails to the provider and commissioning,
and a seed must send no email. Its change history is then written to tell the same path, each
step with who took it and when (`visit_history`). A visit is found again by the note on its "planned" step, so a
run on a later day (or in a later year) moves it to its new dates rather than adding another."""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from providers.models import Placement, Provider, Setting, YoungPerson
from qa_portal.models import User
from qa_portal.reporting.committee.figures import default_title
from qa_portal.reporting.demo.accounts import DEMO_PROVIDER_NAME
from qa_portal.reporting.demo.seeding import Calendar, demo_user, load, upsert
from qa_portal.reporting.demo.visit_history import STATUS_AFTER, seed_history
from qa_portal.reporting.models import CommitteeReport
from qa_portal.roles import Role
from qa_portal.wording import count_of
from qa_portal.working_days import add_working_days
from visits.models import (
    Answer,
    CaseRecordEntry,
    HowArranged,
    OverallJudgement,
    QuestionKind,
    TemplateQuestion,
    TemplateStatus,
    Visit,
    VisitEvent,
    VisitReason,
    VisitStatus,
    VisitTemplate,
)
from visits.services import young_people_placed

Step = VisitEvent.Step
EMAILED_RESPONSE = "Response received by email"


def _steps(spec: dict, calendar: Calendar) -> dict[str, datetime]:
    """The steps taken by today, each on a working day, in path order even when two share a day."""
    steps = {}
    previous = None
    for step, when, hhmm in spec["path"]:
        at = calendar.at(calendar.working_day(when), hhmm)
        if at.date() > calendar.today:
            break
        if previous is not None and at <= previous:
            at = previous + timedelta(minutes=5)
        steps[Step(step)] = previous = at
    return steps


def find_visit(spec: dict) -> Visit | None:
    """The demo visit a visits.toml entry describes, found by its provider and the note on its
    "planned" step (so whatever its dates); None if it has not been made."""
    return Visit.objects.filter(
        provider__name=spec["provider"], events__step=Step.PLANNED, events__note=spec["planned_note"]
    ).first()


def _people_met(visit: Visit, spec: dict, calendar: Calendar) -> list[YoungPerson]:
    """The young people met, each one placed with the provider on the visit date."""
    placed = set(young_people_placed(visit))
    people = []
    for start in spec.get("met", []):
        placement = Placement.objects.select_related("young_person").get(
            provider=visit.provider, start_date=calendar.day(start)
        )
        if placement.young_person not in placed:
            raise RuntimeError(f"{spec['key']}: the young person placed on {start} was not there on {visit.date}.")
        people.append(placement.young_person)
    return people


_MET_IN_TEXT = re.compile(r"\{met:([^}]+)\}")


def _name_met(text: str, visit: Visit, calendar: Calendar) -> str:
    """`text` with each {met:<placement start>} replaced by the initials of the young person placed with
    the visit's provider from that day, as a visitor writes them when a line is about one young person
    (visits.case_record_notes copies such lines into that young person's case-record note)."""

    def initials(match: re.Match) -> str:
        placement = Placement.objects.select_related("young_person").get(
            provider=visit.provider, start_date=calendar.day(match[1])
        )
        return placement.young_person.initials

    return _MET_IN_TEXT.sub(initials, text)


def _answer_values(question: TemplateQuestion, key: str | None, spec: dict, draft: bool) -> dict[str, str] | None:
    if key is None:  # a question added to the template since: a report still answers it
        if draft:
            return None
        if question.kind == QuestionKind.LONG_TEXT:
            return {"text": load("visits")["fallback_answer"], "choice": ""}
        choice = {QuestionKind.YES_NO: "yes", QuestionKind.RATING: "4"}.get(question.kind, question.options[0][0])
        return {"text": "", "choice": choice}
    if key not in spec.get("answers", {}):
        return None
    value = spec["answers"][key]
    return {"text": value, "choice": ""} if question.kind == QuestionKind.LONG_TEXT else {"text": "", "choice": value}


def _write_up(visit: Visit, spec: dict, calendar: Calendar, written: datetime, lead: User) -> None:
    keys = {text: key for key, text in load("visits")["questions"].items()}
    draft = visit.status == VisitStatus.DRAFT
    for question in TemplateQuestion.objects.filter(section__template=visit.template):
        answer = _answer_values(question, keys.get(question.text), spec, draft)
        if answer is not None:
            answer = {name: _name_met(calendar.text(value), visit, calendar) for name, value in answer.items()}
            upsert(
                Answer,
                {"visit": visit, "question": question},
                {**answer, "updated_by": lead, "updated_at": written},
                by=lead,
                at=written,
            )


def _visit_values(spec: dict, calendar: Calendar, steps: dict[str, datetime], lead: User) -> dict:
    day = calendar.working_day(spec["on"])
    made = day <= calendar.today  # otherwise planned for a day to come
    status = STATUS_AFTER[list(steps)[-1]]
    submitted = status != VisitStatus.DRAFT
    shared = steps.get(Step.SHARED)
    provider = Provider.objects.get(name=spec["provider"])
    return {
        "provider": provider,
        "setting": Setting.objects.get(provider=provider, name=spec["setting"]),
        "status": status,
        "planned_date": day,
        "visit_date": day if made else None,
        "lead_visitor": lead,
        "lead_visitor_role": lead.job_title,
        "others_present": spec.get("others_present", ""),
        "young_inspectors": spec.get("young_inspectors", 0),
        "how_arranged": HowArranged(spec["how_arranged"]),
        "reasons": [VisitReason(reason) for reason in spec["reasons"]],
        "reason_other": spec.get("reason_other", ""),
        "others_spoken_to": spec.get("others_spoken_to", 0) if made else 0,
        "staff_met": spec.get("staff_met", "") if made else "",
        "spaces_seen": calendar.text(spec.get("spaces_seen", "")) if made else "",
        "overall_judgement": OverallJudgement(spec["judgement"]) if submitted and "judgement" in spec else "",
        "overall_summary": calendar.text(spec.get("summary", "")) if submitted else "",
        "response_due": (
            add_working_days(timezone.localtime(shared).date(), settings.PROVIDER_RESPONSE_WORKING_DAYS)
            if shared
            else None
        ),
        "provider_comment": calendar.text(spec.get("provider_comment", "")) if Step.RESPONDED in steps else "",
        "created_at": steps[Step.PLANNED],
    }


def _recorded(spec: dict, people: list[YoungPerson]) -> list[YoungPerson]:
    """The young people met whose case-record note is on their case record once the visit took that step:
    those whose placement start is in the spec's `case_records`, or all of them if it has none."""
    if "case_records" not in spec:
        return people
    return [person for start, person in zip(spec["met"], people, strict=True) if start in spec["case_records"]]


def _seed_path(visit: Visit, spec: dict, steps: dict[str, datetime], people: list, users: dict[Role, User]) -> None:
    """The steps taken, by whom, and the case records once the visit is recorded on them."""
    lead, qa_lead = visit.lead_visitor, users[Role.QA_LEAD]
    for step, at in steps.items():
        by, note = (lead if step in (Step.PLANNED, Step.SUBMITTED) else qa_lead), ""
        if step == Step.PLANNED:
            note = spec["planned_note"]
        elif step == Step.SHARED:
            note = f"Response due by {visit.response_due:%d/%m/%Y}"
        elif step == Step.RESPONDED:
            if spec["provider"] == DEMO_PROVIDER_NAME:
                by = users[Role.PROVIDER_USER]
            else:
                note = spec.get("response_note", EMAILED_RESPONSE)
        elif step == Step.CASE_RECORDED:
            recorded = _recorded(spec, people)
            note = f"{len(recorded)} of {count_of(len(people), 'case record')}"
        upsert(VisitEvent, {"visit": visit, "step": step}, {"by": by, "at": at, "note": note})
    # The path is the story's: steps not (yet) in it, from another day's run or a try-out, go.
    visit.events.exclude(step__in=list(steps)).delete()
    recorded = _recorded(spec, people) if Step.CASE_RECORDED in steps else []
    for person in recorded:
        upsert(
            CaseRecordEntry,
            {"visit": visit, "young_person": person},
            {"recorded_by": qa_lead, "recorded_at": steps[Step.CASE_RECORDED]},
        )
    visit.case_record_entries.exclude(young_person__in=recorded).delete()


def _seed_visit(spec: dict, calendar: Calendar, users: dict[Role, User]) -> Visit | None:
    steps = _steps(spec, calendar)
    found = find_visit(spec)
    if not steps:  # not even planned yet: one from another day's or year's run goes
        if found:
            found.recommendations.all().delete()
            found.delete()
        return None
    lead = users[Role(spec["lead"])]
    values = _visit_values(spec, calendar, steps, lead)
    if found is None:
        values["template"] = VisitTemplate.objects.get(status=TemplateStatus.PUBLISHED)
    visit = upsert(Visit, {"pk": found.pk} if found else None, values, by=lead, at=steps[Step.PLANNED])
    made = visit.visit_date is not None
    people = _people_met(visit, spec, calendar) if made else []
    if set(visit.young_people_met.all()) != set(people):
        visit._history_user, visit._history_date = lead, steps[Step.PLANNED]
        visit.young_people_met.set(people)
    if made:
        _write_up(visit, spec, calendar, steps.get(Step.SUBMITTED) or calendar.at(visit.visit_date, "18:00"), lead)
    _seed_path(visit, spec, steps, people, users)
    seed_history(visit, written_at=calendar.at(visit.visit_date, "18:00") if made else None)
    return visit


def seed(calendar: Calendar) -> dict[str, Visit]:
    """Create or refresh the demo visits as they stand on the calendar's today; returns those
    made or planned by then, by their key in visits.toml.

    Needs the demo accounts and provider register (demo.seed makes them first)."""
    users = {role: demo_user(role) for role in (Role.SENIOR_LEADER, Role.QA_LEAD, Role.PROVIDER_USER)}
    visits = {}
    for spec in load("visits")["visits"]:
        visit = _seed_visit(spec, calendar, users)
        if visit is not None:
            visits[spec["key"]] = visit
    return visits


def seed_committee_report(calendar: Calendar) -> CommitteeReport:
    """The committee report on the demo's year, its narrative drafted by the demo manager and no
    pack generated yet (generating one is what the person trying the demo does). A report the
    demo drafted on another year, with no pack, gives way to it."""
    spec, manager = load("committee_report"), demo_user(Role.MANAGER)
    written = min(calendar.at(spec["written"], "10:30"), calendar.at(calendar.today, "08:30"))
    year = calendar.year
    title = default_title(year.start, year.end)
    report = upsert(
        CommitteeReport,
        {"period_start": year.start, "period_end": year.end, "title": title},
        {
            "introduction": calendar.text(spec["introduction"]),
            "learning": calendar.text(spec["learning"]),
            "future_plans": calendar.text(spec["future_plans"]),
            "created_by": manager,
            "created_at": written,
            "updated_by": manager,
            "updated_at": written,
        },
        by=manager,
        at=written,
    )
    for old in CommitteeReport.objects.filter(created_by=manager, versions__isnull=True).exclude(pk=report.pk):
        if old.title == default_title(old.period_start, old.period_end):
            old.delete()
    return report


def counts() -> dict[str, int]:
    """QA visits: in all, finalised, young people met on finalised visits, case records."""
    finalised = Visit.objects.filter(status=VisitStatus.FINALISED)
    return {
        "visits": Visit.objects.count(),
        "finalised": finalised.count(),
        "young_people_met": YoungPerson.objects.filter(visits_met__in=finalised).distinct().count(),
        "case_records": CaseRecordEntry.objects.count(),
    }
