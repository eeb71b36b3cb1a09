"""Why a provider is of concern is worked out in one query, however many reasons are registered, on
the provider page, the home pages and the provider list alike (issue 15)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers import of_concern
from providers.models import Judgement, Provider, ProviderStatus
from tests.factories import ConcernFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_every_reason_in_order_from_one_query(qa_lead):
    flagged = ProviderFactory(current_judgement=Judgement.INADEQUATE, status=ProviderStatus.PLACEMENT_STOP)
    ConcernFactory(provider=flagged, severity="high")
    concern_only = ProviderFactory()
    ConcernFactory(provider=concern_only, severity="high")
    fine = ProviderFactory()
    ConcernFactory(provider=fine, severity="medium")
    archived = ProviderFactory(current_judgement=Judgement.INADEQUATE, status=ProviderStatus.ARCHIVED)
    qa_lead.has_perm("providers.view_provider")  # the permissions, read once a request anyway
    with CaptureQueriesContext(connection) as queries:
        found = of_concern.reasons_of_concern(qa_lead, Provider.objects.all(), date.today())
    assert len(queries) == 1
    assert found == {
        flagged.pk: ["Ofsted: Inadequate", "Placement stop", "High concern not yet closed"],
        concern_only.pk: ["High concern not yet closed"],
    }
    assert fine.pk not in found and archived.pk not in found
    assert of_concern.reasons_for(qa_lead, concern_only, date.today()) == ["High concern not yet closed"]


def test_a_reason_given_as_ids_rather_than_a_query_is_counted_too(qa_lead, provider):
    of_concern.register(
        "Named by hand", lambda providers, today: [provider.pk], permission="providers.view_provider", order=99
    )
    try:
        assert of_concern.reasons_for(qa_lead, provider, date.today()) == ["Named by hand"]
        of_concern.register(
            "Named by hand", lambda providers, today: [], permission="providers.view_provider", order=99
        )
        assert of_concern.reasons_for(qa_lead, provider, date.today()) == []
    finally:
        of_concern._reasons[:] = [r for r in of_concern._reasons if r.label != "Named by hand"]
