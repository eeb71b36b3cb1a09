"""The worker outlives Redis crashing and coming back, and /healthz does not cry wolf meanwhile:
with a real worker process on a Redis of the test's own."""

import time

import pytest
import redis
from django.urls import reverse

from qa_portal import health
from qa_portal.celery import app
from qa_portal.tasks import heartbeat
from tests.processes import wait_until

pytestmark = pytest.mark.processes


def test_a_worker_keeps_working_when_redis_crashes_and_comes_back(client, own_redis, start_worker):
    worker = start_worker()
    [configuration] = (app.control.inspect(timeout=5).conf(with_defaults=True) or {}).values()
    # However long Redis is away, the worker waits for it (Celery's default gave up after 100 tries),
    # and its connections opened while Redis comes back give it time, unlike a web request's.
    assert configuration["broker_connection_max_retries"] is None
    assert configuration["broker_transport_options"]["max_retries"] > app.conf.broker_transport_options["max_retries"]

    own_redis.crash()
    wait_until(lambda: "Connection to broker lost" in worker.output(), 20, "the worker noticed")
    time.sleep(1)
    own_redis.start()

    # Redis is back, empty; the worker is still reconnecting and no heartbeat has been written
    # again: the health check gives them the time to come back rather than report them down.
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["beat"].startswith("ok (waiting for a heartbeat")

    client_of_own = redis.Redis.from_url(own_redis.url)
    heartbeat.delay()  # sent after the restart, so it can only run if the worker came back
    wait_until(lambda: client_of_own.exists(health.HEARTBEAT_KEY), 40, "the worker ran a job sent after the restart")
    assert worker.alive
    assert "Unrecoverable error" not in worker.output()
    checks = client.get(reverse("healthz")).json()["checks"]
    assert checks["worker"] == "ok (1 running)" and checks["beat"].startswith("ok (last heartbeat")
