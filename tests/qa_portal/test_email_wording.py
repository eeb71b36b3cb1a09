"""Emails read well (issue 11): the text part shows names as typed, not HTML entities; "an annual
review meeting"; "due today" and "due tomorrow" rather than "due in 0 days"; nouns agree with their
numbers. Sent through the real SMTP server by the real workflows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qa_portal import delivery, wording
from qa_portal.models import Notification
from qa_portal.reporting.reminders import send_reminders
from reviews.models import ReviewMeeting
from reviews.scheduling import schedule_reviews
from tests.factories import PlacementFactory, ProviderFactory

pytestmark = pytest.mark.django_db

NAME = "St Mary's Children's Homes & Lodgings <North>"


def send_all(smtp_server) -> list:
    pending = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    for pk in pending:
        assert delivery.deliver(pk) == "sent"
    return smtp_server.wait_for(len(pending))


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("annual review meeting", "an annual review meeting"),
        ("half-yearly review meeting", "a half-yearly review meeting"),
        ("quarterly review meeting", "a quarterly review meeting"),
        ("outstanding home", "an outstanding home"),
        ("unit", "a unit"),
        ("hour", "an hour"),
        ("", ""),
    ],
)
def test_a_phrase_takes_the_article_it_is_said_with(phrase, expected):
    assert wording.with_article(phrase) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, "today"), (1, "tomorrow"), (2, "in 2 days"), (14, "in 14 days"), (-1, "yesterday"), (-3, "3 days ago")],
)
def test_a_due_date_reads_as_people_say_it(days, expected):
    assert wording.due_in(days) == expected


def test_nouns_agree_with_their_numbers():
    assert wording.count_of(1, "visit") == "1 visit"
    assert wording.count_of(0, "visit") == "0 visits"
    assert wording.count_of(3, "child", "children") == "3 children"


def test_the_scheduling_email_names_the_provider_as_typed_and_says_an_annual_meeting(
    commissioning_officer, smtp_server
):
    provider = ProviderFactory(name=NAME)
    PlacementFactory(provider=provider)  # one child: an annual review
    schedule_reviews()
    [message] = send_all(smtp_server)
    text = message.get_body(("plain",)).get_content()
    assert f"An annual review meeting with {NAME} is due by" in text
    assert "(1 active placement)" in text
    assert "&#x27;" not in text and "&amp;" not in text and "&lt;" not in text
    # The HTML part escapes the same name, as HTML must.
    html = message.get_body(("html",)).get_content()
    assert (
        "An annual review meeting with <strong>St Mary&#x27;s Children&#x27;s Homes &amp; Lodgings &lt;North&gt;"
        in html
    )
    assert message["Subject"].startswith(f"Review meeting with {NAME} due ")


@pytest.mark.parametrize(("days", "said"), [(2, "in 2 days"), (14, "in 14 days")])
def test_the_meeting_reminder_says_when_it_is_due_in_words(commissioning_officer, smtp_server, days, said):
    provider = ProviderFactory(name=NAME, commissioning_officer=commissioning_officer)
    today = timezone.localdate()
    ReviewMeeting.objects.create(
        provider=provider, cadence="annual", placement_volume=1, due_date=today + timedelta(days=days)
    )
    send_reminders(today=today)
    [message] = send_all(smtp_server)
    assert message["Subject"] == f"Review meeting with {NAME} due {said}, not booked yet"
    text = message.get_body(("plain",)).get_content()
    assert f"The annual review meeting with {NAME} is due by" in text
    assert f", {said}." in text
    assert "&#x27;" not in text


def test_a_reminder_on_the_day_says_today(commissioning_officer, smtp_server):
    provider = ProviderFactory(name=NAME, commissioning_officer=commissioning_officer)
    today = timezone.localdate()
    ReviewMeeting.objects.create(provider=provider, cadence="annual", placement_volume=1, due_date=today)
    send_reminders(today=today)
    messages = send_all(smtp_server)
    assert [m["Subject"] for m in messages] == [f"Review meeting with {NAME} due today, not booked yet"]
    assert ", today." in messages[0].get_body(("plain",)).get_content()
