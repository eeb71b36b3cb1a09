"""A document is made whatever happens to the worker meanwhile: with real worker processes on a
Redis of the test's own, a worker killed half-way through the tracker's PDF leaves it to the next
worker, which makes it without anybody pressing a button."""

import time

import pytest
from django.urls import reverse

from qa_portal.models import Document
from tests.processes import wait_until
from tests.reviews.test_big_tracker_documents import open_recommendations

pytestmark = pytest.mark.django_db


def status_of(document_id: int) -> str:
    return Document.objects.values_list("status", flat=True).get(pk=document_id)


@pytest.mark.processes
def test_a_document_whose_worker_is_killed_half_way_is_made_by_the_next_worker(client, qa_lead, start_worker):
    open_recommendations(120, qa_lead)
    worker = start_worker()
    client.force_login(qa_lead)
    assert client.get(reverse("reviews:tracker_export", args=["pdf"])).status_code == 302
    document = Document.objects.get()
    wait_until(lambda: status_of(document.pk) == "running", 60, "the worker started the document", 0.01)
    worker.kill()
    time.sleep(0.5)
    assert status_of(document.pk) == "running", "killed too late: the document was finished"

    start_worker()  # as systemd would, with Restart=always

    wait_until(lambda: status_of(document.pk) in ("done", "failed"), 120, "the document was made", 0.2)
    done = Document.objects.get(pk=document.pk)
    assert done.status == "done", done.error
    assert done.attempts == 2
    download = client.get(reverse("document_download", args=[document.pk]))
    assert download.content.startswith(b"%PDF")
