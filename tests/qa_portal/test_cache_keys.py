"""Two portals sharing a Redis database (a staging and a live one, the bench and a test run) never
read each other's cache: a kept page is keyed by a person's id, which is the same number in both
portals, so without the database's name in every key one portal's committee figures showed in the
other's (qa_portal.cache_backends.key_for_this_database, both caches in qa_portal/settings.py)."""

from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.db import connections


@contextmanager
def connected_to(name: str):
    """The portal as if its DATABASE_URL named the database `name` (only the name the keys use)."""
    settings_dict = connections["default"].settings_dict
    ours = settings_dict["NAME"]
    settings_dict["NAME"] = name
    try:
        yield
    finally:
        settings_dict["NAME"] = ours


@pytest.mark.parametrize("alias", ["default", "tables"])
def test_what_one_portal_keeps_the_other_does_not_read(alias):
    cache = caches[alias]
    cache.set("committee-figures:1", "ours")
    try:
        with connected_to("another_portal"):
            assert cache.get("committee-figures:1") is None
            cache.set("committee-figures:1", "theirs")
        assert cache.get("committee-figures:1") == "ours"
    finally:
        cache.delete("committee-figures:1")
        with connected_to("another_portal"):
            cache.delete("committee-figures:1")
