"""Celery: JSON messages on the real Redis broker, queued only once the transaction commits, run by
a real worker; every job beat schedules is one a worker can run."""

import json
import time

import pytest
import redis
from django.conf import settings
from django.db import transaction

from qa_portal import health
from qa_portal.celery import app
from qa_portal.tasks import heartbeat


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("celery")
    yield client
    client.delete("celery")


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_in_a_transaction_is_sent_only_after_it_commits(broker):
    with transaction.atomic():
        heartbeat.delay_on_commit()
        assert broker.llen("celery") == 0
    assert broker.llen("celery") == 1
    message = json.loads(broker.lpop("celery"))
    assert message["headers"]["task"] == "qa_portal.tasks.heartbeat"
    assert message["content-type"] == "application/json"


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_in_a_rolled_back_transaction_is_never_sent(broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        heartbeat.delay_on_commit()
        raise RuntimeError("the request failed")
    assert broker.llen("celery") == 0


def test_a_job_sent_through_the_broker_is_run_by_the_worker(celery_worker):
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(health.HEARTBEAT_KEY)
    assert not health.check_beat()[0]

    heartbeat.delay()

    deadline = time.monotonic() + 20
    while not client.exists(health.HEARTBEAT_KEY):
        assert time.monotonic() < deadline, "the worker did not run the heartbeat job"
        time.sleep(0.1)
    ok, message = health.check_beat()
    assert ok, message
    assert message.startswith("ok (last heartbeat")


def test_every_job_beat_schedules_is_one_the_worker_knows(celery_worker):
    # Asked of the running worker over the broker, as beat's messages would reach it: a job
    # beat names but no worker has registered would be dropped every time it falls due.
    replies = app.control.inspect(timeout=10, limit=1).registered() or {}
    assert replies, "the worker did not answer"
    known = {name.split(" ")[0] for names in replies.values() for name in names}
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled, "beat schedules nothing"
    assert scheduled <= known, f"beat schedules jobs no worker runs: {sorted(scheduled - known)}"
