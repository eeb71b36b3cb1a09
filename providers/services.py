"""Workflows in the provider register that touch more than one record."""

from django.db import transaction

from providers import inspection_changes
from providers.models import (
    Concern,
    InspectionScale,
    Judgement,
    OfstedInspection,
    Provider,
    ProviderStatusChange,
    Severity,
)
from providers.notifications import tell_high_concern


@transaction.atomic
def provider_change_status(*, provider: Provider, to_status: str, reason: str, by) -> ProviderStatusChange | None:
    """Change a provider's status, recording why and by whom. Returns None if nothing changed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A status change needs a reason.")
    locked = Provider.objects.select_for_update().get(pk=provider.pk)
    if locked.status == to_status:
        return None
    change = ProviderStatusChange.objects.create(
        provider=locked, from_status=locked.status, to_status=to_status, reason=reason, changed_by=by
    )
    locked.status = to_status
    locked._change_reason = reason  # shown in the change history
    locked.save(update_fields=["status"])
    provider.status = to_status
    return change


def refresh_judgements(provider: Provider) -> bool:
    """Recompute the provider's current judgement from its inspections; True if it changed.

    Only full inspections count (`OfstedInspectionQuerySet.deciding`, the one rule): a later monitoring,
    assurance or interim visit never replaces a judgement.
    Current four-point judgement: the worst of each live setting's latest judged full inspection.
    Current supported accommodation outcome: the latest provider-level full inspection's outcome."""
    latest_by_setting: dict[int, int] = {}
    latest_sa = None
    for inspection in (
        OfstedInspection.objects.filter(provider=provider)
        .deciding()
        .select_related("setting")
        .order_by("-inspection_date", "-pk")
    ):
        if inspection.scale == InspectionScale.SUPPORTED_ACCOMMODATION:
            latest_sa = latest_sa or inspection.sa_outcome
        elif (
            inspection.judgement != Judgement.NOT_JUDGED
            and inspection.setting_id not in latest_by_setting
            and not (inspection.setting and inspection.setting.is_archived)
        ):
            latest_by_setting[inspection.setting_id] = inspection.judgement
    judgement = max(latest_by_setting.values(), default=None)
    if (provider.current_judgement, provider.current_sa_outcome) == (judgement, latest_sa):
        return False
    provider.current_judgement, provider.current_sa_outcome = judgement, latest_sa
    provider.save(update_fields=["current_judgement", "current_sa_outcome"])
    return True


@transaction.atomic
def inspection_record(*, inspection: OfstedInspection, by=None) -> OfstedInspection:
    """Save a validated inspection recorded by `by`, bring the provider's current judgement up to
    date, and tell the listeners of providers.inspection_changes (an Inadequate judgement opens the
    council's response to it, reviews.responses) in the same transaction."""
    inspection.full_clean()
    inspection.save()
    refresh_judgements(inspection.provider)
    inspection_changes.inspections_recorded([inspection], by)
    return inspection


@transaction.atomic
def concern_save(*, concern: Concern, by) -> Concern:
    """Save a concern, new (raised by `by`) or updated. The first time a concern is High, recorded as
    High or raised to High later, the QA lead and the provider's commissioning officer are told at
    once (providers.notifications); lowered and raised again, it is the same concern, not told twice.
    While it is High and not closed, its provider is "of concern" (providers.of_concern)."""
    new = concern.pk is None
    if new:
        concern.raised_by = by
    # Two saves at once may both find it was never High: the notification ledger still tells each person once.
    was_high = not new and concern.history.filter(severity=Severity.HIGH).exists()
    concern._history_user = by
    concern.save()
    if concern.severity == Severity.HIGH and not was_high:
        tell_high_concern(concern, by=by, raised=not new)
    return concern
