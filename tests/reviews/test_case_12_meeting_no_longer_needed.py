"""Case 12 (../shared/cases/12-ics-no-cancel-when-review-no-longer-needed.md): the last child leaves a
provider, so its review meeting is no longer needed. Review scheduling closes it: everyone invited is
sent METHOD:CANCEL through SMTP, no reminder follows, and it leaves the lists."""

from datetime import date, datetime, time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from providers.models import Placement
from qa_portal.models import Notification
from qa_portal.reporting.reminders import send_reminders
from reviews.calendar import meeting_uid
from reviews.models import ReviewMeeting
from reviews.scheduling import schedule_reviews
from tests.factories import PlacementFactory, ProviderFactory, SettingFactory, YoungPersonFactory
from tests.mail import deliver_all
from tests.pages import text_of
from tests.reviews.invitations import attendees, book, invite_of

pytestmark = pytest.mark.django_db

PLACEMENTS = Path(__file__).parent / "data" / "12-placements-last-child-leaves-provider.csv"
TODAY = date(2026, 11, 30)  # the day the case was replayed
MEETING_DAY = date(2027, 7, 1)


@pytest.fixture
def tamar_reach(commissioning_officer):
    """Tamar Reach Residential as in the demo: one young person placed (LJ), its two contacts, its
    last review held on Friday 3 July 2026, so its annual review falls due on Saturday 3 July 2027."""
    provider = ProviderFactory(name="Tamar Reach Residential", commissioning_officer=commissioning_officer)
    setting = SettingFactory(provider=provider, name="Tamar Reach", urn="SC641275")
    provider.contacts.create(name="Kerensa Trethewey", role="Registered Manager", email="kerensa.trethewey@example.com")
    provider.contacts.create(name="Owen Lillicrap", role="Clinical Lead", email="owen.lillicrap@example.com")
    lj = YoungPersonFactory(initials="LJ", case_record_id="1467573", date_of_birth=date(2011, 2, 25))
    PlacementFactory(young_person=lj, provider=provider, setting=setting, start_date=date(2024, 6, 3))
    ReviewMeeting.objects.create(
        provider=provider,
        cadence="annual",
        placement_volume=1,
        due_date=date(2026, 7, 3),
        status="held",
        held_at=timezone.make_aware(datetime.combine(date(2026, 7, 3), time(10))),
    )
    return provider


def test_the_meeting_no_longer_needed_is_cancelled_for_everyone_and_leaves_the_lists(
    client, tamar_reach, commissioning_officer, qa_lead, smtp_server
):
    schedule_reviews(today=date(2026, 11, 2))
    meeting = ReviewMeeting.objects.open().get(provider=tamar_reach)
    assert (meeting.cadence, meeting.due_date) == ("annual", date(2027, 7, 2))  # not Saturday 3 July

    # Booked with the QA lead and both of the provider's contacts; the officer is reminded 14 days ahead.
    client.force_login(commissioning_officer)
    book(client, meeting, day=MEETING_DAY, qa_leads=[qa_lead])
    invited = {m["To"].lower() for m in deliver_all(smtp_server)}
    assert invited == {
        commissioning_officer.email,
        qa_lead.email,
        "kerensa.trethewey@example.com",
        "owen.lillicrap@example.com",
    }
    send_reminders(today=date(2027, 6, 17))
    assert Notification.objects.filter(kind="review_coming_up").count() == 1
    deliver_all(smtp_server)

    # LJ's placement ended on 27/11/2026, so nobody is placed there any more.
    call_command("import_placements", str(PLACEMENTS))
    assert not Placement.objects.active_on(TODAY).filter(provider=tamar_reach).exists()
    # The import closed it at once (issue 14), so the nightly run finds nothing left to close.
    assert schedule_reviews(today=TODAY).closed == []

    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert meeting.cancelled_because == (
        "No children or young people are placed with Tamar Reach Residential any more, so no routine review is needed."
    )
    cancellations = deliver_all(smtp_server)
    assert {m["To"].lower() for m in cancellations} == invited
    for message in cancellations:
        calendar, event, method = invite_of(message)
        assert method == "CANCEL" and str(calendar["METHOD"]) == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == meeting_uid(meeting)
        assert event["SEQUENCE"] == 2  # higher than the invite's 1
        assert set(attendees(event)) == invited
        assert event["DTSTART"].dt.date() == MEETING_DAY
        assert "no routine review is needed" in message.get_body(("plain",)).get_content()

    # No more reminders, nothing scheduled again, and off the lists.
    send_reminders(today=date(2027, 6, 29))
    assert Notification.objects.filter(kind="review_coming_up").count() == 1
    again = schedule_reviews(today=TODAY)
    assert (again.created, again.closed) == ([], [])
    assert not deliver_all(smtp_server)
    listed = text_of(client.get(reverse("reviews:meeting_list")))
    assert "0 meetings scheduled" in listed and "review meeting due 2 July 2027" not in listed
    provider_page = text_of(client.get(tamar_reach.get_absolute_url()))
    assert "No routine review" in provider_page
    assert "due 2 July 2027" not in provider_page


def test_the_command_says_which_meeting_it_closed(tamar_reach, capsys):
    schedule_reviews(today=date(2026, 11, 2))
    Placement.objects.filter(provider=tamar_reach).update(end_date=date(2026, 11, 27))
    call_command("schedule_reviews")
    out = capsys.readouterr().out
    assert "Closed: Tamar Reach Residential: no young people placed, the meeting due 02/07/2027" in out
    assert "1 closed" in out
