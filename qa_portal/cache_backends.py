"""A Redis cache that a Redis outage does not turn into error pages.

django-cachalot records, on every committed write, when each table was last written, in the cache
`CACHALOT_CACHE` (the "tables" alias in settings); qa_portal.table_versions keeps computed results
there too. With Django's own Redis cache, a write made while Redis is unreachable would raise after
the database had committed it, and the person would see a 500 for a change that was saved. This
backend logs the error instead: a read finds nothing (so the result is worked out, as it is without
a cache), a write is dropped. What was kept before the outage may then be served for up to its
timeout (qa_portal.table_versions.cached: 10 minutes) if Redis comes back with its data.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ForgivingRedisCache(RedisCache):
    """Django's RedisCache whose get, get_many, set, set_many and add log a Redis error and answer as
    if the key were absent (get: `default`; get_many: {}; add: False) or the write not made."""

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            logger.exception("Redis could not be read: worked out without the cache")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            logger.exception("Redis could not be read: worked out without the cache")
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError:
            logger.exception("Redis could not be written: results kept before may be served until they expire")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError:
            logger.exception("Redis could not be written: results kept before may be served until they expire")
            return list(data)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            logger.exception("Redis could not be written")
            return False


def key_for_this_database(key: str, key_prefix: str, version: int) -> str:
    """The cache key of `key`, naming the database the portal is connected to (its NAME), so two
    portals sharing a Redis database (a staging and a live one, or two test runs on one machine)
    never take each other's tables' times or kept results. Django's KEY_FUNCTION."""
    from django.db import connections

    return f"{key_prefix}:{connections['default'].settings_dict['NAME']}:{version}:{key}"
