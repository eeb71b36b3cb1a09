"""Small template helpers for GOV.UK components used across the portal."""

from django import template
from django.utils.html import format_html

register = template.Library()

JUDGEMENT_COLOURS = {1: "green", 2: "turquoise", 3: "yellow", 4: "red", 5: "grey"}
SA_OUTCOME_COLOURS = {1: "green", 2: "yellow", 3: "red"}
STATUS_COLOURS = {
    "active": "green",
    "placement_stop": "red",
    "not_to_be_used": "orange",
    "archived": "grey",
    "open": "blue",
    "under_review": "yellow",
    "closed": "grey",
    "high": "red",
    "medium": "orange",
    "low": "grey",
}


def _tag(text, colour):
    css = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.simple_tag
def judgement_tag(provider):
    """The provider's current judgement as a coloured tag, or "Not yet inspected".

    Every tag says in words what it means ("SA outcome 3: serious or widespread weaknesses"):
    the colour only repeats it, for those who can see it."""
    tags = []
    if provider.current_judgement:
        tags.append(_tag(provider.get_current_judgement_display(), JUDGEMENT_COLOURS.get(provider.current_judgement)))
    if provider.current_sa_outcome:
        label = provider.get_current_sa_outcome_display()  # "Outcome 3: serious or widespread weaknesses"
        tags.append(
            _tag(f"SA {label.replace('Outcome', 'outcome', 1)}", SA_OUTCOME_COLOURS.get(provider.current_sa_outcome))
        )
    if not tags:
        return _tag("Not yet inspected", "grey")
    return format_html(" ".join(["{}"] * len(tags)), *tags)


@register.simple_tag
def inspection_tag(inspection):
    if inspection is None:
        return _tag("Not yet inspected", "grey")
    if inspection.sa_outcome:
        return _tag(inspection.get_sa_outcome_display(), SA_OUTCOME_COLOURS.get(inspection.sa_outcome))
    return _tag(inspection.get_judgement_display(), JUDGEMENT_COLOURS.get(inspection.judgement))


@register.simple_tag
def status_tag(value, label):
    return _tag(label, STATUS_COLOURS.get(value, "grey"))


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters changed (None removes one); keeps filters on paging and sorting."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
