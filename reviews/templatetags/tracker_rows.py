"""A recommendation's row cells in the tracker and "Your actions", written in Python.

Django's templates spent about 120 microseconds a row on these three cells (a date, a tag or two, a
truncated note and its date: each variable, filter and tag resolved again for each of 50 rows), a
sixth of the tracker's CPU (issue 15). The markup is the same as the template's was; a test compares
them (tests/reviews/test_tracker_rows.py)."""

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from qa_portal.templatetags.portal import status_tag

register = template.Library()

HINT = "govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0 govuk-!-display-block"
NONE_YET = mark_safe(f'<span class="{HINT}">None yet</span>')


def day(value) -> str:
    """As the template filter `date:"j M Y"` writes it (a time on its day in the portal's time zone)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = template_localtime(value).date()
    return _day(value, get_language())


@lru_cache(maxsize=1024)
def _day(value: date, language: str) -> str:
    return date_format(value, "j M Y")


def cut(text: str, length: int = 110) -> str:
    """As the template filter `truncatechars` cuts it; a text that short is never cut."""
    return text if len(text) <= length else Truncator(text).chars(length)


@register.simple_tag
def due_status_progress_cells(rec):
    """The due date (with Overdue), status and latest progress cells of `rec`, annotated by
    reviews.views.tracker.with_latest_progress. Notes are cut at 110 characters, as truncatechars
    cuts them."""
    overdue = format_html("<br>{}", status_tag("flag", "overdue")) if rec.is_overdue else ""
    if rec.latest_progress:
        note = cut(rec.latest_progress)
        progress = format_html('{} <span class="{}">{}</span>', note, HINT, day(rec.latest_progress_at))
    else:
        progress = NONE_YET
    return format_html(
        '<td class="govuk-table__cell">{} {}</td><td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td>',
        day(rec.due_date),
        overdue,
        status_tag("recommendation_status", rec.status),
        progress,
    )
