"""Sections other apps add to the provider page.

The provider register knows nothing of visits or reviews; those apps register a panel
here, and the provider page shows whatever is registered, in order. A panel returns
(template name, context) for the provider, or None to show nothing to this user. A panel that
shows young people puts their ids in its context as `young_person_ids`, for the access log."""

from collections.abc import Callable

from django.template.loader import render_to_string

Panel = Callable[[object, object], tuple[str, dict] | None]
_panels: list[tuple[int, Panel]] = []


def register(panel: Panel, *, order: int) -> None:
    _panels.append((order, panel))
    _panels.sort(key=lambda item: item[0])


def render_panels(request, provider, *, young_person_ids: set | None = None) -> list[str]:
    """Each panel for this user, rendered; the ids of the young people they show are added to
    `young_person_ids`, if given."""
    rendered = []
    for _, panel in _panels:
        found = panel(request, provider)
        if found is not None:
            template, context = found
            if young_person_ids is not None:
                young_person_ids.update(pk for pk in context.get("young_person_ids", ()) if pk is not None)
            rendered.append(render_to_string(template, {**context, "provider": provider}, request=request))
    return rendered
