"""This app's parts of a young person's subject-access export (providers.privacy; registered by
VisitsConfig.ready()). A visit records the young people met by id only, so anonymising them clears
nothing here."""

from providers.privacy import SubjectPart, register_part
from visits.models import CaseRecordEntry, Visit


def _visits_met(person) -> list[list]:
    visits = Visit.objects.filter(young_people_met=person).select_related("provider", "setting", "lead_visitor")
    return [
        [
            visit.date,
            visit.provider.name,
            visit.setting.name if visit.setting_id else "",
            f"{visit.lead_visitor.full_name}, {visit.lead_visitor_role}",
            visit.get_status_display(),
            person.age_on(visit.date),
        ]
        for visit in visits.order_by("visit_date", "planned_date", "pk")
    ]


def _case_record_entries(person) -> list[list]:
    entries = CaseRecordEntry.objects.filter(young_person=person).select_related("visit__provider", "recorded_by")
    return [
        [entry.visit.date, entry.visit.provider.name, entry.recorded_at, entry.recorded_by.full_name]
        for entry in entries.order_by("recorded_at", "pk")
    ]


def register_privacy() -> None:
    register_part(
        SubjectPart(
            name="visits",
            title="Quality-assurance visits where they were met",
            columns=("Date of the visit", "Provider", "Setting", "Lead visitor", "Status", "Their age on the day"),
            rows=_visits_met,
            order=30,
            note="Their part of each visit: that they were met. The report itself is about the provider and "
            "the other young people met, and is not copied here.",
        )
    )
    register_part(
        SubjectPart(
            name="case-record-entries",
            title="Visit notes put on their case record",
            columns=("Date of the visit", "Provider", "Put on the case record on", "By"),
            rows=_case_record_entries,
            order=35,
            note="When the note of a visit that met them (the parts of its report about them alone, and its "
            "recommendations about them) was put on their case record, and by whom.",
        )
    )
