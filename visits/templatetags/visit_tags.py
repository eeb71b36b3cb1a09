"""Tags for visits. The colours are the ones registered in visits/models.py."""

from django import template
from django.utils.html import format_html

from qa_portal.tags import tag_for

register = template.Library()


@register.simple_tag
def overall_judgement_tag(visit):
    """The visitor's answer to "Good enough for my own child?" as a tag, with the question, or nothing."""
    if not visit.overall_judgement:
        return ""
    tag = tag_for("overall_judgement", visit.overall_judgement)
    return format_html('<strong class="{}">Good enough for my own child? {}</strong>', tag.css_class, tag.label)
