"""A held review meeting's case-record notes (issue 17): one per young person whose outcome was marked
for the case record, naming only them; each marked as recorded (who, when) by a commissioning officer,
the meeting page showing how many are still to do. Provider users never see them."""

import pytest
from django.urls import reverse

from providers.case_record_notes import ANOTHER_YOUNG_PERSON
from qa_portal.access_log import AccessAction, entries_about
from reviews import meetings
from reviews.models import YoungPersonOutcome
from reviews.to_do import review_to_do
from tests.factories import RecommendationFactory, YoungPersonFactory
from tests.reviews.test_meetings import place, record, today, yesterday_at_ten

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(provider, commissioning_officer, qa_lead):
    """A meeting held yesterday with outcomes for JB and KM to go on their case records (JB's naming KM),
    QX's not, and a recommendation from it about JB and about KM."""
    jb, km, qx = place(provider, 3, initials=["JB", "KM", "QX"])
    meeting = meetings.meeting_schedule(provider=provider, due_date=today(), by=commissioning_officer)
    record(
        meeting,
        commissioning_officer,
        yesterday_at_ten(),
        outcomes={
            jb.pk: ("Settled well; shares a bedroom with KM and wants her own.", True),
            km.pk: ("College place confirmed for September.", True),
            qx.pk: ("Discussed; nothing for the case record.", False),
        },
    )
    for person, text in ((jb, "Find JB a room of her own by the next review."), (km, "Fund KM's college bus pass.")):
        RecommendationFactory(
            source="review_meeting",
            visit=None,
            review_meeting=meeting,
            provider=provider,
            level="child",
            young_person=person,
            text=text,
            owner=qa_lead,
        )
    return meeting, {"JB": jb, "KM": km, "QX": qx}


def notes_url(meeting):
    return reverse("reviews:meeting_case_record_notes", args=[meeting.pk])


def download(client, meeting, person):
    return client.get(reverse("reviews:meeting_case_record_note_download", args=[meeting.pk, person.pk]))


def mark(client, meeting, person):
    return client.post(reverse("reviews:meeting_case_record_note_recorded", args=[meeting.pk, person.pk]), follow=True)


def test_each_outcome_for_the_case_record_gives_a_note_naming_only_its_young_person(
    client, commissioning_officer, held
):
    meeting, people = held
    client.force_login(commissioning_officer)
    page = client.get(notes_url(meeting)).text
    assert page.count('class="govuk-textarea"') == 2
    assert "Discussed; nothing for the case record." not in page
    for initials in ("JB", "KM"):
        person = people[initials]
        response = download(client, meeting, person)
        assert response.status_code == 200
        note = response.content.decode()
        for other, someone in people.items():
            if other != initials:
                assert other not in note and someone.case_record_id not in note, f"{initials}'s note names {other}"
        assert f"(case-record ID {person.case_record_id})" in note
        assert "Provider: Harbour Lights Fostering" in note
        assert "Attended: Sam Okafor, commissioning officer; Dee Brown, registered manager" in note
    jb = download(client, meeting, people["JB"]).content.decode()
    assert f"Settled well; shares a bedroom with {ANOTHER_YOUNG_PERSON} and wants her own." in jb
    assert "Find JB a room of her own by the next review." in jb and "Owner: Laura Dennison" in jb
    km = download(client, meeting, people["KM"]).content.decode()
    assert "College place confirmed for September." in km and "Fund KM's college bus pass." in km
    assert download(client, meeting, people["QX"]).status_code == 404
    assert [e.action for e in entries_about(type(people["JB"]), people["JB"].pk)][:2] == [
        AccessAction.DOWNLOADED,
        AccessAction.DOWNLOADED,
    ]


def test_a_commissioning_officer_marks_each_note_recorded_once(client, commissioning_officer, held):
    meeting, people = held
    client.force_login(commissioning_officer)
    detail = client.get(meeting.get_absolute_url()).text
    assert "Copy and record the case-record notes (2 of 2 to do)" in detail

    response = mark(client, meeting, people["JB"])
    assert "The note for JB is marked as recorded on their case record" in response.text
    assert "1 of 2</strong> still to record" in response.text
    outcome = YoungPersonOutcome.objects.get(meeting=meeting, young_person=people["JB"])
    assert outcome.recorded_on_case_record_by == commissioning_officer
    assert outcome.history.first().history_user == commissioning_officer
    again = mark(client, meeting, people["JB"])
    assert "The note for JB was already recorded on their case record by Sam Okafor" in again.text
    assert "(1 of 2 to do)" in client.get(meeting.get_absolute_url()).text
    # QX's outcome was not for the case record; someone with no outcome there has no note.
    assert mark(client, meeting, people["QX"]).status_code == 404
    assert mark(client, meeting, YoungPersonFactory()).status_code == 404
    assert not YoungPersonOutcome.objects.filter(young_person=people["QX"], recorded_on_case_record_at__isnull=False)


def test_only_staff_who_may_see_young_people_read_them_and_only_commissioning_marks_them(
    client, held, qa_lead, social_worker, senior_leader, manager, provider_user
):
    meeting, people = held
    for user in (senior_leader, manager):
        client.force_login(user)
        assert client.get(notes_url(meeting)).status_code == 403
        assert download(client, meeting, people["JB"]).status_code == 403
    client.force_login(provider_user)  # the council's own record: they may not know it exists
    assert client.get(notes_url(meeting)).status_code == 404
    assert download(client, meeting, people["JB"]).status_code == 404
    assert mark(client, meeting, people["JB"]).status_code == 404
    for user in (qa_lead, social_worker):
        client.force_login(user)
        page = client.get(notes_url(meeting))
        assert page.status_code == 200 and "College place confirmed" in page.text
        assert "Mark as recorded" not in page.text
        assert mark(client, meeting, people["JB"]).status_code == 403
    assert not YoungPersonOutcome.objects.filter(recorded_on_case_record_at__isnull=False).exists()


def test_the_commissioning_officer_is_asked_to_record_the_notes_until_all_are(commissioning_officer, qa_lead, held):
    meeting, people = held
    assert [(item.text, item.url) for item in review_to_do(commissioning_officer, today())][-1] == (
        "Put the 2 notes from the review meeting with Harbour Lights Fostering on the young people's case records",
        reverse("reviews:meeting_case_record_notes", args=[meeting.pk]),
    )
    assert not [item for item in review_to_do(qa_lead, today()) if "case records" in item.text]
    for initials in ("JB", "KM"):
        outcome = YoungPersonOutcome.objects.get(meeting=meeting, young_person=people[initials])
        meetings.outcome_record_on_case_record(outcome=outcome, by=commissioning_officer)
        left = [item.text for item in review_to_do(commissioning_officer, today()) if "case record" in item.text]
        if initials == "JB":
            assert left == [
                "Put the note from the review meeting with Harbour Lights Fostering on the young person's case record"
            ]
    assert left == []
