"""The Recommendation and Impact Tracker: the list, its figures, and its downloads (CSV, XLSX, and
the PDF for the monthly tracking meeting), all from one `reviews.filters.TrackerFilterSet`, so a
download holds exactly the recommendations on screen, in the same order. A big download is made
by the worker, not in the web request (qa_portal.documents).

The meeting mode is in `tracker_meeting`, one recommendation and its steps in `recommendations`,
and the provider's own page in `provider_recommendations`. Every recommendation is listed through
`qa_portal.access`.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Length
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from providers.access import may_see_young_people
from providers.privacy import record_seen, young_people
from qa_portal import access
from qa_portal.documents import kinds
from qa_portal.documents import services as documents
from qa_portal.documents.kinds import BuiltFile, Progress
from qa_portal.exports import spreadsheet_response
from qa_portal.lists import SPREADSHEET_FORMATS, paginate
from qa_portal.pdf import render_pdf_checked, tell_of_unshown_characters
from qa_portal.periods import FinancialYear
from reviews.filters import TRACKER_COLUMNS, TrackerFilterSet
from reviews.models import (
    LIVE_STATUSES,
    ProgressUpdate,
    Recommendation,
    RecommendationStatus,
    due_in_month_of,
    overdue_on,
)

PAGE_SIZE = 50
RELATED = ("provider", "young_person", "owner", "visit", "concern", "review_meeting")


def with_latest_progress(queryset):
    """`queryset` with what each list row shows: its related records, and its latest progress note's
    text and time (last_note, last_note_at), from which Recommendation.latest_progress and
    latest_progress_at weigh the note against the provider's own answer, with no query of their own."""
    latest = ProgressUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-at", "-pk")
    return queryset.select_related(*RELATED).annotate(
        last_note=Subquery(latest.values("text")[:1]),
        last_note_at=Subquery(latest.values("at")[:1]),
    )


def _figures(visible, today: date) -> list[dict]:
    """The counts at the top of the tracker, over everything the user may see, in one query."""
    year = FinancialYear.containing(today)
    # Only the rows a figure counts are read (the live ones, those not accepted, and those completed this
    # year), through the index recommendation_figures, not all 50,000 of a consortium's.
    completed_from = timezone.make_aware(datetime.combine(year.start, time.min))
    completed_before = timezone.make_aware(datetime.combine(year.end + timedelta(days=1), time.min))
    counted = visible.filter(
        Q(status__in=(*LIVE_STATUSES, RecommendationStatus.NOT_ACCEPTED))
        | Q(status=RecommendationStatus.COMPLETED, completed_at__gte=completed_from, completed_at__lt=completed_before)
    )
    counts = counted.aggregate(
        open=Count("pk", filter=Q(status=RecommendationStatus.OPEN)),
        in_progress=Count("pk", filter=Q(status=RecommendationStatus.IN_PROGRESS)),
        overdue=Count("pk", filter=overdue_on(today)),
        due_this_month=Count("pk", filter=due_in_month_of(today)),
        completed_this_year=Count(
            "pk",
            filter=Q(status=RecommendationStatus.COMPLETED, completed_at__date__range=(year.start, year.end)),
        ),
        not_accepted=Count("pk", filter=Q(status=RecommendationStatus.NOT_ACCEPTED)),
    )
    return [
        {"key": "open", "label": "Open", "value": counts["open"], "query": "status=open"},
        {"key": "in_progress", "label": "In progress", "value": counts["in_progress"], "query": "status=in_progress"},
        {"key": "overdue", "label": "Overdue", "value": counts["overdue"], "query": "overdue=1"},
        {
            "key": "due_this_month",
            "label": "Due this month",
            "value": counts["due_this_month"],
            "query": "due_this_month=1",
        },
        {
            "key": "completed_this_year",
            "label": "Completed this year",
            "hint": f"April {year.start.year} to March {year.end.year}",
            "value": counts["completed_this_year"],
            "query": "",
        },
        {
            "key": "not_accepted",
            "label": "Not accepted",
            "value": counts["not_accepted"],
            "query": "status=not_accepted",
        },
    ]


def _tracker(request) -> tuple[object, TrackerFilterSet]:
    visible = access.visible_to(request.user, Recommendation)
    return visible, TrackerFilterSet(request.GET, queryset=visible, request=request)


@require_GET
@permission_required("reviews.view_recommendation", raise_exception=True)
def tracker(request):
    today = timezone.localdate()
    visible, filterset = _tracker(request)
    shown = may_see_young_people(request.user)
    page = paginate(request, with_latest_progress(filterset.qs), PAGE_SIZE)
    if shown:
        record_seen(request, "Recommendation and Impact Tracker", (rec.young_person_id for rec in page))
    context = {
        "filterset": filterset,
        # The young person's column only for those who may see young people (providers.access).
        "columns": [c for c in TRACKER_COLUMNS if shown or c.label != "Young person"],
        "page": page,
        "described": filterset.described(),
        "figures": _figures(visible, today),
        "today": today,
    }
    return render(request, "reviews/tracker/tracker.html", context)


EXPORT_COLUMNS = [
    "Reference",
    "Source",
    "Provider",
    "Level",
    "Young person",
    "Recommendation",
    "Owner",
    "Action holder",
    "Priority",
    "Due date",
    "Overdue",
    "Status",
    "Latest progress",
    "Latest progress on",
    "Impact statement",
    "Completed on",
    "Reason not accepted",
    "Provider's response",
    "Provider's action",
    "Provider's action by",
    "Raised on",
]


def source_label(recommendation: Recommendation) -> str:
    """Where a recommendation came from, with its date: "QA visit, 23/04/2024"."""
    label = recommendation.get_source_display()
    if recommendation.visit_id:
        return f"{label}, {recommendation.visit.date:%d/%m/%Y}"
    if recommendation.review_meeting_id:
        meeting = recommendation.review_meeting
        return f"{label}, {(meeting.held_on or meeting.due_date):%d/%m/%Y}"
    if recommendation.concern_id:
        return f"{label}, {recommendation.concern.received_on:%d/%m/%Y}"
    return label


def _provider_response(recommendation: Recommendation) -> str:
    if recommendation.provider_accepted is None:
        return "No response yet" if recommendation.provider_id else ""
    if recommendation.provider_accepted:
        return "Accepted"
    return f"Not accepted: {recommendation.provider_reason}"


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def export_columns(*, young_people_shown: bool) -> list[str]:
    """The download's columns: the young person's only for those who may see young people."""
    return [c for c in EXPORT_COLUMNS if young_people_shown or c != "Young person"]


def _export_rows(recommendations, *, young_people_shown: bool):
    for rec in recommendations:
        young_person = [rec.young_person.initials if rec.young_person_id else ""] if young_people_shown else []
        yield [
            rec.pk,
            source_label(rec),
            rec.provider.name if rec.provider_id else "",
            rec.get_level_display(),
            *young_person,
            rec.text,
            rec.owner.full_name,
            rec.get_action_holder_display(),
            rec.get_priority_display(),
            rec.due_date,
            "Yes" if rec.is_overdue else "No",
            rec.get_status_display(),
            rec.latest_progress or "",
            _local_date(rec.latest_progress_at),
            rec.impact_statement,
            _local_date(rec.completed_at),
            rec.not_accepted_reason,
            _provider_response(rec),
            rec.provider_action,
            rec.provider_action_by,
            _local_date(rec.created_at),
        ]


# The registered kind of document (reviews.apps): made at once when small, by the worker when big.
TRACKER_DOCUMENT = "recommendation-tracker"
# How long WeasyPrint takes to lay out one recommendation of the PDF, about (for its progress bar).
PDF_SECONDS_PER_ROW = 0.05


def tracker_characters(queryset) -> int:
    """How much text the tracker PDF of `queryset`'s recommendations holds, in characters, summed in
    the database in one query: each one's text, provider's action, impact statement, reason not
    accepted and latest progress note (what WeasyPrint's time grows with, issue 13)."""
    latest = ProgressUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-at", "-pk")
    written = queryset.order_by().annotate(
        last_note_length=Coalesce(Subquery(latest.annotate(n=Length("text")).values("n")[:1]), 0)
    )
    totals = written.aggregate(
        **{
            field: Coalesce(Sum(Length(field)), 0)
            for field in ("text", "provider_action", "impact_statement", "not_accepted_reason")
        },
        notes=Coalesce(Sum("last_note_length"), 0),
    )
    return sum(totals.values())


def tracker_file(request, fmt: str, progress: Progress) -> BuiltFile:
    """The tracker as on screen (same filters, same order, every page) as CSV or XLSX, or as a PDF
    for the monthly tracking meeting, for `request.user`. Made in the web request when small, by the
    worker otherwise (qa_portal.documents), reporting its progress as it goes."""
    today = timezone.localdate()
    visible, filterset = _tracker(request)
    progress(10, "Reading the recommendations")
    recommendations = list(with_latest_progress(filterset.qs))
    total = len(recommendations)
    shown = may_see_young_people(request.user)
    # The young people of the child-level recommendations, logged when the file is handed over.
    subjects = young_people((rec.young_person_id for rec in recommendations) if shown else ())
    if fmt != "pdf":
        rows = progress.rows(recommendations, total, start=20, end=90, message="Writing recommendation {n} of {total}")
        return BuiltFile.from_response(
            spreadsheet_response(
                fmt=fmt,
                name="recommendation-tracker",
                columns=export_columns(young_people_shown=shown),
                rows=_export_rows(rows, young_people_shown=shown),
            ),
            subjects=subjects,
        )
    context = {
        "recommendations": recommendations,
        "young_people_shown": shown,
        "figures": _figures(visible, today),
        "described": filterset.described(),
        "today": today,
        "printed_by": request.user.full_name,
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
    }
    progress.expect(
        2 + PDF_SECONDS_PER_ROW * total, until=95, message=f"Laying out {total:,} recommendations on the pages"
    )
    rendered = render_pdf_checked("reviews/tracker_pdf.html", context)
    # At once, the person is told on their next page; from the worker, the PDF's last page says so.
    tell_of_unshown_characters(request, rendered, document="The tracker (PDF)")
    return BuiltFile(
        filename=f"recommendation-tracker-{today:%Y-%m-%d}.pdf",
        content_type="application/pdf",
        content=rendered.content,
        subjects=subjects,
    )


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy is kept in browser or proxy caches.
@permission_required("reviews.view_recommendation", raise_exception=True)
def tracker_export(request, fmt):
    """The tracker's downloads (tracker_file): at once when small (settings PDF_ROWS_IN_REQUEST or
    SPREADSHEET_ROWS_IN_REQUEST rows, and for the PDF PDF_CHARACTERS_IN_REQUEST characters of
    tracker_characters), otherwise made by the worker
    while the person is sent to the document's page, which shows its progress and then the download."""
    if fmt not in (*SPREADSHEET_FORMATS, "pdf"):
        raise Http404("The tracker downloads as CSV, XLSX or PDF")
    _, filterset = _tracker(request)
    described = ", ".join(filterset.described())
    rows = filterset.qs.count()
    at_once = rows <= kinds.rows_in_request(fmt)
    if at_once and fmt == "pdf":
        # A few long recommendations take WeasyPrint as long as many short ones (issue 13).
        at_once = tracker_characters(filterset.qs) <= settings.PDF_CHARACTERS_IN_REQUEST
    return documents.respond(
        request,
        kind=TRACKER_DOCUMENT,
        fmt=fmt,
        rows=rows,
        at_once=at_once,
        title=f"Recommendations: {described}" if described else "Recommendations",
    )
