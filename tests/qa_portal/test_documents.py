"""Documents made in the background (qa_portal.documents): every list's big XLSX download goes to
the worker and comes back the same file, while its CSV is sent as it is written, however long; only the person who asked sees it; a document left waiting or
half-made is taken up by the catch-up; a failed one says why and can be tried again; none is kept
past its time."""

import csv
import io
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qa_portal import catchup
from qa_portal.documents import making
from qa_portal.documents import services as documents
from qa_portal.models import Document, JobRun
from qa_portal.roles import Role
from qa_portal.tasks import build_document, delete_expired_documents
from tests.factories import ProviderFactory, RecommendationFactory, UserFactory
from tests.pages import heading, text_of
from tests.reporting.test_committee_pack import broker_down  # noqa: F401  (a fixture: the broker unreachable)

pytestmark = pytest.mark.django_db

# Each list's download and the kind of document it is.
KINDS = {
    "reviews:tracker_export": "recommendation-tracker",
    "providers:provider_export": "providers",
    "reviews:compliance_export": "compliance-overview",
}
LISTS = list(KINDS)


@pytest.fixture
def rows(provider, other_provider, qa_lead):
    """A few providers and recommendations: every list has more than one row."""
    ProviderFactory(name="Cedar House")
    for n in range(3):
        RecommendationFactory(text=f"Recommendation {n}: agree an evening routine", owner=qa_lead)


@pytest.fixture
def someone_else(db):
    return UserFactory(role=Role.QA_LEAD, full_name="Morgan Hale")


def ask(client, settings, user, url_name="reviews:tracker_export", fmt="xlsx", **query):
    """Ask for a download that is over the limit: returns the document made for it."""
    settings.SPREADSHEET_ROWS_IN_REQUEST = 1
    client.force_login(user)
    response = client.get(reverse(url_name, args=[fmt]), query)
    assert response.status_code == 302, response
    document = Document.objects.without_content().latest("pk")
    assert response.url == reverse("document_detail", args=[document.pk])
    return document


def cells(content: bytes, fmt: str) -> list[list]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.values]


def download(client, document):
    return client.get(reverse("document_download", args=[document.pk]))


def page_of(client, document) -> str:
    return text_of(client.get(reverse("document_detail", args=[document.pk])))


@pytest.mark.parametrize("url_name", LISTS)
def test_a_list_too_long_to_download_at_once_is_made_by_the_worker_as_the_same_file(
    client, settings, qa_lead, rows, url_name
):
    fmt = "xlsx"
    client.force_login(qa_lead)
    at_once = client.get(reverse(url_name, args=[fmt]))
    assert at_once.status_code == 200 and at_once["Content-Disposition"].startswith("attachment")

    document = ask(client, settings, qa_lead, url_name, fmt)
    assert document.status == "queued" and document.rows > 1
    assert build_document(document.pk) == "done"

    made = download(client, document)
    assert made.status_code == 200
    assert made["Content-Type"] == at_once["Content-Type"]
    assert made["Content-Disposition"] == at_once["Content-Disposition"]
    assert cells(made.content, fmt) == cells(at_once.content, fmt)


@pytest.mark.parametrize("url_name", LISTS)
def test_a_list_too_long_to_download_at_once_is_streamed_as_csv_the_same_as_the_worker_makes_it(
    client, settings, qa_lead, rows, url_name
):
    settings.SPREADSHEET_ROWS_IN_REQUEST = 1
    client.force_login(qa_lead)
    streamed = client.get(reverse(url_name, args=["csv"]))
    assert streamed.status_code == 200 and streamed.streaming
    assert streamed["Content-Disposition"].startswith("attachment") and "no-store" in streamed["Cache-Control"]
    assert not Document.objects.exists()

    # A CSV document asked for before the CSV was streamed is still made by the worker, the same file.
    document = documents.document_request(
        kind=KINDS[url_name],
        fmt="csv",
        by=qa_lead,
        query="",
        path=reverse(url_name, args=["csv"]),
        rows=None,
        title="Before",
    )
    assert build_document(document.pk) == "done"
    made = download(client, document)
    assert made["Content-Disposition"] == streamed["Content-Disposition"]
    assert cells(made.content, "csv") == cells(streamed.getvalue(), "csv")
    assert len(cells(made.content, "csv")) > 2


def test_the_document_keeps_the_lists_filters(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead, status="all", sort="-due")
    assert "Recommendations: Any status" in page_of(client, document)
    build_document(document.pk)
    texts = [row[5] for row in cells(download(client, document).content, "xlsx")[1:]]
    assert len(texts) == 3


def test_only_the_person_who_asked_may_see_it_or_download_it(client, settings, qa_lead, someone_else, rows):
    document = ask(client, settings, qa_lead)
    build_document(document.pk)
    assert download(client, document).status_code == 200

    client.force_login(someone_else)
    for name in ("document_detail", "document_progress", "document_download"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 404, name
    assert client.post(reverse("document_send_again", args=[document.pk])).status_code == 404
    assert "Recommendations" not in text_of(client.get(reverse("document_list")))


def test_someone_who_has_lost_access_to_the_list_may_no_longer_download_it(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead)
    build_document(document.pk)
    qa_lead.groups.clear()
    qa_lead.groups.add(UserFactory(role=Role.PROVIDER_USER, provider=ProviderFactory()).groups.get())
    assert download(client, document).status_code == 403


def test_a_document_asked_for_by_someone_who_lost_access_meanwhile_fails_and_says_why(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead)
    qa_lead.groups.clear()
    assert build_document(document.pk) == "failed"
    client.force_login(qa_lead)
    page = page_of(client, document)
    assert "Failed You no longer have access to this list, so the document was not made." in page
    assert "Try again to make Recommendations" in page


def test_asking_again_while_it_is_being_made_gives_the_same_document(client, settings, qa_lead, rows):
    first = ask(client, settings, qa_lead, status="open", owner=str(qa_lead.pk))
    second = ask(client, settings, qa_lead, owner=str(qa_lead.pk), status="open")  # the same filters, reordered
    assert first.pk == second.pk
    other = ask(client, settings, qa_lead, status="all")
    assert other.pk != first.pk
    build_document(first.pk)
    assert ask(client, settings, qa_lead, status="open", owner=str(qa_lead.pk)).pk not in (first.pk, other.pk)


def test_a_document_is_made_once_however_often_its_message_arrives(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead)
    assert build_document(document.pk) == "done"
    made_at = Document.objects.get(pk=document.pk).finished_at
    assert build_document(document.pk) is None
    assert Document.objects.get(pk=document.pk).finished_at == made_at


def left_running(document, *, attempts: int, silent_for: timedelta) -> None:
    """As if a worker took the document `silent_for` ago, on its `attempts`th try, and then died."""
    since = timezone.now() - silent_for
    Document.objects.filter(pk=document.pk).update(
        status="running", attempts=attempts, started_at=since, heartbeat_at=since, progress=40, worker="w1@host"
    )


def test_a_document_whose_worker_died_is_queued_again_by_the_catch_up_and_made(client, settings, qa_lead, rows):
    dead = ask(client, settings, qa_lead, status="open")
    alive = ask(client, settings, qa_lead, status="all")
    left_running(dead, attempts=1, silent_for=making.STALLED_AFTER + timedelta(seconds=1))
    left_running(alive, attempts=1, silent_for=timedelta(seconds=40))

    assert catchup.run()["documents queued again"] == 1

    assert Document.objects.get(pk=alive.pk).status == "running"
    waiting = Document.objects.get(pk=dead.pk)
    assert waiting.status == "queued"
    assert "Queued again: the background worker stopped while making it" in page_of(client, dead)
    assert build_document(dead.pk) == "done"
    assert Document.objects.get(pk=dead.pk).attempts == 2
    assert download(client, dead).status_code == 200


def test_a_worker_restarted_under_the_same_name_gives_up_what_it_was_making_at_once(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead)
    left_running(document, attempts=1, silent_for=timedelta(seconds=20))
    summary = catchup.run(worker="w1@host", worker_started_at=timezone.now(), connected_at=timezone.now())
    assert summary["documents queued again"] == 1
    assert Document.objects.get(pk=document.pk).status == "queued"


def test_after_three_tries_it_fails_and_can_be_tried_again(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead)
    left_running(document, attempts=making.MAX_ATTEMPTS, silent_for=timedelta(hours=1))
    assert catchup.run()["documents failed"] == 1
    page = page_of(client, document)
    assert "Failed The background worker stopped while making it, 3 times." in page

    response = client.post(reverse("document_send_again", args=[document.pk]), follow=True)
    assert "Your document has been sent to the background worker again." in text_of(response)
    again = Document.objects.get(pk=document.pk)
    assert (again.status, again.attempts, again.error) == ("queued", 0, "")
    assert build_document(document.pk) == "done"


def test_a_document_left_queued_by_a_broker_that_lost_it_is_handed_over_again(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead)
    Document.objects.filter(pk=document.pk).update(queued_at=timezone.now() - making.QUEUED_AGAIN_AFTER)
    assert catchup.run()["documents queued again"] == 1
    assert Document.objects.get(pk=document.pk).queued_at > timezone.now() - timedelta(seconds=30)


def test_documents_past_their_time_are_gone_and_deleted_by_the_daily_job(client, settings, qa_lead, rows):
    old = ask(client, settings, qa_lead, status="open")
    build_document(old.pk)
    kept = ask(client, settings, qa_lead, status="all")
    build_document(kept.pk)
    Document.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert client.get(reverse("document_detail", args=[old.pk])).status_code == 404
    assert download(client, old).status_code == 404
    listed = text_of(client.get(reverse("document_list")))
    assert "Recommendations: Open" not in listed and "Recommendations: Any status" in listed

    assert delete_expired_documents() == {"deleted": 1}
    assert list(Document.objects.values_list("pk", flat=True)) == [kept.pk]
    assert JobRun.objects.get(job="delete_expired_documents").ok


def test_a_document_is_kept_for_seven_days_after_it_is_made(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead)
    build_document(document.pk)
    made = Document.objects.get(pk=document.pk)
    assert made.expires_at - made.finished_at == timedelta(days=7)
    assert f"Kept until {timezone.localtime(made.expires_at):%-d %B %Y}, then deleted" in page_of(client, document)


def test_your_documents_lists_each_with_where_it_has_got_to(client, settings, qa_lead, someone_else, rows):
    ask(client, settings, someone_else, status="open", sort="-due")
    waiting = ask(client, settings, qa_lead, "providers:provider_export", "xlsx")
    ready = ask(client, settings, qa_lead, status="all")
    build_document(ready.pk)

    response = client.get(reverse("document_list"))
    assert heading(response) == "Your documents"
    page = text_of(response)
    assert "List of providers (Excel (XLSX)) Providers" in page
    assert "Queued: waiting for the background worker: 0%" in page
    assert "Recommendation and Impact Tracker (Excel (XLSX)) Recommendations: Any status" in page
    assert "Ready Download Recommendations: Any status (Excel (XLSX)," in page
    assert "Recommendations: Open" not in page  # someone else's
    assert f'href="{reverse("document_download", args=[ready.pk])}"' in response.content.decode()
    assert f'data-progress-url="{reverse("document_progress", args=[waiting.pk])}?compact=1"' in response.text


def test_every_page_links_to_your_documents(client, qa_lead):
    client.force_login(qa_lead)
    assert f'href="{reverse("document_list")}">Your documents</a>' in client.get(reverse("home")).text


def test_the_progress_tells_the_page_where_the_document_has_got_to(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead)
    state = client.get(reverse("document_progress", args=[document.pk])).json()
    assert (state["status"], state["progress"], state["finished"]) == ("queued", 0, False)
    assert "Queued: waiting for the background worker: 0%" in " ".join(state["html"].split())
    build_document(document.pk)
    state = client.get(reverse("document_progress", args=[document.pk])).json()
    assert (state["status"], state["progress"], state["finished"]) == ("done", 100, True)
    assert reverse("document_download", args=[document.pk]) in state["html"]


def test_a_fresh_document_offers_no_try_again_but_one_waiting_a_while_does(client, settings, qa_lead, rows):
    document = ask(client, settings, qa_lead)
    assert "Try again" not in page_of(client, document)
    Document.objects.filter(pk=document.pk).update(queued_at=timezone.now() - timedelta(minutes=2))
    page = page_of(client, document)
    assert "Still queued after a few minutes? The background worker may be down" in page
    assert "Try again to make Recommendations" in page
    response = client.post(reverse("document_send_again", args=[document.pk]), follow=True)
    assert "Your document has been sent to the background worker again." in text_of(response)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("broker_down")
def test_with_the_broker_down_the_download_link_still_answers_at_once_and_the_document_waits(
    client, settings, qa_lead, rows
):
    started = time.monotonic()
    document = ask(client, settings, qa_lead)
    assert time.monotonic() - started < 10
    page = page_of(client, document)
    assert "Waiting: the background worker could not be reached: 0%" in page
    assert "Try again to make Recommendations" in page
    assert Document.objects.get(pk=document.pk).status == "queued"
