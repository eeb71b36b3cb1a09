"""The committee pack's figures, counted on the year built in tests/reporting/committee_year.py whose
answers are known, and the charts, narrative and default period the pack draws from them."""

from datetime import date

import pytest

from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import charts, counting, pack
from qa_portal.reporting.committee import figures as committee_figures
from reviews.models import Recommendation, ReviewMeeting
from tests.factories import InspectionFactory, PlacementFactory, ProviderFactory, SettingFactory, VisitFactory
from tests.reporting.committee_year import END, START, _at, build_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return build_year()


@pytest.fixture
def figures(year):
    return counting.committee_figures(START, END)


# QA visits


def test_it_counts_the_visits_submitted_or_later_in_the_period_and_the_providers_visited(figures):
    assert figures.visits == 3
    assert figures.providers_visited == 2
    assert [s.date for s in figures.visit_summaries] == [date(2024, 5, 10), date(2024, 9, 12), date(2025, 2, 3)]


def test_it_counts_each_young_person_met_once_against_everyone_placed_during_the_period(figures):
    assert figures.young_people_met == 4
    assert figures.cohort == 10
    assert figures.share_met == 40


def test_it_counts_the_ehcp_children_visited_of_all_those_placed(figures):
    assert figures.ehcp_cohort == 2
    assert figures.ehcp_visited == 1
    assert figures.ehcp_visit_settings == ["Alder Fostering (independent fostering agency)"]
    assert figures.send_sentence == (
        "Of the 2 children and young people with an Education, Health and Care Plan (EHCP) placed during the "
        "period, 1 was visited (50%)."
    )


def test_it_counts_visits_by_month_across_the_whole_period(figures):
    by_month = {label: count for _, label, count in figures.visits_by_month}
    assert len(by_month) == 12
    assert (figures.visits_by_month[0][1], figures.visits_by_month[-1][1]) == ("Apr 2024", "Mar 2025")
    assert by_month == {**dict.fromkeys(by_month, 0), "May 2024": 1, "Sep 2024": 1, "Feb 2025": 1}


def test_each_visit_has_a_paragraph_with_who_went_where_whom_they_met_and_what_they_found(figures, year):
    first, second, third = (s.paragraph for s in figures.visit_summaries)
    assert first == (
        "On 10 May 2024 Chris Palmer, Assistant Director, People's Services, visited Alder Fostering "
        "(independent fostering agency: Alder Fostering office). They met 2 children in care, aged 13 and 15, "
        "and spoke with 1 other young person. Carers who know the children well. Good enough for my own child: "
        "yes. 1 recommendation was made."
    )
    assert second.startswith(
        "On 12 September 2024 Laura Dennison, Head of Safeguarding and Quality Assurance, visited Birch House "
        "Homes (children's home: Birch House). They met 2 children in care, aged 13 and 15."
    )
    assert "Good enough for my own child: yes, with reservations. 3 recommendations were made." in second
    assert "They met 1 child in care, aged 16." in third
    # Never a name, initials or case-record ID.
    for paragraph in (first, second, third):
        for person in year.people:
            assert person.initials not in paragraph.split()
            assert person.case_record_id not in paragraph


def test_the_visits_sentence_gives_the_count_the_people_met_and_their_share(figures):
    assert figures.visits_sentence == (
        "Over the period 3 visits were completed to 2 care providers, meeting 4 children and young people: 40% of "
        "the 10 children in care and care leavers placed with providers during the period."
    )


# Commissioning review meetings


def test_it_counts_meetings_due_in_the_period_and_those_held_by_cadence(figures):
    assert figures.meetings_due == 7
    assert figures.meetings_held == 6
    assert [(r.cadence, r.due, r.held) for r in figures.meetings_by_cadence] == [
        ("Quarterly", 4, 3),
        ("Half-yearly", 2, 2),
        ("Annual", 1, 1),
    ]
    assert figures.meetings_sentence == "7 commissioning review meetings fell due in the period and 6 were held (86%)."


def test_it_counts_meetings_per_provider_with_the_last_held(figures):
    assert [(r.provider, r.cadence, r.due, r.held, r.last_held) for r in figures.meetings_by_provider] == [
        ("Alder Fostering", "Quarterly", 4, 3, date(2024, 11, 4)),
        ("Birch House Homes", "Half-yearly", 2, 2, date(2024, 12, 16)),
        ("Damson School", "Annual", 1, 1, date(2024, 9, 30)),
    ]
    assert figures.cadence_rule == "4 or more placements, quarterly; 2 or 3, half-yearly; 1, annual"


def test_a_provider_whose_cadence_changed_in_the_year_shows_each_and_the_two_tables_add_up(year):
    # Birch House took more children in the autumn: its next meeting fell due a quarter on, not half a year.
    ReviewMeeting.objects.create(
        provider=year.providers["birch"], cadence="quarterly", placement_volume=4, due_date=date(2025, 3, 15),
        status="scheduled",
    )  # fmt: skip
    figures = counting.committee_figures(START, END)
    birch = next(row for row in figures.meetings_by_provider if row.provider == "Birch House Homes")
    assert (birch.cadence, birch.due, birch.held) == ("Half-yearly, then quarterly", 3, 2)
    # Every meeting is counted once under its own cadence, and the providers' rows hold the same meetings.
    assert [(r.cadence, r.due, r.held) for r in figures.meetings_by_cadence] == [
        ("Quarterly", 5, 3),
        ("Half-yearly", 2, 2),
        ("Annual", 1, 1),
    ]
    assert sum(r.due for r in figures.meetings_by_provider) == sum(r.due for r in figures.meetings_by_cadence)


# Recommendations


def test_it_counts_recommendations_made_in_the_period_each_once_by_where_it_stands(figures):
    assert figures.recommendations_made == 7
    assert figures.recommendation_statuses == [
        ("Completed", 2),
        ("In progress", 1),
        ("Open", 1),
        ("Overdue", 2),
        ("Not accepted", 1),
    ]
    assert sum(n for _, n in figures.recommendation_statuses) == figures.recommendations_made


def test_it_quotes_the_impact_statements_of_completed_recommendations_made_in_the_period(figures):
    assert [(s.provider, s.level, s.impact, s.completed_on) for s in figures.impact_statements] == [
        (
            "Alder Fostering",
            "Provider's service",
            "Both children now choose a club each term; one has joined the swimming team.",
            date(2024, 6, 20),
        ),
        (
            "Birch House Homes",
            "Child-level",
            "His review was held in October and his plan now says where he will live at 18.",
            date(2024, 10, 30),
        ),
    ]


def test_overdue_is_counted_on_the_day_given(year):
    on_the_last_day = counting.committee_figures(START, END, today=END)
    # On 31 March 2025 only the in-progress one due in January and the open one due 1 March were late.
    assert (on_the_last_day.overdue, on_the_last_day.open, on_the_last_day.in_progress) == (2, 1, 1)
    before_any_due = counting.committee_figures(START, END, today=date(2024, 4, 1))
    assert before_any_due.overdue == 0


# Ofsted


def test_the_ofsted_table_counts_each_setting_in_use_by_its_judgement_at_the_end_of_the_period(figures):
    assert figures.ofsted_columns == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Not yet inspected",
        "SA outcome 1",
        "SA outcome 2",
        "SA outcome 3",
    ]
    rows = {row.provision_type: (row.cells, row.total) for row in figures.ofsted_rows}
    n = None
    assert rows == {
        "Independent fostering agency": ([0, 1, 0, 0, 0, n, n, n], 1),
        "Children's home": ([0, 0, 0, 1, 1, n, n, n], 2),
        "Residential special school": ([1, 0, 0, 0, 0, n, n, n], 1),
        "Supported accommodation": ([n, n, n, n, 0, 0, 1, 0], 1),
    }
    assert figures.ofsted_total == 5


def test_a_placement_without_a_setting_counts_its_provider_by_its_worst_judgement(year):
    fir = ProviderFactory(name="Fir Homes", provision_types=["childrens_home"])
    InspectionFactory(setting=SettingFactory(provider=fir, setting_type="childrens_home"), judgement=3,
                      inspection_date=date(2024, 1, 10))  # fmt: skip
    PlacementFactory(provider=fir, setting=None, start_date=date(2024, 5, 1))
    figures = counting.committee_figures(START, END)
    homes = next(row for row in figures.ofsted_rows if row.provision_type == "Children's home")
    assert homes.cells[:5] == [0, 0, 1, 1, 1]


# Reads


def test_the_figures_take_a_fixed_number_of_queries(year, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        counting.committee_figures(START, END)
    # Triple the year: more visits, people met, meetings and recommendations.
    for n in range(6):
        extra = VisitFactory(
            provider=year.providers["damson"], planned_date=date(2024, 6, n + 1), visit_date=date(2024, 6, n + 1),
            status="finalised", lead_visitor=year.lead,
        )  # fmt: skip
        extra.young_people_met.set(year.people[n : n + 3])
        ReviewMeeting.objects.create(
            provider=year.providers["damson"], cadence="annual", placement_volume=1, due_date=date(2024, 6, n + 1),
            status="held", held_at=_at(date(2024, 6, n + 1)),
        )  # fmt: skip
        Recommendation.objects.create(
            source="visit", visit=extra, provider=extra.provider, level="provider_service", text="More",
            owner=year.lead, due_date=date(2024, 9, 1), created_by=year.lead, created_at=_at(date(2024, 6, 2)),
        )  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        bigger = counting.committee_figures(START, END)
    assert bigger.visits == 9


def test_an_empty_period_has_zeros_and_says_so(db):
    figures = counting.committee_figures(date(2030, 4, 1), date(2031, 3, 31))
    assert (figures.visits, figures.cohort, figures.share_met, figures.meetings_due) == (0, 0, 0, 0)
    assert figures.visits_sentence == "No quality assurance visits were completed in the period."
    assert figures.recommendations_sentence == "No recommendations were made in the period."
    assert figures.ofsted_rows == []


def test_the_figures_snapshot_is_json(figures):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    snapshot = json.loads(json.dumps(figures.snapshot(), cls=DjangoJSONEncoder))
    assert snapshot["visits"] == 3
    assert snapshot["share_met"] == 40
    assert snapshot["visit_summaries"][0]["provider"] == "Alder Fostering"


# Charts


def test_the_charts_are_svg_with_a_set_size_no_script_and_nothing_fetched(figures):
    for svg in (charts.visits_chart(figures), charts.recommendations_chart(figures)):
        assert svg.startswith("<svg")
        assert "<?xml" not in svg
        assert 'width="640"' in svg and "height=" in svg
        assert "<script" not in svg and "javascript" not in svg.lower()
        for reference in ("href=", "url(", "@import", "http://pygal", "https://"):
            assert reference not in svg
        assert "Arial" in svg and "Liberation Sans" in svg
    assert "QA visits by month" in charts.visits_chart(figures)
    assert "Not accepted" in charts.recommendations_chart(figures)


# The narrative


def test_narrative_text_becomes_paragraphs_and_bulleted_lists():
    text = "First paragraph.\n\nSecond one.\n- a plan\n• another plan\n\nAfter the list."
    assert pack.narrative_blocks(text) == [
        ("paragraph", "First paragraph."),
        ("paragraph", "Second one."),
        ("list", ["a plan", "another plan"]),
        ("paragraph", "After the list."),
    ]
    assert pack.narrative_blocks("") == []


def test_the_default_period_is_the_last_full_financial_year():
    assert FinancialYear.last_full(date(2025, 5, 1)).label == "2024-25"
    assert FinancialYear.last_full(date(2025, 3, 31)).label == "2023-24"
    assert committee_figures.default_title(START, END) == "Quality Assurance of Care Providers Annual Report 2024-25"
    assert committee_figures.period_label(date(2024, 4, 1), date(2024, 9, 30)) == "1 April 2024 to 30 September 2024"
