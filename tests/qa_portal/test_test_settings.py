"""The test settings give each pytest-xdist worker a Redis database of its own, counted down from
the base, so parallel workers never share Celery's queue or wipe each other's keys."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from qa_portal.test_settings import redis_url_for_worker


def test_a_run_in_one_process_uses_the_base_database():
    assert redis_url_for_worker("redis://127.0.0.1:6379/15", None) == "redis://127.0.0.1:6379/15"


def test_each_worker_counts_down_from_the_base_database():
    base = "redis://127.0.0.1:6379/15"
    urls = [redis_url_for_worker(base, f"gw{n}") for n in range(3)]
    assert urls == ["redis://127.0.0.1:6379/15", "redis://127.0.0.1:6379/14", "redis://127.0.0.1:6379/13"]


def test_an_explicit_base_keeps_its_host_password_and_scheme():
    base = "rediss://:secret@cache.internal:6380/9"
    assert redis_url_for_worker(base, "gw2") == "rediss://:secret@cache.internal:6380/7"


def test_a_base_without_a_database_counts_from_0():
    assert redis_url_for_worker("redis://127.0.0.1:6379", "gw0") == "redis://127.0.0.1:6379/0"


def test_a_unix_socket_base_counts_down_its_db_parameter():
    assert redis_url_for_worker("unix:///run/redis.sock?db=5", "gw1") == "unix:///run/redis.sock?db=4"


def test_too_many_workers_for_the_base_is_refused_clearly():
    with pytest.raises(ImproperlyConfigured, match="gw2 would need Redis database -1"):
        redis_url_for_worker("redis://127.0.0.1:6379/1", "gw2")
