"""Reusable reads of the provider register."""

from django.db.models import F

from providers.models import Provider, Setting
from qa_portal import access

# The provider list's sort orders: key in the query string -> (label, ordering).
SORTS = {
    "name": ("Name", ["name"]),
    "-name": ("Name (Z to A)", ["-name"]),
    "-placements": ("Most active placements", ["-active_placements", "name"]),
    # Judgements run 1 (Outstanding) to 4 (Inadequate); providers not yet inspected go last.
    "judgement": ("Worst judgement first", [F("current_judgement").desc(nulls_last=True), "name"]),
    "status": ("Status", ["status", "name"]),
}


def provider_areas() -> list[str]:
    """The local authority areas where settings are, for the area filter."""
    return list(
        Setting.objects.exclude(local_authority="")
        .order_by("local_authority")
        .values_list("local_authority", flat=True)
        .distinct()
    )


def filtered_providers(user, filters: dict):
    """The providers `user` may see, filtered and sorted as on the provider list."""
    providers = access.visible_to(user, Provider).with_active_placement_count()
    providers = providers.search(filters.get("q", ""))
    if filters.get("provision_type"):
        providers = providers.filter(provision_types__contains=[filters["provision_type"]])
    if filters.get("status"):
        providers = providers.filter(status=filters["status"])
    else:
        providers = providers.not_archived()
    judgement = filters.get("judgement") or ""
    if judgement == "none":
        providers = providers.filter(current_judgement__isnull=True, current_sa_outcome__isnull=True)
    elif judgement.startswith("sa") and judgement[2:].isdigit():
        providers = providers.filter(current_sa_outcome=int(judgement[2:]))
    elif judgement.isdigit():
        providers = providers.filter(current_judgement=int(judgement))
    if filters.get("area"):
        providers = providers.in_area(filters["area"])
    _, order = SORTS.get(filters.get("sort") or "name", SORTS["name"])
    return providers.order_by(*order)
