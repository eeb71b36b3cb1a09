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
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from providers.access import may_see_young_people
from providers.privacy import record_seen, young_people
from qa_portal import access
from qa_portal.documents import kinds
from qa_portal.documents import services as documents
from qa_portal.documents.kinds import BuiltFile, Progress, StreamedCsv
from qa_portal.exports import spreadsheet_response
from qa_portal.lists import SPREADSHEET_FORMATS, paginate
from qa_portal.pdf import render_pdf_checked, tell_of_unshown_characters
from qa_portal.periods import FinancialYear
from qa_portal.table_versions import cached_markup, code_digest, person_key
from reviews.filters import TRACKER_COLUMNS, TrackerFilterSet
from reviews.models import ProgressUpdate, Recommendation, RecommendationStatus, due_in_month_of, overdue_on
from reviews.models.recommendations import LIVE_STATUSES, latest_progress_of, provider_update_text
from reviews.tracker_csv import tracker_lines

PAGE_SIZE = 50
RELATED = ("provider", "young_person", "owner", "visit", "concern", "review_meeting")
# What a list row shows of its related records. Joining the visit, concern and review meeting as well
# (RELATED, for one recommendation's page) made PostgreSQL weigh so many join orders that planning
# the tracker's page took 17 to 40 ms at a consortium's size, for 1 ms of work (issue 15).
LISTED = ("provider", "young_person", "owner")


def with_latest_progress(queryset):
    """`queryset` with what each list row shows: its related records, and its latest progress note's
    text and time (last_note, last_note_at), from which Recommendation.latest_progress and
    latest_progress_at weigh the note against the provider's own answer, with no query of their own."""
    latest = ProgressUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-at", "-pk")
    return queryset.select_related(*LISTED).annotate(
        last_note=Subquery(latest.values("text")[:1]),
        last_note_at=Subquery(latest.values("at")[:1]),
    )


def _figures(visible, today: date) -> list[dict]:
    """The counts at the top of the tracker, over everything the user may see, in two queries."""
    year = FinancialYear.containing(today)
    # Only the rows a figure counts are read, each set through its own range of the index
    # recommendation_figures (status, completed_at): the live ones and those not accepted, then those
    # completed this year. Asked in one query with an OR, PostgreSQL read every entry of the index
    # (50,000 at a consortium's size) and kept a quarter.
    completed_from = timezone.make_aware(datetime.combine(year.start, time.min))
    completed_before = timezone.make_aware(datetime.combine(year.end + timedelta(days=1), time.min))
    counts = visible.filter(status__in=(*LIVE_STATUSES, RecommendationStatus.NOT_ACCEPTED)).aggregate(
        open=Count("pk", filter=Q(status=RecommendationStatus.OPEN)),
        in_progress=Count("pk", filter=Q(status=RecommendationStatus.IN_PROGRESS)),
        overdue=Count("pk", filter=overdue_on(today)),
        due_this_month=Count("pk", filter=due_in_month_of(today)),
        not_accepted=Count("pk", filter=Q(status=RecommendationStatus.NOT_ACCEPTED)),
    )
    counts["completed_this_year"] = visible.filter(
        status=RecommendationStatus.COMPLETED, completed_at__gte=completed_from, completed_at__lt=completed_before
    ).count()
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


def _tracker_page(request, today: date) -> tuple[str, list[int]]:
    """The tracker's content for `request.user` and the query string as markup, and the ids of the
    young people its rows show (none to those who may not see young people), for the access log."""
    visible, filterset = _tracker(request)
    shown = may_see_young_people(request.user)
    page = paginate(request, with_latest_progress(filterset.qs), PAGE_SIZE)
    context = {
        "filterset": filterset,
        # The young person's column only for those who may see young people (providers.access).
        "columns": [c for c in TRACKER_COLUMNS if shown or c.label != "Young person"],
        "page": page,
        "described": filterset.described(),
        "figures": _figures(visible, today),
        "today": today,
    }
    markup = render_to_string("reviews/tracker/_tracker_page.html", context, request=request)
    return markup, [rec.young_person_id for rec in page if rec.young_person_id is not None] if shown else []


@require_GET
@permission_required("reviews.view_recommendation", raise_exception=True)
def tracker(request):
    """The tracker, a page of recommendations at a time with the figures and the filters. Its content
    (the filters are a GET form: no CSRF token) is kept as markup per person, day and query string while
    no table it was read from is written (qa_portal.table_versions); who was seen is logged every time."""
    today = timezone.localdate()
    key = (
        person_key(request.user),
        today,
        tuple(request.GET.lists()),
        code_digest(__name__, "reviews.filters", "reviews.models.recommendations", "reviews.templatetags.tracker_rows"),
    )
    content, seen = cached_markup("tracker-page", key, lambda: _tracker_page(request, today))
    if may_see_young_people(request.user):
        record_seen(request, "Recommendation and Impact Tracker", seen)
    return render(request, "reviews/tracker/tracker.html", {"content": content})


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


# What a download's row shows, read as plain values in one query: of 50,000 recommendations, making
# a model instance of each and of its visit, meeting, concern, provider and owner, with the rest of
# their fields, took most of the time and memory.
EXPORT_VALUES = (
    *("pk", "source", "level", "text", "action_holder", "priority", "due_date", "status", "created_at"),
    *("impact_statement", "completed_at", "not_accepted_reason"),
    *("provider_id", "provider__name", "young_person_id", "young_person__initials", "owner__full_name"),
    *("provider_accepted", "provider_reason", "provider_action", "provider_action_by", "provider_responded_at"),
    *("visit_id", "visit__visit_date", "visit__planned_date"),
    *("review_meeting_id", "review_meeting__held_at", "review_meeting__due_date"),
    *("concern_id", "concern__received_on"),
    *("last_note", "last_note_at"),
)
# Rows fetched from the database at a time while a download is written.
EXPORT_CHUNK = 2000


def export_columns(*, young_people_shown: bool) -> list[str]:
    """The download's columns: the young person's only for those who may see young people."""
    return [c for c in EXPORT_COLUMNS if young_people_shown or c != "Young person"]


def export_values(queryset):
    """`queryset`'s recommendations as dicts of EXPORT_VALUES, in its order: what each row of a
    download shows of its related records and its latest progress note, in one query."""
    latest = ProgressUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-at", "-pk")
    return queryset.annotate(
        last_note=Subquery(latest.values("text")[:1]), last_note_at=Subquery(latest.values("at")[:1])
    ).values(*EXPORT_VALUES)


def export_rows_of(queryset, *, young_people_shown: bool):
    """The download's rows of `queryset`'s recommendations, in its order: read from the database a
    chunk at a time (export_values), so neither memory nor the number of queries grows with the list."""
    values = export_values(queryset).iterator(chunk_size=EXPORT_CHUNK)
    return _export_rows(values, young_people_shown=young_people_shown)


def export_subjects(queryset, *, young_people_shown: bool):
    """The young people the download of `queryset` holds, for the access log, in one query."""
    if not young_people_shown:
        return young_people()
    ids = queryset.order_by().filter(young_person__isnull=False).values_list("young_person_id", flat=True)
    return young_people(ids.distinct())


def tracker_csv(request) -> StreamedCsv:
    """The tracker as on screen (same filters, same order, every page) as a CSV sent as it is
    written, for `request.user` (qa_portal.documents.services.respond): its lines written by
    PostgreSQL (reviews.tracker_csv), in the words and formats of the XLSX's rows (_export_rows)."""
    _, filterset = _tracker(request)
    shown = may_see_young_people(request.user)
    return StreamedCsv(
        name="recommendation-tracker",
        columns=export_columns(young_people_shown=shown),
        lines=tracker_lines(export_values(filterset.qs), young_people_shown=shown),
        subjects=export_subjects(filterset.qs, young_people_shown=shown),
    )


def _export_rows(rows, *, young_people_shown: bool):
    """Each of `rows` (dicts of EXPORT_VALUES) as the download's row, in the tracker's words."""
    labels = {
        field: dict(Recommendation._meta.get_field(field).choices)
        for field in ("source", "level", "action_holder", "priority", "status")
    }
    uk = timezone.get_current_timezone()
    today = timezone.localdate()

    def local_date(moment):
        return moment.astimezone(uk).date() if moment else None

    for row in rows:
        # Where it came from, with its date: "QA visit, 23/04/2024".
        source = labels["source"].get(row["source"], row["source"])
        if row["visit_id"]:
            source = f"{source}, {row['visit__visit_date'] or row['visit__planned_date']:%d/%m/%Y}"
        elif row["review_meeting_id"]:
            held_on = local_date(row["review_meeting__held_at"])
            source = f"{source}, {held_on or row['review_meeting__due_date']:%d/%m/%Y}"
        elif row["concern_id"]:
            source = f"{source}, {row['concern__received_on']:%d/%m/%Y}"
        provider_name = row["provider__name"] if row["provider_id"] else ""
        accepted = row["provider_accepted"]
        progress, progress_at = latest_progress_of(
            note=row["last_note"],
            note_at=row["last_note_at"],
            answered=row["provider_responded_at"],
            provider_update=lambda row=row, name=provider_name: provider_update_text(
                provider_name=name,
                accepted=row["provider_accepted"],
                reason=row["provider_reason"],
                action=row["provider_action"],
                action_by=row["provider_action_by"],
            ),
        )
        if accepted is None:
            response = "No response yet" if row["provider_id"] else ""
        else:
            response = "Accepted" if accepted else f"Not accepted: {row['provider_reason']}"
        young_person = [(row["young_person__initials"] or "") if row["young_person_id"] else ""]
        yield [
            row["pk"],
            source,
            provider_name,
            labels["level"].get(row["level"], row["level"]),
            *(young_person if young_people_shown else []),
            row["text"],
            row["owner__full_name"],
            labels["action_holder"].get(row["action_holder"], row["action_holder"]),
            labels["priority"].get(row["priority"], row["priority"]),
            row["due_date"],
            "Yes" if row["status"] in LIVE_STATUSES and row["due_date"] < today else "No",
            labels["status"].get(row["status"], row["status"]),
            progress or "",
            local_date(progress_at),
            row["impact_statement"],
            local_date(row["completed_at"]),
            row["not_accepted_reason"],
            response,
            row["provider_action"],
            row["provider_action_by"],
            local_date(row["created_at"]),
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
    shown = may_see_young_people(request.user)
    if fmt != "pdf":
        total = filterset.qs.count()
        rows = progress.rows(
            export_rows_of(filterset.qs, young_people_shown=shown),
            total,
            start=20,
            end=90,
            message="Writing recommendation {n} of {total}",
        )
        return BuiltFile.from_response(
            spreadsheet_response(
                fmt=fmt, name="recommendation-tracker", columns=export_columns(young_people_shown=shown), rows=rows
            ),
            # The young people of the child-level recommendations, logged when the file is handed over.
            subjects=export_subjects(filterset.qs, young_people_shown=shown),
        )
    recommendations = list(with_latest_progress(filterset.qs))
    total = len(recommendations)
    subjects = young_people((rec.young_person_id for rec in recommendations) if shown else ())
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
