"""Reusable reads of the provider register."""

from providers.models import Setting


def provider_areas() -> list[str]:
    """The local authority areas where settings are, for the area filter."""
    return list(
        Setting.objects.exclude(local_authority="")
        .order_by("local_authority")
        .values_list("local_authority", flat=True)
        .distinct()
    )
