"""Recording a provider's risk rating: the rules' rating and reasons as reviews.risk works them out,
overrides set and ended by hand, and overrides that lapse at their look-again date.

The rating shown is an override's while one is in force, else the rules'. Every change of it is kept
(`RiskRatingChange`: from, to, why, who, when), and a change to High tells every QA lead and the
provider's commissioning officer once (keyed by the change), in the portal and by email.

The later parts of issue 16 (the response to an Inadequate judgement, provider action plans) can
listen for changes through `listen()`: each listener gets the change just recorded.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import transaction
from django.utils import timezone

from providers.models import Provider, RiskOverride, RiskRatingChange
from qa_portal.models import User
from qa_portal.notify import notify, notify_each
from qa_portal.roles import Role

RULES = "The rules"
_listeners: list[Callable[[RiskRatingChange], None]] = []
_quiet = threading.local()


@contextmanager
def untold() -> Iterator[None]:
    """Record changes of rating without telling anyone (the demo data, which sends no email)."""
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = False


def _telling() -> bool:
    return not getattr(_quiet, "on", False)


def listen(listener: Callable[[RiskRatingChange], None]) -> None:
    """Call `listener(change)` after each change of a provider's risk rating is recorded (in the same
    transaction). Registering the same function again does nothing."""
    if listener not in _listeners:
        _listeners.append(listener)


def visible_reasons(provider: Provider, user) -> tuple[list[dict], int]:
    """The rules' reasons for `provider`'s rating that `user` may see (each names the permission to see
    the records behind it), and how many others there are."""
    shown = [r for r in provider.risk_reasons if not r.get("permission") or user.has_perm(r["permission"])]
    return shown, len(provider.risk_reasons) - len(shown)


def _why_rules(reasons: list[dict]) -> str:
    if not reasons:
        return f"{RULES}: nothing raises the risk"
    return f"{RULES}: " + "; ".join(r["text"] for r in reasons)


def _record(
    provider: Provider, *, to: int, why: str, by=None, override: RiskOverride | None = None
) -> RiskRatingChange | None:
    """Record the move of `provider`'s shown rating to `to` (None if it is already so), then tell."""
    if provider.risk_rated_at is not None and provider.risk_rating == to:
        return None
    change = RiskRatingChange.objects.create(
        provider=provider,
        from_rating=provider.risk_rating if provider.risk_rated_at is not None else None,
        to_rating=to,
        why=why[: RiskRatingChange._meta.get_field("why").max_length],
        reasons=provider.risk_reasons,
        override=override,
        changed_by=by,
    )
    provider.risk_rating = to
    if change.is_to_high and _telling():
        tell_risk_high(change)
    for listener in _listeners:
        listener(change)
    return change


def _store(provider: Provider, *fields: str) -> None:
    # An update, not save(): the register's change history and the risk evidence signals stay out of it.
    Provider.objects.filter(pk=provider.pk).update(**{field: getattr(provider, field) for field in fields})


@transaction.atomic
def risk_rating_record(
    *, provider_id: int, rules_rating: int, reasons: list[dict], today: date | None = None
) -> RiskRatingChange | None:
    """Store the rating and reasons the rules give `provider_id` (reasons.risk works them out), and
    the rating shown: an override's while one is in force on `today`, else the rules'. Returns the
    change of the rating shown, or None if it did not change."""
    today = today or timezone.localdate()
    provider = Provider.objects.select_for_update(of=("self",)).select_related("risk_override").get(pk=provider_id)
    override = provider.risk_override
    if override is not None and (override.ended_at or override.look_again_on < today):
        override = None  # lapsed: the daily job ends it and tells who set it
    provider.risk_rules_rating, provider.risk_reasons = rules_rating, reasons
    if override is not None:
        change = _record(provider, to=override.rating, why=_why_override(override), override=override)
    else:
        change = _record(provider, to=rules_rating, why=_why_rules(reasons))
    provider.risk_rated_at = timezone.now()
    _store(provider, "risk_rating", "risk_rules_rating", "risk_reasons", "risk_rated_at")
    return change


def _why_override(override: RiskOverride) -> str:
    return f"Overridden by {override.set_by.full_name} until {override.look_again_on:%-d %B %Y}: {override.reason}"


def _end(override: RiskOverride, *, by, why: str) -> None:
    override.ended_at, override.ended_by, override.end_reason = timezone.now(), by, why
    override.save(update_fields=["ended_at", "ended_by", "end_reason"])


@transaction.atomic
def risk_override_set(
    *, provider: Provider, rating: int, reason: str, look_again_on: date, by
) -> RiskRatingChange | None:
    """Override `provider`'s risk rating with `rating` until `look_again_on` (inclusive), for `reason`,
    set by `by` (a commissioning officer or the QA lead: providers.override_risk_rating). Any override
    in force is ended ("replaced"). Returns the change of the rating shown, or None if it was already
    `rating` (the override is still recorded, so it holds when the rules' rating changes)."""
    provider = Provider.objects.select_for_update(of=("self",)).select_related("risk_override").get(pk=provider.pk)
    if provider.risk_override is not None and provider.risk_override.ended_at is None:
        _end(provider.risk_override, by=by, why=f"Replaced by a new override from {by.full_name}")
    override = RiskOverride.objects.create(
        provider=provider, rating=rating, reason=reason, look_again_on=look_again_on, set_by=by
    )
    provider.risk_override = override
    change = _record(provider, to=rating, why=_why_override(override), by=by, override=override)
    if provider.risk_rated_at is None:
        provider.risk_rated_at = timezone.now()
    _store(provider, "risk_rating", "risk_override", "risk_rated_at")
    return change


@transaction.atomic
def risk_override_end(*, provider: Provider, by=None, why: str = "") -> RiskRatingChange | None:
    """End the override of `provider`'s rating in force (by `by`; None: the daily job, because its
    look-again date has passed), so the rules' rating shows again. Returns the change of the rating
    shown, or None if there was no override or the rules give the same rating."""
    provider = Provider.objects.select_for_update(of=("self",)).select_related("risk_override").get(pk=provider.pk)
    override = provider.risk_override
    if override is None:
        return None
    if override.ended_at is None:
        _end(override, by=by, why=why or (f"Ended by {by.full_name}" if by else "Look-again date passed"))
    provider.risk_override = None
    ended = "The override ended: look-again date passed" if by is None else f"Override ended by {by.full_name}"
    change = _record(
        provider, to=provider.risk_rules_rating, why=f"{ended}. {_why_rules(provider.risk_reasons)}", by=by
    )
    _store(provider, "risk_rating", "risk_override")
    if by is None and _telling():
        tell_override_lapsed(override)
    return change


def risk_overrides_lapse(today: date | None = None) -> int:
    """End every override whose look-again date is before `today` (the daily job), telling the person
    who set each. Returns how many were ended."""
    today = today or timezone.localdate()
    lapsed = list(RiskOverride.objects.lapsed(today).select_related("provider"))
    for override in lapsed:
        risk_override_end(provider=override.provider)
    return len(lapsed)


def tell_risk_high(change: RiskRatingChange) -> int:
    """A provider's risk rating has changed to High: every active QA lead and the provider's
    commissioning officer (every commissioning officer while none is assigned), once for this change;
    whoever set an override is not told of their own change. Returns how many were told now."""
    provider = change.provider
    return notify_each(
        [*User.objects.active_with_role(Role.QA_LEAD), *provider.commissioning_officers()],
        actor=change.changed_by,
        kind="risk_high",
        key=f"risk_change:{change.pk}",
        subject=f"{provider} is now High risk",
        template="emails/risk_high",
        context={"change": change, "provider": provider},
        about=provider,
        link=provider.get_absolute_url() + "#risk-rating",
    )


def tell_override_lapsed(override: RiskOverride) -> bool:
    """The look-again date of an override has passed: the person who set it is told once, to look
    again at the provider's rating. Returns whether they were told now."""
    provider = override.provider
    if not override.set_by.is_active:
        return False
    return (
        notify(
            to=override.set_by,
            kind="risk_override_lapsed",
            key=f"risk_override:{override.pk}",
            subject=f"Look again at the risk rating of {provider}",
            template="emails/risk_override_lapsed",
            context={"override": override, "provider": provider},
            about=provider,
            link=provider.get_absolute_url() + "#risk-rating",
        )
        is not None
    )
