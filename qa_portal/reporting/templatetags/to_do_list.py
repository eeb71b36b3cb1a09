"""The home page's "What to do next" items, written in Python.

A QA lead's list holds up to a hundred items; Django's template loop, with three numbered ids an item
(each number localised), took about a third of the home page's CPU once its figures were kept
(issue 15). The markup is the template's, bar whitespace between tags; a test compares them
(tests/reporting/test_to_do_list_tag.py)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

OVERDUE = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'


@register.simple_tag
def to_do_items(items):
    """A GOV.UK task list item for each of `items` (qa_portal.to_do.ToDo), numbered from 1: its text as
    a link to where it is done, described by its kind and its status (Overdue, and when), escaped as the
    template escapes them."""
    rows = []
    for number, item in enumerate(items, start=1):
        hint, status = f"to-do-{number}-hint", f"to-do-{number}-status"
        rows.append(
            '<li class="govuk-task-list__item govuk-task-list__item--with-link">'
            '<div class="govuk-task-list__name-and-hint">'
            f'<a class="govuk-link govuk-task-list__link" href="{conditional_escape(item.url)}" '
            f'aria-describedby="{hint} {status}">{conditional_escape(item.text)}</a>'
            f'<div id="{hint}" class="govuk-task-list__hint">{conditional_escape(item.kind)}</div>'
            "</div>"
            f'<div class="govuk-task-list__status" id="{status}">'
            f"{OVERDUE if item.overdue else ''}"
            f'<span class="app-to-do__when">{conditional_escape(item.when_label)}</span>'
            "</div></li>"
        )
    return mark_safe("".join(rows))
