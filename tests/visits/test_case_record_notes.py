"""A finalised visit's case-record notes (issue 17): one per young person met, naming only them, to copy
or download; each marked as recorded on their case record (who, when), the visit showing which are
still to do. Only staff who may see young people see a note; only the QA lead marks one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.case_record_notes import ANOTHER_YOUNG_PERSON
from qa_portal.access_log import AccessAction, entries_about
from tests.factories import PlacementFactory, RecommendationFactory, UserFactory, VisitFactory, YoungPersonFactory
from tests.pages import mentions
from tests.visits.conftest import complete
from visits.models import CaseRecordEntry, TemplateQuestion, VisitStatus
from visits.to_do import visit_to_do

pytestmark = pytest.mark.django_db

PEOPLE = {"JB": "7100001", "KM": "7100002", "QX": "7100003"}


@pytest.fixture
def three(provider):
    start = timezone.localdate() - timedelta(days=200)
    people = {initials: YoungPersonFactory(initials=initials, case_record_id=ref) for initials, ref in PEOPLE.items()}
    for person in people.values():
        PlacementFactory(young_person=person, provider=provider, start_date=start)
    return people


def answer(visit, question_text, text):
    question = TemplateQuestion.objects.get(section__template=visit.template, text=question_text)
    visit.answers.update_or_create(question=question, defaults={"text": text})


@pytest.fixture
def finalised(provider, senior_leader, qa_lead, three):
    """A finalised visit that met JB, KM and QX: answers that name each alone, two together and none;
    a recommendation about each (JB's naming KM in passing) and one on the provider's service."""
    visit = complete(VisitFactory(provider=provider, lead_visitor=senior_leader), list(three.values()))
    answer(
        visit,
        "What they like",
        "JB said she loves the garden and feels safe.\n"
        "KM likes cooking with the staff on Fridays.\n"
        "The young person with case record 7100003 wants more time with friends.\n"
        "JB and KM both asked for better Wi-Fi.\n"
        "Everyone said the staff listen.",
    )
    visit.status = VisitStatus.FINALISED
    visit.save()
    visit.events.create(step="finalised", by=qa_lead)
    for initials, text in (
        ("JB", "Arrange JB's swimming lessons, as KM already has."),
        ("KM", "Review KM's pocket money with her social worker."),
        ("QX", "Find QX a place at the youth club."),
    ):
        RecommendationFactory(visit=visit, level="child", young_person=three[initials], text=text, owner=qa_lead)
    RecommendationFactory(visit=visit, text="Fix the Wi-Fi in the lounge by the end of the month.", owner=qa_lead)
    return visit


def note_of(client, visit, person) -> str:
    response = client.get(reverse("visits:case_record_note_download", args=[visit.pk, person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"case-record-note-{person.initials}-{person.case_record_id}.txt" in response["Content-Disposition"]
    return response.content.decode()


def mark(client, visit, person):
    return client.post(reverse("visits:case_record_note_recorded", args=[visit.pk, person.pk]), follow=True)


def test_three_young_people_met_give_three_notes_each_naming_only_its_young_person(client, qa_lead, finalised, three):
    client.force_login(qa_lead)
    page = client.get(reverse("visits:case_record_notes", args=[finalised.pk]))
    assert page.text.count('class="govuk-textarea"') == 3
    assert "3 of 3</strong> still to record" in page.text
    for initials, person in three.items():
        note = note_of(client, finalised, person)
        for other, ref in PEOPLE.items():
            if other != initials:
                assert other not in note, f"{initials}'s note names {other}"
                assert ref not in note, f"{initials}'s note holds {other}'s case-record ID"
        assert f"case-record note for {initials} (case-record ID {PEOPLE[initials]})" in note
        assert "Date of the visit:" in note and "Provider: Harbour Lights Fostering" in note
        assert "Visited by: Chris Palmer" in note
        assert "Fix the Wi-Fi" not in note and "both asked" not in note and "Everyone said" not in note
    jb, km, qx = (note_of(client, finalised, three[i]) for i in ("JB", "KM", "QX"))
    assert "- JB said she loves the garden and feels safe." in jb
    assert "Rooms and spaces seen:\n- Kitchen, lounge and JB's bedroom" in jb.replace("\r\n", "\n")
    assert f"Arrange JB's swimming lessons, as {ANOTHER_YOUNG_PERSON} already has." in jb
    assert (
        f"Owner: Laura Dennison. Due: {finalised.recommendations.get(young_person=three['JB']).due_date:%-d %B %Y}"
        in jb
    )
    assert "Status: Open." in jb
    assert "- KM likes cooking with the staff on Fridays." in km
    assert "Review KM's pocket money" in km
    assert "wants more time with friends" in qx and "Find QX a place at the youth club." in qx


def test_the_visit_shows_which_case_records_are_still_to_do(client, qa_lead, manager, finalised, three):
    client.force_login(qa_lead)
    response = mark(client, finalised, three["JB"])
    assert "The note for JB is marked as recorded on their case record" in response.text
    assert "2 of 3</strong> still to record" in response.text
    entry = CaseRecordEntry.objects.get(visit=finalised)
    assert (entry.young_person, entry.recorded_by) == (three["JB"], qa_lead)

    visit_page = client.get(finalised.get_absolute_url()).text
    records = visit_page[visit_page.index('id="case-records"') :]
    assert "JB: recorded by Laura Dennison" in records
    assert "KM: note not yet recorded" in records and "QX: note not yet recorded" in records
    path = [(e.step, e.note) for e in finalised.events.all()]
    assert path[-1] == ("case_recorded", "1 of 3 case records")

    client.force_login(manager)  # sees the visit, not young people: a count
    page = client.get(finalised.get_absolute_url()).text
    assert "1 of 3 case records done." in page
    assert "KM: note not yet recorded" not in page and "Copy and record" not in page


def test_a_note_is_recorded_once_and_only_for_a_young_person_met(client, qa_lead, finalised, three, provider):
    client.force_login(qa_lead)
    mark(client, finalised, three["KM"])
    again = mark(client, finalised, three["KM"])
    assert "The note for KM was already recorded on their case record by Laura Dennison" in again.text
    assert CaseRecordEntry.objects.filter(visit=finalised).count() == 1
    assert finalised.events.filter(step="case_recorded").count() == 1

    stranger = YoungPersonFactory(initials="ZZ", case_record_id="7999999")
    PlacementFactory(young_person=stranger, provider=provider)
    assert mark(client, finalised, stranger).status_code == 404
    assert client.get(reverse("visits:case_record_note_download", args=[finalised.pk, stranger.pk])).status_code == 404


def test_a_report_not_yet_finalised_has_no_notes(client, qa_lead, finalised, three):
    finalised.status = VisitStatus.RESPONDED
    finalised.save()
    client.force_login(qa_lead)
    page = client.get(reverse("visits:case_record_notes", args=[finalised.pk]), follow=True)
    assert "Case-record notes are made once the report is finalised." in page.text
    response = mark(client, finalised, three["JB"])
    assert "Only a finalised report goes on the case records." in response.text
    assert not CaseRecordEntry.objects.exists()


def test_only_staff_who_may_see_young_people_see_notes_and_only_the_qa_lead_marks_them(
    client, finalised, three, senior_leader, manager, social_worker, commissioning_officer, provider_user
):
    notes = reverse("visits:case_record_notes", args=[finalised.pk])
    download = reverse("visits:case_record_note_download", args=[finalised.pk, three["JB"].pk])
    # The provider's own user sees the report, never a note; the lead visitor and managers do not see records.
    for user in (provider_user, senior_leader, manager):
        client.force_login(user)
        assert client.get(notes).status_code == 403
        assert client.get(download).status_code == 403
        assert mark(client, finalised, three["JB"]).status_code == 403
    client.force_login(provider_user)
    report = client.get(finalised.get_absolute_url()).text
    assert "case-record" not in report.lower() and "7100001" not in report
    # Social workers and commissioning officers read the notes, without the button.
    for user in (social_worker, commissioning_officer):
        client.force_login(user)
        page = client.get(notes)
        assert page.status_code == 200 and "JB said she loves the garden" in page.text
        assert "Mark as recorded" not in page.text
        assert mark(client, finalised, three["JB"]).status_code == 403
    assert not CaseRecordEntry.objects.exists()


def test_reading_and_downloading_notes_is_in_the_access_log(client, qa_lead, finalised, three):
    client.force_login(qa_lead)
    client.get(reverse("visits:case_record_notes", args=[finalised.pk]))
    note_of(client, finalised, three["QX"])
    assert [(e.action, e.what) for e in entries_about(type(three["KM"]), three["KM"].pk)] == [
        (AccessAction.VIEWED, f"Case-record notes: {finalised}")
    ]
    assert [e.action for e in entries_about(type(three["QX"]), three["QX"].pk)] == [
        AccessAction.DOWNLOADED,
        AccessAction.VIEWED,
    ]


def test_a_young_person_the_report_never_names_alone_gets_a_note_that_says_so(client, qa_lead, finalised, three):
    client.force_login(qa_lead)
    note = note_of(client, finalised, three["KM"])
    assert "KM likes cooking" in note
    finalised.answers.update(text="They all said the staff listen.")
    note = note_of(client, finalised, three["KM"])
    assert "no part of it names KM alone, so none of it is copied here" in note


def test_the_qa_lead_is_asked_to_record_the_notes_until_all_are(qa_lead, finalised, three):
    today = timezone.localdate()

    def asked():
        return [item.text for item in visit_to_do(qa_lead, today) if "case record" in item.text]

    assert asked() == [
        "The report of the visit to Harbour Lights Fostering is final: put each young person's note on their "
        "case record and share it with commissioning"
    ]
    lead = UserFactory()
    for person in three.values():
        CaseRecordEntry.objects.create(visit=finalised, young_person=person, recorded_by=lead)
    assert asked() == []


def test_typed_text_in_a_note_is_text(client, qa_lead, finalised, three):
    answer(finalised, "What they would change", "QX wrote <script>alert('QA')</script> on the board.")
    client.force_login(qa_lead)
    page = client.get(reverse("visits:case_record_notes", args=[finalised.pk])).text
    assert "<script>alert" not in page
    assert "QX wrote &lt;script&gt;alert(&#x27;QA&#x27;)&lt;/script&gt; on the board." in page
    assert "QX wrote <script>alert('QA')</script> on the board." in note_of(client, finalised, three["QX"])


def test_what_a_young_person_asked_for_is_in_their_note_alone_with_others_taken_out(client, qa_lead, finalised, three):
    """A mark of "You said, we did" is that young person's own words: it goes in their note (another
    young person named in it taken out), and in no other young person's."""
    said = "Can I go swimming with KM on Saturdays, like 7100003 does?"
    finalised.you_said.create(young_person=three["JB"], said=said, created_by=qa_lead, updated_by=qa_lead)
    client.force_login(qa_lead)
    jb_note = note_of(client, finalised, three["JB"])
    assert "What JB asked for, in their words:" in jb_note
    assert f"- Can I go swimming with {ANOTHER_YOUNG_PERSON} on Saturdays, like {ANOTHER_YOUNG_PERSON} does?" in jb_note
    assert not mentions(jb_note, "KM") and "7100003" not in jb_note
    for other in ("KM", "QX"):
        assert "swimming with" not in note_of(client, finalised, three[other])
