"""The rows of the young people a review meeting discusses, written in Python.

The busiest provider has some 670 young people placed; Django's template loop spent about 30
microseconds a row on their three cells, a third of the preparation page's CPU (issue 15). The markup
is the template's, bar whitespace between tags; a test compares them
(tests/reviews/test_preparation_rows.py)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

CELL = '<td class="govuk-table__cell">'
# The columns the agenda PDF adds, to write each one's outcomes in.
PRINTED = (
    '<td class="govuk-table__cell app-write-in"></td>'
    '<td class="govuk-table__cell"><span class="app-tick-box"></span>Yes</td>'
)


@register.simple_tag
def young_people_rows(young_people, printed=False):
    """A table row for each of `young_people` (reviews.preparation.PlacedYoungPerson): initials, age,
    cohort, escaped as the template escapes them, and with `printed` the agenda's two columns."""
    end = PRINTED + "</tr>" if printed else "</tr>"
    return mark_safe(
        "".join(
            f'<tr class="govuk-table__row">{CELL}{conditional_escape(person.initials)}</td>'
            f"{CELL}{conditional_escape(person.age)}</td>{CELL}{conditional_escape(person.cohort)}</td>{end}"
            for person in young_people
        )
    )
