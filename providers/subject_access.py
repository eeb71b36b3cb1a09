"""A young person's subject-access export: everything the portal holds about them, for the data
protection officer, as one ZIP holding a PDF (every part as a table) and one CSV per part.

The parts come from every app (providers.privacy): the register's are here (their record, placements,
concerns about them, the changes to their record, and the access log of who has seen it); visits and
reviews add theirs. Each part holds this young person's rows only, never another young person's:
a list or document that showed them with others is in the access log as one line, not copied.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from providers.models import Concern, Placement, YoungPerson
from providers.privacy import SubjectPart, parts, register_part
from qa_portal.access_log import entries_about
from qa_portal.exports import safe_cell
from qa_portal.history import changes_for
from qa_portal.pdf import render_pdf_checked

PDF_TEMPLATE = "providers/subject_access_pdf.html"


def shown(value) -> str | int | float:
    """A value as the CSV and the PDF show it: dates dd/mm/yyyy, times in UK time, Yes/No, blank for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(value)
            else f"{value:%d/%m/%Y %H:%M}"
        )
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


@dataclass
class PartTable:
    part: SubjectPart
    rows: list[list]

    @property
    def filename(self) -> str:
        return f"{self.part.name}.csv"


def tables_for(person: YoungPerson) -> list[PartTable]:
    """Every registered part, with this young person's rows, values as shown."""
    return [PartTable(part, [[shown(value) for value in row] for row in part.rows(person)]) for part in parts()]


def _csv(table: PartTable) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(out)
    writer.writerow(table.part.columns)
    writer.writerows([safe_cell(value) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8")


def export_filename(person: YoungPerson, today: date) -> str:
    return f"subject-access-{slugify(person.case_record_id) or person.pk}-{today:%Y-%m-%d}.zip"


def subject_access_zip(person: YoungPerson, *, by) -> tuple[str, bytes]:
    """The export for `person`, made by `by` (named in the PDF): (file name, ZIP bytes). The ZIP holds
    subject-access.pdf and one CSV per part, each with a header row even when the part is empty."""
    today = timezone.localdate()
    tables = tables_for(person)
    pdf = render_pdf_checked(
        PDF_TEMPLATE,
        {
            "person": person,
            "tables": tables,
            "made_by": by,
            "made_at": timezone.localtime(),
            "authority_name": settings.AUTHORITY_NAME,
            "service_name": settings.SERVICE_NAME,
        },
    ).content
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.pdf", pdf)
        for table in tables:
            archive.writestr(table.filename, _csv(table))
    return export_filename(person, today), buffer.getvalue()


# The register's own parts ------------------------------------------------------------------------


def _record(person: YoungPerson) -> list[list]:
    anonymised = getattr(person, "anonymisation", None) if person.is_anonymised else None
    return [
        [
            person.case_record_id,
            person.initials,
            person.date_of_birth,
            person.get_cohort_display(),
            person.ehcp,
            person.send,
            person.uasc,
            person.social_worker.full_name if person.social_worker_id else "",
            anonymised.at if anonymised else None,
        ]
    ]


def _placements(person: YoungPerson) -> list[list]:
    placements = Placement.objects.filter(young_person=person).select_related(
        "provider", "setting", "stop_confirmed_by"
    )
    return [
        [
            p.provider.name,
            p.setting.name if p.setting_id else "",
            p.start_date,
            p.end_date,
            p.high_cost,
            p.stop_confirmed_by.full_name if p.stop_confirmed_by_id else "",
            p.stop_confirmed_at,
            p.stop_reason,
        ]
        for p in placements.order_by("start_date", "pk")
    ]


def _concerns(person: YoungPerson) -> list[list]:
    concerns = Concern.all_objects.filter(young_person=person).select_related("provider")
    return [
        [
            c.received_on,
            c.provider.name,
            c.get_source_display(),
            c.get_severity_display(),
            c.get_status_display(),
            c.summary,
            c.outcome,
            f"{c.removed_at:%d/%m/%Y}: {c.removed_reason}" if c.is_removed else "",
        ]
        for c in concerns.order_by("received_on", "pk")
    ]


def _record_changes(person: YoungPerson) -> list[list]:
    changes = changes_for(
        [
            (YoungPerson.history.filter(id=person.pk), lambda h: "Their record"),
            (Placement.history.filter(young_person_id=person.pk), lambda h: f"Placement from {h.start_date:%d/%m/%Y}"),
        ]
    )
    return [
        [
            change.when,
            change.who,
            change.what,
            change.action,
            "; ".join(f"{f.label}: {f.old} → {f.new}" if f.old else f"{f.label}: {f.new}" for f in change.fields),
            change.reason,
        ]
        for change in reversed(changes)
    ]


def _access_log(person: YoungPerson) -> list[list]:
    return [
        [entry.at, entry.user.full_name, entry.get_action_display(), entry.what, entry.path, entry.others]
        for entry in entries_about(YoungPerson, person.pk).order_by("at", "pk")
    ]


def register_parts() -> None:
    """The register's parts of the export (ProvidersConfig.ready())."""
    register_part(
        SubjectPart(
            name="record",
            title="Their record",
            columns=(
                "Case-record ID",
                "Initials",
                "Date of birth",
                "Cohort",
                "Has an EHCP",
                "Has SEND",
                "UASC",
                "Allocated social worker",
                "Anonymised on",
            ),
            rows=_record,
            order=10,
            note="Their pseudonymised record: case-record ID, initials, date of birth, cohort, needs and "
            "allocated social worker.",
        )
    )
    register_part(
        SubjectPart(
            name="placements",
            title="Placements",
            columns=(
                "Provider",
                "Setting",
                "Start date",
                "End date",
                "High cost",
                "Confirmed despite a placement stop by",
                "Confirmed on",
                "Why it was confirmed",
            ),
            rows=_placements,
            order=20,
            note="Where they lived, from when to when, and any confirmation despite a placement stop.",
        )
    )
    register_part(
        SubjectPart(
            name="concerns",
            title="Concerns about a provider that name them",
            columns=(
                "Received on",
                "Provider",
                "Source",
                "Severity",
                "Status",
                "Summary",
                "Outcome",
                "Removed in error",
            ),
            rows=_concerns,
            order=60,
            note="A concern is intelligence about a provider: its summary may hold other people's information, "
            "such as who raised it. Check it before the export is sent.",
        )
    )
    register_part(
        SubjectPart(
            name="record-changes",
            title="Changes to their record and placements",
            columns=("When", "Who", "What", "Action", "Changes", "Reason"),
            rows=_record_changes,
            order=80,
            note="Who changed their record or their placements, when, and what.",
        )
    )
    register_part(
        SubjectPart(
            name="access-log",
            title="Who has seen their record",
            columns=("When", "Who", "What they did", "Page or document", "Address", "Other young people in it"),
            rows=_access_log,
            order=90,
            note="Views and downloads of pages, lists and documents holding their data, for as long as the "
            "access log keeps them. A list or document that held other young people's data too is counted, "
            "not copied.",
        )
    )
