"""Checks behind /healthz: the database, Redis, a Celery worker, Celery beat and the SMTP server.

Redis restarting is not an outage of the worker or beat: for RESTART_GRACE seconds after Redis
has (re)started, a worker still reconnecting (it retries every few seconds) and a heartbeat not
yet written again count as fine, so the health check does not flap while they come back.
"""

import smtplib
import ssl
import time
from datetime import datetime

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from qa_portal.celery import app

HEARTBEAT_KEY = "qa_portal:heartbeat"
SMTP_TIMEOUT = 3


def heartbeat_lifetime() -> int:
    """Seconds a heartbeat lasts: a few missed beats, so a stopped beat or worker shows as down."""
    return settings.HEARTBEAT_SECONDS * 3 + 5


def restart_grace() -> int:
    """Seconds after Redis starts in which the worker and beat are given time to come back: the
    heartbeat's lifetime, which also covers the worker's reconnection attempts."""
    return heartbeat_lifetime()


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def record_heartbeat() -> None:
    _redis().set(HEARTBEAT_KEY, timezone.now().isoformat(), ex=heartbeat_lifetime())


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return False, f"unreachable: {exc.__class__.__name__}"
    return True, "ok"


def _redis_uptime() -> int | None:
    """Seconds since Redis (re)started, asked twice half a second apart if the first fails (a
    restart takes a moment); None if it cannot be reached."""
    for attempt in range(2):
        try:
            return int(_redis().info("server")["uptime_in_seconds"])
        except redis.RedisError:
            if attempt == 0:
                time.sleep(0.5)
    return None


def check_redis(uptime: int | None) -> tuple[bool, str]:
    if uptime is None:
        return False, "unreachable: ConnectionError"
    return True, "ok"


def _restarted_lately(uptime: int | None) -> bool:
    return uptime is not None and uptime < restart_grace()


def check_worker(uptime: int | None = None) -> tuple[bool, str]:
    """A worker answers a ping within a second. `uptime`: Redis's, for the grace after a restart."""
    try:
        # A connection of its own: a pooled one may be left over from before Redis restarted.
        with app.connection_for_write() as connection_to_redis:
            replies = app.control.ping(timeout=1.0, connection=connection_to_redis)
    except Exception as exc:
        return False, f"unreachable: {exc.__class__.__name__}"
    if replies:
        return True, f"ok ({len(replies)} running)"
    if _restarted_lately(uptime):
        return True, f"ok (reconnecting: Redis started {uptime} seconds ago)"
    return False, "no worker answered"


def check_beat(uptime: int | None = None) -> tuple[bool, str]:
    """A worker ran beat's heartbeat job lately. `uptime`: Redis's, for the grace after a restart."""
    try:
        last = _redis().get(HEARTBEAT_KEY)
    except redis.RedisError as exc:
        return False, f"unknown: {exc.__class__.__name__}"
    if last is None:
        if _restarted_lately(uptime):
            return True, f"ok (waiting for a heartbeat: Redis started {uptime} seconds ago)"
        return False, f"no heartbeat in the last {heartbeat_lifetime()} seconds"
    age = (timezone.now() - datetime.fromisoformat(last.decode())).total_seconds()
    return True, f"ok (last heartbeat {age:.0f} seconds ago)"


def check_smtp() -> tuple[bool, str]:
    """Connect to the SMTP server the portal sends through, greet it and say NOOP, within
    SMTP_TIMEOUT seconds; nothing is sent. Other email backends (console in development) pass."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return True, f"ok (not sending by SMTP: {settings.EMAIL_BACKEND.rsplit('.', 2)[-2]})"
    host, port, context = settings.EMAIL_HOST, settings.EMAIL_PORT, ssl.create_default_context()
    try:
        if settings.EMAIL_USE_SSL:
            server = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT, context=context)
        else:
            server = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
        with server:
            server.ehlo()
            if settings.EMAIL_USE_TLS:
                server.starttls(context=context)
                server.ehlo()
            code, _ = server.noop()
    except (smtplib.SMTPException, OSError) as exc:
        return False, f"unreachable: {exc.__class__.__name__}"
    if code != 250:
        return False, f"answered NOOP with {code}"
    return True, "ok"


def report() -> tuple[bool, dict[str, str]]:
    """Every check's verdict; healthy only when all pass."""
    uptime = _redis_uptime()
    results = {"database": check_database(), "redis": check_redis(uptime)}
    if uptime is not None:
        results["worker"] = check_worker(uptime)
        results["beat"] = check_beat(uptime)
    else:
        # Both depend on Redis; asking them would only wait for time-outs.
        results["worker"] = (False, "unknown: Redis is down")
        results["beat"] = (False, "unknown: Redis is down")
    results["smtp"] = check_smtp()
    healthy = all(ok for ok, _ in results.values())
    return healthy, {name: message for name, (_, message) in results.items()}
