"""A result kept by qa_portal.table_versions is served only while no table it read has been written,
however the write was made (a model's save, a queryset's update, raw SQL), and never a result worked
out from writes that were rolled back."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from providers.models import Provider
from qa_portal.table_versions import ALL, cached, written_tables
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "sql, tables",
    [
        ('SELECT "providers_provider"."id" FROM "providers_provider"', None),
        ("  select 1", None),
        ('WITH x AS (SELECT 1) SELECT * FROM "providers_provider"', None),
        ('INSERT INTO "providers_provider" ("name") VALUES (%s)', {"providers_provider"}),
        ('UPDATE "visits_visit" SET "status" = %s WHERE "visits_visit"."id" = %s', {"visits_visit"}),
        ('DELETE FROM "reviews_recommendation" WHERE id = 1', {"reviews_recommendation"}),
        ("update providers_setting set name = 'x'", {"providers_setting"}),
        ('TRUNCATE "providers_concern"', {"providers_concern"}),
        ('WITH gone AS (DELETE FROM "providers_concern" RETURNING id) SELECT count(*) FROM gone', {ALL}),
        ('ALTER TABLE "providers_provider" ADD COLUMN "x" integer', {ALL}),
    ],
)
def test_each_kind_of_statement_names_the_tables_it_writes(sql, tables):
    assert written_tables(sql) == tables


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


def test_a_token_gone_from_the_cache_never_matches():
    ProviderFactory(name="Alder House")
    names = Counted()
    cached("names", 1, names)
    cache.delete("table-version:providers_provider")
    assert cached("names", 1, names) == ["Alder House"]
    assert names.runs == 2
    assert cached("names", 1, names) == ["Alder House"]
    assert names.runs == 2
