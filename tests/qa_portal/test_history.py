"""The change history: each change lists the fields a person would recognise, old and new, in the
record's own order, from a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers.models import Provider, ProviderStatus
from qa_portal.history import changes_for
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


def _history(provider):
    return changes_for([(Provider.history.filter(id=provider.pk), lambda h: f"Provider {h.name}")])


def test_a_change_lists_the_fields_changed_in_the_records_order():
    provider = ProviderFactory(name="Harbour Lights")
    provider.name = "Harbour Lights Ltd"
    provider.status = ProviderStatus.PLACEMENT_STOP
    provider.commissioning_officer = UserFactory()
    provider.save()
    changed, created = _history(provider)
    assert (created.action, changed.action) == ("Created", "Changed")
    assert changed.what == "Provider Harbour Lights Ltd"
    assert [(f.label, f.old, f.new) for f in changed.fields] == [
        ("Name", "Harbour Lights", "Harbour Lights Ltd"),
        ("Status", "Active", "Placement stop"),
        # Another record: named in its own history, only said to have changed here.
        ("Commissioning officer", "", "changed"),
    ]


def test_a_save_that_changes_nothing_shown_is_left_out():
    provider = ProviderFactory()
    provider.save()
    assert [change.action for change in _history(provider)] == ["Created"]


def test_the_history_reads_a_fixed_number_of_queries():
    provider = ProviderFactory()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            _history(provider)
        return len(captured)

    before = queries()
    for n in range(5):
        provider.name = f"Renamed {n}"
        provider.save()
    assert queries() == before
