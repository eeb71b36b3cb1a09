"""The compliance overview for commissioning: each provider in use, the RAG ratings from its
latest review meeting held, its last QA visit, next review and recommendations; and its
CSV and Excel exports."""

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qa_portal.exports import spreadsheet_response
from qa_portal.lists import paginate, spreadsheet_format
from reviews.filters import ComplianceFilterSet
from reviews.overview import AREAS, compliance_rows, providers_in_use

PAGE_SIZE = 50


def _rows(request) -> tuple[ComplianceFilterSet, list]:
    filterset = ComplianceFilterSet(request.GET, queryset=providers_in_use(request.user), request=request)
    values = filterset.values
    rows = compliance_rows(
        request.user,
        filterset.qs,
        red=values.get("red", False),
        review_overdue=values.get("review_overdue", False),
        sort=filterset.sort_key,
    )
    return filterset, rows


@require_GET
@permission_required("reviews.view_reviewmeeting", raise_exception=True)
def compliance_overview(request):
    filterset, rows = _rows(request)
    page = paginate(request, rows, PAGE_SIZE)
    context = {"filterset": filterset, "page": page, "areas": AREAS}
    return render(request, "reviews/overview/compliance_overview.html", context)


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
        ]


@require_GET
@permission_required("reviews.view_reviewmeeting", raise_exception=True)
def compliance_export(request, fmt):
    """The overview as on screen (same filters, same order), every page of it."""
    fmt = spreadsheet_format(fmt)
    _, rows = _rows(request)
    # CSV says the RAG words in full; XLSX keeps dates as dates.
    return spreadsheet_response(
        fmt=fmt, name="compliance", columns=EXPORT_COLUMNS, rows=_export_rows(rows, as_text=fmt == "csv"), frozen="B2"
    )
