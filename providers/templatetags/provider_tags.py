"""Tags for the provider register's own records: Ofsted judgements as GOV.UK tags.

Colours are the ones registered in providers/models.py ("ofsted_judgement", "sa_outcome").
Every tag says in words what it means ("SA outcome 3: serious or widespread weaknesses"):
the colour only repeats it, for those who can see it."""

from django import template
from django.utils.html import format_html, format_html_join

from providers.models import NOT_YET_INSPECTED
from qa_portal.tags import Tag, tag_for

register = template.Library()


def _html(tag: Tag):
    return format_html('<strong class="{}">{}</strong>', tag.css_class, tag.label)


@register.simple_tag
def judgement_tag(provider):
    """The provider's current judgement (and supported accommodation outcome) as tags, or "Not yet inspected"."""
    tags = []
    if provider.current_judgement:
        tags.append(tag_for("ofsted_judgement", provider.current_judgement))
    if provider.current_sa_outcome:
        label = provider.get_current_sa_outcome_display()  # "Outcome 3: serious or widespread weaknesses"
        tags.append(tag_for("sa_outcome", provider.current_sa_outcome, f"SA {label.replace('Outcome', 'outcome', 1)}"))
    if not tags:
        return _html(tag_for("ofsted_judgement", None, NOT_YET_INSPECTED))
    return format_html_join(" ", "{}", ((_html(tag),) for tag in tags))


@register.simple_tag
def inspection_tag(inspection):
    """One inspection's result as a tag: its supported accommodation outcome or its judgement."""
    if inspection is None:
        return _html(tag_for("ofsted_judgement", None, NOT_YET_INSPECTED))
    if inspection.sa_outcome:
        return _html(tag_for("sa_outcome", inspection.sa_outcome))
    return _html(tag_for("ofsted_judgement", inspection.judgement))
