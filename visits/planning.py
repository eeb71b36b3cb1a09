"""Telling the apps above at once that a visit has been planned.

The response to an Inadequate judgement (reviews.responses) waits for the same-day visit to the
provider; visits know nothing of reviews, so, as with providers.placement_changes, reviews registers a
listener in its AppConfig.ready() and `visits.services.visit_plan` calls `visit_planned` inside the
same transaction: the response records its visit with the visit, or neither is saved."""

from collections.abc import Callable

Listener = Callable[[object, object], None]  # (the visit, who planned it)

_listeners: dict[str, Listener] = {}


def listen(name: str, listener: Listener) -> None:
    """Call `listener(visit, by)` whenever a visit is planned. Registering the same name again replaces it."""
    _listeners[name] = listener


def visit_planned(visit, by) -> None:
    """Tell every listener that `visit` has just been planned by `by`."""
    for listener in _listeners.values():
        listener(visit, by)
