"""Each role's home page starts with what that person has to do next, most urgent first, each a link to
the page where it is done (issue 14). For each role, records are made so that the list is known;
each link is then followed as that person, and answers. The page's queries do not grow with the data."""

import re
from datetime import datetime, time, timedelta
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from providers.models import ProviderStatus
from qa_portal.models import Notification
from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import services as committee
from qa_portal.roles import Role
from reviews.models import ReviewMeeting
from tests.factories import (
    ConcernFactory,
    InspectionFactory,
    PlacementFactory,
    ProviderFactory,
    RecommendationFactory,
    SettingFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)
from visits.models import VisitEvent, VisitTemplate
from visits.selectors import section_progress, visit_with_report_data

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def today():
    return timezone.localdate()


def days(n: int):
    return today() + timedelta(days=n)


def day(n: int) -> str:
    return f"{days(n):%-d %B %Y}"


def to_do(html: str) -> list[tuple[str, str, str]]:
    """The page's "What to do next", in order, as (what, its status, its link)."""
    items = re.findall(r'<li class="govuk-task-list__item[^"]*">(.*?)</li>', html, re.S)
    found = []
    for item in items:
        link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', item, re.S)
        status = re.search(r'class="govuk-task-list__status"[^>]*>(.*?)</div>', item, re.S).group(1)
        found.append(
            (
                unescape(" ".join(link.group(2).split())),
                unescape(" ".join(re.sub(r"<[^>]+>", " ", status).split())),
                unescape(link.group(1)),
            )
        )
    return found


def home_to_do(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return to_do(response.text)


def assert_each_link_answers(client, user, items):
    client.force_login(user)
    for text, _, link in items:
        assert client.get(link).status_code == 200, (text, link)


def step(visit, name: str, days_ago: int, by):
    VisitEvent.objects.create(
        visit=visit,
        step=name,
        by=by,
        at=timezone.make_aware(datetime.combine(days(-days_ago), time(11))),
    )


def open_meeting(provider, due, **booking):
    return ReviewMeeting.objects.create(
        provider=provider, cadence="quarterly", placement_volume=4, due_date=due, **booking
    )


def at(n: int, hour: int = 10):
    return timezone.make_aware(datetime.combine(days(n), time(hour)))


# Senior leader


def test_a_senior_leader_sees_their_write_ups_visits_coming_up_and_recommendations(client, senior_leader):
    tamar = ProviderFactory(name="Tamar Reach Residential")
    oak = ProviderFactory(name="Oakhurst Homes")
    draft = VisitFactory(provider=tamar, lead_visitor=senior_leader, planned_date=days(-12), visit_date=days(-12))
    upcoming = VisitFactory(provider=oak, lead_visitor=senior_leader, planned_date=days(5))
    late = RecommendationFactory(owner=senior_leader, due_date=days(-5), text="Fix the fire door.")
    soon = RecommendationFactory(owner=senior_leader, due_date=days(3), text="Agree a bedtime routine.")
    # Not theirs, or not yet near: not listed.
    VisitFactory(provider=oak, planned_date=days(-12), visit_date=days(-12))
    RecommendationFactory(due_date=days(-5))
    RecommendationFactory(owner=senior_leader, due_date=days(90))
    sections = section_progress(visit_with_report_data(type(draft).objects.filter(pk=draft.pk)).get())
    left = sum(1 for progress in sections.values() if progress != "completed")

    items = home_to_do(client, senior_leader)
    assert [(text, status) for text, status, _ in items] == [
        (f"Recommendation {late.pk} for {late.provider.name}: Fix the fire door.", f"Overdue Due {day(-5)}"),
        (
            f"Finish your write-up of the visit to Tamar Reach Residential: {left} sections left",
            f"Overdue Due {day(-2)}",
        ),
        (f"Recommendation {soon.pk} for {soon.provider.name}: Agree a bedtime routine.", f"Due {day(3)}"),
        ("Your visit to Oakhurst Homes", f"On {day(5)}"),
    ]
    assert [link for *_, link in items] == [
        reverse("reviews:recommendation_detail", args=[late.pk]),
        draft.get_absolute_url(),
        reverse("reviews:recommendation_detail", args=[soon.pk]),
        upcoming.get_absolute_url(),
    ]
    assert_each_link_answers(client, senior_leader, items)


def test_those_who_may_plan_a_visit_have_the_button_and_others_do_not(client, senior_leader, qa_lead, manager):
    for user, shown in ((senior_leader, True), (qa_lead, True), (manager, False)):
        client.force_login(user)
        html = client.get(HOME).text
        assert (f'href="{reverse("visits:visit_plan")}"' in html and ">Plan a visit</a>" in html) == shown, user


# QA lead


def test_the_qa_lead_sees_reports_to_share_and_finalise_responses_to_chase_and_decisions_due(
    client, qa_lead, senior_leader
):
    year = FinancialYear.last_full(today())
    submitted = VisitFactory(provider=ProviderFactory(name="Kestrel Fostering"), status="submitted")
    step(submitted, "submitted", 3, senior_leader)
    responded = VisitFactory(provider=ProviderFactory(name="Linden School"), status="responded")
    step(responded, "responded", 1, senior_leader)
    late = VisitFactory(provider=ProviderFactory(name="Marsh Homes"), status="shared", response_due=days(-2))
    final = VisitFactory(provider=ProviderFactory(name="Nettle House"), status="finalised")
    step(final, "finalised", 20, qa_lead)
    step(final, "case_recorded", 19, qa_lead)
    fellside = ProviderFactory(name="Fellside Care", current_judgement=4)
    InspectionFactory(
        setting=SettingFactory(provider=fellside, name="Fell House"), inspection_date=days(-40), judgement=4
    )
    concern = ConcernFactory(provider=fellside, severity="high", received_on=days(-30), source="other_authority")
    RecommendationFactory(due_date=days(-10))
    # Done, or someone else's to do: not listed.
    VisitFactory(provider=late.provider, status="shared", response_due=days(4))
    ProviderFactory(name="Stopped", current_judgement=4, status=ProviderStatus.PLACEMENT_STOP)
    ConcernFactory(provider=fellside, severity="high", status="closed", outcome="Resolved")

    items = home_to_do(client, qa_lead)
    assert [(text, status) for text, status, _ in items] == [
        ("Chase the 1 overdue recommendation at the monthly tracking meeting", f"Overdue Oldest due {day(-10)}"),
        ("Chase Marsh Homes for their response to the visit report", f"Overdue Due {day(-2)}"),
        (f"Start the {year.label} committee report", f"Year ended {year.end:%-d %B %Y}"),
        (
            "Decide on an action plan, and whether to stop placements, at Fellside Care: Inadequate at Fell House",
            f"Inspected {day(-40)}",
        ),
        ("Act on the High concern about Fellside Care (another local authority)", f"Received {day(-30)}"),
        ("The report of the visit to Nettle House is final: share it with commissioning", f"Finalised {day(-20)}"),
        ("Check and share the report of the visit to Kestrel Fostering with the provider", f"Submitted {day(-3)}"),
        ("Finalise the report of the visit to Linden School: the provider has responded", f"Responded {day(-1)}"),
    ]
    assert [link for *_, link in items] == [
        reverse("reviews:tracker") + "?overdue=1",
        late.get_absolute_url(),
        reverse("committee:report_create"),
        fellside.get_absolute_url(),
        reverse("providers:concern_edit", args=[concern.pk]),
        final.get_absolute_url(),
        submitted.get_absolute_url(),
        responded.get_absolute_url(),
    ]
    assert_each_link_answers(client, qa_lead, items)


def test_once_the_report_is_started_the_pack_is_to_make_and_once_made_it_is_gone(client, manager):
    year = FinancialYear.last_full(today())
    report = committee.committee_report_create(by=manager, title="", period_start=year.start, period_end=year.end)
    items = home_to_do(client, manager)
    assert (f"Make the {year.label} committee pack", reverse("committee:report_detail", args=[report.pk])) in [
        (text, link) for text, _, link in items
    ]
    assert_each_link_answers(client, manager, items)
    report.versions.create(
        number=1, created_by=manager, period_start=year.start, period_end=year.end, status="done", pdf=b"%PDF"
    )
    assert not [text for text, *_ in home_to_do(client, manager) if "committee" in text]


# Commissioning officer


def test_a_commissioning_officer_sees_meetings_to_book_prepare_and_record_and_reports_to_read(
    client, commissioning_officer, qa_lead
):
    def theirs(name):
        return ProviderFactory(name=name, commissioning_officer=commissioning_officer)

    overdue = open_meeting(theirs("Ash Homes"), days(-3))
    soon = open_meeting(theirs("Birch Lodge"), days(10))
    held = open_meeting(theirs("Cedar House"), days(-1), starts_at=at(-1), ends_at=at(-1, 11), place="Room 1")
    coming = open_meeting(theirs("Damson School"), days(3), starts_at=at(3, 14), ends_at=at(3, 15), place="Room 2")
    # Read before Birch Lodge's meeting: shared with commissioning since its last review.
    visit = VisitFactory(provider=soon.provider, status="finalised")
    step(visit, "commissioning", 6, qa_lead)
    ConcernFactory(provider=soon.provider, severity="high", received_on=days(-8))
    # Another officer's provider, and a meeting not yet near: not listed.
    open_meeting(
        ProviderFactory(name="Elm", commissioning_officer=UserFactory(role=Role.COMMISSIONING_OFFICER)), days(-3)
    )
    open_meeting(theirs("Fern"), days(90))

    items = home_to_do(client, commissioning_officer)
    assert [(text, status) for text, status, _ in items] == [
        ("Book the review meeting with Ash Homes", f"Overdue Due {day(-3)}"),
        ("Act on the High concern about Birch Lodge (social worker)", f"Received {day(-8)}"),
        (
            "Read the report of the visit to Birch Lodge before the next review meeting",
            f"Shared with commissioning {day(-6)}",
        ),
        ("Record the review meeting with Cedar House", f"Booked for {day(-1)}"),
        ("Prepare for the review meeting with Damson School at 14:00", f"On {day(3)}"),
        ("Book the review meeting with Birch Lodge", f"Due {day(10)}"),
    ]
    assert [link for *_, link in items] == [
        reverse("reviews:meeting_book", args=[overdue.pk]),
        items[1][2],
        visit.get_absolute_url(),
        reverse("reviews:meeting_record", args=[held.pk]),
        reverse("reviews:meeting_prepare", args=[coming.pk]),
        reverse("reviews:meeting_book", args=[soon.pk]),
    ]
    assert_each_link_answers(client, commissioning_officer, items)


# Social worker


def test_a_social_worker_sees_decisions_due_for_their_children_and_their_actions(client, social_worker):
    fellside = ProviderFactory(name="Fellside Care", current_judgement=4)
    jb = YoungPersonFactory(initials="JB", social_worker=social_worker)
    PlacementFactory(young_person=jb, provider=fellside, start_date=days(-100))
    km = YoungPersonFactory(initials="KM", social_worker=social_worker)
    PlacementFactory(young_person=km, provider=ProviderFactory(name="Good Homes", current_judgement=2))
    action = RecommendationFactory(
        level="child", young_person=km, action_holder="social_worker", due_date=days(5), text="Ask KM about school."
    )
    # Someone else's child at Fellside: not theirs to decide.
    PlacementFactory(young_person=YoungPersonFactory(social_worker=UserFactory()), provider=fellside)

    items = home_to_do(client, social_worker)
    assert [(text, status) for text, status, _ in items] == [
        ("Decide whether JB stays at Fellside Care (judged Inadequate by Ofsted)", "Decision due"),
        (f"Recommendation {action.pk} for {action.provider.name}: Ask KM about school.", f"Due {day(5)}"),
    ]
    assert items[0][2] == jb.get_absolute_url()
    assert_each_link_answers(client, social_worker, items)


def test_after_an_inadequate_judgement_a_social_worker_has_one_to_do_per_child(
    client, social_worker, commissioning_officer, qa_lead
):
    """The response's decision, not also the register's older "decide whether they stay", before the
    decision is recorded and after it."""
    from providers.models import OfstedInspection
    from providers.services import inspection_record
    from reviews import responses

    home = SettingFactory(name="Oak House", provider=ProviderFactory(name="Fellside Care"))
    jb = YoungPersonFactory(initials="JB", social_worker=social_worker)
    PlacementFactory(young_person=jb, provider=home.provider, setting=home, start_date=days(-100))
    inspection_record(
        inspection=OfstedInspection(provider=home.provider, setting=home, inspection_date=days(-1), judgement=4),
        by=commissioning_officer,
    )
    decision = jb.safe_to_remain_decisions.get()

    items = home_to_do(client, social_worker)
    assert [text for text, _, _ in items] == ["Decide whether JB is safe to remain at Oak House, Fellside Care"]
    assert items[0][2] == decision.get_absolute_url()

    responses.safe_to_remain_record(
        decision=decision, by=social_worker, loaded_at=decision.updated_at, answer="remain", safeguards="Daily visits"
    )
    assert not [text for text, _, _ in home_to_do(client, social_worker) if "JB" in text]


# Provider user


def test_a_provider_user_sees_reports_to_respond_to_and_recommendations_to_answer(
    client, provider_user, provider, other_provider
):
    visit = VisitFactory(provider=provider, status="shared", visit_date=days(-10), response_due=days(4))
    answer = RecommendationFactory(visit=visit, due_date=days(20), text="Agree an activities plan.")
    update = RecommendationFactory(
        visit=visit, due_date=days(-1), text="Fix the garden fence.", provider_action="A new fence",
        provider_responded_at=timezone.now(),
    )  # fmt: skip
    # Another organisation's, and one from a report not shared with them: not listed.
    RecommendationFactory(visit=VisitFactory(provider=other_provider, status="shared"), due_date=days(2))
    RecommendationFactory(visit=VisitFactory(provider=provider, status="draft"), due_date=days(2))

    items = home_to_do(client, provider_user)
    assert [(text, status) for text, status, _ in items] == [
        (f"Update your action on recommendation {update.pk}: Fix the garden fence.", f"Overdue Due {day(-1)}"),
        (f"Read the report of our visit on {day(-10)} and respond", f"Due {day(4)}"),
        (f"Say what you will do about recommendation {answer.pk}: Agree an activities plan.", f"Due {day(20)}"),
    ]
    assert [link for *_, link in items] == [
        reverse("reviews:provider_recommendation_update", args=[update.pk]),
        visit.get_absolute_url(),
        reverse("reviews:provider_recommendation_update", args=[answer.pk]),
    ]
    assert_each_link_answers(client, provider_user, items)


# Administrator


def test_an_administrator_sees_accounts_emails_and_the_visit_template_to_see_to(client, administrator):
    AccessAttempt.objects.create(
        username="locked@example.org", ip_address="127.0.0.1", user_agent="", get_data="", post_data="",
        http_accept="", path_info="/sign-in/", failures_since_start=5,
    )  # fmt: skip
    newcomer = UserFactory(full_name="Nia Newcomer")
    Notification.objects.create(
        email="x@example.org", kind="test", key="1", subject="A reminder", body="Body", status="failed"
    )
    draft = VisitTemplate.objects.create(version=99, status="draft")

    items = home_to_do(client, administrator)
    texts = [text for text, *_ in items]
    # All of today: in the order of their words.
    assert texts == [
        "Check the account locked out after failed sign-ins: locked@example.org",
        "Finish and publish version 99 of the visit template",
        "Give Nia Newcomer a role",
        "Send again the 1 email that could not be sent",
    ]
    links = {text: link for text, _, link in items}
    assert links["Give Nia Newcomer a role"] == reverse("admin:qa_portal_user_change", args=[newcomer.pk])
    assert links["Finish and publish version 99 of the visit template"] == reverse(
        "visits:template_version", args=[draft.pk]
    )
    assert_each_link_answers(client, administrator, items)


def test_nothing_to_do_says_so(client, manager):
    client.force_login(manager)
    year = FinancialYear.last_full(today())
    report = committee.committee_report_create(by=manager, title="", period_start=year.start, period_end=year.end)
    report.versions.create(
        number=1, created_by=manager, period_start=year.start, period_end=year.end, status="done", pdf=b"%PDF"
    )
    assert "Nothing to do at the moment." in client.get(HOME).text


# The figures' financial year


def test_visits_this_financial_year_opens_the_visits_of_that_financial_year(client, qa_lead, provider):
    year = FinancialYear.containing(today())
    this_year = VisitFactory(provider=provider, status="submitted", planned_date=year.start, visit_date=year.start)
    # The same calendar year, but the financial year before: not counted, not listed.
    VisitFactory(
        provider=provider,
        status="submitted",
        planned_date=year.start - timedelta(days=1),
        visit_date=year.start - timedelta(days=1),
    )
    client.force_login(qa_lead)
    html = client.get(HOME).text
    link = unescape(
        re.search(rf'href="([^"]+)">1 of \d+<span class="govuk-visually-hidden">: Visits in {year.label}', html).group(
            1
        )
    )
    assert list(client.get(link).context["page"]) == [this_year]


# Bounded queries


def _home_queries(client, user) -> int:
    client.force_login(user)
    client.get(HOME)  # warm: the session, the roles
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SENIOR_LEADER, Role.PROVIDER_USER])
def test_the_home_pages_queries_do_not_grow_with_the_data(client, role, provider, qa_lead, commissioning_officer):
    user = UserFactory(role=role, provider=provider if role == Role.PROVIDER_USER else None)

    def add(n):
        for _ in range(n):
            other = ProviderFactory(
                commissioning_officer=commissioning_officer if role == Role.COMMISSIONING_OFFICER else None
            )
            VisitFactory(
                provider=other,
                lead_visitor=qa_lead if user.is_provider_user else user,
                planned_date=days(-15),
                visit_date=days(-15),
            )
            VisitFactory(provider=other, lead_visitor=qa_lead, status="submitted")
            VisitFactory(provider=other, lead_visitor=qa_lead, status="responded")
            shared = VisitFactory(provider=provider, status="shared", response_due=days(-1))
            RecommendationFactory(visit=shared, owner=qa_lead if user.is_provider_user else user, due_date=days(-2))
            ConcernFactory(provider=other, severity="high")
            open_meeting(other, days(5))
            InspectionFactory(setting=SettingFactory(provider=other), judgement=4)
            other.current_judgement = 4
            other.save()

    add(1)
    few = _home_queries(client, user)
    add(4)
    assert _home_queries(client, user) == few


def test_each_kind_of_meeting_to_do_lists_its_first_eight_in_its_own_order(client, commissioning_officer):
    def theirs(n):
        return ProviderFactory(name=f"Provider {n:02d}", commissioning_officer=commissioning_officer)

    # Ten to book, due from 10 days ago (the most overdue first); ten to record, booked from 10 days ago.
    for n in range(10):
        open_meeting(theirs(n), days(-10 + n))
        open_meeting(theirs(20 + n), days(-20), starts_at=at(-10 + n), ends_at=at(-10 + n, 11), place="Room 1")
    texts = [text for text, _, _ in home_to_do(client, commissioning_officer)]
    assert [t for t in texts if t.startswith("Book")] == [
        f"Book the review meeting with Provider {n:02d}" for n in range(8)
    ]
    assert [t for t in texts if t.startswith("Record")] == [
        f"Record the review meeting with Provider {20 + n:02d}" for n in range(8)
    ]


def test_each_kind_of_visit_report_to_do_lists_its_first_eight_in_its_own_order(client, qa_lead, senior_leader):
    # Ten of each, made in the opposite order to the one listed: to share by the day submitted, to
    # finalise by the day the provider responded (the longest waiting first), responses to chase by
    # the day they were due (the longest overdue first).
    for n in range(10):
        submitted = VisitFactory(provider=ProviderFactory(name=f"Submitted {n:02d}"), status="submitted")
        step(submitted, "submitted", 20 - n, senior_leader)
        responded = VisitFactory(provider=ProviderFactory(name=f"Responded {n:02d}"), status="responded")
        step(responded, "responded", 20 - n, senior_leader)
        VisitFactory(provider=ProviderFactory(name=f"Late {n:02d}"), status="shared", response_due=days(-20 + n))
    texts = [text for text, _, _ in home_to_do(client, qa_lead)]
    assert [t for t in texts if t.startswith("Check and share")] == [
        f"Check and share the report of the visit to Submitted {n:02d} with the provider" for n in range(8)
    ]
    assert [t for t in texts if t.startswith("Finalise")] == [
        f"Finalise the report of the visit to Responded {n:02d}: the provider has responded" for n in range(8)
    ]
    assert [t for t in texts if t.startswith("Chase Late")] == [
        f"Chase Late {n:02d} for their response to the visit report" for n in range(8)
    ]
