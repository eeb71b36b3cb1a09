"""Reusable reads of the provider register."""

from django.db.models import F

from providers.forms import SORTS
from providers.models import Provider, ProviderStatus, Setting
from qa_portal import access


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
    order = SORTS.get(filters.get("sort") or "name", SORTS["name"])[1]
    if order[0] == "-current_judgement":
        return providers.order_by(F("current_judgement").desc(nulls_last=True), "name")
    return providers.order_by(*order)


STATUS_TAG_COLOURS = {
    ProviderStatus.ACTIVE: "green",
    ProviderStatus.PLACEMENT_STOP: "red",
    ProviderStatus.NOT_TO_BE_USED: "orange",
    ProviderStatus.ARCHIVED: "grey",
}
