"""Fixtures for the reviews tests: a young person with a social worker, a child-level recommendation about
them whose action that social worker holds, and a provider's next review meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews import meetings
from tests.factories import RecommendationFactory, VisitFactory, YoungPersonFactory
from tests.reviews.test_meetings import ahead, place


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


@pytest.fixture
def meeting(provider, commissioning_officer):
    """A provider with five young people placed (quarterly), and its next meeting scheduled."""
    place(provider, 5, initials=["JB", "KM", "RT", "AD", "PL"])
    return meetings.meeting_schedule(provider=provider, due_date=ahead(7), by=commissioning_officer)
