"""The visit's page says how the visit was arranged, why this provider was chosen and which Young
Inspectors came (issue 14: the page left them out, though the visitor records them in section 1), to
everyone who may open it, the provider's users included."""

import pytest

from tests.pages import text_of
from visits.models import HowArranged, VisitReason, VisitStatus

pytestmark = pytest.mark.django_db


def test_the_visit_page_shows_how_it_was_arranged_why_and_the_young_inspectors(client, qa_lead, visit):
    visit.how_arranged = HowArranged.UNANNOUNCED
    visit.reasons = [VisitReason.CONCERNS, VisitReason.HIGH_COST, VisitReason.OTHER]
    visit.reason_other = "A child asked us to come"
    visit.young_inspectors = 2
    visit.save()
    client.force_login(qa_lead)
    text = text_of(client.get(visit.get_absolute_url()))
    assert "How the visit was arranged Unannounced" in text
    assert "Why this provider was chosen Concerns raised High cost Other: A child asked us to come" in text
    assert "Young Inspectors who came 2" in text


def test_a_visit_with_none_recorded_says_so(client, qa_lead, visit):
    visit.reasons, visit.young_inspectors = [], 0
    visit.save()
    client.force_login(qa_lead)
    text = text_of(client.get(visit.get_absolute_url()))
    assert "Why this provider was chosen Not recorded" in text
    assert "Young Inspectors who came None" in text


def test_the_provider_reads_them_once_the_report_is_shared(client, provider_user, visit):
    visit.status = VisitStatus.SHARED
    visit.how_arranged = HowArranged.SHORT_NOTICE
    visit.reasons = [VisitReason.NEW_PROVIDER]
    visit.save()
    client.force_login(provider_user)
    text = text_of(client.get(visit.get_absolute_url()))
    assert "How the visit was arranged Short notice" in text
    assert "Why this provider was chosen New provider" in text
