"""The visit report as a PDF: the same document for the browser and the `visit_report` command."""

from django.http import HttpResponse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qa_portal import access
from qa_portal.pdf import RenderedPdf, render_pdf_checked, tell_of_unshown_characters
from visits.models import Visit
from visits.selectors import report_context, visit_with_report_data

TEMPLATE = "visits/report_pdf.html"


def render_report_checked(visit: Visit) -> RenderedPdf:
    """The report as a PDF, with any characters no installed font can draw (see qa_portal.pdf)."""
    return render_pdf_checked(TEMPLATE, report_context(visit))


def render_report(visit: Visit) -> bytes:
    return render_report_checked(visit).content


def report_filename(visit: Visit) -> str:
    # Slugged so the header needs no quoting and the name reveals nothing but provider and date.
    provider = slugify(visit.provider.name) or "provider"
    return f"visit-report-{provider}-{visit.date:%Y-%m-%d}.pdf"


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy is kept in browser or proxy caches.
def report_pdf(request, pk):
    visit = access.get_for_user(request.user, visit_with_report_data(Visit.objects.all()), pk=pk)
    rendered = render_report_checked(visit)
    tell_of_unshown_characters(request, rendered, document="The visit report (PDF)")
    response = HttpResponse(rendered.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report_filename(visit)}"'
    return response
