"""The tracker's and "Your actions"' due, status and progress cells, written by a tag in Python
(reviews.templatetags.tracker_rows), read as the template partial they replaced wrote them, for every
kind of row: overdue or not, a note or the provider's answer or nothing, long notes cut, text escaped."""

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from reviews.models import ProgressUpdate, Recommendation
from reviews.views.tracker import with_latest_progress
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db

# The partial the tag replaced (templates/reviews/tracker/_due_status_progress_cells.html).
FORMER_PARTIAL = """{% load portal %}
<td class="govuk-table__cell">
  {{ rec.due_date|date:"j M Y" }}
  {% if rec.is_overdue %}
    <br>
    {% status_tag "flag" "overdue" %}
  {% endif %}
</td>
<td class="govuk-table__cell">{% status_tag "recommendation_status" rec.status %}</td>
<td class="govuk-table__cell">
  {% if rec.latest_progress %}
    {{ rec.latest_progress|truncatechars:110 }}
    <span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0 govuk-!-display-block">{{ rec.latest_progress_at|date:"j M Y" }}</span>
  {% else %}
    <span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0 govuk-!-display-block">None yet</span>
  {% endif %}
</td>"""


def _same_markup(html: str) -> str:
    """Whitespace beside a tag does not show in a table cell."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


def test_the_cells_are_the_former_partials_for_every_kind_of_row():
    today = timezone.localdate()
    overdue = RecommendationFactory(due_date=today - timedelta(days=3))
    RecommendationFactory(due_date=today + timedelta(days=30), status="in_progress")
    noted = RecommendationFactory(due_date=today - timedelta(days=1), status="in_progress")
    ProgressUpdate.objects.create(
        recommendation=noted,
        text="Tom & Jerry's <plan>: " + "a long note that goes on " * 10,
        status_after="in_progress",
        by=noted.owner,
        at=timezone.now().replace(hour=23, minute=30),
    )
    answered = RecommendationFactory(due_date=today)
    answered.provider_accepted, answered.provider_action = True, "Train every carer by March"
    answered.provider_responded_at = timezone.now() - timedelta(days=2)
    answered.save()
    RecommendationFactory(
        due_date=today - timedelta(days=9), status="completed", impact_statement="Better", completed_at=timezone.now()
    )
    rows = list(with_latest_progress(Recommendation.objects.order_by("pk")))
    assert len(rows) == 5
    former = Template(FORMER_PARTIAL)
    tag = Template("{% load tracker_rows %}{% due_status_progress_cells rec %}")
    written = []
    for rec in rows:
        old, new = former.render(Context({"rec": rec})), tag.render(Context({"rec": rec}))
        assert _same_markup(new) == _same_markup(old)
        written.append(new)
    assert "Overdue" in written[0] and "Overdue" not in written[1]
    assert "Tom &amp; Jerry&#x27;s &lt;plan&gt;" in written[2] and "…" in written[2]
    assert "None yet" in written[1]
    assert "Train every carer by March" in written[3]
    assert overdue.pk == rows[0].pk
