"""Providers' pages: the list and its downloads, a provider's page, its settings, placements and
history (the forms that add and change them are providers.views.editing)."""

from django.contrib.auth.decorators import permission_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from providers import of_concern, panels
from providers.access import may_see_history
from providers.filters import PROVIDER_COLUMNS, ProviderFilterSet
from providers.models import (
    Concern,
    Contact,
    InspectionScale,
    OfstedInspection,
    Placement,
    Provider,
    Setting,
)
from providers.privacy import record_seen
from providers.views.risk import risk_context
from qa_portal import access
from qa_portal.documents import services as documents
from qa_portal.documents.kinds import BuiltFile, Progress, StreamedCsv
from qa_portal.exports import spreadsheet_response
from qa_portal.history import changes_for
from qa_portal.lists import kept_content, paginate, spreadsheet_format
from qa_portal.table_versions import cached_markup, code_digest, person_key

PAGE_SIZE = 25
# The provider page shows the first few of each list that grows with the provider (the busiest of a
# regional consortium has hundreds of placements and concerns), with a link to the whole list.
PLACEMENTS_SHOWN = 20
CONCERNS_SHOWN = 10
SETTINGS_SHOWN = 20
PLACEMENTS_PAGE_SIZE = 50
SETTINGS_PAGE_SIZE = 50
# The code the provider page's kept content depends on (its panels' included): a new version of any
# of them is not served what an old one kept.
_PAGE_MODULES = (
    __name__,
    "qa_portal.history",
    "providers.of_concern",
    "providers.views.risk",
    "providers.panels",
    "reviews.panels",
    "visits.panels",
)


def _providers(request) -> ProviderFilterSet:
    visible = access.visible_to(request.user, Provider).with_active_placement_count()
    return ProviderFilterSet(request.GET, queryset=visible, request=request)


@require_GET
@permission_required("providers.view_provider", raise_exception=True)
def provider_list(request):
    """The providers, a page at a time with the filters and why each is of concern. Its content (the
    filters are a GET form: no CSRF token) is kept as markup per person, day and query string while no
    table it was read from is written (qa_portal.lists.kept_content); it names no young person."""
    content, _ = kept_content(
        request,
        "provider-list",
        "providers/_provider_list_page.html",
        lambda: (_provider_list_context(request), None),
        code=(__name__, "providers.filters", "providers.of_concern", "providers.access"),
    )
    return render(request, "providers/provider_list.html", {"content": content})


def _provider_list_context(request) -> dict:
    filterset = _providers(request)
    page = paginate(request, filterset.qs, PAGE_SIZE)
    found = of_concern.reasons_of_concern(
        request.user, Provider.objects.filter(pk__in=[p.pk for p in page]), timezone.localdate()
    )
    for provider in page:
        provider.concern_reasons = found.get(provider.pk, [])
    return {"filterset": filterset, "page": page, "columns": PROVIDER_COLUMNS}


EXPORT_COLUMNS = [
    "Name",
    "Provision types",
    "Contract route",
    "Status",
    "Current judgement",
    "Active placements",
    "Settings",
    "Local authority areas",
    "High cost",
    "New to the authority",
    "Of concern",
    "Risk rating",
]


def _with_settings(providers):
    """`providers` with what a download's row shows of their settings, read in the same query
    (`settings_count`, and `setting_areas`: each setting's local authority area, "" left out). Fetched
    alongside, the settings took one more query for every 500 providers streamed."""
    settings = Setting._default_manager.filter(provider=OuterRef("pk"))
    counted = settings.order_by().values("provider").annotate(n=Count("pk")).values("n")
    return providers.annotate(
        settings_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        setting_areas=ArraySubquery(settings.exclude(local_authority="").values("local_authority")),
    )


def _export_rows(providers, concern_reasons: dict[int, list[str]]):
    for provider in providers:
        areas = sorted(set(provider.setting_areas))
        yield [
            provider.name,
            ", ".join(provider.provision_type_labels),
            provider.get_contract_route_display(),
            provider.get_status_display(),
            provider.judgement_label,
            provider.active_placements,
            provider.settings_count,
            ", ".join(areas),
            "Yes" if provider.high_cost else "No",
            "Yes" if provider.new_to_authority else "No",
            "; ".join(concern_reasons.get(provider.pk, [])) or "No",
            provider.get_risk_rating_display(),
        ]


# The registered kind of document (providers.apps): made at once when small, by the worker when big.
PROVIDERS_DOCUMENT = "providers"


def provider_file(request, fmt: str, progress: Progress) -> BuiltFile:
    """The provider list as on screen (same filters, same order), every page of it, as CSV or XLSX
    for `request.user`; made in the web request when small, by the worker otherwise."""
    progress(10, "Reading the providers")
    found = _providers(request).qs
    concern_reasons = of_concern.reasons_of_concern(request.user, found, timezone.localdate())
    providers = list(_with_settings(found))
    counted = progress.rows(providers, len(providers), start=30, end=90, message="Writing provider {n} of {total}")
    return BuiltFile.from_response(
        spreadsheet_response(
            fmt=fmt, name="providers", columns=EXPORT_COLUMNS, rows=_export_rows(counted, concern_reasons)
        )
    )


def provider_csv(request) -> StreamedCsv:
    """The provider list as on screen (same filters, same order), every page of it, as a CSV sent
    as it is written, for `request.user` (qa_portal.documents.services.respond)."""
    found = _providers(request).qs
    concern_reasons = of_concern.reasons_of_concern(request.user, found, timezone.localdate())
    return StreamedCsv(
        name="providers",
        columns=EXPORT_COLUMNS,
        rows=_export_rows(_with_settings(found).iterator(chunk_size=500), concern_reasons),
    )


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy is kept in browser or proxy caches.
@permission_required("providers.view_provider", raise_exception=True)
def provider_export(request, fmt):
    """The provider list's downloads (provider_file): at once when small, otherwise made by the worker."""
    fmt = spreadsheet_format(fmt)
    filterset = _providers(request)
    return documents.respond(
        request, kind=PROVIDERS_DOCUMENT, fmt=fmt, rows=filterset.qs.count(), title=_described(filterset)
    )


def _described(filterset: ProviderFilterSet) -> str:
    """What the filtered list holds, in words, for the document's page ("Providers: fostering")."""
    fields = filterset.form.fields
    words = []
    for name, value in filterset.values.items():
        if name != "sort":
            choices = getattr(fields[name], "choices", None)  # iterated, not tested for truth: may be lazy
            shown = dict(choices).get(value, value) if choices is not None else value
            words.append(f"{fields[name].label.lower()} {shown}")
    return f"Providers: {'; '.join(words)}" if words else "Providers"


def provider_history_sources(provider: Provider, user):
    """The change history of the provider and its records, each part only if `user` may see those records:
    the change-history permission alone does not show concerns or placements (administrators hold it)."""
    sources = [
        (Provider.history.filter(id=provider.pk), lambda h: "Provider"),
        (Setting.history.filter(provider_id=provider.pk), lambda h: f"Setting: {h.name}"),
        (
            OfstedInspection.history.filter(provider_id=provider.pk),
            lambda h: f"Inspection of {h.inspection_date:%d/%m/%Y}",
        ),
        (Contact.history.filter(provider_id=provider.pk), lambda h: f"Contact: {h.name}"),
    ]
    if user.has_perm("providers.view_placement"):
        sources.append(
            (Placement.history.filter(provider_id=provider.pk), lambda h: f"Placement from {h.start_date:%d/%m/%Y}")
        )
    if user.has_perm("providers.view_concern"):
        sources.append(
            (Concern.history.filter(provider_id=provider.pk), lambda h: f"Concern of {h.received_on:%d/%m/%Y}")
        )
    return sources


def _with_inspections(settings: list[Setting], provider: Provider | None = None) -> list[OfstedInspection]:
    """Gives each of `settings` its `latest_inspection` (the latest full one: the one rule,
    OfstedInspectionQuerySet.deciding) and `visits_since` (the monitoring visits after it, newest
    first), in one query; with `provider`, the same query also reads the provider's own supported
    accommodation inspections, returned in the model's order (newest first)."""
    wanted = Q(setting__in=[setting.pk for setting in settings])
    if provider is not None:
        wanted |= Q(provider=provider, scale=InspectionScale.SUPPORTED_ACCOMMODATION)
    inspections = list(OfstedInspection.objects.filter(wanted).order_by("-inspection_date", "-pk"))
    by_setting: dict[int, list[OfstedInspection]] = {}
    for inspection in inspections:
        by_setting.setdefault(inspection.setting_id, []).append(inspection)
    for setting in settings:
        of_setting = by_setting.get(setting.pk, [])
        setting.latest_inspection = next((i for i in of_setting if i.is_full), None)
        setting.visits_since = [
            i
            for i in of_setting
            if not i.is_full
            and (setting.latest_inspection is None or i.inspection_date > setting.latest_inspection.inspection_date)
        ]
    if provider is None:
        return []
    return [
        i for i in inspections if i.provider_id == provider.pk and i.scale == InspectionScale.SUPPORTED_ACCOMMODATION
    ]


def _first_with_count(queryset, shown: int) -> tuple[list, int]:
    """The first `shown` of `queryset` (in its order) and how many it holds in all, in one query: the
    first are picked by their ids alone and only they are joined to the records shown with them, and
    the count is a subquery worked out once. (A window count over the joined rows joined every one
    before keeping the first: the busiest provider's 387 placements to all 10,000 young people and
    3,000 settings, issue 15.)"""
    total = queryset.order_by().values(everything=Value(1)).annotate(n=Count("pk")).values("n")
    first = queryset.values("pk")[:shown]
    rows = list(
        queryset.filter(pk__in=Subquery(first)).annotate(in_all=Subquery(total, output_field=IntegerField()))[:shown]
    )
    return rows, rows[0].in_all if rows else 0


def _provider_page(request, pk: int) -> tuple[str, list[int]]:
    """The provider page's content for `request.user` as markup, and the ids of the young people it
    shows (for the access log). Everything is read here, the provider too, so that every table it was
    read from is among those `cached_markup` watches."""
    user = request.user
    provider = access.get_for_user(user, Provider, pk=pk)
    settings = list(access.visible_to(user, Setting).filter(provider=provider))
    current = [s for s in settings if not s.is_archived]
    shown_settings = current[:SETTINGS_SHOWN]
    context = {
        "provider": provider,
        "settings": shown_settings,
        "setting_count": len(current),
        "archived_settings": [s for s in settings if s.is_archived],
        "provider_inspections": _with_inspections(shown_settings, provider),
        "contacts": list(access.visible_to(user, Contact).filter(provider=provider)),
        "status_changes": list(provider.status_changes.select_related("changed_by")),
        "can_change": access.can_change(user, provider),
        "concern_reasons": of_concern.reasons_for(user, provider, timezone.localdate()),
        **risk_context(user, provider),
    }
    active = Placement.objects.active().filter(provider=provider)
    if user.has_perm("providers.view_placement"):
        context["placements"], context["active_placement_count"] = _first_with_count(
            active.select_related("young_person", "setting").order_by("start_date", "pk"), PLACEMENTS_SHOWN
        )
        context["stop_confirmations"] = list(
            access.visible_to(user, Placement)
            .confirmed_despite_stop()
            .filter(provider=provider)
            .select_related("young_person", "stop_confirmed_by")
            .order_by("-stop_confirmed_at")
        )
    else:
        context["active_placement_count"] = active.count()
    # The review panel's cadence follows the active placements: counted once, here.
    provider.active_placements = context["active_placement_count"]
    if user.has_perm("providers.view_concern"):
        context["concerns"], context["concern_count"] = _first_with_count(
            access.visible_to(user, Concern).filter(provider=provider).select_related("setting", "young_person"),
            CONCERNS_SHOWN,
        )
    if may_see_history(user, provider):
        context["history"] = changes_for(provider_history_sources(provider, user), limit=10)
    shown = {p.young_person_id for p in context.get("placements", []) + context.get("stop_confirmations", [])}
    shown |= {concern.young_person_id for concern in context.get("concerns", [])}
    context["panels"] = panels.render_panels(request, provider, young_person_ids=shown)
    markup = render_to_string("providers/_provider_page.html", context, request=request)
    return markup, sorted(pk for pk in shown if pk is not None)


@require_GET
@permission_required("providers.view_provider", raise_exception=True)
def provider_detail(request, pk):
    """The provider page. Each list that grows with the provider (settings, placements, concerns, the
    recommendations and recent changes of the panels) shows its first few, with a link to it all, and
    the page's queries do not grow with them (issue 15). Its content (no form on it) is kept as markup
    per person and day while no table it was read from is written (qa_portal.table_versions); who was
    seen on it is logged at every opening."""
    provider = access.get_for_user(request.user, Provider, pk=pk)
    key = (person_key(request.user), provider.pk, timezone.localdate(), code_digest(*_PAGE_MODULES))
    content, shown = cached_markup("provider-page", key, lambda: _provider_page(request, provider.pk))
    record_seen(request, f"Provider page: {provider.name}", shown, record=provider)
    return render(request, "providers/provider_detail.html", {"provider": provider, "content": content})


@require_GET
@permission_required("providers.view_provider", raise_exception=True)
def provider_settings(request, pk):
    """Every setting of the provider in use (not archived), by name, a page at a time, with its latest
    Ofsted judgement (the provider page shows the first few)."""
    provider = access.get_for_user(request.user, Provider, pk=pk)
    current = (
        access.visible_to(request.user, Setting).filter(provider=provider, is_archived=False).order_by("name", "pk")
    )
    page = paginate(request, current, SETTINGS_PAGE_SIZE)
    page.object_list = list(page.object_list)
    _with_inspections(page.object_list)
    return render(request, "providers/provider_settings.html", {"provider": provider, "page": page})


@require_GET
@permission_required("providers.view_placement", raise_exception=True)
def provider_placements(request, pk):
    """Every young person placed with the provider now, a page at a time (the provider page shows the first)."""
    provider = access.get_for_user(request.user, Provider, pk=pk)
    active = access.visible_to(request.user, Placement.objects.active().filter(provider=provider)).select_related(
        "young_person", "setting"
    )
    page = paginate(request, active.order_by("start_date", "pk"), PLACEMENTS_PAGE_SIZE)
    record_seen(request, f"Active placements: {provider.name}", [p.young_person_id for p in page], record=provider)
    return render(request, "providers/provider_placements.html", {"provider": provider, "page": page})


@require_GET
@permission_required("providers.view_provider", raise_exception=True)
def provider_history(request, pk):
    """Every change to the provider and its records, 50 a page, newest first. Its content (no form) is
    kept as markup per person, day, provider and page while no table it was read from is written
    (qa_portal.lists.kept_content): the history tables grow with every save, and reading them all to
    page through them was most of the page's time."""
    provider = access.get_for_user(request.user, Provider, pk=pk)
    if not may_see_history(request.user, provider):
        raise PermissionDenied("You cannot see the change history of this provider.")

    def make_context():
        # Read again here, so the provider's table is among those the kept content watches (its name).
        shown = Provider.objects.get(pk=provider.pk)
        history = changes_for(provider_history_sources(shown, request.user))
        return {"provider": shown, "page": Paginator(history, 50).get_page(request.GET.get("page"))}, None

    content, _ = kept_content(
        request,
        "provider-history",
        "providers/_provider_history_page.html",
        make_context,
        code=(__name__, "qa_portal.history", "providers.access"),
    )
    return render(request, "providers/provider_history.html", {"provider": provider, "content": content})
