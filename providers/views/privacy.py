"""Privacy pages, for the QA lead: who has seen a young person's record (the access log), their
subject-access export, and the retention review with anonymising on confirmation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from providers.models import YoungPerson, YoungPersonAnonymisation
from providers.privacy import record_seen, young_people
from providers.retention import NotDue, anonymised_values, due_for_review, why_due, young_person_anonymise
from providers.subject_access import subject_access_zip, tables_for
from qa_portal import access
from qa_portal.access_log import AccessAction, entries_about, record_access
from qa_portal.lists import paginate

LOG_PAGE_SIZE = 50
RETENTION_PAGE_SIZE = 50


def _person(request, pk) -> YoungPerson:
    return access.get_for_user(request.user, YoungPerson.objects.select_related("anonymisation"), pk=pk)


@require_GET
@never_cache
@permission_required("providers.view_access_log", raise_exception=True)
def young_person_access_log(request, pk):
    """Who has seen this young person's record: every view and download holding their data, newest first."""
    person = _person(request, pk)
    record_seen(request, "Who has seen this record", [person.pk], record=person)
    page = paginate(request, entries_about(YoungPerson, person.pk), LOG_PAGE_SIZE)
    context = {"person": person, "page": page, "keep_days": settings.ACCESS_LOG_KEEP_DAYS}
    return render(request, "providers/young_person_access_log.html", context)


@require_GET
@never_cache
@permission_required("providers.export_subject_access", raise_exception=True)
def subject_access(request, pk):
    """What the young person's subject-access export holds, part by part, and its download."""
    person = _person(request, pk)
    tables = tables_for(person)
    record_seen(request, "Subject-access export page", [person.pk], record=person)
    return render(request, "providers/subject_access.html", {"person": person, "tables": tables})


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy is kept in browser or proxy caches.
@permission_required("providers.export_subject_access", raise_exception=True)
def subject_access_export(request, pk):
    """The export as a ZIP (a PDF and a CSV per part); making it is recorded in the access log."""
    person = _person(request, pk)
    filename, content = subject_access_zip(person, by=request.user)
    record_access(
        request.user,
        AccessAction.SUBJECT_ACCESS,
        "Subject-access export (PDF and CSV files)",
        young_people([person.pk]),
        record=person,
        request=request,
    )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@never_cache
@permission_required("providers.anonymise_youngperson", raise_exception=True)
def retention_review(request):
    """The young people past their retention period, to anonymise, and those anonymised already."""
    page = paginate(request, due_for_review().select_related("social_worker"), RETENTION_PAGE_SIZE)
    rows = [(person, why_due(person)) for person in page]
    record_seen(request, "Retention review", (person.pk for person in page))
    done = (
        access.visible_to(request.user, YoungPersonAnonymisation)
        .select_related("young_person", "by")
        .order_by("-at")[:20]
    )
    context = {
        "page": page,
        "rows": rows,
        "done": done,
        "settings_age": settings.RETENTION_AGE_YEARS,
        "settings_years": settings.RETENTION_YEARS_AFTER_LAST_PLACEMENT,
    }
    return render(request, "providers/retention_review.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("providers.anonymise_youngperson", raise_exception=True)
def young_person_anonymise_view(request, pk):
    """Confirm, then anonymise, a young person past their retention period."""
    person = _person(request, pk)
    due = due_for_review().filter(pk=person.pk).first()
    if due is None:
        messages.info(request, f"{person} is not due to be anonymised.")
        return redirect("providers:retention_review")
    if request.method == "POST":
        try:
            done = young_person_anonymise(person_id=person.pk, by=request.user)
        except NotDue:
            messages.info(request, f"{person} is not due to be anonymised (any more).")
        else:
            messages.success(
                request,
                f"Anonymised: now {done.young_person}. {done.fields_changed} values replaced or cleared, "
                f"{done.history_rows_scrubbed} rows of change history rewritten.",
            )
        return redirect("providers:retention_review")
    record_seen(request, "Anonymise a young person", [person.pk], record=person)
    context = {"person": person, "reasons": why_due(due), "after": anonymised_values(person)}
    return render(request, "providers/young_person_anonymise.html", context)
