"""The Recommendation and Impact Tracker: filters, figures, pages, downloads, and who may see them."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from qa_portal.roles import Role
from reviews.models import ProgressUpdate, RecommendationStatus
from tests.factories import ConcernFactory, RecommendationFactory, UserFactory, VisitFactory, YoungPersonFactory
from tests.pages import heading

pytestmark = pytest.mark.django_db

TRACKER = reverse("reviews:tracker")


def export(fmt):
    return reverse("reviews:tracker_export", args=[fmt])


def texts(response):
    return [rec.text for rec in response.context["page"]]


def table_rows(html):
    """The text of each cell of each body row of the page's first table."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def xlsx_rows(response):
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def pdf_pages(response):
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def tracker(provider, other_provider, qa_lead, senior_leader, today):
    """One recommendation of each kind the filters tell apart."""
    person = YoungPersonFactory(initials="JB")
    visit = VisitFactory(provider=provider)
    recs = {
        "overdue": RecommendationFactory(
            visit=visit,
            text="Overdue: agree a bedtime routine with JB",
            level="child",
            young_person=person,
            owner=senior_leader,
            due_date=today - timedelta(days=40),
            status=RecommendationStatus.IN_PROGRESS,
        ),
        "this_month": RecommendationFactory(
            visit=visit, text="This month: fix the garden fence", owner=qa_lead, due_date=today, priority="high"
        ),
        "later": RecommendationFactory(
            source="concern",
            visit=None,
            concern=ConcernFactory(provider=other_provider),
            provider=other_provider,
            text="Later: train staff in restorative practice",
            owner=qa_lead,
            level="provider_service",
            due_date=today + timedelta(days=70),
        ),
        "authority": RecommendationFactory(
            source="other",
            visit=None,
            provider=other_provider,
            level="authority_service",
            text="Authority: update the care leaver offer",
            owner=senior_leader,
            due_date=today + timedelta(days=80),
        ),
        "completed": RecommendationFactory(
            visit=visit,
            text="Completed: a key for JB's room",
            owner=qa_lead,
            due_date=today - timedelta(days=10),
            status=RecommendationStatus.COMPLETED,
            impact_statement="JB says she feels safe and sleeps better.",
            completed_at=timezone.now(),
        ),
        "not_accepted": RecommendationFactory(
            visit=visit,
            text="Not accepted: a second lounge",
            owner=qa_lead,
            due_date=today + timedelta(days=20),
            status=RecommendationStatus.NOT_ACCEPTED,
            not_accepted_reason="The building cannot take it.",
        ),
    }
    ProgressUpdate.objects.create(
        recommendation=recs["overdue"], text="Older note", status_after="in_progress", by=qa_lead
    )
    ProgressUpdate.objects.create(
        recommendation=recs["overdue"],
        text="Routine drafted with JB; review next week",
        status_after="in_progress",
        by=qa_lead,
        at=timezone.now() + timedelta(seconds=1),
    )
    return recs


# What the tracker shows


def test_it_shows_open_and_in_progress_recommendations_by_default_soonest_due_first(client, qa_lead, tracker):
    client.force_login(qa_lead)
    response = client.get(TRACKER)
    assert texts(response) == [
        "Overdue: agree a bedtime routine with JB",
        "This month: fix the garden fence",
        "Later: train staff in restorative practice",
        "Authority: update the care leaver offer",
    ]
    assert "Completed: a key" not in response.text
    assert "4 recommendations</strong>: Open and in progress" in response.text


def test_each_row_shows_provider_young_person_owner_overdue_status_and_latest_progress(
    client, qa_lead, tracker, provider
):
    client.force_login(qa_lead)
    page = client.get(TRACKER).text
    first = table_rows(page)[0]
    assert first[0].startswith(f"Recommendation {tracker['overdue'].pk}: Overdue: agree a bedtime routine with JB")
    due = tracker["overdue"].due_date
    assert first[1:6] == [
        provider.name,
        "JB",
        "Chris Palmer Action: provider",
        f"{due.day} {due:%b %Y} Overdue",
        "In progress",
    ]
    assert first[6].startswith("Routine drafted with JB; review next week")
    assert "Older note" not in page
    assert reverse("reviews:recommendation_detail", args=[tracker["overdue"].pk]) in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "completed"}, ["completed"]),
        ({"status": "not_accepted"}, ["not_accepted"]),
        ({"status": "in_progress"}, ["overdue"]),
        ({"status": "open"}, ["this_month", "later", "authority"]),
        ({"status": "all"}, ["overdue", "completed", "this_month", "not_accepted", "later", "authority"]),
        ({"source": "concern"}, ["later"]),
        ({"source": "other"}, ["authority"]),
        ({"level": "child"}, ["overdue"]),
        ({"level": "authority_service"}, ["authority"]),
        ({"overdue": "1"}, ["overdue"]),
        ({"due_this_month": "1"}, ["this_month"]),
    ],
)
def test_each_filter_works(client, qa_lead, tracker, query, expected):
    client.force_login(qa_lead)
    assert texts(client.get(TRACKER, query)) == [tracker[key].text for key in expected]


def test_it_filters_by_owner_and_provider(client, qa_lead, senior_leader, tracker, other_provider):
    client.force_login(qa_lead)
    assert texts(client.get(TRACKER, {"owner": senior_leader.pk})) == [
        tracker["overdue"].text,
        tracker["authority"].text,
    ]
    assert texts(client.get(TRACKER, {"provider": other_provider.pk})) == [
        tracker["later"].text,
        tracker["authority"].text,
    ]
    both = client.get(TRACKER, {"provider": other_provider.pk, "owner": senior_leader.pk})
    assert texts(both) == [tracker["authority"].text]
    assert "owned by Chris Palmer, provider Northgate Homes" in both.text


def test_a_nonsense_filter_value_is_ignored_not_an_error(client, qa_lead, tracker):
    client.force_login(qa_lead)
    response = client.get(TRACKER, {"status": "bogus", "owner": "x", "provider": "999999", "level": "child"})
    assert response.status_code == 200
    assert texts(response) == [tracker["overdue"].text]


def test_the_counts_at_the_top(client, qa_lead, tracker, today):
    # One completed last financial year does not count as completed this year.
    RecommendationFactory(
        status=RecommendationStatus.COMPLETED,
        impact_statement="Done long ago",
        completed_at=timezone.now() - timedelta(days=400),
        due_date=today - timedelta(days=420),
    )
    client.force_login(qa_lead)
    figures = {f["key"]: f["value"] for f in client.get(TRACKER).context["figures"]}
    assert figures == {
        "open": 3,
        "in_progress": 1,
        "overdue": 1,
        "due_this_month": 1,
        "completed_this_year": 1,
        "not_accepted": 1,
    }


def test_it_pages_fifty_at_a_time_keeping_the_filters(client, qa_lead, today):
    for n in range(53):
        RecommendationFactory(text=f"Recommendation {n:02d}", due_date=today + timedelta(days=n + 1))
    client.force_login(qa_lead)
    first = client.get(TRACKER, {"level": "provider_service"})
    assert texts(first) == [f"Recommendation {n:02d}" for n in range(50)]
    assert "Showing 1 to 50 of 53" in first.text
    assert "level=provider_service&amp;page=2" in first.text
    second = client.get(TRACKER, {"level": "provider_service", "page": 2})
    assert texts(second) == ["Recommendation 50", "Recommendation 51", "Recommendation 52"]
    assert "Showing 51 to 53 of 53" in second.text


def test_the_download_links_keep_the_filters(client, qa_lead, tracker):
    client.force_login(qa_lead)
    page = client.get(TRACKER, {"overdue": "1", "page": "1"}).text
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'{export(fmt)}?overdue=1"' in page


# Downloads


def test_the_csv_export_holds_the_filtered_rows_with_status_impact_response_and_progress(client, qa_lead, tracker):
    rec = tracker["completed"]
    rec.provider_accepted = True
    rec.provider_action = "Lock fitted"
    rec.save()
    client.force_login(qa_lead)
    response = client.get(export("csv"), {"status": "all"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = {row["Recommendation"]: row for row in csv_rows(response)}
    assert len(rows) == 6
    done = rows["Completed: a key for JB's room"]
    assert done["Status"] == "Completed"
    assert done["Impact statement"] == "JB says she feels safe and sleeps better."
    assert done["Provider's response"] == "Accepted"
    assert done["Provider's action"] == "Lock fitted"
    overdue = rows["Overdue: agree a bedtime routine with JB"]
    assert overdue["Latest progress"] == "Routine drafted with JB; review next week"
    assert overdue["Overdue"] == "Yes"
    assert overdue["Young person"] == "JB"
    assert overdue["Due date"] == tracker["overdue"].due_date.strftime("%d/%m/%Y")
    assert rows["Not accepted: a second lounge"]["Reason not accepted"] == "The building cannot take it."


def test_the_xlsx_export_holds_the_filtered_rows(client, qa_lead, tracker):
    client.force_login(qa_lead)
    response = client.get(export("xlsx"), {"status": "completed"})
    rows = xlsx_rows(response)
    assert [row["Recommendation"] for row in rows] == ["Completed: a key for JB's room"]
    assert rows[0]["Status"] == "Completed"
    assert rows[0]["Impact statement"] == "JB says she feels safe and sleeps better."
    assert rows[0]["Due date"].date() == tracker["completed"].due_date


def test_an_export_cannot_be_made_to_run_a_formula(client, qa_lead):
    RecommendationFactory(text='=HYPERLINK("http://example.com")', impact_statement="")
    client.force_login(qa_lead)
    row = csv_rows(client.get(export("csv")))[0]
    assert row["Recommendation"] == '\'=HYPERLINK("http://example.com")'


def test_control_characters_pasted_from_word_do_not_break_the_xlsx_export(client, qa_lead):
    RecommendationFactory(text="Agree a plan\x0bwith the manager\x07")
    client.force_login(qa_lead)
    response = client.get(export("xlsx"))
    assert response.status_code == 200
    assert xlsx_rows(response)[0]["Recommendation"] == "Agree a planwith the manager"


def test_an_unknown_export_format_is_not_found(client, qa_lead):
    client.force_login(qa_lead)
    assert client.get(export("docx")).status_code == 404


def test_the_pdf_for_the_monthly_meeting_lists_the_filtered_recommendations(client, qa_lead, tracker, today, settings):
    # Made in the request; a bigger one is made by the worker (tests/reviews/test_big_tracker_documents.py).
    settings.PDF_ROWS_IN_REQUEST = 100
    for n in range(40):
        RecommendationFactory(text=f"Filler recommendation number {n} about evening activities", due_date=today)
    client.force_login(qa_lead)
    response = client.get(export("pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    pages = pdf_pages(response)
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") == 2, f"page {number} lacks the marking top and bottom"
        assert f"Page {number} of {len(pages)}" in page
    text = " ".join(pages)
    assert "Recommendation and Impact Tracker" in text
    assert "Overdue: agree a bedtime routine with JB" in text
    assert "Routine drafted with JB; review next week" in text
    assert "Completed: a key" not in text  # the default filter: open and in progress


def test_the_pdf_shows_impact_statements_of_completed_recommendations(client, qa_lead, tracker):
    client.force_login(qa_lead)
    text = " ".join(pdf_pages(client.get(export("pdf"), {"status": "completed"})))
    assert "Impact: JB says she feels safe and sleeps better." in text
    assert "1 recommendation: Completed" in text


def test_a_young_person_appears_by_initials_only_in_pages_and_downloads(client, qa_lead, tracker):
    case_record_id = tracker["overdue"].young_person.case_record_id
    client.force_login(qa_lead)
    for response in (
        client.get(TRACKER),
        client.get(export("csv")),
        client.get(export("xlsx")),
    ):
        assert case_record_id.encode() not in response.getvalue()
    assert case_record_id not in " ".join(pdf_pages(client.get(export("pdf"))))


# Who may see it


@pytest.mark.parametrize(
    "user_with_role",
    [Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SENIOR_LEADER, Role.MANAGER, Role.SOCIAL_WORKER],
    indirect=True,
)
def test_staff_who_see_recommendations_see_the_tracker_and_downloads(client, user_with_role, tracker):
    client.force_login(user_with_role)
    page = client.get(TRACKER)
    assert heading(page) == "Recommendation and Impact Tracker"
    assert "Overdue: agree a bedtime routine with JB" in page.text
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        rows = read(client.get(export(fmt)))
        assert any("Overdue: agree a bedtime routine with JB" in str(value) for row in rows for value in row.values())
    pdf = client.get(export("pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("user_with_role", [Role.ADMINISTRATOR, Role.PROVIDER_USER], indirect=True)
def test_others_cannot_see_the_tracker_or_download_it(client, user_with_role, tracker):
    client.force_login(user_with_role)
    assert client.get(TRACKER).status_code == 403
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(export(fmt)).status_code == 403


def test_the_add_button_shows_only_to_those_who_may_add(client, qa_lead, manager):
    client.force_login(qa_lead)
    assert "Add a recommendation" in client.get(TRACKER).text
    client.force_login(manager)
    assert "Add a recommendation" not in client.get(TRACKER).text


# A fixed number of queries, however many rows


def _make_recommendations(count, today):
    for n in range(count):
        rec = RecommendationFactory(
            level="child",
            young_person=YoungPersonFactory(),
            owner=UserFactory(role=Role.SENIOR_LEADER),
            due_date=today + timedelta(days=n - 3),
        )
        ProgressUpdate.objects.create(recommendation=rec, text=f"Note {n}", status_after="open", by=rec.owner)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [TRACKER, export("csv"), export("xlsx"), export("pdf")])
def test_the_tracker_and_downloads_run_a_fixed_number_of_queries(client, qa_lead, today, url):
    client.force_login(qa_lead)
    _make_recommendations(3, today)
    small = _queries(client, url)
    _make_recommendations(25, today)
    assert _queries(client, url) == small
