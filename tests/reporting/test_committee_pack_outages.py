"""A committee pack is made whatever happens to the worker or Redis meanwhile: with real worker
processes on a Redis of the test's own, a worker killed half-way through a pack, and a pack asked
for while Redis is stopped, both end with the pack made and nobody pressing a button."""

import time

import pytest
from django.urls import reverse

from qa_portal.reporting.committee import services
from qa_portal.reporting.models import CommitteePackVersion, PackStatus
from tests.pages import text_of
from tests.processes import wait_until
from tests.reporting.committee_year import END, START
from tests.reporting.test_committee_pages import URLS, grant_packs

pytestmark = [pytest.mark.processes, pytest.mark.urls(URLS)]


def status_of(version_id: int) -> str:
    return CommitteePackVersion.objects.values_list("status", flat=True).get(pk=version_id)


def made(version_id: int) -> CommitteePackVersion:
    wait_until(lambda: status_of(version_id) in (PackStatus.DONE, PackStatus.FAILED), 90, "the pack was made", 0.2)
    return CommitteePackVersion.objects.get(pk=version_id)


@pytest.fixture
def report(manager):
    return services.committee_report_create(by=grant_packs(manager), title="", period_start=START, period_end=END)


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


def test_a_pack_asked_for_while_redis_is_stopped_is_made_once_it_is_back(client, manager, report, own_redis, start_worker):
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
