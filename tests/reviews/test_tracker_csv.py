"""The tracker's CSV is sent as it is written (issue 15): the same header and rows as the file it
replaced, every column filled from one query whatever the number of rows, and the formula guard
kept (its access-log entry: tests/qa_portal/test_access_log.py)."""

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import MeetingStatus, ProgressUpdate, RecommendationStatus, ReviewMeeting
from tests.factories import ConcernFactory, ProviderFactory, RecommendationFactory, VisitFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("reviews:tracker_export", args=["csv"])
HEADER = [
    "Reference",
    "Source",
    "Provider",
    "Level",
    "Young person",
    "Recommendation",
    "Owner",
    "Action holder",
    "Priority",
    "Due date",
    "Overdue",
    "Status",
    "Latest progress",
    "Latest progress on",
    "Impact statement",
    "Completed on",
    "Reason not accepted",
    "Provider's response",
    "Provider's action",
    "Provider's action by",
    "Raised on",
]


def table(response) -> list[list[str]]:
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.getvalue()
    assert content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def at(day: date):
    return timezone.make_aware(datetime.combine(day, time(11, 30)))


@pytest.fixture
def recommendations(qa_lead):
    """One recommendation from each source, with what each column shows."""
    provider = ProviderFactory(name="Willow House")
    raised = date(2026, 3, 2)
    visit = VisitFactory(provider=provider, planned_date=date(2026, 2, 20))
    from_visit = RecommendationFactory(
        visit=visit,
        owner=qa_lead,
        level="child",
        young_person=YoungPersonFactory(initials="JB"),
        text="Agree a bedtime routine with JB",
        due_date=date(2026, 4, 30),
        status=RecommendationStatus.IN_PROGRESS,
        priority="high",
        provider_accepted=True,
        provider_action="Routine agreed at key-work session",
        provider_action_by=date(2026, 4, 15),
        provider_responded_at=at(date(2026, 3, 10)),
    )
    ProgressUpdate.objects.create(
        recommendation=from_visit,
        text="Routine drafted; review next week",
        status_after=RecommendationStatus.IN_PROGRESS,
        by=qa_lead,
        at=at(date(2026, 3, 20)),
    )
    meeting = ReviewMeeting.objects.create(
        provider=provider,
        cadence="quarterly",
        placement_volume=4,
        due_date=date(2026, 1, 10),
        status=MeetingStatus.HELD,
        held_at=at(date(2026, 1, 12)),
    )
    from_meeting = RecommendationFactory(
        source="review_meeting",
        visit=None,
        review_meeting=meeting,
        provider=provider,
        owner=qa_lead,
        text='=HYPERLINK("http://example.com")',
        due_date=date(2026, 2, 1),
        status=RecommendationStatus.COMPLETED,
        impact_statement="Every young person now has a key",
        completed_at=at(date(2026, 1, 30)),
    )
    concern = ConcernFactory(provider=provider, received_on=date(2025, 12, 5))
    from_concern = RecommendationFactory(
        source="concern",
        visit=None,
        concern=concern,
        provider=provider,
        owner=qa_lead,
        text="Staff knock before entering",
        due_date=date(2026, 1, 5),
        status=RecommendationStatus.NOT_ACCEPTED,
        not_accepted_reason="Covered by the existing policy",
    )
    for rec in (from_visit, from_meeting, from_concern):
        type(rec).objects.filter(pk=rec.pk).update(created_at=at(raised))
    return from_visit, from_meeting, from_concern


def test_the_csv_has_the_same_header_and_rows_as_before(client, qa_lead, recommendations):
    from_visit, from_meeting, from_concern = recommendations
    client.force_login(qa_lead)
    rows = table(client.get(URL, {"status": "all", "sort": "due"}))
    assert rows[0] == HEADER
    owner = qa_lead.full_name
    assert rows[1:] == [
        [
            str(from_concern.pk),
            "Concern, 05/12/2025",
            "Willow House",
            "Provider's service",
            "",
            "Staff knock before entering",
            owner,
            "Provider",
            "Medium",
            "05/01/2026",
            "No",
            "Not accepted",
            "",
            "",
            "",
            "",
            "Covered by the existing policy",
            "No response yet",
            "",
            "",
            "02/03/2026",
        ],
        [
            str(from_meeting.pk),
            "Review meeting, 12/01/2026",
            "Willow House",
            "Provider's service",
            "",
            '\'=HYPERLINK("http://example.com")',
            owner,
            "Provider",
            "Medium",
            "01/02/2026",
            "No",
            "Completed",
            "",
            "",
            "Every young person now has a key",
            "30/01/2026",
            "",
            "No response yet",
            "",
            "",
            "02/03/2026",
        ],
        [
            str(from_visit.pk),
            "QA visit, 20/02/2026",
            "Willow House",
            "Child-level",
            "JB",
            "Agree a bedtime routine with JB",
            owner,
            "Provider",
            "High",
            "30/04/2026",
            "Yes" if from_visit.is_overdue else "No",
            "In progress",
            "Routine drafted; review next week",
            "20/03/2026",
            "",
            "",
            "",
            "Accepted",
            "Routine agreed at key-work session",
            "15/04/2026",
            "02/03/2026",
        ],
    ]


def test_the_csv_takes_as_many_queries_for_forty_rows_as_for_three(client, qa_lead, recommendations):
    client.force_login(qa_lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = table(client.get(URL, {"status": "all"}))
        return len(rows), len(captured)

    few, few_queries = queries()
    provider = ProviderFactory(name="Cedar Lodge")
    for n in range(37):
        visit = VisitFactory(provider=provider)
        rec = RecommendationFactory(
            visit=visit,
            level="child",
            young_person=YoungPersonFactory(),
            text=f"Recommendation {n}",
            provider_accepted=n % 2 == 0,
            provider_responded_at=timezone.now() - timedelta(days=1) if n % 3 else None,
        )
        ProgressUpdate.objects.create(
            recommendation=rec, text=f"Note {n}", status_after=RecommendationStatus.IN_PROGRESS, by=qa_lead
        )
    many, many_queries = queries()
    assert (few, many) == (4, 41)
    assert many_queries == few_queries
