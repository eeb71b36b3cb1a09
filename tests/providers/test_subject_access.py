"""A young person's subject-access export: everything held about them, as a PDF and CSVs in one ZIP, for
the data protection officer (through the QA lead); theirs only, and recorded in the access log."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import YoungPerson
from qa_portal.access_log import entries_about
from qa_portal.models import AccessAction
from reviews.models import YoungPersonOutcome
from tests.factories import ConcernFactory, RecommendationFactory, VisitFactory
from tests.pdf_reading import pages_of, without_spaces
from tests.reviews.test_meetings import held_meeting
from visits.models import CaseRecordEntry

pytestmark = pytest.mark.django_db

FILES = [
    "subject-access.pdf",
    "record.csv",
    "placements.csv",
    "visits.csv",
    "asked-for-on-visits.csv",
    "case-record-entries.csv",
    "meeting-outcomes.csv",
    "safe-to-remain-decisions.csv",
    "recommendations.csv",
    "concerns.csv",
    "record-changes.csv",
    "access-log.csv",
]


@pytest.fixture
def held_about_both(provider, placed, qa_lead, social_worker):
    """JB (7100001) and KM (7100002), placed together, each with a record of every kind: met on one
    visit (put on both their case records), an outcome at one meeting, a recommendation, a concern,
    and a view of their page."""
    today = timezone.localdate()
    visit = VisitFactory(provider=provider, status="finalised", visit_date=today - timedelta(days=30))
    meeting = held_meeting(provider, today - timedelta(days=20))
    for person, mark in zip(placed, ["JB", "KM"], strict=True):
        visit.young_people_met.add(person)
        CaseRecordEntry.objects.create(visit=visit, young_person=person, recorded_by=qa_lead)
        YoungPersonOutcome.objects.create(meeting=meeting, young_person=person, notes=f"OUTCOME-OF-{mark}")
        RecommendationFactory(
            visit=visit, level="child", young_person=person, owner=qa_lead, text=f"RECOMMENDATION-FOR-{mark}"
        )
        ConcernFactory(provider=provider, young_person=person, summary=f"CONCERN-ABOUT-{mark}")
    return placed


def read_zip(response) -> tuple[dict[str, list[list[str]]], str]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == FILES
    tables = {
        name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
        if name.endswith(".csv")
    }
    return tables, " ".join(pages_of(archive.read("subject-access.pdf")))


def test_the_zip_holds_a_pdf_and_csvs_of_everything_about_them_and_nothing_of_another_young_person(
    client, qa_lead, social_worker, held_about_both
):
    jb, km = held_about_both
    client.force_login(social_worker)
    client.get(jb.get_absolute_url())
    client.get(km.get_absolute_url())
    client.force_login(qa_lead)

    response = client.get(reverse("providers:subject_access_export", args=[jb.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-7100001-')
    assert "no-store" in response["Cache-Control"]
    tables, pdf = read_zip(response)

    assert tables["record.csv"][1][:4] == ["7100001", "JB", f"{jb.date_of_birth:%d/%m/%Y}", "Child in care"]
    assert [row[0] for row in tables["placements.csv"][1:]] == ["Harbour Lights Fostering"]
    assert [row[1] for row in tables["visits.csv"][1:]] == ["Harbour Lights Fostering"]
    assert len(tables["case-record-entries.csv"]) == 2
    assert [row[2] for row in tables["meeting-outcomes.csv"][1:]] == ["OUTCOME-OF-JB"]
    assert [row[4] for row in tables["recommendations.csv"][1:]] == ["RECOMMENDATION-FOR-JB"]
    assert [row[5] for row in tables["concerns.csv"][1:]] == ["CONCERN-ABOUT-JB"]
    assert [row[1:4] for row in tables["access-log.csv"][1:]] == [
        ["Tom Reilly", "Viewed a page", "Young person's page"]
    ]
    everything = " ".join(" ".join(" ".join(row) for row in table) for table in tables.values())
    # Words wrapped in the PDF's narrow columns are read whole.
    for text in (everything, without_spaces(pdf)):
        assert "7100001" in text and "OUTCOME-OF-JB" in text and "RECOMMENDATION-FOR-JB" in text
        assert "CONCERN-ABOUT-JB" in text
        for of_km in ("7100002", "OUTCOME-OF-KM", "RECOMMENDATION-FOR-KM", "CONCERN-ABOUT-KM"):
            assert of_km not in text

    # The export itself is in their access log (and not in KM's).
    [latest, *_] = entries_about(YoungPerson, jb.pk)
    assert (latest.user, latest.action, latest.record) == (qa_lead, AccessAction.SUBJECT_ACCESS, jb)
    assert not entries_about(YoungPerson, km.pk).filter(user=qa_lead).exists()


def test_the_page_says_what_the_export_holds(client, qa_lead, held_about_both):
    jb = held_about_both[0]
    client.force_login(qa_lead)
    assert reverse("providers:subject_access", args=[jb.pk]) in client.get(jb.get_absolute_url()).text
    page = client.get(reverse("providers:subject_access", args=[jb.pk]))
    assert page.status_code == 200
    assert "Outcomes noted at review meetings" in page.text and "meeting-outcomes.csv" in page.text
    assert reverse("providers:subject_access_export", args=[jb.pk]) in page.text


@pytest.mark.parametrize("view", ["providers:subject_access", "providers:subject_access_export"])
def test_only_those_who_may_make_it_have_it(client, social_worker, commissioning_officer, placed, view):
    for user in (social_worker, commissioning_officer):
        client.force_login(user)
        assert client.get(reverse(view, args=[placed[0].pk])).status_code == 403
