"""The visit report as a PDF: the same document for the browser and the `visit_report` command."""

from django.http import HttpResponse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qa_portal import access
from qa_portal.pdf import render_pdf
from visits.models import Visit
from visits.selectors import report_context, visit_with_report_data

TEMPLATE = "visits/report_pdf.html"


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
