"""Helpers shared by the visit template tests: what a version holds, and a visit started on one."""

import datetime

from tests.factories import ProviderFactory, UserFactory
from visits.models import Visit


def _contents(template):
    """What a visitor would see of a version: its sections and questions, in order."""
    return [
        (
            section.number,
            section.title,
            section.special,
            section.guidance,
            [
                (q.number, q.text, q.help_text, q.kind, q.choices, q.required)
                for q in section.questions.order_by("number")
            ],
        )
        for section in template.sections.order_by("number")
    ]


def _visit_on(template):
    return Visit.objects.create(
        provider=ProviderFactory(),
        template=template,
        planned_date=datetime.date(2025, 1, 15),
        lead_visitor=UserFactory(),
        lead_visitor_role="AD",
    )
