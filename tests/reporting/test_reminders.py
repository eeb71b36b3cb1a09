"""Daily reminders: the right people, the right things, each once."""

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from providers.services import refresh_judgements
from qa_portal.models import Notification
from qa_portal.reporting.reminders import send_reminders
from reviews.models import ReviewMeeting
from tests.factories import InspectionFactory, RecommendationFactory, SettingFactory, VisitFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def kinds():
    return sorted(Notification.objects.values_list("kind", "email"))


def test_one_digest_per_owner_with_what_is_due_soon_and_overdue(senior_leader, qa_lead):
    RecommendationFactory(owner=senior_leader, due_date=TODAY - timedelta(days=3), text="Overdue one")
    RecommendationFactory(owner=senior_leader, due_date=TODAY + timedelta(days=5), text="Due soon one")
    RecommendationFactory(owner=senior_leader, due_date=TODAY + timedelta(days=30), text="Not yet")
    RecommendationFactory(
        owner=senior_leader, due_date=TODAY - timedelta(days=3), status="completed", impact_statement="x"
    )
    send_reminders()
    [digest] = Notification.objects.filter(kind="recommendations_digest")
    assert digest.email == senior_leader.email
    assert digest.subject == "Recommendations: 1 overdue, 1 due within 7 days"
    assert "Overdue one" in digest.body and "Due soon one" in digest.body and "Not yet" not in digest.body


def test_a_digest_never_repeats_an_item_but_tells_of_new_ones(senior_leader):
    RecommendationFactory(owner=senior_leader, due_date=TODAY + timedelta(days=2), text="First")
    send_reminders()
    send_reminders(today=TODAY + timedelta(days=1))
    assert Notification.objects.filter(kind="recommendations_digest").count() == 1
    # The same recommendation becoming overdue is news; so is a new one.
    RecommendationFactory(owner=senior_leader, due_date=TODAY + timedelta(days=6), text="Second")
    send_reminders(today=TODAY + timedelta(days=3))
    latest = Notification.objects.filter(kind="recommendations_digest").order_by("-pk").first()
    assert "Second" in latest.body and "First" in latest.body
    assert latest.subject == "Recommendations: 1 overdue, 1 due within 7 days"


def test_a_late_provider_response_reminds_the_provider_and_the_lead_visitor(provider_user, senior_leader, provider):
    visit = VisitFactory(
        provider=provider, lead_visitor=senior_leader, status="shared", response_due=TODAY - timedelta(days=1)
    )
    provider.contacts.create(name="Bernie", email="bernie@provider.example.org")
    send_reminders()
    assert kinds() == sorted(
        [
            ("response_overdue", "bernie@provider.example.org"),
            ("response_overdue", provider_user.email),
            ("response_overdue", senior_leader.email),
        ]
    )
    assert Notification.objects.filter(object_id=visit.pk).count() == 3


def test_a_draft_ten_days_after_the_visit_reminds_the_visitor(senior_leader, provider):
    VisitFactory(provider=provider, lead_visitor=senior_leader, visit_date=TODAY - timedelta(days=10))
    VisitFactory(provider=provider, lead_visitor=senior_leader, visit_date=TODAY - timedelta(days=9))
    send_reminders()
    assert kinds() == [("visit_draft", senior_leader.email)]


def test_review_meetings_are_reminded_at_14_and_at_2_days(commissioning_officer, provider):
    ReviewMeeting.objects.create(
        provider=provider, cadence="annual", placement_volume=1, due_date=TODAY + timedelta(days=14)
    )
    send_reminders()
    send_reminders(today=TODAY + timedelta(days=1))
    assert Notification.objects.filter(kind="review_coming_up").count() == 1
    send_reminders(today=TODAY + timedelta(days=12))
    reminders = Notification.objects.filter(kind="review_coming_up").order_by("pk")
    assert [r.subject for r in reminders] == [
        "Review meeting with Harbour Lights Fostering due in 14 days, not booked yet",
        "Review meeting with Harbour Lights Fostering due in 2 days, not booked yet",
    ]
    # A due date is not a meeting: the invite goes to everyone invited once it is booked.
    assert all(r.calendar == "" for r in reminders)


def test_a_booked_meeting_is_reminded_by_the_day_it_is_booked_for(commissioning_officer, provider):
    day = TODAY + timedelta(days=14)
    starts = timezone.make_aware(datetime.combine(day, time(10)))
    ReviewMeeting.objects.create(
        provider=provider,
        cadence="annual",
        placement_volume=1,
        due_date=TODAY + timedelta(days=40),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Harbour House",
    )
    send_reminders()
    [reminder] = Notification.objects.filter(kind="review_coming_up")
    assert reminder.subject == (
        f"Review meeting with Harbour Lights Fostering in 14 days: {day:%A %-d %B %Y}, 10:00 to 11:00"
    )
    assert "at Harbour House" in reminder.body


def test_an_inadequate_judgement_or_a_no_visit_flags_the_provider_to_the_qa_lead(qa_lead, provider, other_provider):
    InspectionFactory(setting=SettingFactory(provider=provider), judgement=4)
    refresh_judgements(provider)
    VisitFactory(provider=other_provider, status="finalised", overall_judgement="no")
    send_reminders()
    subjects = sorted(Notification.objects.filter(kind="provider_flagged").values_list("subject", flat=True))
    assert subjects == [
        "Inadequate Ofsted judgement: Harbour Lights Fostering",
        "Not good enough for our own child: Northgate Homes",
    ]


def test_running_twice_sends_nothing_twice(qa_lead, senior_leader, provider_user, provider, commissioning_officer):
    RecommendationFactory(owner=senior_leader, due_date=TODAY - timedelta(days=1))
    VisitFactory(provider=provider, status="shared", response_due=TODAY - timedelta(days=1))
    ReviewMeeting.objects.create(
        provider=provider, cadence="annual", placement_volume=1, due_date=TODAY + timedelta(days=2)
    )
    send_reminders()
    count = Notification.objects.count()
    assert count >= 4
    send_reminders()
    assert Notification.objects.count() == count


def test_the_command_dry_run_lists_and_sends_nothing(senior_leader, capsys):
    RecommendationFactory(owner=senior_leader, due_date=TODAY - timedelta(days=1))
    call_command("send_reminders", "--dry-run")
    assert f"Would send to {senior_leader.email}: Recommendations: 1 overdue" in capsys.readouterr().out
    assert not Notification.objects.exists()
    call_command("send_reminders")
    assert Notification.objects.count() == 1
