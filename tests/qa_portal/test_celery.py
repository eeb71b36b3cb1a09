"""Celery: JSON messages on the real Redis broker, queued only once the transaction commits."""

import json

import pytest
import redis
from django.conf import settings
from django.db import transaction

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


def test_jobs_have_time_limits_and_beat_schedules_the_heartbeat():
    assert app.conf.task_time_limit == 300
    assert app.conf.task_soft_time_limit == 240
    assert app.conf.beat_schedule["heartbeat"]["task"] == "qa_portal.tasks.heartbeat"
