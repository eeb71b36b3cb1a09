"""The visit report as a PDF: the same document for the browser and the `visit_report` command.

A report long enough to take more than a couple of seconds to lay out (a visit with many long
answers and recommendations) is made by the worker, not in the web request (qa_portal.documents)."""

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qa_portal import access
from qa_portal.access_log import Subjects
from qa_portal.documents import services as documents
from qa_portal.documents.kinds import BuiltFile, Progress
from qa_portal.pdf import RenderedPdf, render_pdf_checked, tell_of_unshown_characters
from visits.models import Answer, Visit
from visits.selectors import report_context, report_subjects, visit_with_report_data

TEMPLATE = "visits/report_pdf.html"
# The registered kind of document (visits.apps): made at once when short, by the worker when long.
REPORT_DOCUMENT = "visit-report"
# How long WeasyPrint takes over a thousand characters of the report, about (for its progress bar).
PDF_SECONDS_PER_THOUSAND_CHARACTERS = 0.04


def render_report_checked(visit: Visit, *, viewer, young_people_shown: bool | None = None) -> RenderedPdf:
    """The report as a PDF for `viewer` (what they may see of it: visits.selectors.report_context), with
    any characters no installed font can draw (see qa_portal.pdf)."""
    return render_pdf_checked(TEMPLATE, report_context(visit, viewer=viewer, young_people_shown=young_people_shown))


def render_report(visit: Visit, *, viewer, young_people_shown: bool | None = None) -> bytes:
    return render_report_checked(visit, viewer=viewer, young_people_shown=young_people_shown).content


def _report_with_subjects(visit: Visit, *, viewer) -> tuple[RenderedPdf, Subjects]:
    context = report_context(visit, viewer=viewer)
    return render_pdf_checked(TEMPLATE, context), report_subjects(context)


def report_filename(visit: Visit) -> str:
    # Slugged so the header needs no quoting and the name reveals nothing but provider and date.
    provider = slugify(visit.provider.name) or "provider"
    return f"visit-report-{provider}-{visit.date:%Y-%m-%d}.pdf"


def report_characters(visit: Visit) -> int:
    """How much people wrote in the visit: its answers' and recommendations' text, in characters
    (what the report's length, and the time it takes to lay out, grow with)."""
    answers = Answer.objects.filter(visit=visit).aggregate(n=Sum(Length("text")))["n"] or 0
    # Recommendations belong to reviews; the visit reaches them through the reverse relation.
    raised = visit.recommendations.aggregate(n=Sum(Length("text")))["n"] or 0
    return answers + raised


def _visit(request) -> Visit:
    return access.get_for_user(
        request.user, visit_with_report_data(Visit.objects.all()), pk=request.resolver_match.kwargs["pk"]
    )


def report_file(request, fmt: str, progress: Progress) -> BuiltFile:
    """The report of the visit named in the address, for `request.user` (404 if they may not see
    it); made in the web request when short, by the worker otherwise."""
    progress(10, "Reading the visit")
    visit = _visit(request)
    progress.expect(
        2 + PDF_SECONDS_PER_THOUSAND_CHARACTERS * report_characters(visit) / 1000,
        until=95,
        message="Laying out the report on the pages",
    )
    rendered, subjects = _report_with_subjects(visit, viewer=request.user)
    # At once, the person is told on their next page; from the worker, the report's last page says so.
    tell_of_unshown_characters(request, rendered, document="The visit report (PDF)")
    return BuiltFile(
        filename=report_filename(visit),
        content_type="application/pdf",
        content=rendered.content,
        inline=True,
        # The young people met and those its recommendations are for: logged when it is downloaded.
        subjects=subjects,
    )


def may_see_the_visit(request) -> Visit:
    """The check of a visit report before it is made and downloaded: the visit, or Http404."""
    return access.get_for_user(request.user, Visit, pk=request.resolver_match.kwargs["pk"])


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy is kept in browser or proxy caches.
def report_pdf(request, pk):
    visit = access.get_for_user(request.user, Visit.objects.select_related("provider"), pk=pk)
    return documents.respond(
        request,
        kind=REPORT_DOCUMENT,
        fmt="pdf",
        rows=None,
        at_once=report_characters(visit) <= settings.PDF_CHARACTERS_IN_REQUEST,
        title=f"Visit to {visit.provider.name} on {visit.date:%-d %B %Y}",
    )
