"""A finalised visit's case-record notes: one for each young person met, ready to paste into their
case record (Mosaic), naming that young person and no other (issue 17; DOMAIN.md: a visit report is
"put on each child's case record").

What each note holds: the date, provider and setting, who visited, the young person (initials,
case-record ID, age on the day, cohort), what they said (what the visitor marked as their words, asked
for: "You said, we did") and how they were seen, and the visit's
recommendations about them with owner, due date and status.

The template's answers are written for the visit, not for each young person (section 4 asks "Do they
feel safe, happy and listened to?" of them all), so a note cannot copy a whole answer: it could be
about another child. It copies the parts of the report that name this young person and no other
young person placed there or met: each line of an answer, of the rooms and spaces seen and of the
summary, that names them by initials or case-record ID (providers.case_record_notes.Naming). A note
whose young person the report never names alone says so, and points to the report.
"""

from django.utils import timezone

from providers.case_record_notes import Naming, Note, paragraphs, recommendation_lines
from providers.models import YoungPerson
from visits.models import CaseRecordEntry, QuestionKind, Visit, VisitStatus
from visits.services import young_people_placed

NOT_NAMED_ALONE = (
    "The report records the young people's views together, not for each young person, and no part of it "
    "names {initials} alone, so none of it is copied here. The full report is visit {pk} on the QA Portal."
)


def _parts_of_the_report(visit: Visit) -> list[tuple[str, str]]:
    """(where it is written, one line) for every line the visitor typed in the report: the answers in
    the template's order, the rooms and spaces seen, and the overall summary."""
    answers = {answer.question_id: answer for answer in visit.answers.all()}
    parts = []
    for section in visit.template.sections.all():
        if section.special == "met":
            parts += [("Rooms and spaces seen", line) for line in paragraphs(visit.spaces_seen)]
        for question in section.questions.all():
            answer = answers.get(question.pk)
            if answer is not None and question.kind == QuestionKind.LONG_TEXT:
                parts += [(question.text, line) for line in paragraphs(answer.text)]
        if section.special == "overall":
            parts += [("Summary", line) for line in paragraphs(visit.overall_summary)]
    return parts


def _visited_by(visit: Visit) -> list[str]:
    lines = [f"Visited by: {visit.lead_visitor.full_name}, {visit.lead_visitor_role}"]
    others = "; ".join(paragraphs(visit.others_present))
    if others:
        lines.append(f"Also came: {others}")
    if visit.young_inspectors:
        lines.append(f"Young Inspectors who came: {visit.young_inspectors}")
    return lines


def _note(visit: Visit, person: YoungPerson, others, parts, recommendations, marks, entry) -> Note:
    naming = Naming.of(person, others)
    age = person.age_on(visit.date)
    lines = [
        f"QA visit: case-record note for {person.initials} (case-record ID {person.case_record_id})",
        "",
        f"Date of the visit: {visit.date:%-d %B %Y}",
        f"Provider: {visit.provider.name}",
        f"Setting: {visit.setting.name if visit.setting_id else 'The provider as a whole'}",
        *_visited_by(visit),
        f"Young person: {person.initials}, aged {age} on the day, {person.get_cohort_display().lower()}",
    ]
    if visit.overall_judgement:
        lines.append(f"Would this be good enough for the visitor's own child? {visit.get_overall_judgement_display()}")
    lines += ["", f"What {person.initials} said and how they were seen"]
    theirs = [(where, line) for where, line in parts if naming.about_them_alone(line)]
    asked = [mark for mark in marks if mark.young_person_id == person.pk]
    taken_out = False
    if asked:
        lines.append(f"What {person.initials} asked for, in their words:")
        for mark in asked:
            said, out = naming.without_others(" ".join(paragraphs(mark.said)))
            taken_out |= out
            lines.append(f"- {said}")
    if theirs:
        previous = None
        for where, line in theirs:
            if where != previous:
                lines.append(f"{where}:")
                previous = where
            lines.append(f"- {line}")
    elif not asked:
        lines.append(NOT_NAMED_ALONE.format(initials=person.initials, pk=visit.pk))
    lines += ["", f"Recommendations about {person.initials}"]
    about_them = [rec for rec in recommendations if rec.young_person_id == person.pk]
    rec_lines, out = recommendation_lines(about_them, naming)
    taken_out |= out
    lines += rec_lines or ["None from this visit."]
    finalised = next((e.at for e in visit.events.all() if e.step == "finalised"), None)
    source = f"From the QA Portal: visit {visit.pk}"
    lines += ["", source + (f", report finalised {timezone.localtime(finalised):%-d %B %Y}" if finalised else "")]
    return Note(
        young_person=person,
        age=age,
        text="\n".join(lines),
        others_taken_out=taken_out,
        recorded_by=entry.recorded_by if entry else None,
        recorded_at=entry.recorded_at if entry else None,
    )


def visit_case_record_notes(visit: Visit, recommendations) -> list[Note]:
    """One Note for each young person met on `visit`, by initials. `recommendations` are the visit's
    recommendations the reader may see (qa_portal.access), with their owners loaded; those for one
    young person go in their note only. Empty unless the visit is finalised: a note is of the report
    as the provider has answered it. Raises nothing."""
    if visit.status != VisitStatus.FINALISED:
        return []
    met = sorted(visit.young_people_met.all(), key=lambda person: (person.initials, person.case_record_id))
    others = {person.pk: person for person in young_people_placed(visit)} | {person.pk: person for person in met}
    entries = CaseRecordEntry.objects.filter(visit=visit).select_related("recorded_by")
    entries = {entry.young_person_id: entry for entry in entries}
    parts = _parts_of_the_report(visit)
    recommendations = list(recommendations)
    # What each young person asked for ("You said, we did", marked in the section of young people's views):
    # the reviews app's marks, read through their reverse relation so that visits does not import reviews.
    marks = list(visit.you_said.order_by("pk"))
    return [
        _note(visit, person, others.values(), parts, recommendations, marks, entries.get(person.pk)) for person in met
    ]


def case_records_to_do(visit: Visit) -> tuple[list[YoungPerson], list[CaseRecordEntry]]:
    """(the young people met whose note is not yet on their case record, the entries of those whose is),
    each by initials: what the visit page shows. Both empty for a visit not finalised."""
    if visit.status != VisitStatus.FINALISED:
        return [], []
    entries = list(
        CaseRecordEntry.objects.filter(visit=visit)
        .select_related("young_person", "recorded_by")
        .order_by("young_person__initials", "young_person__case_record_id")
    )
    done = {entry.young_person_id for entry in entries}
    to_do = [person for person in visit.young_people_met.all() if person.pk not in done]
    return sorted(to_do, key=lambda person: (person.initials, person.case_record_id)), entries
