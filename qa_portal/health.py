"""Checks behind /healthz: the database, Redis, a Celery worker and Celery beat."""

from datetime import datetime

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from qa_portal.celery import app

HEARTBEAT_KEY = "qa_portal:heartbeat"


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def record_heartbeat() -> None:
    # Expires after a few missed beats, so a stopped beat or worker shows as down.
    _redis().set(HEARTBEAT_KEY, timezone.now().isoformat(), ex=settings.HEARTBEAT_SECONDS * 3 + 5)


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return False, f"unreachable: {exc.__class__.__name__}"
    return True, "ok"


def check_redis() -> tuple[bool, str]:
    try:
        _redis().ping()
    except redis.RedisError as exc:
        return False, f"unreachable: {exc.__class__.__name__}"
    return True, "ok"


def check_worker() -> tuple[bool, str]:
    try:
        replies = app.control.ping(timeout=1.0)
    except Exception as exc:
        return False, f"unreachable: {exc.__class__.__name__}"
    if not replies:
        return False, "no worker answered"
    return True, f"ok ({len(replies)} running)"


def check_beat() -> tuple[bool, str]:
    try:
        last = _redis().get(HEARTBEAT_KEY)
    except redis.RedisError as exc:
        return False, f"unknown: {exc.__class__.__name__}"
    if last is None:
        return False, f"no heartbeat in the last {settings.HEARTBEAT_SECONDS * 3 + 5} seconds"
    age = (timezone.now() - datetime.fromisoformat(last.decode())).total_seconds()
    return True, f"ok (last heartbeat {age:.0f} seconds ago)"


def report() -> tuple[bool, dict[str, str]]:
    """Every check's verdict; healthy only when all pass."""
    results = {"database": check_database(), "redis": check_redis()}
    if results["redis"][0]:
        results["worker"] = check_worker()
        results["beat"] = check_beat()
    else:
        # Both depend on Redis; asking them would only wait for time-outs.
        results["worker"] = (False, "unknown: Redis is down")
        results["beat"] = (False, "unknown: Redis is down")
    healthy = all(ok for ok, _ in results.values())
    return healthy, {name: message for name, (_, message) in results.items()}
