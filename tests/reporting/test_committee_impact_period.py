"""The committee pack's impact section counts and quotes only what happened inside its period: a
recommendation made in 2024-25 and completed in May 2025 is not one of 2024-25's completions, and
its impact statement is not quoted in the 2024-25 pack (issue 14)."""

from datetime import date

import pytest

from qa_portal.reporting.committee import counting, figures, pack
from reviews.models import ProgressUpdate, Recommendation
from tests.factories import RecommendationFactory, VisitFactory
from tests.pdf_reading import pages_of
from tests.reporting.committee_year import END, START, _at

pytestmark = pytest.mark.django_db

IN_TIME = "The children now have a say in the house rules."
TOO_LATE = "Written after the year ended: the new garden is in use."


@pytest.fixture
def recommendations(qa_lead, provider):
    visit = VisitFactory(provider=provider, status="finalised", visit_date=date(2024, 6, 1))

    def made(on: date, **fields) -> Recommendation:
        rec = RecommendationFactory(visit=visit, owner=qa_lead, **fields)
        Recommendation.objects.filter(pk=rec.pk).update(created_at=_at(on))
        return rec

    in_time = made(
        date(2024, 6, 3), status="completed", due_date=date(2024, 9, 1), impact_statement=IN_TIME,
        completed_at=_at(date(2024, 8, 20)),
    )  # fmt: skip
    # Due in February, in progress at the end of March, completed in May: overdue when the year ended.
    late = made(
        date(2024, 6, 3), status="completed", due_date=date(2025, 2, 1), impact_statement=TOO_LATE,
        completed_at=_at(date(2025, 5, 12)),
    )  # fmt: skip
    ProgressUpdate.objects.create(recommendation=late, text="Plans drawn", status_after="in_progress", by=qa_lead)
    ProgressUpdate.objects.filter(recommendation=late).update(at=_at(date(2024, 11, 1)))
    ProgressUpdate.objects.create(recommendation=late, text="Done", status_after="completed", by=qa_lead)
    ProgressUpdate.objects.filter(recommendation=late, status_after="completed").update(at=_at(date(2025, 5, 12)))
    # Not due until June 2025 and not accepted in April 2025: still open, and not yet due, in March.
    refused = made(
        date(2025, 1, 10), status="not_accepted", due_date=date(2025, 6, 1), not_accepted_reason="Already in place."
    )
    ProgressUpdate.objects.create(recommendation=refused, text="Not accepted", status_after="not_accepted", by=qa_lead)
    ProgressUpdate.objects.filter(recommendation=refused).update(at=_at(date(2025, 4, 20)))
    return {"in_time": in_time, "late": late, "refused": refused}


def test_only_completions_inside_the_period_are_counted_and_quoted(recommendations):
    counted = counting.committee_figures(START, END, today=date(2026, 1, 5))
    assert counted.recommendations_made == 3
    assert dict(counted.recommendation_statuses) == {
        "Completed": 1,
        "In progress": 0,
        "Open": 1,  # not accepted only in April, and not due until June
        "Overdue": 1,  # in progress on 31 March, due in February
        "Not accepted": 0,
    }
    assert [statement.impact for statement in counted.impact_statements] == [IN_TIME]


def test_the_next_years_pack_is_not_changed_by_it(recommendations):
    # Made in 2024-25, so never one of 2025-26's recommendations, whenever it was completed.
    counted = counting.committee_figures(date(2025, 4, 1), date(2026, 3, 31), today=date(2026, 1, 5))
    assert counted.recommendations_made == 0
    assert counted.impact_statements == []


def test_the_pack_pdf_quotes_only_the_completion_inside_its_period(recommendations):
    source = pack.PackSource(title=figures.default_title(START, END), period_start=START, period_end=END)
    pdf, _ = pack.build_pack(source, today=date(2026, 1, 5))
    text = " ".join(pages_of(pdf))
    assert IN_TIME in text
    assert TOO_LATE not in text
    assert (
        "3 recommendations were made in the period: 1 completed, 0 in progress, 1 open and not yet due, 1 overdue "
        "and 0 not accepted."
    ) in text
