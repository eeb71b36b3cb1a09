"""/healthz reports the database, Redis, a worker and beat, with 503 when one is down."""

import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from qa_portal import health
from tests.conftest import BASE_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def clean_broker():
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def celery_processes(clean_broker):
    """A real worker and a real beat, started as `make run` starts them."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qa_portal.test_settings"}
    celery = [sys.executable, "-m", "celery", "-A", "qa_portal"]
    schedule = BASE_DIR / "var" / f"test-beat-{os.getpid()}"
    schedule.parent.mkdir(exist_ok=True)
    processes = [
        subprocess.Popen(
            [*celery, "worker", "--loglevel=WARNING", "--concurrency=1", "--pool=solo"], cwd=BASE_DIR, env=env
        ),
        subprocess.Popen([*celery, "beat", "--loglevel=WARNING", f"--schedule={schedule}"], cwd=BASE_DIR, env=env),
    ]
    yield processes
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    for leftover in schedule.parent.glob(f"{schedule.name}*"):
        leftover.unlink()


def test_it_is_healthy_with_a_worker_and_beat_running(client, celery_processes):
    deadline = time.monotonic() + 60
    while True:
        response = client.get(reverse("healthz"))
        body = response.json()
        if response.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == "ok"
    assert body["checks"]["worker"].startswith("ok")
    assert body["checks"]["beat"].startswith("ok (last heartbeat")


def test_it_is_down_when_no_worker_runs(client, clean_broker):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == "ok"
    assert body["checks"]["worker"] == "no worker answered"
    assert body["checks"]["beat"].startswith("no heartbeat")


def test_it_is_down_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"].startswith("unreachable")
    assert checks["worker"] == "unknown: Redis is down"


def test_a_heartbeat_older_than_a_few_beats_has_expired(clean_broker):
    health.record_heartbeat()
    ttl = clean_broker.ttl(health.HEARTBEAT_KEY)
    assert 0 < ttl <= settings.HEARTBEAT_SECONDS * 3 + 5
    assert health.check_beat()[0]


def test_it_reports_the_smtp_server_down_when_it_does_not_answer(client, smtp_server):
    assert client.get(reverse("healthz")).json()["checks"]["smtp"] == "ok"
    smtp_server.stop()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["smtp"] == "unreachable: ConnectionRefusedError"
    assert smtp_server.messages == []  # it was only greeted, never sent anything
