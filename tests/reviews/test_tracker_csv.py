"""The tracker's CSV is sent as it is written (issue 15): the same header and rows as the file it
replaced, every column filled from one query whatever the number of rows, and the formula guard
kept (its access-log entry: tests/qa_portal/test_access_log.py). Its lines are written by PostgreSQL
(reviews.tracker_csv): byte for byte what Python writes of the XLSX's rows."""

import csv
import io
import sys
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qa_portal.exports import csv_chunks
from reviews.models import MeetingStatus, ProgressUpdate, Recommendation, RecommendationStatus, ReviewMeeting
from reviews.tracker_csv import PYTHON_WHITESPACE
from reviews.views.tracker import export_columns, export_rows_of
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


# What people type or paste: formulas, text after control characters from Word, commas, quotes and
# line breaks, accents; and every way a row's source, provider answer and latest progress can read.
AWKWARD_TEXTS = [
    "=1+2",
    "+44 20 7946 0000",
    "-5 days late",
    "@SUM(A1:A2)",
    "\tindented",
    '\x01\x02=HYPERLINK("http://example.com")',
    "\x07",
    'Say "hello", then\nleave\r\nnow',
    "a bell\x07 in the middle, and a form feed\x0c",
    "Café \u2013 naïve \u2713 \U0001f642",
    "'=already quoted",
]


@pytest.fixture
def awkward(qa_lead):
    """Recommendations with AWKWARD_TEXTS in every free-text column, and each way a row's source,
    provider's answer and latest progress can read. Returns how many there are."""
    provider = ProviderFactory(name='Oak, Elm & "Co"')
    count = 0
    for n, text in enumerate(AWKWARD_TEXTS):
        rec = RecommendationFactory(
            visit=VisitFactory(provider=provider, planned_date=date(2026, 2, 1), visit_date=date(2026, 2, 3)),
            owner=qa_lead,
            level="child",
            young_person=YoungPersonFactory(initials="=A"),
            text=text,
            due_date=date(2026, 1, 1) + timedelta(days=n),
            status=RecommendationStatus.IN_PROGRESS if n % 2 else RecommendationStatus.OPEN,
            provider_accepted=(None, True, False)[n % 3],
            provider_reason="" if n == 2 else f"Reason {text}",
            provider_action=text if n % 4 else "",
            provider_action_by=date(2026, 3, 5) if n % 5 else None,
            provider_responded_at=at(date(2026, 3, 10)) if n % 3 else None,
        )
        # A note before, at the same moment as, or after the provider's answer; or none.
        if n % 4:
            ProgressUpdate.objects.create(
                recommendation=rec,
                text=f"Note: {text}",
                status_after=RecommendationStatus.IN_PROGRESS,
                by=qa_lead,
                at=at(date(2026, 3, 10) + timedelta(days=(n % 4) - 2)),
            )
        count += 1
    not_held = ReviewMeeting.objects.create(
        provider=provider, cadence="quarterly", placement_volume=1, due_date=date(2026, 5, 1)
    )
    nobody = RecommendationFactory(
        source="review_meeting",
        visit=None,
        review_meeting=not_held,
        provider=None,
        level="authority_service",
        owner=qa_lead,
        text="The authority's own service, for nobody's provider",
        status=RecommendationStatus.COMPLETED,
        impact_statement="=done",
        completed_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # 1 July in London
    )
    type(nobody).objects.filter(pk=nobody.pk).update(created_at=timezone.make_aware(datetime(2026, 3, 29, 0, 30)))
    RecommendationFactory(source="other", visit=None, provider=None, owner=qa_lead, text="From elsewhere")
    return count + 2


@pytest.mark.parametrize("role", ["qa_lead", "manager"])
def test_the_csv_written_by_the_database_is_byte_for_byte_the_one_python_writes(client, request, awkward, role):
    """The CSV's lines are written by PostgreSQL (reviews.tracker_csv), the XLSX's rows by Python
    (_export_rows): both must say the same. Python's CSV of those rows is the oracle, with the young
    person's column for the QA lead and without it for a manager."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(URL, {"status": "all"})
    shown = role == "qa_lead"
    rows = export_rows_of(Recommendation.objects.order_by("due_date", "pk"), young_people_shown=shown)
    expected = b"".join(csv_chunks(export_columns(young_people_shown=shown), rows))
    assert response.getvalue() == expected
    assert len(list(csv.reader(io.StringIO(expected.decode("utf-8-sig"))))) == awkward + 1


def test_formulas_in_the_csv_are_shown_as_text_and_nothing_typed_is_lost(client, qa_lead, awkward):
    client.force_login(qa_lead)
    rows = table(client.get(URL, {"status": "all", "sort": "number"}))
    texts = [row[5] for row in rows[1:]]
    assert texts[: len(AWKWARD_TEXTS)] == [
        "'=1+2",
        "'+44 20 7946 0000",
        "'-5 days late",
        "'@SUM(A1:A2)",
        "'\tindented",
        '\'=HYPERLINK("http://example.com")',
        "",
        'Say "hello", then\nleave\r\nnow',
        "a bell in the middle, and a form feed",
        "Café \u2013 naïve \u2713 \U0001f642",
        "'=already quoted",
    ]
    # The young person's initials, the provider's name and the impact statement are guarded too.
    assert {row[4] for row in rows[1 : len(AWKWARD_TEXTS) + 1]} == {"'=A"}
    assert rows[1][2] == 'Oak, Elm & "Co"'
    nobody = rows[len(AWKWARD_TEXTS) + 1]
    assert nobody[1:5] == ["Review meeting, 01/05/2026", "", "The authority's own service", ""]
    assert (nobody[14], nobody[15], nobody[17], nobody[20]) == ("'=done", "01/07/2026", "", "29/03/2026")
    assert rows[-1][1:3] == ["Other", ""]


def test_postgresql_strips_what_python_strips():
    """A provider's reason for not accepting is stripped as Python's str.strip() strips it."""
    assert set(PYTHON_WHITESPACE) == {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
