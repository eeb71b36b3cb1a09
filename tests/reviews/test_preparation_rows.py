"""The young people a review meeting discusses, written by a tag in Python
(reviews.templatetags.preparation_rows) for the preparation page and the agenda PDF, read as the
template loop it replaced wrote them: on the page and printed, text escaped."""

import re

from django.template import Context, Template

from reviews.preparation import PlacedYoungPerson

# The loop the tag replaced (templates/reviews/meetings/preparation/_young_people.html).
FORMER_LOOP = """{% for person in young_people %}
      <tr class="govuk-table__row">
        <td class="govuk-table__cell">{{ person.initials }}</td>
        <td class="govuk-table__cell">{{ person.age }}</td>
        <td class="govuk-table__cell">{{ person.cohort }}</td>
        {% if printed %}
          <td class="govuk-table__cell app-write-in"></td>
          <td class="govuk-table__cell">
            <span class="app-tick-box"></span>Yes
          </td>
        {% endif %}
      </tr>
    {% endfor %}"""

TAG = "{% load preparation_rows %}{% young_people_rows young_people printed %}"

YOUNG_PEOPLE = [
    PlacedYoungPerson(1, "AB", 15, "Child in care"),
    PlacedYoungPerson(2, "C&<D>", 17, "Care leaver"),
    PlacedYoungPerson(3, "E'F\"", 0, "Child in care"),
]


def _same_markup(html: str) -> str:
    """Whitespace beside a tag does not show in a table."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


def test_the_rows_are_the_former_loops_on_the_page_and_printed():
    for printed in (False, True):
        context = {"young_people": YOUNG_PEOPLE, "printed": printed}
        former = Template(FORMER_LOOP).render(Context(context))
        rows = Template(TAG).render(Context(context))
        assert _same_markup(rows) == _same_markup(former)
        assert "C&amp;&lt;D&gt;" in rows and '<td class="govuk-table__cell">0</td>' in rows
        assert ("app-write-in" in rows) is printed


def test_no_young_people_no_rows():
    assert Template(TAG).render(Context({"young_people": [], "printed": False})) == ""
