"""A committee pack is made whatever happens to the worker or Redis meanwhile: with real worker
processes on a Redis of the test's own, a worker killed half-way through a pack, and a pack asked
for while Redis is stopped, both end with the pack made and nobody pressing a button."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal import catchup
from qa_portal.reporting.committee import build, services
from qa_portal.reporting.models import CommitteePackVersion, PackStatus
from tests.pages import text_of
from tests.processes import wait_until
from tests.reporting.committee_year import END, START
from tests.reporting.test_committee_pages import URLS, grant_packs

pytestmark = [pytest.mark.urls(URLS), pytest.mark.django_db]


def status_of(version_id: int) -> str:
    return CommitteePackVersion.objects.values_list("status", flat=True).get(pk=version_id)


def made(version_id: int) -> CommitteePackVersion:
    """The version once the worker has finished it. Up to 3 minutes: after Redis comes back, the worker
    reconnects (Celery's back-off), runs the catch-up's missed daily jobs on the test data, then takes
    up the pack; on 2 cores under the whole suite that took more than 90 s once (alone, 10 s)."""
    wait_until(lambda: status_of(version_id) in (PackStatus.DONE, PackStatus.FAILED), 180, "the pack was made", 0.2)
    return CommitteePackVersion.objects.get(pk=version_id)


@pytest.fixture
def report(manager):
    return services.committee_report_create(by=grant_packs(manager), title="", period_start=START, period_end=END)


@pytest.mark.processes
def test_a_pack_whose_worker_is_killed_half_way_is_made_by_the_next_worker(client, manager, report, start_worker):
    worker = start_worker()
    client.force_login(manager)
    client.post(reverse("committee:pack_generate", args=[report.pk]))
    version = report.versions.get()
    wait_until(lambda: status_of(version.pk) == PackStatus.RUNNING, 60, "the worker started the pack", 0.01)
    worker.kill()
    time.sleep(0.5)
    assert status_of(version.pk) == PackStatus.RUNNING, "killed too late: the pack was finished"

    start_worker()  # as systemd would, with Restart=always

    done = made(version.pk)
    assert done.status == PackStatus.DONE, done.error
    assert bytes(done.pdf).startswith(b"%PDF")
    assert done.attempts == 2
    assert report.versions.count() == 1
    page = text_of(client.get(reverse("committee:report_detail", args=[report.pk])))
    assert "Download version 1 (PDF" in page


@pytest.mark.processes
def test_a_pack_asked_for_while_redis_is_stopped_is_made_once_it_is_back(
    client, manager, report, own_redis, start_worker
):
    worker = start_worker()
    own_redis.crash()
    client.force_login(manager)
    started = time.monotonic()
    response = client.post(reverse("committee:pack_generate", args=[report.pk]), follow=True)
    assert time.monotonic() - started < 10
    assert "Version 1 of the pack is queued" in text_of(response)
    version = report.versions.get()
    assert status_of(version.pk) == PackStatus.QUEUED

    own_redis.start()  # empty: whatever it held is gone

    done = made(version.pk)
    assert done.status == PackStatus.DONE, done.error
    assert done.attempts == 1
    assert worker.alive


def left_running(report, *, attempts: int, silent_for: timedelta) -> CommitteePackVersion:
    """A version being made by a worker last heard of `silent_for` ago, on its `attempts`th try."""
    version = services.committee_pack_generate(report=report, by=report.created_by)
    since = timezone.now() - silent_for
    CommitteePackVersion.objects.filter(pk=version.pk).update(
        status=PackStatus.RUNNING, attempts=attempts, started_at=since, heartbeat_at=since, progress=85
    )
    return version


def test_a_version_whose_worker_fell_silent_is_queued_again(report):
    alive = left_running(report, attempts=1, silent_for=timedelta(seconds=40))
    silent = left_running(report, attempts=1, silent_for=build.STALLED_AFTER + timedelta(seconds=1))
    assert catchup.run()["packs queued again"] == 1
    assert status_of(alive.pk) == PackStatus.RUNNING
    assert status_of(silent.pk) == PackStatus.QUEUED


def test_after_three_tries_the_version_fails_and_can_be_tried_again(client, manager, report):
    version = left_running(report, attempts=build.MAX_ATTEMPTS, silent_for=timedelta(hours=1))
    assert catchup.run()["packs failed"] == 1
    client.force_login(manager)
    page = text_of(client.get(reverse("committee:report_detail", args=[report.pk])))
    assert "Failed The background worker stopped while making this version, 3 times." in page
    assert "Try again to make version 1" in page

    response = client.post(reverse("committee:version_resend", args=[report.pk, version.pk]), follow=True)
    assert "Version 1 has been sent to the background worker again." in text_of(response)
    again = CommitteePackVersion.objects.get(pk=version.pk)
    assert (again.status, again.attempts, again.number, again.error) == (PackStatus.QUEUED, 0, 1, "")
    assert build.committee_pack_build(version_id=version.pk) == "done"
    assert report.versions.count() == 1
