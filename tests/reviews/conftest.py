"""Fixtures for the recommendation tests: a young person with a social worker, and a child-level
recommendation about them whose action that social worker holds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import RecommendationFactory, VisitFactory, YoungPersonFactory


@pytest.fixture
def person(social_worker):
    return YoungPersonFactory(initials="JB", social_worker=social_worker)


@pytest.fixture
def rec(provider, senior_leader, person):
    """A child-level recommendation owned by the senior leader, the social worker holding the action."""
    return RecommendationFactory(
        visit=VisitFactory(provider=provider),
        level="child",
        young_person=person,
        owner=senior_leader,
        action_holder="social_worker",
        text="Agree a plan for JB's college travel with her social worker.",
        due_date=timezone.localdate() + timedelta(days=14),
        priority="high",
    )
