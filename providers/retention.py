"""Retention: young people whose records are past their time are listed for the QA lead to review,
and anonymised on confirmation, with a record kept that it was done.

When a record is due (settings; the authority's retention schedule was not among the documents we
had, so these are assumptions to confirm with its data protection officer, and can be set):

- the young person is older than RETENTION_AGE_YEARS (25: nobody is a care leaver after their
  26th birthday, see COHORT_AGES), or
- their last placement ended RETENTION_YEARS_AFTER_LAST_PLACEMENT years ago or more (7);

and never while they have a placement that has not ended (or is yet to start).

Anonymising keeps the record, so that the counts stay right (the committee pack counts cohorts, EHCP,
SEND, UASC and ages by year), and removes what identifies the young person:

- initials become "XX", the case-record ID "ANON-<id>", the date of birth 1 January of its year (the
  year kept for the counts), the allocated social worker is cleared;
- every row of the record's change history is rewritten the same way (django-simple-history keeps old
  values: without this the history would still hold them);
- their rows in the placements files kept from imports, and their ID in what the previews said
  (providers.retention_imports);
- each app's own identifying values about them, through providers.privacy's anonymisers (the meeting
  outcome notes about them, and their history, in reviews).

Free text elsewhere that names them (a visit's answers, a recommendation's or a concern's text) is not
rewritten: it names them by initials at most, and is the record of what was said about a provider.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from providers.models import Placement, YoungPerson, YoungPersonAnonymisation
from providers.privacy import anonymisers
from providers.retention_imports import Identity, anonymise_in_imports


class NotDue(Exception):
    """The young person's record is not past its retention period (or was anonymised already)."""


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes 28 February in a year without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def due_for_review(*, today: date | None = None):
    """The young people past their retention period and not yet anonymised, oldest first: a queryset
    annotated with `last_placement_ended` (None for one never placed)."""
    today = today or timezone.localdate()
    not_ended = Placement.objects.filter(young_person=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )
    return (
        YoungPerson.objects.filter(anonymisation__isnull=True)
        .annotate(last_placement_ended=Max("placements__end_date"), still_placed=Exists(not_ended))
        .filter(still_placed=False)
        .filter(
            Q(date_of_birth__lte=years_before(today, settings.RETENTION_AGE_YEARS + 1))
            | Q(last_placement_ended__lte=years_before(today, settings.RETENTION_YEARS_AFTER_LAST_PLACEMENT))
        )
        .order_by("date_of_birth", "pk")
    )


def why_due(person: YoungPerson, *, today: date | None = None) -> list[str]:
    """The rules `person` (from due_for_review) meets, in words: "Aged 27: older than 25"."""
    today = today or timezone.localdate()
    reasons = []
    age = person.age_on(today)
    if age > settings.RETENTION_AGE_YEARS:
        reasons.append(f"Aged {age}: older than {settings.RETENTION_AGE_YEARS}")
    ended = getattr(person, "last_placement_ended", None)
    years = settings.RETENTION_YEARS_AFTER_LAST_PLACEMENT
    if ended is not None and ended <= years_before(today, years):
        reasons.append(f"Last placement ended on {ended:%d/%m/%Y}: {years} years ago or more")
    return reasons


def anonymised_values(person: YoungPerson) -> dict:
    """What anonymising sets on the record: the values that identify the young person replaced."""
    return {
        "initials": "XX",
        "case_record_id": f"ANON-{person.pk}",
        "date_of_birth": date(person.date_of_birth.year, 1, 1),
        "social_worker_id": None,
    }


@transaction.atomic
def young_person_anonymise(*, person_id: int, by, today: date | None = None) -> YoungPersonAnonymisation:
    """Anonymise the young person `person_id` (see the module), if they are due (due_for_review), as
    `by`: their record, its change history, and each app's identifying values about them; and keep the
    record that it was done (who, when, why, how many values and history rows). Raises NotDue if they
    are not due, or were anonymised already (two people confirming at once: the second is refused)."""
    person = YoungPerson.objects.select_for_update().get(pk=person_id)
    due = due_for_review(today=today).filter(pk=person_id).first()
    if due is None:
        raise NotDue(f"{person} is not due to be anonymised")
    reasons = why_due(due, today=today)
    values = anonymised_values(person)
    # The files kept from imports name them by the values about to go: rewritten first.
    identity = Identity(
        person.case_record_id, person.initials, values["case_record_id"], "XX", person.date_of_birth.year
    )
    in_imports, import_details = anonymise_in_imports(identity)
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    for name, value in values.items():
        setattr(person, name, value)
    person._history_user = by
    person._change_reason = "Anonymised: past the retention period"
    person.save()
    # The history model's columns are the record's: the same values replace the old ones in every row.
    history_rows = YoungPerson.history.filter(id=person.pk).update(**values)
    details = [f"Record: {len(changed)} value{'s' if len(changed) != 1 else ''} replaced"]
    details.append(f"Change history of the record: {history_rows} row{'s' if history_rows != 1 else ''} rewritten")
    details += import_details
    scrubbed = [anonymiser(person) for anonymiser in anonymisers()]
    details += [part.what for part in scrubbed if part.what]
    return YoungPersonAnonymisation.objects.create(
        young_person=person,
        by=by,
        reason="; ".join(reasons),
        fields_changed=len(changed) + in_imports + sum(part.fields for part in scrubbed),
        history_rows_scrubbed=history_rows + sum(part.history_rows for part in scrubbed),
        details=details,
    )
