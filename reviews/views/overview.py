"""The compliance overview for commissioning: each provider in use, the RAG ratings from its
latest review meeting held, its last QA visit, next review and recommendations; and its
CSV and Excel exports."""

import csv
from datetime import date

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from providers.forms import ProviderFilterForm
from providers.models import ProviderStatus
from providers.views.register import _safe_cell
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
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="compliance-{stamp}.csv"'
        response.write("\ufeff")  # so Excel reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows([_safe_cell(cell) for cell in row] for row in _export_rows(rows, as_text=True))
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Compliance"
    sheet.append(EXPORT_COLUMNS)
    for row in _export_rows(rows, as_text=False):
        sheet.append([_safe_cell(cell) for cell in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "B2"
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="compliance-{stamp}.xlsx"'
    workbook.save(response)
    return response
