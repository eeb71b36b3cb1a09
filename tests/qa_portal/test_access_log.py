"""The access log of personal data: every view and download of a young person's data is recorded with
who, what and when, and shown to the QA lead on the young person's "Who has seen this record" page."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import YoungPerson
from qa_portal.access_log import entries_about
from qa_portal.models import AccessAction, Document, PersonalDataAccess
from qa_portal.tasks import build_document, delete_old_access_log
from tests.factories import RecommendationFactory, VisitFactory, YoungPersonFactory
from tests.lists import csv_rows, table_rows
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def log_of(person) -> list[tuple[str, str, str]]:
    """(who, what they did, what) of each entry about `person`, newest first."""
    return [(e.user.full_name, e.get_action_display(), e.what) for e in entries_about(YoungPerson, person.pk)]


@pytest.fixture
def met_visit(provider, placed):
    """A submitted visit to the provider that met JB (not KM)."""
    visit = VisitFactory(provider=provider, status="submitted", visit_date=timezone.localdate() - timedelta(days=5))
    visit.young_people_met.add(placed[0])
    return visit


def test_a_young_persons_page_and_a_visit_report_that_met_them_are_two_entries_the_qa_lead_sees(
    client, social_worker, qa_lead, placed, met_visit
):
    jb, km = placed
    client.force_login(social_worker)
    assert client.get(reverse("providers:young_person_detail", args=[jb.pk])).status_code == 200
    report = client.get(reverse("visits:report_pdf", args=[met_visit.pk]))
    assert report["Content-Type"] == "application/pdf"

    visit = f"Visit to Harbour Lights Fostering on {met_visit.visit_date:%-d %B %Y}"
    assert log_of(jb) == [
        ("Tom Reilly", "Downloaded a PDF", f"Visit report: {visit}"),
        ("Tom Reilly", "Viewed a page", "Young person's page"),
    ]
    assert log_of(km) == []  # not met, not shown

    client.force_login(qa_lead)
    page = client.get(reverse("providers:young_person_access_log", args=[jb.pk]))
    assert page.status_code == 200
    rows = [[html.unescape(cell) for cell in row] for row in table_rows(page.text)]
    # Newest first: the QA lead opening this page is itself an entry.
    assert [row[1:4] for row in rows] == [
        ["Laura Dennison Officer", "Viewed a page", f"Who has seen this record /young-people/{jb.pk}/access-log/"],
        ["Tom Reilly Officer", "Downloaded a PDF", f"Visit report: {visit} /visits/{met_visit.pk}/report.pdf"],
        ["Tom Reilly Officer", "Viewed a page", f"Young person's page /young-people/{jb.pk}/"],
    ]
    # The young person's page links to it for the QA lead.
    assert reverse("providers:young_person_access_log", args=[jb.pk]) in client.get(jb.get_absolute_url()).text


def test_only_those_who_may_see_the_log_see_it(client, social_worker, commissioning_officer, placed):
    jb = placed[0]
    for user in (social_worker, commissioning_officer):
        client.force_login(user)
        assert client.get(reverse("providers:young_person_access_log", args=[jb.pk])).status_code == 403
        assert reverse("providers:young_person_access_log", args=[jb.pk]) not in client.get(jb.get_absolute_url()).text


def test_a_list_is_one_entry_found_from_each_young_person_on_its_page(client, commissioning_officer, placed):
    client.force_login(commissioning_officer)
    client.get(reverse("providers:young_person_list"), {"q": "jb"})
    [entry] = PersonalDataAccess.objects.all()
    assert (entry.what, entry.path) == ("Young people list", "/young-people/?q=jb")
    assert entry.subject_ids == [placed[0].pk]


def test_an_export_with_young_people_records_each_of_them(client, qa_lead, provider, placed):
    jb, km = placed
    RecommendationFactory(visit=VisitFactory(provider=provider), level="child", young_person=jb, owner=qa_lead)
    RecommendationFactory(visit=VisitFactory(provider=provider), level="child", young_person=km, owner=qa_lead)
    RecommendationFactory(visit=VisitFactory(provider=provider), owner=qa_lead)  # about the service: nobody
    client.force_login(qa_lead)
    rows = csv_rows(client.get(reverse("reviews:tracker_export", args=["csv"])))
    assert sorted(row[4] for row in rows[1:]) == ["", "JB", "KM"]

    [entry] = PersonalDataAccess.objects.all()
    assert entry.action == AccessAction.EXPORTED
    assert entry.what == "Recommendation and Impact Tracker: Recommendations: Open and in progress"
    assert sorted(entry.subject_ids) == sorted([jb.pk, km.pk])
    assert log_of(km) == [
        (
            "Laura Dennison",
            "Exported a list",
            "Recommendation and Impact Tracker: Recommendations: Open and in progress",
        )
    ]


def test_a_document_made_by_the_worker_is_recorded_when_downloaded_not_when_made(client, qa_lead, provider, settings):
    settings.SPREADSHEET_ROWS_IN_REQUEST = 0
    person = YoungPersonFactory(initials="RT")
    RecommendationFactory(visit=VisitFactory(provider=provider), level="child", young_person=person, owner=qa_lead)
    client.force_login(qa_lead)
    assert client.get(reverse("reviews:tracker_export", args=["xlsx"])).status_code == 302
    document = Document.objects.get()
    assert build_document(document.pk) == "done"
    assert log_of(person) == []

    for _ in range(2):
        assert client.get(reverse("document_download", args=[document.pk])).status_code == 200
    assert (
        log_of(person)
        == [
            (
                "Laura Dennison",
                "Exported a list",
                "Recommendation and Impact Tracker: Recommendations: Open and in progress",
            )
        ]
        * 2
    )


def test_a_page_that_shows_nobody_records_nothing(client, qa_lead, provider):
    RecommendationFactory(visit=VisitFactory(provider=provider), owner=qa_lead)
    client.force_login(qa_lead)
    assert "Agree a plan" in text_of(client.get(reverse("reviews:tracker")))
    assert client.get(provider.get_absolute_url()).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_the_provider_page_records_the_young_people_placed_there_for_those_who_see_them(
    client, qa_lead, manager, provider, placed
):
    client.force_login(manager)  # sees the number placed, not who
    client.get(provider.get_absolute_url())
    assert not PersonalDataAccess.objects.exists()
    client.force_login(qa_lead)
    client.get(provider.get_absolute_url())
    [entry] = PersonalDataAccess.objects.all()
    assert entry.what == "Provider page: Harbour Lights Fostering" and entry.record == provider
    assert sorted(entry.subject_ids) == sorted(person.pk for person in placed)


def test_entries_are_kept_for_the_configured_days_then_deleted_by_the_daily_job(client, qa_lead, placed, settings):
    settings.ACCESS_LOG_KEEP_DAYS = 30
    client.force_login(qa_lead)
    client.get(placed[0].get_absolute_url())
    client.get(placed[1].get_absolute_url())
    old = PersonalDataAccess.objects.get(subject_ids=[placed[0].pk])
    old.at = timezone.now() - timedelta(days=31)
    old.save()

    assert delete_old_access_log() == {"deleted": 1}
    assert list(PersonalDataAccess.objects.values_list("subject_ids", flat=True)) == [[placed[1].pk]]
    assert delete_old_access_log() is None  # once a day
