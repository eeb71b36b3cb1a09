"""Telling the apps above at once that Ofsted inspections were recorded.

An Inadequate judgement (or supported accommodation outcome 3) opens the council's response to it
(reviews.responses: a same-day visit, a decision on each child within 24 hours, the provider's
improvement plan). The register knows nothing of reviews, so, as with `placement_changes`, reviews
registers a listener in its AppConfig.ready(), and the register calls `inspections_recorded` wherever
it records an inspection or changes its judgement (the inspection form, the Ofsted import), inside
the same transaction, after the provider's current judgement is brought up to date: the response
opens with the judgement, or neither is saved.
"""

from collections.abc import Callable, Iterable

# Given the inspections just recorded (or whose judgement just changed) and who recorded them (None
# for the command-line import).
Listener = Callable[[list, object], None]

_listeners: dict[str, Listener] = {}


def listen(name: str, listener: Listener) -> None:
    """Call `listener(inspections, by)` whenever inspections are recorded. Registering the same name
    again replaces it (apps are made ready once, tests may do it again)."""
    _listeners[name] = listener


def inspections_recorded(inspections: Iterable, by=None) -> None:
    """Tell every listener that these inspections were recorded, or their judgement changed, by `by`."""
    inspections = [inspection for inspection in inspections if inspection is not None]
    if not inspections:
        return
    for listener in _listeners.values():
        listener(inspections, by)
