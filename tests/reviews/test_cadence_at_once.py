"""A provider's review cadence and next review due follow its placements at once, not at the next
nightly scheduling run (issue 14: the provider page said "Quarterly (4 active placements)" beside a
half-yearly due date until the job ran). Added or ended through the pages or the import, the open
review meeting moves with them too; ended by the calendar alone, the page still computes them."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from providers.importers import PlacementsImporter
from qa_portal.working_days import working_day_on_or_before
from reviews.models import Cadence, MeetingStatus, ReviewMeeting
from reviews.scheduling import schedule_reviews
from tests.factories import PlacementFactory, YoungPersonFactory
from tests.pages import text_of
from tests.reviews.test_meetings import held_meeting

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def quarterly(provider):
    """Four young people placed, a review held 40 days ago, and the next one scheduled quarterly."""
    placements = [
        PlacementFactory(
            provider=provider,
            young_person=YoungPersonFactory(initials=initials),
            start_date=today() - timedelta(days=400),
        )
        for initials in ("AB", "CD", "EF", "GH")
    ]
    held_meeting(provider, today() - timedelta(days=40))
    schedule_reviews()
    meeting = ReviewMeeting.objects.get(provider=provider, status=MeetingStatus.SCHEDULED)
    assert meeting.cadence == Cadence.QUARTERLY
    return placements


def after_last_review(months: int):
    return working_day_on_or_before(today() - timedelta(days=40) + relativedelta(months=months))


def provider_page(client, user, provider) -> str:
    client.force_login(user)
    return text_of(client.get(reverse("providers:provider_detail", args=[provider.pk])))


def end(client, placement, on):
    response = client.post(
        reverse("providers:placement_edit", args=[placement.pk]),
        {
            "provider": placement.provider_id,
            "start_date": f"{placement.start_date:%d/%m/%Y}",
            "end_date": f"{on:%d/%m/%Y}",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("providers:young_person_detail", args=[placement.young_person_id])


def test_ending_placements_moves_the_cadence_and_next_review_at_once(
    client, commissioning_officer, provider, quarterly
):
    assert "Quarterly (4 active placements) Last review held" in provider_page(client, commissioning_officer, provider)
    end(client, quarterly[0], today() - timedelta(days=1))
    end(client, quarterly[1], today())  # ends today: no longer active (a placement ending on the 10th is a move)
    page = provider_page(client, commissioning_officer, provider)
    assert "Half-yearly (2 active placements)" in page
    assert f"Next review due {after_last_review(6):%-d %B %Y}" in page
    # The open meeting moved with them, without waiting for the nightly job.
    meeting = ReviewMeeting.objects.get(provider=provider, status=MeetingStatus.SCHEDULED)
    assert (meeting.cadence, meeting.due_date) == (Cadence.HALF_YEARLY, after_last_review(6))


def test_adding_placements_moves_them_at_once(client, commissioning_officer, provider):
    PlacementFactory(provider=provider, start_date=today() - timedelta(days=200))
    held_meeting(provider, today() - timedelta(days=40))
    schedule_reviews()
    assert "Annual (1 active placement)" in provider_page(client, commissioning_officer, provider)
    for _ in range(3):
        person = YoungPersonFactory()
        response = client.post(
            reverse("providers:placement_create", args=[person.pk]),
            {"provider": provider.pk, "start_date": f"{today():%d/%m/%Y}"},
        )
        assert response.status_code == 302
    page = provider_page(client, commissioning_officer, provider)
    assert "Quarterly (4 active placements)" in page
    assert f"Next review due {after_last_review(3):%-d %B %Y}" in page
    assert ReviewMeeting.objects.get(provider=provider, status=MeetingStatus.SCHEDULED).due_date == after_last_review(3)


def test_the_last_child_leaving_closes_the_routine_review_at_once(client, commissioning_officer, provider, quarterly):
    client.force_login(commissioning_officer)
    for placement in quarterly:
        end(client, placement, today())
    page = provider_page(client, commissioning_officer, provider)
    assert "No routine review (0 active placements)" in page
    assert "Next review due No routine review" in page
    assert not ReviewMeeting.objects.filter(provider=provider, status=MeetingStatus.SCHEDULED).exists()


def test_a_placement_ended_by_the_calendar_alone_still_shows_at_once(client, manager, provider, quarterly):
    # Ended dates already recorded, no page or import involved: the nightly job has not run since.
    for placement in quarterly[:2]:
        type(placement).objects.filter(pk=placement.pk).update(end_date=today() - timedelta(days=1))
    page = provider_page(client, manager, provider)
    assert "Half-yearly (2 active placements)" in page
    assert f"Next review due {after_last_review(6):%-d %B %Y}" in page


def test_a_meeting_brought_forward_keeps_its_own_date(client, manager, provider, quarterly):
    meeting = ReviewMeeting.objects.get(provider=provider, status=MeetingStatus.SCHEDULED)
    meeting.due_date, meeting.brought_forward_because = today() + timedelta(days=3), "A High concern"
    meeting.save()
    type(quarterly[0]).objects.filter(pk__in=[p.pk for p in quarterly[:2]]).update(end_date=today())
    page = provider_page(client, manager, provider)
    assert "Half-yearly (2 active placements)" in page
    assert f"Next review due {meeting.due_date:%-d %B %Y}" in page


def test_importing_placements_moves_them_at_once(provider, quarterly):
    rows = [
        "Case record ID,Initials,Date of birth,Cohort,EHCP,SEND,UASC,Provider,Setting URN,Start date,End date,High cost"
    ]
    for placement in quarterly[:2]:
        person = placement.young_person
        rows.append(
            f"{person.case_record_id},{person.initials},{person.date_of_birth:%d/%m/%Y},Child in care,No,No,No,"
            f"{provider.name},,{placement.start_date:%d/%m/%Y},{today() - timedelta(days=1):%d/%m/%Y},No"
        )
    # A preview changes nothing.
    PlacementsImporter().run("\n".join(rows) + "\n", dry_run=True)
    assert ReviewMeeting.objects.get(provider=provider, status=MeetingStatus.SCHEDULED).cadence == Cadence.QUARTERLY
    result = PlacementsImporter().run("\n".join(rows) + "\n")
    assert result.changed == 2, result.report_lines()
    meeting = ReviewMeeting.objects.get(provider=provider, status=MeetingStatus.SCHEDULED)
    assert (meeting.cadence, meeting.due_date) == (Cadence.HALF_YEARLY, after_last_review(6))
