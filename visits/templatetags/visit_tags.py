from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_COLOURS = {
    "draft": "grey",
    "submitted": "blue",
    "shared": "yellow",
    "responded": "turquoise",
    "finalised": "green",
}
JUDGEMENT_COLOURS = {"yes": "green", "with_reservations": "yellow", "no": "red"}


@register.simple_tag
def visit_status_tag(visit):
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        STATUS_COLOURS.get(visit.status, "grey"),
        visit.get_status_display(),
    )


@register.simple_tag
def overall_judgement_tag(visit):
    if not visit.overall_judgement:
        return ""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">Good enough for my own child? {}</strong>',
        JUDGEMENT_COLOURS.get(visit.overall_judgement, "grey"),
        visit.get_overall_judgement_display(),
    )
