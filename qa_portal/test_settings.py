"""Settings for the test suite: production-like (DEBUG off) on the real PostgreSQL and Redis."""

import os
import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured


def redis_url_for_worker(base: str, worker: str | None) -> str:
    """The Redis URL one test process uses: `base` itself when the suite runs in one process,
    and for pytest-xdist's worker gwN the database N below the base's (gw0 15, gw1 14, …), so
    workers never share Celery's queue or a flushdb. `worker` is PYTEST_XDIST_WORKER ("gw1")
    or None. Takes redis://, rediss:// (database in the path) and unix:// (`?db=`) URLs;
    raises ImproperlyConfigured when the numbers would run below database 0."""
    if not worker:
        return base
    index = int(worker.removeprefix("gw"))
    parts = urlsplit(base)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        database = int(query.get("db", 0)) - index
        query["db"] = str(database)
        url = f"{base.partition('?')[0]}?{urlencode(query)}"  # urlunsplit would drop the empty host
    else:
        database = int(parts.path.strip("/") or 0) - index
        url = urlunsplit(parts._replace(path=f"/{database}"))
    if database < 0:
        raise ImproperlyConfigured(
            f"pytest-xdist worker {worker} would need Redis database {database}: counting down from "
            f"{base!r} leaves too few. Use a higher database in REDIS_URL or fewer workers."
        )
    return url


os.environ["DEBUG"] = "0"
# A fresh key for each run (inherited by the worker processes tests start): no key in the source.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# A Redis database of its own (15 unless REDIS_URL names one), so tests never touch the development
# broker's queues; under pytest-xdist, one per worker. The base is kept in the environment so the
# Celery worker and beat processes that a test starts work out the same database as the test.
_redis_base = os.environ.setdefault("TEST_REDIS_BASE_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
os.environ["REDIS_URL"] = redis_url_for_worker(_redis_base, os.environ.get("PYTEST_XDIST_WORKER"))
os.environ["SECURE_SSL_REDIRECT"] = "0"

from qa_portal.settings import *  # noqa: E402  (after the environment above is set)

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Serve static files straight from static/ (no collectstatic in tests), for the live server too.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test databases do not wait for each commit to reach the disk (PostgreSQL's synchronous_commit,
# for these connections only): a crash of the machine could lose the last commits of a test database,
# which is made afresh for each run anyway. Live-server, worker and browser tests commit often, and
# each commit otherwise waits for a flush of the write-ahead log.
DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"
