"""Inspection events recorded by hand and shown: a monitoring or assurance visit may have no judgement and
never replaces the latest full inspection's, on the provider page or in its current judgement
(OfstedInspectionQuerySet.deciding, the one rule)."""

from datetime import date

import pytest
from django.urls import reverse

from providers.models import OfstedInspection
from providers.services import refresh_judgements
from tests.factories import InspectionFactory, SettingFactory

pytestmark = pytest.mark.django_db


def test_a_monitoring_visit_is_recorded_without_a_judgement_and_leaves_the_current_one(
    client, commissioning_officer, provider
):
    setting = SettingFactory(provider=provider, name="Willow House")
    InspectionFactory(setting=setting, inspection_date=date(2024, 1, 10), judgement=4)
    refresh_judgements(provider)
    client.force_login(commissioning_officer)

    response = client.post(
        reverse("providers:inspection_create", args=[provider.pk]),
        {"scale": "four_point", "setting": setting.pk, "inspection_date": "03/06/2024", "event_type": "monitoring"},
    )

    assert response.status_code == 302
    visit = OfstedInspection.objects.get(event_type="monitoring")
    assert (visit.inspection_date, visit.judgement) == (date(2024, 6, 3), None)
    provider.refresh_from_db()
    assert provider.current_judgement == 4


def test_the_provider_page_shows_the_latest_full_inspections_judgement_and_the_visits_since(client, qa_lead, provider):
    setting = SettingFactory(provider=provider, name="Willow House")
    InspectionFactory(setting=setting, inspection_date=date(2024, 1, 10), judgement=4)
    InspectionFactory(setting=setting, inspection_date=date(2024, 6, 3), judgement=2, event_type="monitoring")
    refresh_judgements(provider)
    client.force_login(qa_lead)

    text = " ".join(client.get(reverse("providers:provider_detail", args=[provider.pk])).text.split())

    assert (
        '<strong class="govuk-tag govuk-tag--red">Inadequate</strong> <br> '
        '<span class="govuk-body-s">Full inspection, 10 January 2024</span> <br> '
        '<span class="govuk-body-s">Monitoring visit, 3 June 2024</span>'
    ) in text
