"""The demo QA visits and recommendations: the City's 2024-25 programme (six visits, about 22
children and young people, 39% of the cohort, both children with an EHCP visited), a report
waiting for the demo provider's response, the 2024-25 committee report drafted, and safe to
run twice."""

import re
from collections import Counter
from datetime import date, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from providers.models import Placement, YoungPerson
from qa_portal import access
from qa_portal.models import User
from qa_portal.reporting import demo
from qa_portal.reporting.committee import counting, pack
from qa_portal.reporting.demo import visits as visits_demo
from qa_portal.reporting.models import CommitteeReport
from qa_portal.working_days import add_working_days
from reviews.models import Recommendation, RecommendationStatus
from visits.models import (
    Answer,
    CaseRecordEntry,
    OverallJudgement,
    TemplateQuestion,
    Visit,
    VisitEvent,
    VisitStatus,
)
from visits.services import missing_for_submission

pytestmark = pytest.mark.django_db

YEAR_START, YEAR_END = date(2024, 4, 1), date(2025, 3, 31)
Step = VisitEvent.Step
PATH = [
    Step.PLANNED,
    Step.SUBMITTED,
    Step.SHARED,
    Step.RESPONDED,
    Step.FINALISED,
    Step.CASE_RECORDED,
    Step.COMMISSIONING,
]


@pytest.fixture
def seeded():
    return demo.seed()


def programme_2024_25():
    return Visit.objects.filter(visit_date__range=(YEAR_START, YEAR_END))


def finalised():
    return programme_2024_25().filter(status=VisitStatus.FINALISED)


def test_six_visits_to_six_providers_were_finalised_in_2024_25(seeded):
    visits = programme_2024_25()
    assert visits.count() == 6
    assert finalised().count() == 6
    assert len({visit.provider_id for visit in visits}) == 6
    assert {visit.lead_visitor.email for visit in visits} == {"leader@example.org", "qa.lead@example.org"}
    assert Counter(visits.values_list("overall_judgement", flat=True)) == {
        OverallJudgement.YES: 5,
        OverallJudgement.WITH_RESERVATIONS: 1,
    }
    assert visits.filter(provider__name=demo.DEMO_PROVIDER_NAME).count() == 1
    assert visits.filter(young_inspectors__gt=0).exists()
    assert all(visit.reasons and visit.provider_comment and visit.overall_summary for visit in visits)


def test_they_met_about_22_young_people_39_percent_of_those_placed_that_year(seeded):
    met = YoungPerson.objects.filter(visits_met__in=programme_2024_25()).distinct().count()
    placed_that_year = Placement.objects.filter(start_date__lte=YEAR_END).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=YEAR_START)
    )
    cohort = YoungPerson.objects.filter(placements__in=placed_that_year).distinct().count()
    assert 20 <= met <= 24
    assert 0.35 <= met / cohort <= 0.43
    assert seeded.visits["young_people_met"] == met
    assert programme_2024_25().filter(others_spoken_to__gt=0).exists()


def test_both_children_with_an_ehcp_placed_that_year_were_met_on_its_visits(seeded):
    placed_that_year = Placement.objects.filter(start_date__lte=YEAR_END).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=YEAR_START)
    )
    with_ehcp = set(YoungPerson.objects.filter(ehcp=True, placements__in=placed_that_year).distinct())
    met = set(YoungPerson.objects.filter(visits_met__in=programme_2024_25()))
    assert len(with_ehcp) == 2
    assert with_ehcp <= met


def test_the_committee_pack_for_2024_25_has_the_citys_figures(seeded):
    figures = counting.committee_figures(YEAR_START, YEAR_END)
    assert (figures.visits, figures.providers_visited) == (6, 6)
    assert figures.young_people_met == 22
    assert figures.share_met == 39
    assert (figures.ehcp_visited, figures.ehcp_cohort) == (2, 2)
    assert figures.meetings_due >= figures.meetings_held > 0
    assert figures.impact_statements and figures.ofsted_total >= 15


def test_the_2024_25_committee_report_is_drafted_and_has_no_pack_yet(seeded):
    report = CommitteeReport.objects.get(period_start=YEAR_START, period_end=YEAR_END)
    assert report.title == "Quality Assurance of Care Providers Annual Report 2024-25"
    assert report.introduction.startswith("In March 2024 we agreed")
    assert "six visits in the year has felt proportionate" in report.learning
    assert [block[0] for block in pack.narrative_blocks(report.future_plans)] == ["list"]
    assert len(pack.narrative_blocks(report.future_plans)[0][1]) == 3
    assert report.updated_by.email == "manager@example.org"
    assert not report.versions.exists()


def test_young_people_met_were_placed_with_that_provider_on_the_visit_date(seeded):
    for visit in Visit.objects.prefetch_related("young_people_met"):
        for person in visit.young_people_met.all():
            assert (
                Placement.objects.active_on(visit.date).filter(provider=visit.provider, young_person=person).exists()
            ), (visit, person)


def test_every_question_is_answered_on_the_finalised_visits(seeded):
    for visit in finalised():
        assert missing_for_submission(visit) == [], visit
        questions = set(TemplateQuestion.objects.filter(section__template=visit.template).values_list("pk", flat=True))
        answered = {answer.question_id for answer in visit.answers.all() if not answer.is_blank}
        assert answered == questions, visit
        assert visit.staff_met and visit.spaces_seen
    # Varied, not one answer pasted everywhere.
    texts = Answer.objects.filter(visit__in=finalised()).exclude(text="").values_list("text", flat=True)
    assert len(set(texts)) > 0.9 * len(texts)


def test_each_finalised_visits_path_runs_in_order_with_the_right_people(seeded):
    provider_user = User.objects.get(email="provider@example.org")
    qa_lead = User.objects.get(email="qa.lead@example.org")
    for visit in finalised():
        events = list(visit.events.order_by("at", "pk"))
        assert [event.step for event in events] == PATH, visit
        assert all(earlier.at <= later.at for earlier, later in pairwise(events)), visit
        when = {event.step: event for event in events}
        assert timezone.localtime(when[Step.PLANNED].at).date() <= visit.visit_date
        assert visit.visit_date <= timezone.localtime(when[Step.SUBMITTED].at).date()
        assert when[Step.SUBMITTED].by == visit.lead_visitor
        shared_on = timezone.localtime(when[Step.SHARED].at).date()
        assert visit.response_due == add_working_days(shared_on, 10)
        responded = when[Step.RESPONDED]
        if visit.provider.name == demo.DEMO_PROVIDER_NAME:
            assert responded.by == provider_user
        else:
            assert responded.by == qa_lead
            assert responded.note.startswith("Response received by email")
        assert {when[step].by for step in (Step.SHARED, Step.FINALISED, Step.COMMISSIONING)} == {qa_lead}
        recorded = set(CaseRecordEntry.objects.filter(visit=visit).values_list("young_person", flat=True))
        assert recorded == set(visit.young_people_met.values_list("pk", flat=True))


def test_this_year_has_a_shared_report_a_submitted_one_and_a_draft(seeded):
    today = timezone.localdate()
    this_year = Visit.objects.filter(planned_date__gte=visits_demo.programme_year_start(today))
    assert sorted(this_year.values_list("status", flat=True)) == sorted(
        [VisitStatus.SHARED, VisitStatus.SUBMITTED, VisitStatus.DRAFT]
    )
    assert all(visit.visit_date <= today for visit in this_year)
    shared = this_year.get(status=VisitStatus.SHARED)
    assert shared.provider.name == demo.DEMO_PROVIDER_NAME
    assert shared.response_due >= today - timedelta(days=1)
    assert not shared.provider_comment
    assert not shared.events.filter(step=Step.RESPONDED).exists()
    submitted = this_year.get(status=VisitStatus.SUBMITTED)
    assert missing_for_submission(submitted) == []
    assert not submitted.events.filter(step=Step.SHARED).exists()
    draft = this_year.get(status=VisitStatus.DRAFT)
    assert draft.lead_visitor.email == "leader@example.org"
    questions = TemplateQuestion.objects.filter(section__template=draft.template).count()
    assert 0 < draft.answers.count() < questions
    assert missing_for_submission(draft)


def test_early_in_the_year_this_years_visits_stay_inside_it():
    demo.seed(today=date(2026, 4, 2))
    this_year = Visit.objects.filter(planned_date__gte=date(2026, 4, 1))
    assert this_year.count() == 3
    for visit in this_year:
        events = list(visit.events.order_by("at", "pk"))
        assert all(earlier.at <= later.at for earlier, later in pairwise(events)), visit
        assert all(timezone.localtime(event.at).date() >= date(2026, 4, 1) for event in events), visit


def test_the_demo_provider_user_sees_exactly_its_shared_reports(seeded):
    user = User.objects.get(email="provider@example.org")
    visible = access.visible_to(user, Visit)
    expected = Visit.objects.filter(
        provider=user.provider, status__in=[VisitStatus.SHARED, VisitStatus.RESPONDED, VisitStatus.FINALISED]
    )
    assert set(visible) == set(expected)
    assert visible.filter(status=VisitStatus.SHARED).count() == 1
    assert Visit.objects.filter(status=VisitStatus.DRAFT).exists()
    assert not visible.filter(status__in=[VisitStatus.DRAFT, VisitStatus.SUBMITTED]).exists()
    waiting = access.visible_to(user, Recommendation).filter(visit__status=VisitStatus.SHARED)
    assert 1 <= waiting.count() <= 2
    assert all(rec.provider_accepted is None for rec in waiting)


def test_recommendations_show_every_status_and_the_impact_for_the_child(seeded):
    recommendations = Recommendation.objects.all()
    assert set(recommendations.values_list("status", flat=True)) == set(RecommendationStatus.values)
    for rec in recommendations:
        rec.full_clean()
        if rec.status == RecommendationStatus.COMPLETED:
            assert len(rec.impact_statement) > 80 and rec.completed_at, rec
        if rec.status == RecommendationStatus.NOT_ACCEPTED:
            assert rec.not_accepted_reason, rec
        if rec.young_person_id:
            assert rec.visit.young_people_met.filter(pk=rec.young_person_id).exists(), rec
    assert recommendations.overdue().count() >= 3
    assert recommendations.filter(level="child").count() >= 5
    assert len(set(recommendations.values_list("owner", flat=True))) >= 4
    assert len(set(recommendations.values_list("action_holder", flat=True))) >= 3
    assert not recommendations.filter(owner__provider__isnull=False).exists()
    per_visit = Counter(recommendations.filter(visit__in=finalised()).values_list("visit", flat=True))
    assert len(per_visit) == 6 and all(2 <= n <= 4 for n in per_visit.values())
    assert 13 <= sum(per_visit.values()) <= 17


def test_the_provider_answered_every_recommendation_on_its_finalised_reports(seeded):
    for rec in Recommendation.objects.filter(visit__in=finalised()):
        assert rec.provider_responded_at is not None, rec
        if rec.provider_accepted:
            assert rec.provider_action and rec.provider_action_by, rec
        else:
            assert rec.provider_reason, rec
    declined = Recommendation.objects.filter(visit__in=finalised(), provider_accepted=False)
    assert declined.exists()


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Visit,
            Answer,
            VisitEvent,
            CaseRecordEntry,
            Recommendation,
            User,
            YoungPerson,
            Placement,
            CommitteeReport,
        )
    } | {
        "committee report history": CommitteeReport.history.count(),
        "visit history": Visit.history.count(),
        "answer history": Answer.history.count(),
        "recommendation history": Recommendation.history.count(),
    }


def test_running_the_whole_seed_twice_changes_no_counts(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    assert not mail.outbox


def test_a_later_day_makes_no_second_set_of_this_years_visits(seeded):
    before = _counts()
    again = demo.seed(today=timezone.localdate() + timedelta(days=45))
    assert _counts() == before
    assert again.visits == seeded.visits


def test_seed_demo_prints_the_visits_and_recommendations(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert re.search(r"QA visits: 9 visits \(6 finalised\), 22 young people met", out.getvalue())
    assert re.search(
        r"Recommendations: \d+ \(\d+ open, \d+ in progress, \d+ completed, \d+ not accepted; \d+ overdue\)\.",
        out.getvalue(),
    )
