"""A big authority's tracker never keeps a web request waiting (issue 12, case 20): with thousands of
open recommendations, the download link answers at once with a page that shows the document being
made; the worker makes it, and its page then offers the download, to the person who asked alone."""

import csv
import io
import time
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from qa_portal.models import Document
from qa_portal.roles import Role
from qa_portal.tasks import build_document
from reviews.models import Level, Recommendation
from tests.factories import ProviderFactory, UserFactory
from tests.pages import heading, text_of
from tests.pdf_reading import text_of_pdf
from tests.processes import wait_until

pytestmark = pytest.mark.django_db

# Case 20's recommendation, word for word (../shared/cases/20-tracker-pdf-many-recommendations.py).
CASE_20_TEXT = (
    "BULK-TRACKER {n}: the provider will make sure every young person's placement plan records how they want to "
    "be contacted out of hours, agree it with them at their next review, and send the updated plan to the "
    "allocated social worker; the commissioning officer will check a sample of three plans at the next "
    "contract review and report the result to the monthly tracking meeting."
)


def open_recommendations(count: int, owner) -> None:
    """`count` open service-level recommendations owned by `owner`, spread over three providers, as
    case 20 adds them (bulk_create: no factories, so 2,000 take a second)."""
    providers = [ProviderFactory(name=f"Bulk provider {n}") for n in range(3)]
    Recommendation.objects.bulk_create(
        Recommendation(
            source="other",
            provider=providers[n % len(providers)],
            level=Level.PROVIDER_SERVICE,
            text=CASE_20_TEXT.format(n=n),
            owner=owner,
            due_date=date(2027, 1, 1) + timedelta(days=n % 120),
            created_by=owner,
        )
        for n in range(count)
    )


def export(fmt: str) -> str:
    return reverse("reviews:tracker_export", args=[fmt])


@pytest.fixture
def another_qa_lead(db):
    return UserFactory(role=Role.QA_LEAD, full_name="Morgan Hale")


def test_with_2000_open_recommendations_the_pdf_link_answers_at_once_with_its_progress_not_a_pdf(client, qa_lead):
    open_recommendations(2000, qa_lead)
    client.force_login(qa_lead)

    started = time.monotonic()
    response = client.get(export("pdf"), {"status": "open"})
    answered_in = time.monotonic() - started

    assert response.status_code == 302
    assert not response.get("Content-Type", "").startswith("application/pdf")
    assert b"%PDF" not in response.content
    document = Document.objects.get()
    assert response.url == reverse("document_detail", args=[document.pk])
    # Nothing was laid out while the person waited: the worker has not even started.
    assert (document.kind, document.format, document.rows, document.status) == (
        "recommendation-tracker",
        "pdf",
        2000,
        "queued",
    )
    assert document.content is None and document.started_at is None
    assert answered_in < 5, f"the web request took {answered_in:.1f} s"

    page = client.get(response.url)
    assert page["Content-Type"].startswith("text/html")
    assert heading(page) == "Recommendation and Impact Tracker (PDF)"
    text = text_of(page)
    assert "It is too big to make while you wait, so it is being made in the background." in text
    assert "Queued Queued: waiting for the background worker: 0%" in text
    assert "2,000 recommendations when you asked for it" in text
    assert "Recommendations: Open" in text
    assert "Refresh this page to see how it is getting on." in text


def test_2000_recommendations_as_xlsx_are_made_by_the_worker_for_the_person_who_asked(client, qa_lead, another_qa_lead):
    open_recommendations(2000, qa_lead)
    client.force_login(qa_lead)
    response = client.get(export("xlsx"))
    assert response.status_code == 302
    document = Document.objects.get()

    assert build_document(document.pk) == "done"

    page = text_of(client.get(response.url))
    assert "Ready Made on" in page and "Download the Excel (XLSX) file" in page
    download = client.get(reverse("document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="recommendation-tracker-')
    assert "no-store" in download["Cache-Control"]
    rows = list(load_workbook(io.BytesIO(download.content)).active.values)[1:]
    texts = [row[5] for row in rows]
    assert len(texts) == 2000
    assert texts[0].startswith("BULK-TRACKER 0:") and "BULK-TRACKER 1999:" in " ".join(texts)

    client.force_login(another_qa_lead)
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 404
    assert client.get(reverse("document_detail", args=[document.pk])).status_code == 404


def test_2000_recommendations_as_csv_are_sent_at_once_as_they_are_written(client, qa_lead):
    open_recommendations(2000, qa_lead)
    client.force_login(qa_lead)
    response = client.get(export("csv"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="recommendation-tracker-')
    assert "no-store" in response["Cache-Control"]
    # Sent in pieces, the first of them before the rest are read.
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first.decode("utf-8-sig").startswith("Reference,Source,Provider,")
    rows = list(csv.DictReader(io.StringIO((first + b"".join(chunks)).decode("utf-8-sig"))))
    texts = [row["Recommendation"] for row in rows]
    assert len(texts) == 2000
    assert texts[0].startswith("BULK-TRACKER 0:") and "BULK-TRACKER 1999:" in " ".join(texts)
    assert not Document.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_case_20_the_qa_leads_pdf_of_400_open_recommendations_is_made_by_the_worker(client, celery_worker):
    qa_lead = UserFactory(role=Role.QA_LEAD, email="qa.lead@example.org", full_name="Laura Dennison")
    someone_else = UserFactory(role=Role.QA_LEAD, full_name="Morgan Hale")
    open_recommendations(400, qa_lead)
    client.force_login(qa_lead)

    response = client.get(export("pdf"))
    assert response.status_code == 302
    document = Document.objects.get()
    progress_url = reverse("document_progress", args=[document.pk])

    # What the page's progress bar is told while the worker lays the PDF out: it moves, never back.
    seen = []

    def finished():
        state = client.get(progress_url).json()
        seen.append(state["progress"])
        return state["finished"]

    wait_until(finished, 300, "the worker made the PDF", every=0.5)
    done = Document.objects.get(pk=document.pk)
    assert done.status == "done", done.error
    assert seen == sorted(seen)
    assert any(20 < percent < 100 for percent in seen), seen

    page = client.get(response.url)
    assert "Download the PDF file" in text_of(page)
    download = client.get(reverse("document_download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(download.content))
    assert len(pdf.pages) > 100
    text = text_of_pdf(download.content)
    assert "BULK-TRACKER 0:" in text and "BULK-TRACKER 399:" in text
    assert "400 recommendations" in text

    client.force_login(someone_else)
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 404
