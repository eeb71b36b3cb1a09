"""The visit report as a PDF: the same document for the browser and the `visit_report` command."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qa_portal import access
from qa_portal.pdf import render_pdf
from visits.models import Visit, VisitReason
from visits.selectors import report_sections, visit_with_report_data

TEMPLATE = "visits/report_pdf.html"


def _reasons(visit: Visit) -> list[str]:
    """Why this provider was chosen; "Other" is shown with the reason given."""
    labels = [
        label for value, label in zip(visit.reasons, visit.reason_labels, strict=True) if value != VisitReason.OTHER
    ]
    if visit.reason_other:
        labels.append(f"Other: {visit.reason_other}")
    elif VisitReason.OTHER in visit.reasons:
        labels.append(VisitReason.OTHER.label)
    return labels


def report_context(visit: Visit) -> dict:
    """Everything the report template shows. Young people appear by initials only, never by case-record ID."""
    return {
        "visit": visit,
        "sections": report_sections(visit),
        "reasons": _reasons(visit),
        "young_people": [
            {"initials": yp.initials, "age": yp.age_on(visit.date), "cohort": yp.get_cohort_display()}
            for yp in visit.young_people_met.all()
        ],
        # Through the reverse relation, so this app does not import `reviews`.
        "recommendations": visit.recommendations.select_related("owner", "young_person"),
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
    }


def render_report(visit: Visit) -> bytes:
    return render_pdf(TEMPLATE, report_context(visit))


def report_filename(visit: Visit) -> str:
    # Slugged so the header needs no quoting and the name reveals nothing but provider and date.
    provider = slugify(visit.provider.name) or "provider"
    return f"visit-report-{provider}-{visit.date:%Y-%m-%d}.pdf"


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy is kept in browser or proxy caches.
def report_pdf(request, pk):
    visit = access.get_for_user(request.user, visit_with_report_data(Visit.objects.all()), pk=pk)
    response = HttpResponse(render_report(visit), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report_filename(visit)}"'
    return response
