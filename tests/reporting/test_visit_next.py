"""Which provider to visit next (issue 17): providers ranked by the points the weights give each reason,
each reason's part shown with the data behind it; "Plan a visit" from a row ticks the reasons that apply;
the weights changed by an administrator, with their history; the queries do not grow with the data."""

import re
from datetime import timedelta
from html import unescape

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from providers.models import Provider, RiskRating
from qa_portal.periods import FinancialYear
from qa_portal.reporting.models import VisitNextWeights
from qa_portal.roles import Role
from tests.factories import (
    ConcernFactory,
    PlacementFactory,
    ProviderFactory,
    SettingFactory,
    VisitFactory,
    YoungPersonFactory,
)
from tests.lists import table_rows
from tests.pages import form_values, text_of
from tests.reporting.test_home import figures
from visits.models import VisitReason, VisitStatus

pytestmark = pytest.mark.django_db

# Weights unlike the defaults, so that the test shows the weights, not the defaults, decide.
WEIGHTS = {
    "per_young_person": 3,
    "per_vulnerable_young_person": 5,
    "new_to_authority": 11,
    "concern_high": 7,
    "concern_medium": 3,
    "concern_low": 1,
    "concern_months": 12,
    "recent_concern_months": 3,
    "recent_concern_factor": 2,
    "high_cost": 4,
    "per_month_since_visit": 2,
    "months_since_visit_counted": 24,
    "never_visited": 25,
    "risk_high": 13,
    "risk_medium": 6,
    "per_regulation_44_issue": 9,
}


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _rated(provider, rating):
    Provider.objects.filter(pk=provider.pk).update(risk_rating=rating)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def weights():
    found = VisitNextWeights.current()
    for name, value in WEIGHTS.items():
        setattr(found, name, value)
    found.save()  # kept in the history, as the administrator's change after it is
    return found


@pytest.fixture
def register(today, weights):
    """Alder Lodge: 3 placed (one with an EHCP, one UASC under 16 in supported accommodation), a High
    concern 20 days ago, visited 5 months ago, Medium risk: 9 + 10 + 14 + 10 + 6 = 49.
    Birch Court: 1 placed, new to the authority, high cost, never visited: 3 + 11 + 4 + 25 = 43.
    Cedar House: 2 placed, visited 10 days ago, an open Regulation 44 issue, High risk: 6 + 9 + 13 = 28.
    Damson Row: no young people placed now (one left last month), never visited."""
    alder = ProviderFactory(name="Alder Lodge", provision_types=["childrens_home"])
    home = SettingFactory(provider=alder, setting_type="childrens_home")
    flat = SettingFactory(provider=alder, setting_type="supported_accommodation")
    PlacementFactory(provider=alder, setting=home, young_person=YoungPersonFactory(ehcp=True))
    fifteen = YoungPersonFactory(uasc=True, date_of_birth=today - relativedelta(years=15))
    PlacementFactory(provider=alder, setting=flat, young_person=fifteen)
    PlacementFactory(provider=alder, setting=home)
    ConcernFactory(provider=alder, severity="high", received_on=today - timedelta(days=20), source="young_person")
    alder_visited = today - relativedelta(months=5, days=3)
    VisitFactory(provider=alder, status=VisitStatus.FINALISED, visit_date=alder_visited, planned_date=alder_visited)
    birch = ProviderFactory(name="Birch Court", new_to_authority=True, high_cost=True)
    PlacementFactory(provider=birch)
    cedar = ProviderFactory(name="Cedar House")
    PlacementFactory(provider=cedar)
    PlacementFactory(provider=cedar)
    ConcernFactory(provider=cedar, source="regulation_44", severity="medium", received_on=today - timedelta(days=400))
    cedar_visited = today - timedelta(days=10)
    VisitFactory(provider=cedar, status=VisitStatus.SUBMITTED, visit_date=cedar_visited, planned_date=cedar_visited)
    damson = ProviderFactory(name="Damson Row")
    PlacementFactory(provider=damson, start_date=today - timedelta(days=90), end_date=today - timedelta(days=30))
    _rated(alder, RiskRating.MEDIUM)
    _rated(cedar, RiskRating.HIGH)
    return {"alder": alder, "birch": birch, "cedar": cedar, "damson": damson, "alder_visited": alder_visited}


CARD = re.compile(r'<section class="govuk-summary-card app-ranked".*?</section>', re.S)


def _clean(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def ranked(html: str) -> list[dict]:
    """Each provider in the list, in order: its title ("1. Alder Lodge 49 points"), its reasons as
    (reason, data, points) and the address of its "Plan a visit" link, if any."""
    found = []
    for card in CARD.findall(html):
        title = _clean(re.search(r'<h2 class="govuk-summary-card__title".*?</h2>', card, re.S).group(0))
        parts = [
            (
                _clean(re.search(r'class="app-ranked__reason">(.*?)</strong>', row, re.S).group(1)),
                _clean(re.search(r'class="app-ranked__data">(.*?)</span>', row, re.S).group(1)),
                _clean(re.search(r'app-ranked__points">(.*?)</td>', row, re.S).group(1)),
            )
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", card[card.find("<tbody") :], re.S)
        ]
        plan = re.search(r'href="([^"]+)">Plan a visit', card)
        found.append({"title": title, "parts": parts, "plan": unescape(plan.group(1)) if plan else None})
    return found


def test_the_ranking_is_the_one_the_weights_give_with_each_reasons_part_shown(client, register, qa_lead):
    client.force_login(qa_lead)
    rows = ranked(client.get(reverse("visit_next")).text)
    assert [row["title"] for row in rows] == [
        "1. Alder Lodge 49 points",
        "2. Birch Court 43 points",
        "3. Cedar House 28 points",
    ]
    assert rows[0]["parts"] == [
        ("Concerns", "1 concern received: 1 High in the last 3 months (a recent one counts 2 times)", "+14"),
        (
            "Vulnerability",
            "2 young people with an EHCP, SEND or another vulnerability "
            "(1 with an EHCP; 1 UASC; 1 under 16 in supported accommodation)",
            "+10",
        ),
        ("Time since the last QA visit", f"Last visited 5 months ago ({_day(register['alder_visited'])})", "+10"),
        ("Young people placed", "3 young people placed", "+9"),
        ("Risk rating", "Medium risk rating", "+6"),
    ]
    assert rows[1]["parts"] == [
        ("Time since the last QA visit", "Never visited", "+25"),
        ("New to the authority", "New to the authority", "+11"),
        ("High cost", "High-cost provider", "+4"),
        ("Young people placed", "1 young person placed", "+3"),
    ]
    assert rows[2]["parts"] == [
        ("Risk rating", "High risk rating", "+13"),
        ("Regulation 44", "1 open Regulation 44 issue", "+9"),
        ("Young people placed", "2 young people placed", "+6"),
    ]

    # Never visited made worth more: Birch Court (25 → 40) goes first.
    VisitNextWeights.objects.update(never_visited=40)
    rows = ranked(client.get(reverse("visit_next")).text)
    assert [row["title"] for row in rows][:2] == ["1. Birch Court 58 points", "2. Alder Lodge 49 points"]


def test_providers_with_no_young_people_placed_are_ranked_only_when_asked(client, register, qa_lead):
    client.force_login(qa_lead)
    page = client.get(reverse("visit_next"), {"include_unplaced": "1"})
    titles = [row["title"] for row in ranked(page.text)]
    assert titles[-1] == "4. Damson Row 25 points"
    assert "4 providers, highest score first" in text_of(page)


def test_providers_with_a_visit_planned_say_so_and_can_be_left_out(client, register, qa_lead, today):
    VisitFactory(provider=register["birch"], planned_date=today + timedelta(days=12))
    client.force_login(qa_lead)
    page = client.get(reverse("visit_next"))
    assert f"A visit is planned for {_day(today + timedelta(days=12))}." in text_of(page)
    left_out = client.get(reverse("visit_next"), {"without_planned": "1"})
    assert [row["title"] for row in ranked(left_out.text)] == ["1. Alder Lodge 49 points", "2. Cedar House 28 points"]


def test_planning_from_a_row_ticks_the_reasons_that_apply(client, register, senior_leader):
    client.force_login(senior_leader)
    rows = ranked(client.get(reverse("visit_next")).text)
    form = client.get(rows[0]["plan"])
    assert form.status_code == 200
    shown = form_values(form, "")
    assert shown["provider"] == [str(register["alder"].pk)]
    assert shown["reasons"] == [
        VisitReason.NUMBER_OF_YOUNG_PEOPLE,
        VisitReason.VULNERABILITY,
        VisitReason.CONCERNS,
        VisitReason.OTHER,
    ]
    assert shown["reason_other"] == [f"Not visited since {_day(register['alder_visited'])}; Medium risk rating"]

    # Birch Court: new, high cost, never visited; Cedar House: its Regulation 44 issue is a concern raised.
    birch = form_values(client.get(rows[1]["plan"]), "")
    assert birch["reasons"] == [
        VisitReason.NUMBER_OF_YOUNG_PEOPLE,
        VisitReason.NEW_PROVIDER,
        VisitReason.HIGH_COST,
        VisitReason.OTHER,
    ]
    assert birch["reason_other"] == ["Never visited"]
    cedar = form_values(client.get(rows[2]["plan"]), "")
    assert cedar["reasons"] == [VisitReason.NUMBER_OF_YOUNG_PEOPLE, VisitReason.CONCERNS, VisitReason.OTHER]
    assert cedar["reason_other"] == ["High risk rating"]


def test_a_long_other_reason_in_the_address_is_cut_to_what_the_form_takes(client, register, senior_leader):
    client.force_login(senior_leader)
    url = reverse("visits:visit_plan")
    shown = form_values(client.get(url, {"reasons": "other", "reason_other": "x" * 400}), "")
    assert shown["reason_other"] == ["x" * 300]
    # Without "Other" ticked, the words are not put anywhere.
    assert form_values(client.get(url, {"reasons": "number", "reason_other": "Never visited"}), "")["reason_other"] == [
        ""
    ]


def _provider_with_everything(n: int, today):
    provider = ProviderFactory(name=f"Provider to rank {n}", high_cost=n % 2 == 0)
    PlacementFactory(provider=provider, young_person=YoungPersonFactory(send=True), high_cost=True)
    ConcernFactory(provider=provider, severity="low", received_on=today - timedelta(days=n))
    ConcernFactory(provider=provider, source="regulation_44")
    VisitFactory(provider=provider, status=VisitStatus.SUBMITTED, visit_date=today - timedelta(days=40 * n))
    VisitFactory(provider=provider, planned_date=today + timedelta(days=n))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["visit_next", "visit_programme"])
def test_the_queries_do_not_grow_with_the_providers(client, qa_lead, today, url_name):
    client.force_login(qa_lead)
    for n in range(2):
        _provider_with_everything(n, today)
    url = reverse(url_name)
    client.get(url)  # the weights and the session, made once
    few = _queries(client, url)
    for n in range(2, 12):
        _provider_with_everything(n, today)
    assert _queries(client, url) == few


def test_the_programme_shows_the_years_visits_against_the_target_and_those_never_visited(
    client, register, qa_lead, today, settings
):
    settings.VISITS_TARGET_PER_YEAR = 6
    VisitFactory(provider=register["birch"], planned_date=today, lead_visitor=qa_lead)
    client.force_login(qa_lead)
    page = client.get(reverse("visit_programme"))
    year = FinancialYear.containing(today)
    # Alder Lodge's and Cedar House's visits, each if it fell in this financial year.
    held = sum(day in year for day in (register["alder_visited"], today - timedelta(days=10)))
    assert figures(page.text) == {f"Visits in {year.label}": f"{held} of 6"}
    planned = table_rows(page.text)
    assert len(planned) == 1 and planned[0][0].startswith(_day(today))
    assert planned[0][1:] == ["Birch Court", qa_lead.full_name]
    assert f"Still to plan to meet the target {6 - held - 1} visits" in text_of(page)
    never = page.text[page.text.index('id="never-visited"') :]
    assert "1 provider with young people placed now and no QA visit yet" in _clean(never)
    assert table_rows(never) == [
        ["Birch Court Score 43 Plan a visit to Birch Court", "1", _day(today)],
    ]


def test_who_may_see_the_ranking_and_the_programme(client, register, manager, social_worker, provider_user):
    client.force_login(manager)
    assert client.get(reverse("visit_next")).status_code == 403
    programme = client.get(reverse("visit_programme"))
    assert programme.status_code == 200
    assert "Plan a visit" not in programme.text  # managers do not plan visits
    for person in (social_worker, provider_user):
        client.force_login(person)
        assert client.get(reverse("visit_next")).status_code == 403
        assert client.get(reverse("visit_programme")).status_code == 403


def _weights_form(**changes) -> dict:
    return {**WEIGHTS, **changes}


def test_an_administrator_changes_the_weights_and_the_change_is_kept(client, register, administrator, qa_lead, weights):
    client.force_login(administrator)
    change_url = reverse("admin:reporting_visitnextweights_change", args=[weights.pk])
    assert client.get(reverse("admin:reporting_visitnextweights_changelist")).url == change_url
    response = client.post(change_url, _weights_form(never_visited=40))
    assert response.status_code == 302
    history = text_of(client.get(reverse("admin:reporting_visitnextweights_history", args=[weights.pk])))
    assert "Points for a provider never visited: 25 to 40" in history
    client.force_login(qa_lead)
    page = client.get(reverse("visit_next"))
    assert ranked(page.text)[0]["title"] == "1. Birch Court 58 points"
    changes = text_of(page)[text_of(page).index("Changes to the points") :]
    assert administrator.full_name in changes
    assert "Points for a provider never visited: 25 → 40" in changes


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"recent_concern_months": 13}, "A recent concern must fall within the 12 months that count"),
        ({"never_visited": 101}, "Give a number of points from 0 to 100"),
        ({"concern_months": 0}, "Give a number of months from 1 to 60"),
        ({"recent_concern_factor": 0}, "Give a number from 1 to 10"),
        (dict.fromkeys(VisitNextWeights.POINTS, 0), "Give at least one reason some points"),
    ],
)
def test_weights_that_cannot_work_are_refused_beside_the_field(client, administrator, weights, changes, message):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:reporting_visitnextweights_change", args=[weights.pk]), _weights_form(**changes)
    )
    assert response.status_code == 200
    assert message in unescape(response.text)
    weights.refresh_from_db()
    assert {name: getattr(weights, name) for name in WEIGHTS} == WEIGHTS


@pytest.mark.parametrize("user_with_role", [Role.QA_LEAD, Role.SENIOR_LEADER], indirect=True)
def test_others_cannot_change_the_weights(client, user_with_role, weights):
    client.force_login(user_with_role)
    change_url = reverse("admin:reporting_visitnextweights_change", args=[weights.pk])
    client.post(change_url, _weights_form(never_visited=99))
    weights.refresh_from_db()
    assert weights.never_visited == 25
