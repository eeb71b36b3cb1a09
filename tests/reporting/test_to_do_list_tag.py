"""The home page's to-do items written in Python (qa_portal/reporting/templatetags/to_do_list.py) are
the template loop's markup, bar whitespace between tags, escaping included."""

import re
from datetime import date

from django.template import Context, Template

from qa_portal.to_do import ToDo

# The loop as templates/reporting/home.html had it.
LOOP = """
{% for item in page.to_do %}
  <li class="govuk-task-list__item govuk-task-list__item--with-link">
    <div class="govuk-task-list__name-and-hint">
      <a class="govuk-link govuk-task-list__link"
         href="{{ item.url }}"
         aria-describedby="to-do-{{ forloop.counter }}-hint to-do-{{ forloop.counter }}-status">{{ item.text }}</a>
      <div id="to-do-{{ forloop.counter }}-hint" class="govuk-task-list__hint">{{ item.kind }}</div>
    </div>
    <div class="govuk-task-list__status"
         id="to-do-{{ forloop.counter }}-status">
      {% if item.overdue %}<strong class="govuk-tag govuk-tag--red">Overdue</strong>{% endif %}
      <span class="app-to-do__when">{{ item.when_label }}</span>
    </div>
  </li>
{% endfor %}
"""


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_the_tag_writes_what_the_template_loop_wrote():
    items = [
        ToDo(
            'Chase <Tamar & Reach> for "their" response', "/visits/1/?a=1&b=2", date(2026, 5, 1), "Due 1 May", "Visit"
        ),
        ToDo("Decide on O'Neil's plan", "/plans/2/", date(2026, 6, 1), "Due today", "Action plan", overdue=True),
    ] + [ToDo(f"Item {n}", f"/x/{n}/", date(2026, 7, 1), "On 1 July 2026", "Review meeting") for n in range(12)]
    context = Context({"page": {"to_do": items}})
    tag = Template("{% load to_do_list %}{% to_do_items page.to_do %}").render(context)
    assert squeeze(tag) == squeeze(Template(LOOP).render(context))
    assert "to-do-14-status" in tag
