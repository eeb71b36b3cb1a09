"""The committee pack's figures, on a year built here with known answers.

The year (1 April 2024 to 31 March 2025): four providers in use, ten children and young people
with a placement during it (two with an EHCP), three QA visits meeting four of them (one with an
EHCP), seven review meetings due of which six were held, seven recommendations made (two
completed, one in progress, one open, two overdue, one not accepted), and five homes, agencies,
schools and providers rated by Ofsted. Records just outside the year, or not yet submitted, are
there to be left out."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import charts, counting, pack
from qa_portal.reporting.committee import figures as committee_figures
from qa_portal.roles import Role
from reviews.models import Recommendation, ReviewMeeting
from tests.factories import (
    InspectionFactory,
    PlacementFactory,
    ProviderFactory,
    SettingFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

START, END = date(2024, 4, 1), date(2025, 3, 31)


def _at(day: date, hour: int = 11) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class Year:
    providers: dict
    people: list
    visits: list
    lead: object
    qa_lead: object


def build_year() -> Year:
    """The year described in the module docstring."""
    lead = UserFactory(role=Role.SENIOR_LEADER, full_name="Chris Palmer")
    qa_lead = UserFactory(
        role=Role.QA_LEAD, full_name="Laura Dennison", job_title="Head of Safeguarding and Quality Assurance"
    )
    alder = ProviderFactory(name="Alder Fostering", provision_types=["fostering"])
    birch = ProviderFactory(name="Birch House Homes", provision_types=["childrens_home"])
    cedar = ProviderFactory(name="Cedar Supported Living", provision_types=["supported_accommodation"])
    damson = ProviderFactory(name="Damson School", provision_types=["residential_school"])
    unused = ProviderFactory(name="Elm Lodge", provision_types=["childrens_home"])

    alder_office = SettingFactory(provider=alder, name="Alder Fostering office", setting_type="fostering")
    birch_house = SettingFactory(provider=birch, name="Birch House", setting_type="childrens_home")
    birch_lodge = SettingFactory(provider=birch, name="Birch Lodge", setting_type="childrens_home")
    cedar_flats = SettingFactory(provider=cedar, name="Cedar flats", setting_type="supported_accommodation", urn="")
    damson_school = SettingFactory(provider=damson, name="Damson School", setting_type="residential_school", urn="")
    elm = SettingFactory(provider=unused, name="Elm Lodge", setting_type="childrens_home")

    InspectionFactory(setting=alder_office, inspection_date=date(2023, 5, 1), judgement=2)
    InspectionFactory(setting=alder_office, inspection_date=date(2025, 6, 1), judgement=1)  # after the year
    InspectionFactory(setting=birch_house, inspection_date=date(2022, 5, 1), judgement=2)
    InspectionFactory(setting=birch_house, inspection_date=date(2024, 10, 1), judgement=4)
    InspectionFactory(setting=damson_school, inspection_date=date(2024, 2, 1), judgement=1)
    InspectionFactory(setting=elm, inspection_date=date(2024, 2, 1), judgement=4)  # not in use
    InspectionFactory(
        setting=None, provider=cedar, scale="supported_accommodation", judgement=None, sa_outcome=2,
        inspection_date=date(2024, 9, 1),
    )  # fmt: skip

    born = [
        date(2008, 6, 1), date(2010, 1, 15), date(2006, 3, 3), date(2009, 9, 9), date(2011, 2, 2),
        date(2012, 7, 7), date(2005, 5, 5), date(2004, 4, 4), date(2012, 1, 1), date(2011, 5, 1),
    ]  # fmt: skip
    people = [
        YoungPersonFactory(
            initials=f"X{'ABCDEFGHJK'[n]}",
            case_record_id=f"81000{n:02d}",
            date_of_birth=born[n],
            cohort="care_leaver" if n in (6, 7) else "child_in_care",
            ehcp=n in (8, 9),
            send=n in (8, 9),
        )
        for n in range(10)
    ]
    placed = [
        (people[0], alder_office, date(2022, 1, 10), None),
        (people[1], alder_office, date(2023, 6, 1), None),
        (people[2], alder_office, date(2024, 9, 1), None),
        (people[3], birch_house, date(2023, 3, 1), date(2025, 1, 20)),
        (people[4], birch_house, date(2024, 4, 1), None),
        (people[5], birch_lodge, date(2025, 3, 31), None),  # arrived on the year's last day
        (people[6], cedar_flats, date(2022, 8, 1), None),
        (people[7], cedar_flats, date(2023, 8, 1), date(2024, 4, 2)),  # left on the year's second day
        (people[8], damson_school, date(2021, 9, 1), None),  # EHCP, not met
        (people[9], alder_office, date(2020, 9, 1), date(2024, 6, 30)),  # EHCP, met in May
    ]
    for person, setting, start, end in placed:
        PlacementFactory(
            young_person=person, provider=setting.provider, setting=setting, start_date=start, end_date=end
        )
    # Outside the year: left on its first day; arrives the day after it; an EHCP child never placed in it.
    outside = [
        YoungPersonFactory(case_record_id="8200001", initials="ZA"),
        YoungPersonFactory(case_record_id="8200002", initials="ZB"),
        YoungPersonFactory(case_record_id="8200003", initials="ZC", ehcp=True),
    ]
    PlacementFactory(
        young_person=outside[0], provider=birch, setting=birch_house, start_date=date(2023, 1, 1), end_date=START
    )
    PlacementFactory(young_person=outside[1], provider=alder, setting=alder_office, start_date=date(2025, 4, 1))
    PlacementFactory(
        young_person=outside[2], provider=unused, setting=elm, start_date=date(2022, 1, 1), end_date=date(2024, 1, 1)
    )

    def visit(
        provider,
        setting,
        on,
        status,
        met,
        summary,
        judgement="yes",
        lead_visitor=lead,
        role="Assistant Director, People's Services",
        **extra,
    ):
        v = VisitFactory(
            provider=provider, setting=setting, planned_date=on, visit_date=on, status=status,
            lead_visitor=lead_visitor, lead_visitor_role=role, overall_judgement=judgement,
            overall_summary=summary, **extra,
        )  # fmt: skip
        v.young_people_met.set(met)
        return v

    visits = [
        visit(alder, alder_office, date(2024, 5, 10), "finalised", [people[0], people[9]],
              "Carers who know the children well.", others_spoken_to=1),
        visit(birch, birch_house, date(2024, 9, 12), "shared", [people[3], people[4]],
              "Staffing at night is thin.", judgement="with_reservations", lead_visitor=qa_lead,
              role="Head of Safeguarding and Quality Assurance"),
        visit(alder, alder_office, date(2025, 2, 3), "submitted", [people[0]], "A settled home."),
    ]  # fmt: skip
    # Not in the figures: a draft in the year, and a finalised visit the year before.
    visit(cedar, cedar_flats, date(2024, 7, 1), "draft", [people[6]], "Not yet written up.")
    last_year = visit(cedar, cedar_flats, date(2024, 3, 20), "finalised", [people[7]], "Last year's visit.")

    def meeting(provider, cadence, due, held=None, status=None):
        return ReviewMeeting.objects.create(
            provider=provider, cadence=cadence, placement_volume=1, due_date=due,
            status=status or ("held" if held else "scheduled"), held_at=_at(held) if held else None,
        )  # fmt: skip

    meeting(alder, "quarterly", date(2024, 3, 1), held=date(2024, 3, 1))  # before the year
    meeting(alder, "quarterly", date(2024, 5, 1), held=date(2024, 4, 29))
    meeting(alder, "quarterly", date(2024, 8, 1), held=date(2024, 8, 1))
    meeting(alder, "quarterly", date(2024, 11, 1), held=date(2024, 11, 4))
    meeting(alder, "quarterly", date(2025, 2, 1))  # not held
    meeting(birch, "half_yearly", date(2024, 6, 15), held=date(2024, 6, 14))
    meeting(birch, "half_yearly", date(2024, 12, 15), held=date(2024, 12, 16))
    meeting(damson, "annual", date(2024, 10, 1), held=date(2024, 9, 30))
    meeting(cedar, "annual", date(2025, 3, 1), status="cancelled")
    meeting(cedar, "annual", date(2025, 4, 15))  # after the year

    today = timezone.localdate()
    later = today + timedelta(days=90)

    def recommendation(visit, status, due, made, **extra):
        rec = Recommendation.objects.create(
            source="visit", visit=visit, provider=visit.provider, level=extra.pop("level", "provider_service"),
            text=extra.pop("text", f"Recommendation made {made:%d %B}"), owner=qa_lead, due_date=due,
            status=status, created_by=qa_lead, **extra,
        )  # fmt: skip
        Recommendation.objects.filter(pk=rec.pk).update(created_at=_at(made))
        return rec

    recommendation(
        visits[0], "completed", date(2024, 7, 1), date(2024, 5, 12),
        text="Agree a plan for evening activities with each child.",
        impact_statement="Both children now choose a club each term; one has joined the swimming team.",
        completed_at=_at(date(2024, 6, 20)),
    )  # fmt: skip
    recommendation(
        visits[1], "completed", date(2024, 11, 1), date(2024, 9, 13), level="child", young_person=people[3],
        text="Move his review forward.", impact_statement="His review was held in October and his plan now says where he will live at 18.",
        completed_at=_at(date(2024, 10, 30)),
    )  # fmt: skip
    recommendation(visits[1], "in_progress", later, date(2024, 9, 13))
    recommendation(visits[1], "in_progress", date(2025, 1, 31), date(2024, 9, 13))  # overdue
    recommendation(visits[2], "open", later, date(2025, 2, 4))
    recommendation(visits[2], "open", date(2025, 3, 1), date(2025, 2, 4))  # overdue
    recommendation(
        visits[2], "not_accepted", date(2025, 4, 1), date(2025, 2, 4), not_accepted_reason="Already in place."
    )
    recommendation(last_year, "completed", date(2024, 3, 30), date(2024, 3, 21), impact_statement="Before the year.")
    return Year(
        providers={"alder": alder, "birch": birch, "cedar": cedar, "damson": damson, "unused": unused},
        people=people,
        visits=visits,
        lead=lead,
        qa_lead=qa_lead,
    )


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
