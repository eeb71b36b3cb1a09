"""The review preparation lists a monitoring or assurance visit in the period without calling it a change
of judgement: only a full inspection changes it (OfstedInspectionQuerySet.deciding)."""

import pytest

from tests.factories import InspectionFactory
from tests.reviews.meeting_pages import url
from tests.reviews.test_meetings import days_ago, since_the_last_review

pytestmark = pytest.mark.django_db


def test_the_review_preparation_says_a_visit_leaves_the_judgement(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    setting = provider.settings.get(name="Willow House")
    InspectionFactory(setting=setting, inspection_date=days_ago(20), judgement=None, event_type="monitoring")
    client.force_login(commissioning_officer)

    text = " ".join(client.get(url("meeting_prepare", meeting)).text.split())

    assert "Monitoring visit" in text
    assert "Not a full inspection: the judgement stays Inadequate" in text
