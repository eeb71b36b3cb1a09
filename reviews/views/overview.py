"""The compliance overview for commissioning: each provider in use, the RAG ratings from its
latest review meeting held, its last QA visit, next review and recommendations; and its
CSV and Excel exports."""

from datetime import date

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from providers.forms import ProviderFilterForm
from providers.models import ProviderStatus
from qa_portal.exports import spreadsheet_response
from reviews.overview import AREAS, IN_USE, SORTS, compliance_rows

PAGE_SIZE = 50


class ComplianceFilterForm(ProviderFilterForm):
    """The provider list's status, judgement and provision type filters, and the overview's own."""

    red = forms.BooleanField(label="Has a red rating at the latest review", required=False)
    review_overdue = forms.BooleanField(label="Review overdue", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, areas=[], **kwargs)
        del self.fields["q"]
        del self.fields["area"]
        self.fields["status"].choices = [("", "Any"), *[(s, ProviderStatus(s).label) for s in IN_USE]]
        self.order_fields(["status", "judgement", "provision_type", "red", "review_overdue", "sort"])


def _filters(request) -> tuple[ComplianceFilterForm, dict]:
    form = ComplianceFilterForm(request.GET or None)
    if not (form.is_bound and form.is_valid()):
        return form, {}
    return form, {key: value for key, value in form.cleaned_data.items() if value}


@require_GET
@permission_required("reviews.view_reviewmeeting", raise_exception=True)
def compliance_overview(request):
    form, filters = _filters(request)
    rows = compliance_rows(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(key != "sort" for key in filters)
    context = {"form": form, "page": page, "areas": AREAS, "filtered": filtered}
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
    if fmt not in ("csv", "xlsx"):
        raise Http404("Exports are CSV or XLSX")
    _, filters = _filters(request)
    rows = compliance_rows(request.user, filters)
    # CSV says the RAG words in full; XLSX keeps dates as dates.
    return spreadsheet_response(
        fmt=fmt, name="compliance", columns=EXPORT_COLUMNS, rows=_export_rows(rows, as_text=fmt == "csv"), frozen="B2"
    )
