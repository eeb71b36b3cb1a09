"""Committee reports: write the narrative, preview the figures, generate packs in the background
and download any version. For managers and the QA lead (the view_committee_pack permission)."""

from contextlib import suppress
from datetime import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout, Size
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, OuterRef, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from redis.exceptions import RedisError

from qa_portal import access, dates
from qa_portal.access_log import record_download_naming_nobody
from qa_portal.fields import UKDateField
from qa_portal.inputs.forms import PortalForm
from qa_portal.intentions import Submit, one_record_per_intention
from qa_portal.lists import kept_content, paginate
from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import MAX_NARRATIVE, PERMISSION
from qa_portal.reporting.committee.charts import recommendations_chart, visits_chart
from qa_portal.reporting.committee.counting import FIGURES_KEPT_FOR, committee_figures_for_page
from qa_portal.reporting.committee.services import (
    NARRATIVE_FIELDS,
    EditConflict,
    committee_pack_generate,
    committee_pack_resend,
    committee_report_change_period,
    committee_report_create,
    committee_report_save,
)
from qa_portal.reporting.models import CommitteePackVersion, CommitteeReport, PackStatus
from qa_portal.tags import tag_for

LABELS = {"introduction": "Introduction", "learning": "Learning", "future_plans": "Future plans"}
HINTS = {
    "introduction": "Why the programme exists and how it works. Section 1 of the pack.",
    "learning": "What worked, what did not, and what you would change. Section 6.",
    "future_plans": "What happens next year. Start a line with a dash (-) to make a bulleted list. Section 7.",
}


class PeriodForm(PortalForm):
    """The period a committee report covers: one a committee reports on (`qa_portal.dates.period_problem`:
    starting from 2000 to a year from today, ending on or after its start, 2 years long at most)."""

    period_start = UKDateField(
        label="Start of the period", help_text="For example, 1 4 2024", within=dates.PERIOD_START
    )
    period_end = UKDateField(label="End of the period", help_text="For example, 31 3 2025")
    submit = ("save", "Save the period")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*self.layout_fields(), Submit(*self.submit))

    def layout_fields(self) -> list:
        return [Field.text("period_start"), Field.text("period_end")]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and (problem := dates.period_problem(start, end)):
            field, message = problem
            if field not in self.errors:
                self.add_error(field, message)
        return data


class ReportStartForm(PeriodForm):
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="Leave it blank for “Quality Assurance of Care Providers Annual Report” and the year",
        error_messages={"max_length": "The title must be 200 characters or fewer"},
    )
    submit = ("start", "Start report")

    def layout_fields(self) -> list:
        return [*super().layout_fields(), Field.text("title")]


def _conflict_note(name: str) -> HTML:
    # Shown under a box only when a colleague's saved text differs from what is in it.
    return HTML(
        f'{{% if theirs.{name} is not None %}}<div class="govuk-inset-text">'
        f'<p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">'
        f"Saved by {{{{ theirs.by }}}} meanwhile:</p>"
        f'<p class="govuk-body">{{{{ theirs.{name}|default:"(blank)"|linebreaksbr }}}}</p></div>{{% endif %}}'
    )


class NarrativeForm(PortalForm):
    """The narrative parts of the report. No maxlength on the boxes (PortalForm leaves it off text
    areas): a browser would cut pasted text short without a word, so a long text is refused here,
    beside its box, and kept."""

    introduction = forms.CharField(
        label=LABELS["introduction"], required=False, max_length=MAX_NARRATIVE, widget=forms.Textarea
    )
    learning = forms.CharField(
        label=LABELS["learning"], required=False, max_length=MAX_NARRATIVE, widget=forms.Textarea
    )
    future_plans = forms.CharField(
        label=LABELS["future_plans"], required=False, max_length=MAX_NARRATIVE, widget=forms.Textarea
    )
    loaded_at = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, hint in HINTS.items():
            self.fields[name].help_text = hint
        self.helper = FormHelper()
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(
            *[
                item
                for name in NARRATIVE_FIELDS
                for item in (
                    Field.textarea(name, rows=8, max_characters=MAX_NARRATIVE, threshold=80),
                    _conflict_note(name),
                )
            ],
            "loaded_at",
            Submit("save", "Save draft", css_class="govuk-button--secondary"),
        )

    def clean_loaded_at(self):
        value = parse_datetime(self.cleaned_data["loaded_at"])
        if value is None:
            raise forms.ValidationError("Reload the page and try again")
        return value


def _period_initial(report: CommitteeReport) -> dict:
    return {"period_start": dates.as_typed(report.period_start), "period_end": dates.as_typed(report.period_end)}


def _report(request, pk, *, change=False) -> CommitteeReport:
    return access.get_for_user(request.user, CommitteeReport.objects.select_related("updated_by"), pk=pk, change=change)


def _version(request, pk, version_pk, *, change=False) -> CommitteePackVersion:
    # The version must belong to the report named in the address: another report's version is not found.
    return access.get_for_user(
        request.user,
        CommitteePackVersion.objects.defer("pdf").select_related("created_by", "report"),
        change=change,
        pk=version_pk,
        report_id=pk,
    )


def _progress_url(version: CommitteePackVersion) -> str:
    return reverse("committee:version_progress", args=[version.report_id, version.pk])


def _download_url(version: CommitteePackVersion) -> str:
    return reverse("committee:version_download", args=[version.report_id, version.pk])


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def report_list(request):
    latest_done = (
        CommitteePackVersion.objects.filter(report=OuterRef("pk"), status=PackStatus.DONE)
        .order_by("-number")
        .values("pk")[:1]
    )
    reports = list(
        access.visible_to(request.user, CommitteeReport)
        .select_related("updated_by")
        .annotate(version_count=Count("versions"), last_version=Max("versions__created_at"))
        .annotate(latest_done_id=Subquery(latest_done))
    )
    done = CommitteePackVersion.objects.defer("pdf").in_bulk([r.latest_done_id for r in reports if r.latest_done_id])
    rows = [(report, done.get(report.latest_done_id)) for report in reports]
    return render(request, "reporting/committee/report_list.html", {"rows": rows})


@permission_required(PERMISSION, raise_exception=True)
@one_record_per_intention
def report_create(request):
    year = FinancialYear.last_full()
    form = ReportStartForm(
        request.POST or None,
        initial={"period_start": f"{year.start:%d/%m/%Y}", "period_end": f"{year.end:%d/%m/%Y}"},
    )
    if request.method == "POST" and form.is_valid():
        report = committee_report_create(by=request.user, **form.cleaned_data)
        messages.success(request, "Report started. Write the narrative, then generate the pack.")
        return redirect(report)
    return render(
        request,
        "components/form_page.html",
        {"form": form, "heading": "Start a committee report"},
    )


def _figures_html(report: CommitteeReport, *, count_again: bool) -> tuple[str, datetime]:
    """The report page's figures and charts as HTML, and when they were counted. Kept in the cache as
    long as the figures themselves (counting.FIGURES_KEPT_FOR, per period and day) and made again
    with them: the tables hold hundreds of values, and drawing them again on every opening took
    longer than the rest of the page (issue 15). Nothing in them depends on who is looking: everyone
    who may open the report sees all of it. Kept per report too: they link to the report's pages of
    the paragraph about each visit and of each provider's meetings (`report_visits`,
    `report_meetings`), thousands of rows at a consortium's size. When the cache cannot be reached
    they are made now."""
    start, end, today = report.period_start, report.period_end, timezone.localdate()
    key = f"committee-figures-html:{report.pk}:{start:%Y-%m-%d}:{end:%Y-%m-%d}:{today:%Y-%m-%d}"
    if not count_again:
        try:
            kept = cache.get(key)
        except (RedisError, ConnectionError):
            kept = None
        if kept is not None:
            html, counted_at = kept
            return mark_safe(html), counted_at
    figures, counted_at = committee_figures_for_page(report.period_start, report.period_end, count_again=count_again)
    charts = {"visits": visits_chart(figures), "recommendations": recommendations_chart(figures)}
    context = {"figures": figures, "charts": charts, "report_pk": report.pk}
    html = render_to_string("reporting/committee/_figures.html", context)
    # Kept no longer than the figures it shows have left to live, so both are counted again together.
    left = FIGURES_KEPT_FOR - (timezone.now() - counted_at)
    if left.total_seconds() > 0:
        with suppress(RedisError, ConnectionError):
            cache.set(key, (html, counted_at), left.total_seconds())
    _keep_parts(report, figures, counted_at)
    return html, counted_at


def _parts_key(report: CommitteeReport) -> str:
    # Per report, as its figures' HTML is: the two are kept, and counted again, together.
    start, end, today = report.period_start, report.period_end, timezone.localdate()
    return f"committee-figures-parts:{report.pk}:{start:%Y-%m-%d}:{end:%Y-%m-%d}:{today:%Y-%m-%d}"


def _keep_parts(report: CommitteeReport, figures, counted_at: datetime) -> dict:
    """The rows of the report's part pages, from `figures`: {"visits": [paragraph], "meetings":
    [(provider, cadence, due, held)]}; kept with the figures they come from, as long as those have left
    to live (whoever counts them again keeps these again), so a part page need not read the whole
    figures from the cache (4 MB at a consortium's size, 30 ms to unpickle)."""
    parts = {
        "visits": [summary.paragraph for summary in figures.visit_summaries],
        "meetings": [(row.provider, row.cadence, row.due, row.held) for row in figures.meetings_by_provider],
    }
    left = FIGURES_KEPT_FOR - (timezone.now() - counted_at)
    if left.total_seconds() > 0:
        with suppress(RedisError, ConnectionError):
            cache.set(_parts_key(report), (parts, counted_at), left.total_seconds())
    return parts


def _narrative_form(request, pk: int) -> NarrativeForm:
    # Read again here, so its table is among those the kept narrative watches.
    report = _report(request, pk)
    return NarrativeForm(
        initial={
            **{name: getattr(report, name) for name in NARRATIVE_FIELDS},
            "loaded_at": report.updated_at.isoformat(),
        }
    )


@permission_required(PERMISSION, raise_exception=True)
def report_detail(request, pk):
    """A committee report: its period, the versions of its pack, the narrative and the figures. Opened,
    the narrative's form is kept as markup per person, day and address while the report is not written
    (qa_portal.lists.kept_content, with a stand-in for its CSRF token put in at every opening: the
    button that generates a pack carries a one-time token, so it is drawn every time); the figures are
    kept as `_figures_html` says."""
    report = _report(request, pk, change=request.method == "POST")
    theirs, form = {}, None
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in NARRATIVE_FIELDS}
            try:
                committee_report_save(
                    report=report, by=request.user, loaded_at=form.cleaned_data["loaded_at"], values=values
                )
            except EditConflict as conflict:
                report = conflict.report
                saved_at = timezone.localtime(report.updated_at)
                by = report.updated_by.full_name if report.updated_by else "someone else"
                theirs = {"by": by}
                for name in NARRATIVE_FIELDS:
                    saved = getattr(report, name)
                    theirs[name] = saved if saved != values[name] else None
                # Saving again now saves over their version: they have been shown it, beside yours.
                form = NarrativeForm({**request.POST.dict(), "loaded_at": report.updated_at.isoformat()})
                form.is_valid()
                form.add_error(
                    None,
                    f"{by} saved this report at {saved_at:%H:%M} on {saved_at:%-d %B} since you opened it. "
                    "Your text is still in the boxes and theirs is shown under each one that differs. "
                    "Combine them, then save again.",
                )
            else:
                messages.success(request, "Draft saved.")
                return redirect(reverse("committee:report_detail", args=[report.pk]) + "#narrative")
    if request.method == "POST":
        narrative = render_to_string(
            "reporting/committee/_narrative.html", {"form": form, "theirs": theirs}, request=request
        )
    else:
        narrative, _ = kept_content(
            request,
            "committee-narrative",
            "reporting/committee/_narrative.html",
            lambda: ({"form": _narrative_form(request, report.pk), "theirs": {}}, None),
            code=(__name__,),
            posts=True,
        )
    # A period stored before periods were checked (01/01/0001, 31/12/9999) cannot be counted: the page
    # says so and offers to correct it, rather than fail every time it is opened.
    period_form = figures = counted_at = None
    if report.period_problem:
        period_form = PeriodForm(
            initial={
                "period_start": dates.as_typed(report.period_start),
                "period_end": dates.as_typed(report.period_end),
            }
        )
        period_form.helper.form_action = reverse("committee:report_period", args=[report.pk])
    else:
        figures, counted_at = _figures_html(report, count_again=request.GET.get("count") == "again")
    versions = list(report.versions.defer("pdf").select_related("created_by").order_by("-number"))
    return render(
        request,
        "reporting/committee/report_detail.html",
        {
            "report": report,
            "form": form,  # posted: drawn again only with its errors
            "has_errors": form is not None,
            "narrative": narrative,
            "figures": figures,
            "counted_at": counted_at,
            "period_form": period_form,
            "versions": [
                {"version": v, "progress_url": _progress_url(v), "download_url": _download_url(v)} for v in versions
            ],
        },
    )


VISITS_PER_PAGE = 50
PROVIDERS_PER_PAGE = 100


def _figures_part(request, pk, *, part: str, heading: str, per_page: int, template: str):
    """A part of the report's figures (`_keep_parts`), a page at a time, counted with those on the
    report's page (committee_figures_for_page)."""
    report = _report(request, pk)
    if report.period_problem:
        return redirect(report)  # nothing can be counted: the report page says why and how to mend it
    try:
        kept = cache.get(_parts_key(report))
    except (RedisError, ConnectionError):
        kept = None
    if kept is not None:
        parts, counted_at = kept
    else:
        figures, counted_at = committee_figures_for_page(report.period_start, report.period_end)
        parts = _keep_parts(report, figures, counted_at)
    context = {
        "report": report,
        "heading": heading,
        "page": paginate(request, parts[part], per_page),
        "counted_at": counted_at,
    }
    return render(request, template, context)


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def report_visits(request, pk):
    """Section 2 of the pack on a page of its own: the paragraph about each visit, VISITS_PER_PAGE at a
    time, counted with the figures on the report's page (committee_figures_for_page)."""
    return _figures_part(
        request,
        pk,
        part="visits",
        heading="The paragraph about each visit",
        per_page=VISITS_PER_PAGE,
        template="reporting/committee/report_visits.html",
    )


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def report_meetings(request, pk):
    """Section 3's table on a page of its own: the review meetings due and held at each provider,
    PROVIDERS_PER_PAGE at a time, counted with the figures on the report's page."""
    return _figures_part(
        request,
        pk,
        part="meetings",
        heading="Meetings due and held, by provider",
        per_page=PROVIDERS_PER_PAGE,
        template="reporting/committee/report_meetings.html",
    )


@permission_required(PERMISSION, raise_exception=True)
def report_period(request, pk):
    """Change the period a report covers; how a period stored before periods were checked is mended."""
    report = _report(request, pk, change=request.method == "POST")
    form = PeriodForm(request.POST or None, initial=_period_initial(report))
    if request.method == "POST" and form.is_valid():
        try:
            committee_report_change_period(
                report=report,
                by=request.user,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Period saved. The figures are counted for it.")
            return redirect(report)
    return render(
        request,
        "reporting/committee/report_period.html",
        {"form": form, "heading": "Change the period", "report": report},
    )


@require_POST
@permission_required(PERMISSION, raise_exception=True)
@one_record_per_intention
def pack_generate(request, pk):
    report = _report(request, pk, change=True)
    if report.period_problem:
        messages.error(request, f"Correct the period before generating the pack: {report.period_problem}")
        return redirect(report)
    version = committee_pack_generate(report=report, by=request.user)
    messages.success(
        request,
        f"Version {version.number} of the pack is queued. It is made in the background: "
        "you can leave this page and come back.",
    )
    return redirect(reverse("committee:report_detail", args=[report.pk]) + "#versions")


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def version_resend(request, pk, version_pk):
    version = _version(request, pk, version_pk, change=True)
    if committee_pack_resend(version=version):
        messages.success(request, f"Version {version.number} has been sent to the background worker again.")
    else:
        messages.info(request, f"Version {version.number} is being made or is ready: there is nothing to try again.")
    return redirect(reverse("committee:report_detail", args=[pk]) + "#versions")


@require_GET
@never_cache
@permission_required(PERMISSION, raise_exception=True)
def version_progress(request, pk, version_pk):
    """Where a version has got to, for the page's progress bar (polled every 2 seconds)."""
    version = _version(request, pk, version_pk)
    return JsonResponse(
        {
            "number": version.number,
            "status": version.status,
            "status_label": version.get_status_display(),
            "status_class": tag_for("pack_status", version.status).css_class,
            "progress": version.progress,
            "message": version.progress_message,
            "finished": version.is_finished,
            "error": version.error,
            "download_url": _download_url(version) if version.status == PackStatus.DONE else None,
            "resend_url": reverse("committee:version_resend", args=[version.report_id, version.pk]),
            "size": version.pdf_size,
        }
    )


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy kept in browser or proxy caches
@permission_required(PERMISSION, raise_exception=True)
def version_download(request, pk, version_pk):
    version = _version(request, pk, version_pk)
    if version.status != PackStatus.DONE:
        raise Http404("This version of the pack is not ready.")
    pdf = CommitteePackVersion.objects.values_list("pdf", flat=True).get(pk=version.pk)
    # The pack names no young person (its visit reports are laid out without them), so its download is
    # recorded for who, when and which version, with nobody's data in it.
    what = f"Committee pack: {version.report.title}, version {version.number}"
    record_download_naming_nobody(request.user, what, record=version, request=request)
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{version.filename()}"'
    response["Cache-Control"] = "no-store"
    return response
