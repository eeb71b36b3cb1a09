"""A big file is checked and imported by the worker, with its progress on its page: the web request
never waits for it (a 5 MB placements file took 847 seconds in one request). The worker's job is safe
to deliver twice, and one whose worker died is taken up by the catch-up (providers.importers.runs)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import ImportRun, Placement
from providers.tasks import run_import
from qa_portal import catchup
from qa_portal.documents import making
from tests.pages import text_of
from tests.providers.test_import_pages import upload
from tests.providers.test_import_placements import placement_row, placements_csv

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def big_file(settings, provider):
    """A placements file with more rows than a web request checks or imports."""
    settings.IMPORT_ROWS_IN_REQUEST = ROWS - 1
    return placements_csv([placement_row(f"{1_000_000 + n}") for n in range(ROWS)])


@pytest.fixture
def officer_client(client, commissioning_officer):
    client.force_login(commissioning_officer)
    return client


def test_a_big_file_is_checked_by_the_worker_with_its_progress_on_its_page(officer_client, big_file):
    response = upload(officer_client, "placements", big_file)
    run = ImportRun.objects.get()
    assert response.url == reverse("providers:import_run", args=[run.pk])
    assert (run.status, run.job, run.rows, run.preview) == ("queued", "preview", ROWS, {})

    page = officer_client.get(response.url)
    assert "Checking the file" in text_of(page)
    assert f"data.csv has {ROWS} rows: too many to check while you wait" in text_of(page)
    assert "Queued: waiting for the background worker: 0%" in text_of(page)
    progress = officer_client.get(reverse("providers:import_progress", args=[run.pk])).json()
    assert (progress["status"], progress["finished"]) == ("queued", False)

    assert run_import(run.pk) == "done"

    run.refresh_from_db()
    assert (run.status, run.progress, run.preview["created"]) == ("ready", 100, ROWS)
    assert officer_client.get(reverse("providers:import_progress", args=[run.pk])).json()["finished"] is True
    page = text_of(officer_client.get(response.url))
    assert "Check the file before you import it" in page and f"Import {ROWS} rows" in page
    assert not Placement.objects.exists()


def test_a_big_file_is_imported_by_the_worker_once_however_often_its_job_is_delivered(
    officer_client, big_file, commissioning_officer
):
    run_url = upload(officer_client, "placements", big_file).url
    run = ImportRun.objects.get()
    run_import(run.pk)

    response = officer_client.post(run_url, follow=True)
    assert "The file is being imported in the background" in text_of(response)
    assert "Importing the file" in text_of(response)
    assert not Placement.objects.exists()
    officer_client.post(run_url)  # a second click queues nothing more
    assert ImportRun.objects.get().status == "queued"

    assert run_import(run.pk) == "done"
    assert run_import(run.pk) is None  # delivered again: nothing to do

    assert Placement.objects.count() == ROWS
    run.refresh_from_db()
    assert (run.applied_by, run.result["created"]) == (commissioning_officer, ROWS)
    page = officer_client.get(run_url)
    assert f"File imported: {ROWS} created, 0 updated, 0 unchanged, 0 rejected" in text_of(page)
    assert "Import complete" in text_of(page)


def test_an_import_whose_worker_died_is_taken_up_again_and_imports_the_file_once(officer_client, big_file):
    run_url = upload(officer_client, "placements", big_file).url
    run = ImportRun.objects.get()
    run_import(run.pk)
    officer_client.post(run_url)
    # A worker took it and died half-way: its transaction, and so its rows, died with it.
    since = timezone.now() - making.STALLED_AFTER - timedelta(seconds=1)
    ImportRun.objects.filter(pk=run.pk).update(
        status="running", attempts=1, started_at=since, heartbeat_at=since, progress=40, worker="w1@host"
    )

    assert catchup.run()["imports queued again"] == 1
    assert ImportRun.objects.get().status == "queued"
    assert run_import(run.pk) == "done"
    assert (ImportRun.objects.get().attempts, Placement.objects.count()) == (2, ROWS)


def test_a_job_that_failed_says_why_and_can_be_tried_again(officer_client, big_file):
    run_url = upload(officer_client, "placements", big_file).url
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(
        status="failed", error="The background worker stopped while working on this file, 3 times."
    )
    page = text_of(officer_client.get(run_url))
    assert "Failed The background worker stopped while working on this file, 3 times." in page

    officer_client.post(run_url, {"action": "again"})

    assert ImportRun.objects.get().status == "queued"
    assert run_import(run.pk) == "done"
    assert ImportRun.objects.get().preview["created"] == ROWS


def test_a_cell_longer_than_its_column_allows_refuses_its_row_by_line_and_column(officer_client, provider):
    content = placements_csv([placement_row("1234567"), placement_row("7654321", Initials="K" * 1_001)])
    page = text_of(officer_client.get(upload(officer_client, "placements", content).url))
    assert "3 Initials is 1,001 characters long: it can be 1,000 at most. Check the column holds what it should" in page
    assert "Import 1 row" in page
