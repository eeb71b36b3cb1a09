"""A visit report long enough to take more than a couple of seconds to lay out is made by the
worker, like any big document (qa_portal.documents): the report link answers at once with the
document's page, and the person who asked (a provider user too, for their own shared report)
opens the PDF from there."""

import pytest
from django.urls import reverse

from qa_portal.models import Document
from qa_portal.tasks import build_document
from tests.visits.test_report_pdf import _text, visit  # noqa: F401  (visit: a fixture, a visit written up in full)

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_reports(settings):
    # The fixture's visit has about 12,000 characters of answers: "long", for these tests.
    settings.PDF_CHARACTERS_IN_REQUEST = 1000


def report(client, user, visit):  # noqa: F811
    client.force_login(user)
    return client.get(reverse("visits:report_pdf", args=[visit.pk]))


@pytest.mark.usefixtures("long_reports")
def test_a_long_report_is_made_by_the_worker_and_opens_from_its_page(client, visit, senior_leader):  # noqa: F811
    response = report(client, senior_leader, visit)
    assert response.status_code == 302
    document = Document.objects.get()
    assert response.url == reverse("document_detail", args=[document.pk])
    assert build_document(document.pk) == "done"

    made = client.get(reverse("document_download", args=[document.pk]))
    assert made["Content-Type"] == "application/pdf"
    assert made["Content-Disposition"] == 'inline; filename="visit-report-harbour-lights-fostering-2024-04-23.pdf"'
    text = _text(made.content)
    assert "Willow House" in text and "Replace the broken garden fence by the end of June." in text


@pytest.mark.usefixtures("long_reports")
def test_a_provider_user_has_their_own_long_shared_report_made_and_nobody_else_sees_it(
    client,
    visit,  # noqa: F811
    provider_user,
    other_provider_user,
):
    visit.status = "shared"
    visit.save()
    assert report(client, provider_user, visit).status_code == 302
    document = Document.objects.get()
    assert build_document(document.pk) == "done"
    page = client.get(reverse("document_detail", args=[document.pk]))
    assert "Visit report (PDF)" in page.text and "Visit to Harbour Lights Fostering on 23 April 2024" in page.text
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 200

    assert report(client, other_provider_user, visit).status_code == 404
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 404


def test_a_short_report_still_opens_at_once(client, visit, senior_leader):  # noqa: F811
    response = report(client, senior_leader, visit)
    assert response["Content-Type"] == "application/pdf"
    assert not Document.objects.exists()
