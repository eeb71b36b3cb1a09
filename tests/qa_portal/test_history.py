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


def _key(change):
    return (change.when, change.who, change.what, change.action, change.reason, [vars(f) for f in change.fields])


@pytest.mark.parametrize("unseen_saves", [0, 30])
def test_the_newest_changes_are_those_of_the_whole_history_from_one_query_a_table(unseen_saves):
    """The provider page's "Recent changes" reads only the newest rows (and the row before each), however
    long the history, and shows what the whole history's newest are, even past many saves that changed
    nothing shown (which are left out, so more rows are read)."""
    provider = ProviderFactory(name="Harbour Lights")
    for n in range(15):
        provider.head_office_area = f"Area {n}"
        provider.save()
        if n == 3:
            for _ in range(unseen_saves):
                provider.save()
    sources = [(Provider.history.filter(id=provider.pk), lambda h: f"Provider {h.name}")]
    whole = changes_for(sources)
    with CaptureQueriesContext(connection) as queries:
        newest = changes_for(sources, limit=10)
    assert [_key(c) for c in newest] == [_key(c) for c in whole[:10]]
    assert newest[0].fields[0].new == "Area 14"
    if not unseen_saves:
        assert len(queries) == 1
    # Fewer changes than the limit: all of them, oldest included.
    assert [_key(c) for c in changes_for(sources, limit=40)] == [_key(c) for c in whole]
