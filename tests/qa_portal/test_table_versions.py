"""A result kept by qa_portal.table_versions.cached is served only while no table it read has been
written, however the write was made (a model's save, a queryset's update, raw SQL), even by another
connection while the result was being worked out; never a result worked out from writes that were
rolled back; and with Redis unreachable, everything is worked out and every write still saved."""

import threading
import time

import pytest
from cachalot.settings import cachalot_settings
from django.core.cache import caches
from django.db import connection, connections, transaction

from providers.models import Provider
from qa_portal.table_versions import cached
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _names():
    return list(Provider.objects.order_by("name").values_list("name", flat=True))


class Counted:
    """`_names`, counting how often it was worked out rather than served from the cache."""

    def __init__(self):
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return _names()


def test_a_kept_result_is_served_until_its_table_is_written_by_a_save_an_update_or_raw_sql():
    provider = ProviderFactory(name="Alder House")
    names = Counted()
    assert cached("names", 1, names) == ["Alder House"]
    assert cached("names", 1, names) == ["Alder House"]
    assert names.runs == 1

    Provider.objects.filter(pk=provider.pk).update(name="Beech House")  # no signal
    assert cached("names", 1, names) == ["Beech House"]
    ProviderFactory(name="Cedar Court")
    assert cached("names", 1, names) == ["Beech House", "Cedar Court"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE providers_provider SET name = 'Ash Lodge' WHERE id = %s", [provider.pk])
    assert cached("names", 1, names) == ["Ash Lodge", "Cedar Court"]
    assert names.runs == 4
    # Another key is another result.
    assert cached("names", 2, names) == ["Ash Lodge", "Cedar Court"]
    assert names.runs == 5


def test_writes_rolled_back_are_never_served_and_uncommitted_ones_are_seen_by_their_own_transaction():
    ProviderFactory(name="Alder House")
    names = Counted()
    assert cached("names", 1, names) == ["Alder House"]
    with pytest.raises(RuntimeError), transaction.atomic():
        ProviderFactory(name="Birch Lodge")
        # Its own writes, not yet committed: worked out, not served from or kept in the cache.
        assert cached("names", 1, names) == ["Alder House", "Birch Lodge"]
        raise RuntimeError("rolled back")
    assert cached("names", 1, names) == ["Alder House"]
    assert names.runs == 2


def test_a_write_committed_while_another_connection_works_the_result_out_is_shown_next_time():
    """A page worked out by another person's request between the moment a write is announced and the
    moment it is committed read the rows as they were: the next opening must show the write."""
    provider = ProviderFactory(name="Alder House")
    names = Counted()
    seen_meanwhile = []

    def another_request():
        try:
            seen_meanwhile.append(cached("names", 1, names))
        finally:
            connections.close_all()

    def just_before_the_update_runs(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and not seen_meanwhile:
            reader = threading.Thread(target=another_request)
            reader.start()
            reader.join()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(just_before_the_update_runs):
        Provider.objects.filter(pk=provider.pk).update(name="Beech House")
    assert seen_meanwhile == [["Alder House"]]
    assert cached("names", 1, names) == ["Beech House"]


def test_a_tables_time_gone_from_the_cache_never_matches():
    ProviderFactory(name="Alder House")
    names = Counted()
    cached("names", 1, names)
    caches[cachalot_settings.CACHALOT_CACHE].delete(
        cachalot_settings.CACHALOT_TABLE_KEYGEN("default", "providers_provider")
    )
    assert cached("names", 1, names) == ["Alder House"]
    assert names.runs == 2
    assert cached("names", 1, names) == ["Alder House"]
    assert names.runs == 2


def test_with_redis_unreachable_results_are_worked_out_and_writes_are_saved(settings):
    settings.CACHES = {
        **settings.CACHES,
        "tables": {**settings.CACHES["tables"], "LOCATION": "redis://127.0.0.1:1/0"},  # nothing listens on port 1
    }
    provider = ProviderFactory(name="Alder House")
    names = Counted()
    assert cached("names", 1, names) == ["Alder House"]
    Provider.objects.filter(pk=provider.pk).update(name="Beech House")
    with transaction.atomic():
        ProviderFactory(name="Cedar Court")
    assert cached("names", 1, names) == ["Beech House", "Cedar Court"]
    assert names.runs == 2


def test_a_kept_result_holding_a_kept_part_is_worked_out_again_when_the_parts_table_is_written():
    """The part is worked out inside the whole (not served from the cache, which would run no query),
    so the whole knows the part's table: a write to it shows in the whole at once."""
    from tests.factories import VisitFactory
    from visits.models import Visit

    provider = ProviderFactory(name="Alder House")
    names = Counted()
    assert cached("names", 1, names) == ["Alder House"]  # the part, kept on its own first

    def whole():
        return (Visit.objects.count(), cached("names", 1, names))

    assert cached("whole", 1, whole) == (0, ["Alder House"])
    assert cached("whole", 1, whole) == (0, ["Alder House"])
    Provider.objects.filter(pk=provider.pk).update(name="Beech House")
    assert cached("whole", 1, whole) == (0, ["Beech House"])
    VisitFactory(provider=provider)
    assert cached("whole", 1, whole)[0] == 1


def test_a_kept_result_is_not_served_from_the_moment_its_until_says():
    """For a result that depends on the time of day too (the home page's meetings to record)."""
    ProviderFactory(name="Alder House")
    names = Counted()
    later, past = time.time() + 3600, time.time() - 1
    assert cached("names", 1, lambda: (names(), later), until=lambda kept: kept[1])[0] == ["Alder House"]
    assert cached("names", 1, lambda: (names(), later), until=lambda kept: kept[1])[0] == ["Alder House"]
    assert names.runs == 1
    assert cached("names", 2, lambda: (names(), past), until=lambda kept: kept[1])[0] == ["Alder House"]
    assert cached("names", 2, lambda: (names(), past), until=lambda kept: kept[1])[0] == ["Alder House"]
    assert names.runs == 3
