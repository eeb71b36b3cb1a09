"""Each provider's risk rating (issue 16): High, Medium or Low by the rules, with the reasons, stored
on the provider; overridden by the QA lead or a commissioning officer until a date to look again;
the rules changed by an administrator; a change to High told once to the QA lead and the provider's
commissioning officer."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from providers.models import (
    ConcernStatus,
    Judgement,
    PlacementEnding,
    Provider,
    ProviderStatus,
    RiskOverride,
    RiskRating,
    RiskRatingChange,
    SupportedAccommodationOutcome,
)
from qa_portal.dates import as_typed, years_after
from qa_portal.models import Notification
from reviews.models import ReviewMeeting, RiskRule, RiskRuleKind
from reviews.risk import risk_ratings_daily, risk_ratings_refresh
from tests.factories import (
    ConcernFactory,
    PlacementFactory,
    ProviderFactory,
    RecommendationFactory,
    VisitFactory,
)
from tests.mail import deliver_all, text, to
from tests.pages import text_of
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def rated() -> dict[str, tuple[str, list[str]]]:
    """{provider name: (its rating, the reasons' words)} as stored."""
    return {p.name: (p.get_risk_rating_display(), [r["text"] for r in p.risk_reasons]) for p in Provider.objects.all()}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def register(today, qa_lead):
    """A provider for each rule, and some near misses that are Low."""
    ProviderFactory(name="Good Lane", current_judgement=Judgement.GOOD)
    ProviderFactory(name="Inadequate House", current_judgement=Judgement.INADEQUATE)
    ProviderFactory(name="Outcome Three", current_sa_outcome=SupportedAccommodationOutcome.OUTCOME_3)
    ProviderFactory(name="Stopped Homes", status=ProviderStatus.PLACEMENT_STOP)
    ConcernFactory(provider=ProviderFactory(name="High Concern Care"), severity="high", received_on=today)
    ConcernFactory(
        provider=ProviderFactory(name="Closed Concern Care"),
        severity="high",
        status=ConcernStatus.CLOSED,
        outcome="Looked into: unfounded",
    )
    ConcernFactory(provider=ProviderFactory(name="Lado Lodge"), severity="low", lado_referral=True, received_on=today)
    VisitFactory(
        provider=ProviderFactory(name="No Visit Homes"),
        status=VisitStatus.SUBMITTED,
        visit_date=today - timedelta(days=40),
        overall_judgement="no",
    )
    VisitFactory(
        provider=ProviderFactory(name="Old No Homes"),
        status=VisitStatus.SUBMITTED,
        visit_date=today - relativedelta(months=13),
        overall_judgement="no",
    )
    ProviderFactory(name="Improving Homes", current_judgement=Judgement.REQUIRES_IMPROVEMENT)
    ConcernFactory(provider=ProviderFactory(name="Medium Concern Care"), severity="medium", received_on=today)
    overdue = ProviderFactory(name="Overdue Actions")
    for _ in range(2):
        RecommendationFactory(visit=VisitFactory(provider=overdue), due_date=today - timedelta(days=3))
    ReviewMeeting.objects.create(
        provider=ProviderFactory(name="Review Late"),
        cadence="annual",
        placement_volume=1,
        due_date=today - timedelta(days=9),
    )
    PlacementFactory(
        provider=ProviderFactory(name="Broken Down"),
        start_date=today - timedelta(days=300),
        end_date=today - timedelta(days=20),
        ending=PlacementEnding.UNPLANNED,
    )
    PlacementFactory(
        provider=ProviderFactory(name="Long Ago Ending"),
        start_date=today - timedelta(days=400),
        end_date=today - relativedelta(months=4),
        ending=PlacementEnding.UNPLANNED,
    )
    both = ProviderFactory(name="Both Ways", current_judgement=Judgement.REQUIRES_IMPROVEMENT)
    ConcernFactory(provider=both, severity="high", received_on=today)
    risk_ratings_refresh(today=today)


def test_each_provider_has_the_rating_and_reasons_the_rules_give(register, today):
    month_ago = today - timedelta(days=40)
    assert rated() == {
        "Good Lane": ("Low", []),
        "Inadequate House": ("High", ["Ofsted: Inadequate"]),
        "Outcome Three": ("High", ["Ofsted: supported accommodation outcome 3 (serious or widespread weaknesses)"]),
        "Stopped Homes": ("High", ["Under a placement stop"]),
        "High Concern Care": ("High", [f"A concern of high severity not yet closed, received {_day(today)}"]),
        "Closed Concern Care": ("Low", []),
        "Lado Lodge": ("High", [f"A concern referred to the LADO not yet closed, received {_day(today)}"]),
        "No Visit Homes": ("High", [f'QA visit of {_day(month_ago)}: "no", not good enough for my own child']),
        "Old No Homes": ("Low", []),
        "Improving Homes": ("Medium", ["Ofsted: Requires improvement to be good"]),
        "Medium Concern Care": ("Medium", [f"A concern of medium severity not yet closed, received {_day(today)}"]),
        "Overdue Actions": ("Medium", ["2 recommendations overdue"]),
        "Review Late": ("Medium", [f"Review meeting overdue: it was due {_day(today - timedelta(days=9))}"]),
        "Broken Down": ("Medium", [f"A placement ended unplanned on {_day(today - timedelta(days=20))}"]),
        "Long Ago Ending": ("Low", []),
        # The worst reason first.
        "Both Ways": (
            "High",
            [
                f"A concern of high severity not yet closed, received {_day(today)}",
                "Ofsted: Requires improvement to be good",
            ],
        ),
    }


def test_the_list_filters_and_sorts_by_the_rating(client, register, manager):
    client.force_login(manager)
    high = text_of(client.get(reverse("providers:provider_list"), {"risk": RiskRating.HIGH}))
    assert "7 providers match the filters" in high
    assert "Inadequate House" in high and "Improving Homes" not in high and "Good Lane" not in high
    page = client.get(reverse("providers:provider_list"), {"sort": "risk"}).content.decode()
    assert page.index("Both Ways") < page.index("Improving Homes") < page.index("Good Lane")


def test_the_compliance_overview_filters_by_the_rating(client, register, commissioning_officer):
    client.force_login(commissioning_officer)
    medium = text_of(client.get(reverse("reviews:compliance_overview"), {"risk": RiskRating.MEDIUM}))
    assert "Improving Homes" in medium and "Medium risk" in medium
    assert "Inadequate House" not in medium and "Good Lane" not in medium


def test_the_home_page_counts_high_risk_providers(client, register, qa_lead):
    client.force_login(qa_lead)
    page = client.get(reverse("home")).content.decode()
    assert "High risk providers" in page
    assert f"{reverse('providers:provider_list')}?risk=3" in page


def test_the_provider_page_shows_the_rating_and_why(client, register, manager):
    provider = Provider.objects.get(name="Both Ways")
    client.force_login(manager)
    page = text_of(client.get(provider.get_absolute_url()))
    assert "High risk" in page
    assert "High: A concern of high severity not yet closed" in page
    assert "Medium: Ofsted: Requires improvement to be good" in page


def test_reasons_from_records_someone_cannot_see_are_only_counted(client, register, administrator):
    provider = Provider.objects.get(name="Both Ways")
    client.force_login(administrator)
    page = text_of(client.get(provider.get_absolute_url()))
    assert "Medium: Ofsted: Requires improvement to be good" in page
    assert "concern of high severity" not in page
    assert "1 other reason comes from records you cannot see" in page


def override(client, user, provider, **data):
    client.force_login(user)
    return client.post(reverse("providers:risk_rating", args=[provider.pk]), data)


def test_an_override_shows_with_its_reason_and_date_to_look_again(client, register, commissioning_officer, today):
    provider = Provider.objects.get(name="Improving Homes")
    look_again = today + timedelta(days=30)
    response = override(
        client,
        commissioning_officer,
        provider,
        rating=RiskRating.LOW,
        reason="Monitoring visit found the actions complete",
        look_again_on=look_again.strftime("%d/%m/%Y"),
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.risk_rating, provider.risk_rules_rating) == (RiskRating.LOW, RiskRating.MEDIUM)
    page = text_of(client.get(provider.get_absolute_url()))
    assert (
        f"Overridden to Low by {commissioning_officer.full_name} on {_day(today)}, until {_day(look_again)}. "
        "The rules give Medium." in page
    )
    assert "Reason: Monitoring visit found the actions complete" in page
    history = text_of(client.get(reverse("providers:risk_rating", args=[provider.pk])))
    assert f"Medium Low Overridden by {commissioning_officer.full_name} until {_day(look_again)}" in history
    # The override holds whatever the rules' rating does meanwhile.
    ConcernFactory(provider=provider, severity="medium")
    risk_ratings_refresh(provider_ids=[provider.pk], today=today)
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.LOW


def test_after_the_date_to_look_again_the_rules_rating_shows_and_its_setter_is_told(
    client, register, commissioning_officer, today, smtp_server
):
    provider = Provider.objects.get(name="Improving Homes")
    look_again = today + timedelta(days=3)
    override(
        client,
        commissioning_officer,
        provider,
        rating=RiskRating.LOW,
        reason="Actions complete",
        look_again_on=look_again.strftime("%d/%m/%Y"),
    )
    risk_ratings_daily(today=look_again)
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.LOW  # still in force on the day itself
    risk_ratings_daily(today=look_again + timedelta(days=1))
    risk_ratings_daily(today=look_again + timedelta(days=2))
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.MEDIUM and provider.risk_override is None
    told = to(deliver_all(smtp_server), commissioning_officer)
    assert [m["Subject"] for m in told] == ["Look again at the risk rating of Improving Homes"]
    assert "your override no longer applies" in text(told[0])
    change = provider.risk_rating_changes.first()
    assert (change.from_rating, change.to_rating, change.changed_by) == (RiskRating.LOW, RiskRating.MEDIUM, None)
    assert change.why.startswith("The override ended: look-again date passed")


def test_an_override_can_be_ended_by_hand(client, register, qa_lead, today):
    provider = Provider.objects.get(name="Improving Homes")
    data = {"reason": "Actions complete", "look_again_on": (today + timedelta(days=9)).strftime("%d/%m/%Y")}
    override(client, qa_lead, provider, rating=RiskRating.HIGH, **data)
    override(client, qa_lead, provider, rating="end")
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.MEDIUM
    assert [c.get_to_rating_display() for c in provider.risk_rating_changes.all()] == ["Medium", "High", "Medium"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"rating": "1", "look_again_on": "1/1/2099"}, "reason", "Enter why you are overriding the rating"),
        ({"rating": "1", "reason": "Because"}, "look_again_on", "Enter the date to look again"),
        ({"rating": "1", "reason": "Because", "look_again_on": "1/1/2020"}, "look_again_on", "today or later"),
        ({"reason": "Because"}, "rating", "Choose the risk rating"),
    ],
)
def test_an_override_without_what_it_needs_is_refused_beside_the_field(client, register, qa_lead, data, field, message):
    provider = Provider.objects.get(name="Improving Homes")
    response = override(client, qa_lead, provider, **data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert data.get("reason", "") in response.content.decode()
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.MEDIUM and provider.risk_override is None


def test_an_empty_override_says_everything_it_needs_at_once(client, register, qa_lead):
    page = text_of(override(client, qa_lead, Provider.objects.get(name="Improving Homes"), reason=""))
    for message in (
        "Choose the risk rating",
        "Enter why you are overriding the rating",
        "Enter the date to look again",
    ):
        assert message in page


def test_the_date_to_look_again_may_be_a_year_ahead_to_the_day_and_no_later(client, register, qa_lead, today):
    provider = Provider.objects.get(name="Improving Homes")
    a_year = years_after(today, 1)
    data = {"rating": RiskRating.LOW, "reason": "Actions complete"}
    response = override(client, qa_lead, provider, **data, look_again_on=as_typed(a_year + timedelta(days=1)))
    assert response.status_code == 200
    assert f"The date to look again must be within a year: {_day(a_year)} or before" in text_of(response)
    response = override(client, qa_lead, provider, **data, look_again_on=as_typed(a_year))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.risk_override.look_again_on == a_year


def test_an_override_sent_twice_by_a_double_click_is_one_override(client, register, qa_lead, today):
    provider = Provider.objects.get(name="Improving Homes")
    data = {
        "rating": RiskRating.LOW,
        "reason": "Actions complete",
        "look_again_on": as_typed(today + timedelta(days=9)),
        "form_token": str(uuid.uuid4()),
    }
    first, second = override(client, qa_lead, provider, **data), override(client, qa_lead, provider, **data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert RiskOverride.objects.filter(provider=provider).count() == 1
    assert [c.get_to_rating_display() for c in provider.risk_rating_changes.all()] == ["Low", "Medium"]


def test_only_the_qa_lead_and_commissioning_officers_may_override(client, register, manager, today):
    provider = Provider.objects.get(name="Improving Homes")
    client.force_login(manager)
    page = client.get(reverse("providers:risk_rating", args=[provider.pk]))
    assert page.status_code == 200 and "Save risk rating" not in page.text
    response = override(
        client,
        manager,
        provider,
        rating="1",
        reason="No",
        look_again_on=(today + timedelta(days=2)).strftime("%d/%m/%Y"),
    )
    assert response.status_code == 403
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.MEDIUM


def test_an_administrator_changes_a_rule_and_the_ratings_follow(
    client, register, administrator, django_capture_on_commit_callbacks
):
    rule = RiskRule.objects.get(rule=RiskRuleKind.REQUIRES_IMPROVEMENT)
    client.force_login(administrator)
    change_url = reverse("admin:reviews_riskrule_change", args=[rule.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url, {"rating": RiskRating.HIGH})
    assert response.status_code == 302
    assert rated()["Improving Homes"] == ("High", ["Ofsted: Requires improvement to be good"])
    history = text_of(client.get(reverse("admin:reviews_riskrule_history", args=[rule.pk])))
    assert "Makes the provider: Medium to High" in history
    assert administrator.full_name in history or administrator.email in history

    # A window made shorter: a "no" 40 days ago is outside the last month.
    rule = RiskRule.objects.get(rule=RiskRuleKind.VISIT_NO)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:reviews_riskrule_change", args=[rule.pk]), {"rating": RiskRating.HIGH, "number": 1})
    assert rated()["No Visit Homes"] == ("Low", [])


def test_a_rule_with_a_number_needs_one(client, administrator):
    rule = RiskRule.current()[RiskRuleKind.UNPLANNED_ENDING]
    client.force_login(administrator)
    response = client.post(reverse("admin:reviews_riskrule_change", args=[rule.pk]), {"rating": RiskRating.MEDIUM})
    assert response.status_code == 200
    assert "Give the number for this rule" in response.text


def test_others_cannot_change_the_rules(client, qa_lead):
    rule = RiskRule.current()[RiskRuleKind.REQUIRES_IMPROVEMENT]
    client.force_login(qa_lead)
    client.post(reverse("admin:reviews_riskrule_change", args=[rule.pk]), {"rating": RiskRating.HIGH})
    rule.refresh_from_db()
    assert rule.rating == RiskRating.MEDIUM


def test_a_change_to_high_tells_the_qa_lead_and_the_commissioning_officer_once(
    client, qa_lead, commissioning_officer, social_worker, smtp_server, django_capture_on_commit_callbacks
):
    provider = ProviderFactory(name="Harbour Lights Fostering", commissioning_officer=commissioning_officer)
    risk_ratings_refresh()
    client.force_login(social_worker)
    concern = {"source": "young_person", "received_on": timezone.localdate().strftime("%d/%m/%Y"), "summary": "Unsafe"}
    for _ in range(2):  # a second concern keeps it High: no second message
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("providers:concern_create", args=[provider.pk]), {**concern, "severity": "high"}
            )
        assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.HIGH
    messages = [m for m in deliver_all(smtp_server) if "High risk" in m["Subject"]]
    assert sorted(m["To"] for m in messages) == sorted([qa_lead.email, commissioning_officer.email])
    assert {m["Subject"] for m in messages} == {"Harbour Lights Fostering is now High risk"}
    body = text(to(messages, qa_lead)[0])
    assert "has changed from Low to High" in body and "A concern of high severity not yet closed" in body
    # The daily run changes nothing more, and tells no one again.
    risk_ratings_daily()
    assert Notification.objects.filter(kind="risk_high").count() == 2
    assert RiskRatingChange.objects.filter(provider=provider, to_rating=RiskRating.HIGH).count() == 1


def test_a_lado_referral_and_an_unplanned_ending_are_recorded_on_their_forms(
    client, qa_lead, commissioning_officer, provider, today, django_capture_on_commit_callbacks
):
    client.force_login(qa_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("providers:concern_create", args=[provider.pk]),
            {
                "source": "social_worker",
                "received_on": today.strftime("%d/%m/%Y"),
                "summary": "Allegation against a member of staff",
                "severity": "low",
                "lado_referral": "on",
            },
        )
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.HIGH
    assert "referred to the LADO" in provider.risk_reasons[0]["text"]


def test_an_ending_needs_an_end_date(client, commissioning_officer, provider, today):
    placement = PlacementFactory(provider=provider, start_date=today - timedelta(days=100))
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_edit", args=[placement.pk]),
        {
            "provider": provider.pk,
            "start_date": placement.start_date.strftime("%d/%m/%Y"),
            "end_date": "",
            "ending": PlacementEnding.UNPLANNED,
        },
    )
    assert response.status_code == 200
    assert "Give the end date, or leave how the placement ended blank" in text_of(response)


def test_the_downloads_carry_the_rating(client, register, commissioning_officer):
    client.force_login(commissioning_officer)
    for url, query in [
        (reverse("providers:provider_export", args=["csv"]), {"risk": RiskRating.HIGH}),
        (reverse("reviews:compliance_export", args=["csv"]), {"risk": RiskRating.HIGH}),
    ]:
        rows = list(csv.reader(io.StringIO(client.get(url, query).getvalue().decode("utf-8-sig"))))
        header, *body = rows
        assert header[-1] == "Risk rating"
        assert body and {row[-1] for row in body} == {"High"}


def test_a_risk_rating_not_on_the_list_is_refused_beside_the_filter(client, register, manager):
    client.force_login(manager)
    response = client.get(reverse("providers:provider_list"), {"risk": "9"})
    assert response.status_code == 200
    assert "Choose a risk rating from the list" in text_of(response)


def test_a_visit_is_counted_once_submitted_not_while_a_draft(provider, today, django_capture_on_commit_callbacks):
    risk_ratings_refresh()
    visit = VisitFactory(provider=provider, visit_date=today - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        visit.overall_judgement = "no"
        visit.save(update_fields=["overall_judgement"])
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.LOW
    with django_capture_on_commit_callbacks(execute=True):
        visit.status = VisitStatus.SUBMITTED
        visit.save(update_fields=["status"])
    provider.refresh_from_db()
    assert provider.risk_rating == RiskRating.HIGH


def test_the_command_dry_run_changes_nothing_and_the_real_run_is_recorded(today, qa_lead, capsys):
    from django.core.management import call_command

    from qa_portal.models import JobRun

    ProviderFactory(name="Lately Inadequate", current_judgement=Judgement.GOOD)
    risk_ratings_refresh(today=today)
    Provider.objects.update(current_judgement=Judgement.INADEQUATE)  # as an import leaves it, before the job
    call_command("refresh_risk_ratings", "--dry-run")
    assert "1 providers: 1 ratings would change (1 to High)" in capsys.readouterr().out
    assert Provider.objects.get().get_risk_rating_display() == "Low" and not JobRun.objects.exists()
    assert not Notification.objects.filter(kind__contains="risk").exists()
    call_command("refresh_risk_ratings")
    assert "1 ratings changed (1 to High)" in capsys.readouterr().out
    assert Provider.objects.get().get_risk_rating_display() == "High"
    run = JobRun.objects.get(job="refresh_risk_ratings")
    assert run.ok and run.summary["to_high"] == 1


def test_an_ofsted_reason_names_the_setting_and_inspection_behind_it(today):
    """The setting whose latest full inspection is Inadequate is named, not one that was Inadequate before a
    later Good inspection; the supported accommodation outcome gives its inspection's date."""
    from providers.services import refresh_judgements
    from tests.factories import InspectionFactory, SettingFactory

    provider = ProviderFactory(name="Two Homes")
    improved = SettingFactory(provider=provider, name="Ash House")
    InspectionFactory(setting=improved, judgement=Judgement.INADEQUATE, inspection_date=today - timedelta(days=700))
    InspectionFactory(setting=improved, judgement=Judgement.GOOD, inspection_date=today - timedelta(days=100))
    failing = SettingFactory(provider=provider, name="Birch Lodge")
    InspectionFactory(setting=failing, judgement=Judgement.INADEQUATE, inspection_date=today - timedelta(days=400))
    refresh_judgements(provider)
    improving = ProviderFactory(name="Improving Homes")
    InspectionFactory(
        setting=SettingFactory(provider=improving, name="Cedar View"),
        judgement=Judgement.REQUIRES_IMPROVEMENT,
        inspection_date=today - timedelta(days=30),
    )
    refresh_judgements(improving)
    risk_ratings_refresh(today=today)

    assert rated()["Two Homes"] == (
        "High",
        [f"Ofsted: Inadequate (Birch Lodge, inspected {_day(today - timedelta(days=400))})"],
    )
    assert rated()["Improving Homes"] == (
        "Medium",
        [f"Ofsted: Requires improvement to be good (Cedar View, inspected {_day(today - timedelta(days=30))})"],
    )
