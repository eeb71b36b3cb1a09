"""The demo (seed_demo): its year is the last full financial year with the City of London's 2024-25
shape, the committee pack reports on it, the current year is under way, every role can sign in,
and running it again changes nothing.

The demo is seeded once for this module: a seed takes seconds, so these checks share one."""

import re
from base64 import b32decode
from datetime import timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from providers.models import Placement, Provider, RiskRating
from qa_portal.models import User
from qa_portal.periods import FinancialYear
from qa_portal.reporting import demo
from qa_portal.reporting.committee.counting import committee_figures
from qa_portal.reporting.committee.pack import narrative_blocks
from qa_portal.reporting.models import CommitteeReport
from qa_portal.roles import Role
from reviews.models import (
    ActionPlan,
    ActionPlanStatus,
    ComplianceCheck,
    InadequateResponse,
    Recommendation,
    RecommendationStatus,
    ReviewMeeting,
)
from tests.conftest import BASE_DIR
from tests.pdf_reading import text_of_pdf
from tests.reporting.test_home import figures
from tests.visits.test_path_history import history_rows
from visits.models import Answer, Visit, VisitEvent, VisitStatus
from visits.services import missing_for_submission

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo as it stands today, seeded once inside a transaction that is rolled back after the
    last test here, so no other module sees it. Each test runs in a savepoint within it.

    Module-scoped rather than session-scoped: a session fixture would leave the demo in the
    database under every test module that runs after this one."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        result = demo.seed()
    yield result
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def counts() -> dict[str, int]:
    """How many of each demo record there are, and how much change history."""
    models = (Provider, Placement, Visit, Answer, VisitEvent, Recommendation, ReviewMeeting, ComplianceCheck, User)
    return {model.__name__: model.objects.count() for model in models} | {
        f"{model.__name__} history": model.history.count()
        for model in (Provider, Placement, Visit, Answer, Recommendation, ReviewMeeting, CommitteeReport)
    }


def test_its_year_is_the_last_full_financial_year_shaped_like_the_citys(seeded):
    year = FinancialYear.last_full()
    assert seeded.year == year
    figures_ = committee_figures(year.start, year.end)
    assert (figures_.visits, figures_.providers_visited) == (6, 6)
    assert (figures_.young_people_met, figures_.cohort, figures_.share_met) == (22, 56, 39)
    assert (figures_.ehcp_visited, figures_.ehcp_cohort) == (2, 2)
    assert figures_.meetings_due >= figures_.meetings_held > 0.9 * figures_.meetings_due
    assert {row.cadence for row in figures_.meetings_by_cadence} == {"Quarterly", "Half-yearly", "Annual"}
    assert figures_.completed >= 8 and len(figures_.impact_statements) == figures_.completed
    assert figures_.not_accepted >= 1
    for visit in Visit.objects.filter(visit_date__range=(year.start, year.end)):
        assert visit.status == VisitStatus.FINALISED
        assert missing_for_submission(visit) == [], visit
    report = CommitteeReport.objects.get(period_start=year.start, period_end=year.end)
    assert report.title == f"Quality Assurance of Care Providers Annual Report {year.label}"
    assert report.introduction and report.learning
    assert [kind for kind, _ in narrative_blocks(report.future_plans)] == ["list"]
    assert "{year" not in report.introduction + report.future_plans


def test_the_committee_pack_without_dates_is_that_years(seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = StringIO()
    call_command("committee_pack", stdout=out, stderr=StringIO())
    year = FinancialYear.last_full()
    assert "6 visits, 22 children and young people met (39% of 56)" in out.getvalue()
    text = text_of_pdf((tmp_path / f"committee-pack-{year.label}.pdf").read_bytes())
    assert f"Annual Report {year.label}" in text
    assert "6 visits were completed to 6 care providers" in text
    assert "In March" in text and "The introduction has not been written yet." not in text


def test_the_current_year_is_under_way_with_a_few_things_overdue(seeded):
    today = timezone.localdate()
    this_year = FinancialYear.containing(today)
    visits = Visit.objects.filter(planned_date__gte=this_year.start)
    assert visits.filter(status=VisitStatus.SHARED, provider__name=demo.DEMO_PROVIDER_NAME).exists()
    assert visits.filter(status=VisitStatus.SUBMITTED).exists()
    drafts = visits.filter(status=VisitStatus.DRAFT, visit_date__isnull=False)
    assert any(draft.answers.exists() and missing_for_submission(draft) for draft in drafts)
    assert visits.filter(status=VisitStatus.DRAFT, visit_date__isnull=True, planned_date__gt=today).count() >= 2
    month_end = (today.replace(day=1) + relativedelta(months=1)) - timedelta(days=1)
    assert Recommendation.objects.live().filter(due_date__range=(today, month_end)).exists()
    # Linden Brook's, brought forward to next week by last week's concern (unless already due by then).
    assert ReviewMeeting.objects.open().filter(due_date__range=(today, today + timedelta(days=10))).exists()
    assert 1 <= Recommendation.objects.overdue().count() <= 4
    assert 1 <= ReviewMeeting.objects.overdue().count() <= 3
    for provider in Provider.objects.filter(pk__in=Placement.objects.active().values("provider")):
        assert ReviewMeeting.objects.open().filter(provider=provider).count() == 1, provider


def test_a_finalised_visit_shows_every_step_of_its_path_in_its_history_with_who_took_it(seeded, client):
    client.force_login(User.objects.get(email="qa.lead@example.org"))
    leader, lead, provider = "Chris Palmer", "Laura Dennison", "Jo Marsh"  # data/accounts.toml
    expected = [
        (leader, "Planned"),
        (leader, "Submitted"),
        (lead, "Shared with provider"),
        (provider, "Provider responded"),
        (lead, "Finalised"),
        (lead, "Recorded on case records"),
        (lead, "Shared with commissioning"),
    ]
    for visit in Visit.objects.filter(status=VisitStatus.FINALISED):
        steps = [
            (who, re.search(r"\(reason: ([^:)]+)", what).group(1), what)
            for who, what in history_rows(client, visit)
            if what.startswith("Visit:") and "(reason:" in what
        ]
        assert [step for _, step, _ in steps] == [step for _, step in expected], visit
        # Each step by the person who took it, as the visit's path records it.
        assert [who for who, _, _ in steps] == [event.by.full_name for event in visit.events.order_by("at")]
        if visit.provider.name == demo.DEMO_PROVIDER_NAME:
            assert [who for who, _, _ in steps] == [who for who, _ in expected]
        assert "Status: Submitted → Shared with provider" in steps[2][2]


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        # A report or two (on a few days a year a second one is at this step) to share, three overdue.
        ("qa.lead@example.org", {"Visit reports to share": (1, 2), "Recommendations overdue": (3, 3)}),
        ("manager@example.org", {"Recommendations overdue": (3, 3)}),
        ("provider@example.org", {"Visit reports awaiting your response": (1, 1), "Recommendations open": (2, 2)}),
    ],
)
def test_the_home_pages_show_a_service_at_work(seeded, client, email, expected):
    client.force_login(User.objects.get(email=email))
    shown = figures(client.get(reverse("home")).text)
    for label, (low, high) in expected.items():
        assert low <= int(shown[label]) <= high, (label, shown[label])
    visits_this_year = next((value for label, value in shown.items() if label.startswith("Visits in")), "2 of 6")
    assert int(visits_this_year.split(" of ")[0]) >= 2


def test_every_role_has_an_account_with_the_demo_password(seeded):
    users = User.objects.all()
    assert sorted(user.primary_role for user in users) == sorted(Role)
    assert all(user.check_password(demo.DEMO_PASSWORD) and user.is_active for user in users)
    assert User.objects.get(email="provider@example.org").provider.name == demo.DEMO_PROVIDER_NAME


def test_every_demo_account_signs_in_with_the_authenticator_key_in_the_readme(seeded, client, settings):
    key = re.search(r"with the key \*\*`([A-Z2-7]+)`\*\*", (BASE_DIR / "README.md").read_text()).group(1)
    code = f"{TOTP(b32decode(key)).token():06d}"
    for email, *_ in demo.DEMO_USERS:
        client.post(reverse("logout"))
        to_code = client.post(reverse("login"), {"username": email, "password": demo.DEMO_PASSWORD})
        assert client.post(to_code.url, {"code": code}).url == "/", email
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_code", stdout=out)
    assert out.getvalue()[:6] in {f"{TOTP(b32decode(key), drift=step).token():06d}" for step in (-1, 0)}


def test_running_it_again_changes_nothing_and_needs_force_without_debug(seeded, settings):
    before = counts()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert counts() == before
    assert not mail.outbox
    assert f"its year is {FinancialYear.last_full().label}" in out.getvalue()
    assert "QA visits:" in out.getvalue() and "Review meetings:" in out.getvalue()


def test_running_it_again_after_a_provider_was_renamed_puts_the_name_back_and_makes_no_copy(seeded):
    harbour = Provider.objects.get(name=demo.DEMO_PROVIDER_NAME)
    harbour.name = "Harbour Lights Family Placements"
    harbour.save()
    before = Provider.objects.count()

    demo.seed()

    assert Provider.objects.count() == before
    harbour.refresh_from_db()
    assert harbour.name == demo.DEMO_PROVIDER_NAME
    assert User.objects.get(email="provider@example.org").provider == harbour
    assert not Provider.objects.filter(name="Harbour Lights Family Placements").exists()


@pytest.mark.parametrize(
    ("today", "message"),
    [("15/11/2025", "--today must be a date as YYYY-MM-DD"), ("2999-01-01", "--today must not be after today")],
)
def test_it_refuses_a_today_it_cannot_use(settings, today, message):
    settings.DEBUG = True
    before = counts()
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", "--today", today, stdout=StringIO())
    assert counts() == before


def test_a_year_earlier_it_tells_the_same_story_about_that_years_last_full_year(seeded):
    earlier = timezone.localdate() - relativedelta(years=1)
    result = demo.seed(today=earlier)
    year = FinancialYear.last_full(earlier)
    assert result.year == year
    figures_ = committee_figures(year.start, year.end, today=earlier)
    assert (figures_.visits, figures_.young_people_met, figures_.cohort, figures_.share_met) == (6, 22, 56, 39)
    assert (figures_.ehcp_visited, figures_.ehcp_cohort) == (2, 2)
    # Moved, not added: the same people and placements, no visit twice, one open meeting each.
    assert result.register["placements"] == seeded.register["placements"]
    notes = list(VisitEvent.objects.filter(step=VisitEvent.Step.PLANNED).values_list("note", flat=True))
    assert len(notes) == len(set(notes))
    assert not Visit.objects.filter(visit_date__gt=earlier).exists()
    assert ReviewMeeting.objects.open().count() == result.meetings["meetings_open"] == seeded.meetings["meetings_open"]
    assert CommitteeReport.objects.get().period_start == year.start
    assert not Recommendation.objects.filter(status=RecommendationStatus.COMPLETED, completed_at__date__gt=earlier)


def test_the_readme_lists_every_demo_login():
    readme = (BASE_DIR / "README.md").read_text()
    assert demo.DEMO_PASSWORD in readme
    for email, *_ in demo.DEMO_USERS:
        assert email in readme


def test_the_demo_commissioning_officer_looks_after_most_providers(seeded, client):
    officer = User.objects.get(email="commissioning@example.org")
    providers = Provider.objects.all()
    assert providers.filter(commissioning_officer=officer).count() >= providers.count() - 2
    assert providers.filter(commissioning_officer=None).exists()  # and a few are still to be assigned
    client.force_login(officer)
    page = client.get(Provider.objects.get(name="Harbour Lights Fostering").get_absolute_url()).text
    assert officer.get_full_name() in page


def test_providers_are_at_each_risk_level_with_their_reasons_and_one_is_overridden(seeded, client):
    assert seeded.risk["high"] >= 2 and seeded.risk["medium"] >= 2 and seeded.risk["low"] >= 2
    assert seeded.risk["overrides"] == 1
    tamar = Provider.objects.get(name="Tamar Reach Residential")
    assert tamar.get_risk_rating_display() == "High"
    reasons = [reason["text"] for reason in tamar.risk_reasons]
    assert any("referred to the LADO" in reason for reason in reasons)
    assert any("ended unplanned" in reason for reason in reasons)
    overridden = Provider.objects.get(risk_override__isnull=False)
    client.force_login(User.objects.get(email="qa.lead@example.org"))
    page = " ".join(client.get(overridden.get_absolute_url()).text.split())
    assert f"Overridden to Low by {overridden.risk_override.set_by.full_name}" in page
    assert "The rules give Medium." in page
    assert not mail.outbox
    # Its history reads newest first, the override on top; the rules' rating before it.
    changes = list(overridden.risk_rating_changes.order_by("-changed_at", "-pk"))
    assert [change.get_to_rating_display() for change in changes[:2]] == ["Low", "Medium"]
    assert changes[0].changed_by == overridden.risk_override.set_by


def test_the_demo_years_pack_has_every_provider_in_use_rated_at_the_years_end(seeded):
    year = FinancialYear.last_full(timezone.localdate())
    figures = committee_figures(year.start, year.end)
    assert figures.risk_on == year.end
    rated = {row.rating: row.providers for row in figures.risk_rows}
    assert "Not rated then" not in rated
    assert "Fellside Care" in rated["High"]
    # Rated on what was known then: Larchfield's Inadequate of last week, Tamar Reach's LADO referral
    # and unplanned ending of this year do not count at the year's end.
    assert "Larchfield Foster Families" in rated["Low"] and "Tamar Reach Residential" in rated["Low"]


def demo_days() -> list:
    """Days to seed the demo on besides today: the current financial year's first day (when "today-N"
    dates are squeezed into it), its first Monday after a weekend, and the day after a bank holiday
    weekend (Easter Monday's Tuesday, when the year has one after its start)."""
    today = timezone.localdate()
    start = FinancialYear.containing(today).start
    monday = start + timedelta(days=(7 - start.weekday()) % 7 or 7)
    return sorted({day for day in (start, monday, monday + timedelta(days=8)) if day <= today})


def assert_responses_and_plans_as_the_issue_asks(today) -> None:
    """Issue 16's demo: one finished Inadequate response (its children placed then, each decided within
    24 hours, the visit the same day, the plan accepted) and one in progress (two or more children, a
    decision overdue as of `today` and escalated); an action plan in each state; each risk level."""
    finished = InadequateResponse.objects.get(closed_at__isnull=False)
    opened = timezone.localtime(finished.opened_at)
    decisions = list(finished.decisions.all())
    assert len(decisions) >= 2
    for decision in decisions:
        assert decision.decision and decision.recorded_at - finished.opened_at <= timedelta(hours=24)
        assert (
            Placement.objects.active_on(opened.date())
            .filter(pk=decision.placement_id, setting=finished.setting)
            .exists()
        )
    assert {decision.decision for decision in decisions} >= {"remain", "move"}
    assert finished.visit.visit_date == opened.date() and finished.visit.status == VisitStatus.FINALISED
    assert finished.action_plan.status in (ActionPlanStatus.ACCEPTED, ActionPlanStatus.RECHECKED)
    assert finished.action_plan.accepted_at <= finished.closed_at

    in_progress = InadequateResponse.objects.open().get()
    waiting = in_progress.decisions.filter(decision="")
    assert in_progress.decisions.count() >= 2
    assert waiting.filter(due_at__date__lt=today, escalated_at__isnull=False).exists()
    assert in_progress.decisions.exclude(decision="").exists()
    assert in_progress.action_plan.status == ActionPlanStatus.REQUESTED
    assert timezone.localdate(in_progress.opened_at) < today

    statuses = set(ActionPlan.objects.values_list("status", flat=True))
    assert statuses >= {"requested", "submitted", "returned", "accepted"}
    assert ActionPlan.objects.overdue(today).exists()
    assert ActionPlan.objects.recheck_due(today).exists()
    for rating in (RiskRating.HIGH, RiskRating.MEDIUM, RiskRating.LOW):
        assert Provider.objects.filter(risk_rating=rating).exists(), rating
    for provider in Provider.objects.exclude(risk_rating=RiskRating.LOW).filter(risk_override=None):
        assert provider.risk_reasons, provider


def test_it_holds_a_finished_and_an_open_inadequate_response_and_an_action_plan_in_each_state(seeded, client):
    assert_responses_and_plans_as_the_issue_asks(timezone.localdate())
    assert seeded.responses == {"responses": 2, "open": 1, "decisions_overdue": 1}
    client.force_login(User.objects.get(email="social.worker@example.org"))
    in_progress = InadequateResponse.objects.open().get()
    page = " ".join(client.get(in_progress.get_absolute_url()).text.split())
    assert "Overdue" in page and "Remain, with safeguards" in page


@pytest.mark.parametrize("day", demo_days(), ids=str)
def test_it_holds_them_whatever_day_it_is_seeded(seeded, day):
    demo.seed(today=day)
    assert_responses_and_plans_as_the_issue_asks(day)
