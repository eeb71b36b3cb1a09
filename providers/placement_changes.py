"""Telling the apps above at once that a provider's placements changed.

A provider's placement volume sets its review cadence (DOMAIN.md), and the reviews app keeps each
provider's open review meeting at that cadence. The register knows nothing of reviews, so, as with
`of_concern` and the provider page's `panels`, the app that cares registers a listener in its
AppConfig.ready() and the register calls `placements_changed` wherever it writes placements (the
placement form, the placements import), inside the same transaction: the meeting moves with the
placement, or neither is saved. The listener does the work in a service; this is only the call.
"""

from collections.abc import Callable, Iterable

# Given the ids of providers whose placements changed.
Listener = Callable[[list[int]], None]

_listeners: dict[str, Listener] = {}


def listen(name: str, listener: Listener) -> None:
    """Call `listener(provider_ids)` whenever placements change. Registering the same name again
    replaces it (apps are made ready once, tests may do it again)."""
    _listeners[name] = listener


def placements_changed(provider_ids: Iterable[int | None]) -> None:
    """Tell every listener that the placements of these providers were added, ended or moved."""
    ids = sorted({pk for pk in provider_ids if pk})
    if not ids:
        return
    for listener in _listeners.values():
        listener(ids)
