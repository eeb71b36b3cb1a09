"""The compliance overview for commissioning: each provider in use, the RAG ratings from its
latest review meeting held, its last QA visit, next review and recommendations; and its
CSV and Excel exports."""

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qa_portal.documents import services as documents
from qa_portal.documents.kinds import BuiltFile, Progress, StreamedCsv
from qa_portal.exports import spreadsheet_response
from qa_portal.lists import paginate, spreadsheet_format
from qa_portal.table_versions import cached_markup, code_digest, person_key
from reviews.filters import ComplianceFilterSet
from reviews.overview import AREAS, compliance_rows, providers_in_order, providers_in_use

PAGE_SIZE = 50


def _providers(request) -> tuple[ComplianceFilterSet, object]:
    """The filter set, and the providers it lets through in the order chosen (reviews.overview)."""
    filterset = ComplianceFilterSet(request.GET, queryset=providers_in_use(request.user), request=request)
    values = filterset.values
    providers = providers_in_order(
        request.user,
        filterset.qs,
        red=values.get("red", False),
        review_overdue=values.get("review_overdue", False),
        sort=filterset.sort_key,
    )
    return filterset, providers


def _overview_page(request, today: date) -> tuple[str, None]:
    """The overview's content for `request.user` and the query string as markup (it names no young
    person): only the page's providers have their ratings, visits and recommendations read."""
    filterset, providers = _providers(request)
    page = paginate(request, providers, PAGE_SIZE)
    page.object_list = compliance_rows(request.user, page.object_list, today=today)
    context = {"filterset": filterset, "page": page, "areas": AREAS}
    return render_to_string("reviews/overview/_compliance_overview_page.html", context, request=request), None


@require_GET
@permission_required("reviews.view_reviewmeeting", raise_exception=True)
def compliance_overview(request):
    """The overview, a page of providers at a time. Its content (the filters are a GET form: no CSRF
    token) is kept as markup per person, day and query string while no table it was read from is
    written (qa_portal.table_versions)."""
    today = timezone.localdate()
    key = (
        person_key(request.user),
        today,
        tuple(request.GET.lists()),
        code_digest(__name__, "reviews.overview", "reviews.selectors", "reviews.filters"),
    )
    content, _ = cached_markup("compliance-overview-page", key, lambda: _overview_page(request, today))
    return render(request, "reviews/overview/compliance_overview.html", {"content": content})


EXPORT_COLUMNS = [
    "Provider",
    "Status",
    "Provision types",
    "Current judgement",
    "Active placements",
    "Latest review held",
    *[area.label for area in AREAS],
    "Last QA visit",
    "Review cadence",
    "Next review due",
    "Review overdue",
    "Open recommendations",
    "Overdue recommendations",
    "Risk rating",
]


def _export_rows(rows, *, as_text: bool):
    def when(day: date | None):
        if day is None:
            return ""
        return day.strftime("%d/%m/%Y") if as_text else day

    for row in rows:
        provider, review = row.provider, row.review
        yield [
            provider.name,
            provider.get_status_display(),
            ", ".join(provider.provision_type_labels),
            provider.judgement_label,
            provider.active_placements,
            when(row.meeting.held_on if row.meeting else None),
            *[rating.label for rating in row.ratings],
            when(row.last_visit),
            review.cadence_label,
            when(review.next_due),
            "Yes" if review.is_overdue else "No",
            row.open_recommendations,
            row.overdue_recommendations,
            provider.get_risk_rating_display(),
        ]


# The registered kind of document (reviews.apps): made at once when small, by the worker when big.
COMPLIANCE_DOCUMENT = "compliance-overview"


def compliance_file(request, fmt: str, progress: Progress) -> BuiltFile:
    """The overview as on screen (same filters, same order), every page of it, as CSV or XLSX for
    `request.user`; made in the web request when small, by the worker otherwise."""
    progress(10, "Reading the providers and their latest reviews")
    _, providers = _providers(request)
    rows = compliance_rows(request.user, providers)
    counted = progress.rows(rows, len(rows), start=30, end=90, message="Writing provider {n} of {total}")
    # CSV says the RAG words in full; XLSX keeps dates as dates.
    return BuiltFile.from_response(
        spreadsheet_response(
            fmt=fmt,
            name="compliance",
            columns=EXPORT_COLUMNS,
            rows=_export_rows(counted, as_text=fmt == "csv"),
            frozen="B2",
        )
    )


def compliance_csv(request) -> StreamedCsv:
    """The overview as on screen (same filters, same order), every page of it, as a CSV sent as it
    is written, for `request.user` (qa_portal.documents.services.respond)."""
    _, providers = _providers(request)
    return StreamedCsv(
        name="compliance",
        columns=EXPORT_COLUMNS,
        rows=_export_rows(_rows_in_chunks(request.user, providers), as_text=True),
    )


def _rows_in_chunks(user, providers, size: int = PAGE_SIZE * 10):
    """The rows of `providers` (in their order), built a chunk of providers at a time, as the page builds
    the rows of one page: what is held at once stays the same whatever the number of providers."""
    providers = list(providers)
    for start in range(0, len(providers), size):
        yield from compliance_rows(user, providers[start : start + size])


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy is kept in browser or proxy caches.
@permission_required("reviews.view_reviewmeeting", raise_exception=True)
def compliance_export(request, fmt):
    """The overview's downloads (compliance_file): at once when small, otherwise made by the worker."""
    fmt = spreadsheet_format(fmt)
    filterset = ComplianceFilterSet(request.GET, queryset=providers_in_use(request.user), request=request)
    # The providers the filters let through; a few may still drop out on their ratings.
    return documents.respond(
        request, kind=COMPLIANCE_DOCUMENT, fmt=fmt, rows=filterset.qs.count(), title="Compliance overview"
    )
