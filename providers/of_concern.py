"""Which providers are "of concern", and why: one rule for the home pages, the provider page and the
provider list, so a provider is of concern in the same way wherever it is shown.

A provider still in use (not archived) is of concern while any registered reason holds. The
register's own reasons are here: a current Ofsted judgement of Inadequate, supported accommodation
outcome 3, a placement stop, and a High concern not yet closed, open or under review (issue 11: it
counts from the moment it is recorded, or raised to High, until it is closed). Reasons that need
another app's records (a "no" on the latest visit, a review meeting overdue) are registered by that
app in its AppConfig.ready(), as the provider page's panels are: the provider register knows nothing
of visits or reviews.

Each reason is shown only to people who may see the records behind it (its `permission`), so the
register's administrators, who may not see concerns, are not told that one exists.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from providers.models import (
    Concern,
    Judgement,
    Provider,
    ProviderStatus,
    Severity,
    SupportedAccommodationOutcome,
)

# Given providers (a queryset) and today's date, the ids of those for which the reason holds: best a
# queryset of one column, which is then a subquery of the one query reasons_of_concern makes.
Finder = Callable[[QuerySet, date], Iterable[int]]


@dataclass(frozen=True)
class Reason:
    label: str  # as it reads in a list of reasons: "High concern not yet closed"
    find: Finder
    permission: str  # who may see this reason: the permission to see the records behind it
    order: int


_reasons: list[Reason] = []


def register(label: str, find: Finder, *, permission: str, order: int) -> None:
    """Add a reason a provider is of concern; `find(providers, today)` gives the ids for which it holds.
    Registering the same label again replaces it (apps are made ready once, tests may do it again)."""
    _reasons[:] = [r for r in _reasons if r.label != label]
    _reasons.append(Reason(label, find, permission, order))
    _reasons.sort(key=lambda reason: reason.order)


def reasons_of_concern(user, providers: QuerySet, today: date) -> dict[int, list[str]]:
    """{provider id: [reason, ...]} for each of `providers` (already restricted to what `user` may
    see) that is of concern today, its reasons in the registered order. Archived providers never are.

    One query however many reasons there are (issue 15: it was one a reason, on every home page and
    provider page): each reason's ids are a subquery, and each provider's row says which hold."""
    providers = providers.not_archived()
    reasons = [reason for reason in _reasons if user.has_perm(reason.permission)]
    if not reasons:
        return {}
    flags = {}
    for number, reason in enumerate(reasons):
        ids = reason.find(providers, today)
        if isinstance(ids, QuerySet):
            ids = ids.order_by()  # a subquery needs no order (nor the columns an order would add)
        else:
            ids = list(ids)
        flags[f"of_concern_{number}"] = Q(pk__in=ids)
    rows = providers.order_by().annotate(**flags).values_list("pk", *flags)
    found: dict[int, list[str]] = {}
    # Every provider's row, and the reasons picked out here: filtering on the flags in SQL as well
    # would work out every reason twice.
    for pk, *holds in rows:
        labels = [reason.label for reason, held in zip(reasons, holds, strict=True) if held]
        if labels:
            found[pk] = labels
    return found


def providers_of_concern(user, providers: QuerySet, today: date) -> list[tuple[Provider, list[str]]]:
    """The providers among `providers` that are of concern today, by name, each with its reasons."""
    found = reasons_of_concern(user, providers, today)
    return [(provider, found[provider.pk]) for provider in providers.filter(pk__in=found).order_by("name")]


def reasons_for(user, provider: Provider, today: date) -> list[str]:
    """Why `provider` is of concern today, as `user` may be told; [] if it is not."""
    return reasons_of_concern(user, Provider.objects.filter(pk=provider.pk), today).get(provider.pk, [])


def _ids(queryset: QuerySet) -> Iterable[int]:
    return queryset.values_list("pk", flat=True)


register(
    "Ofsted: Inadequate",
    lambda providers, today: _ids(providers.filter(current_judgement=Judgement.INADEQUATE)),
    permission="providers.view_provider",
    order=10,
)
register(
    "Ofsted: supported accommodation outcome 3",
    lambda providers, today: _ids(providers.filter(current_sa_outcome=SupportedAccommodationOutcome.OUTCOME_3)),
    permission="providers.view_provider",
    order=20,
)
register(
    "Placement stop",
    lambda providers, today: _ids(providers.filter(status=ProviderStatus.PLACEMENT_STOP)),
    permission="providers.view_provider",
    order=30,
)
register(
    # Open or under review: "not yet closed", so a concern under review is not called open.
    "High concern not yet closed",
    lambda providers, today: (
        Concern.objects.open()
        .filter(severity=Severity.HIGH, provider__in=providers)
        .values_list("provider_id", flat=True)
        .distinct()
    ),
    permission="providers.view_concern",
    order=40,
)
