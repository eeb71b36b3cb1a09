"""Forms whose choices list young people (a concern about one of them, a recommendation for one) are in
the access log: each time the form is shown, one entry holding every young person it listed, "Listed
in a form's choices"; nothing for someone who may not see young people, whose form lists none."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import YoungPerson
from qa_portal.access_log import entries_about
from qa_portal.models import AccessAction, PersonalDataAccess
from reviews import meetings
from tests.factories import ConcernFactory, YoungPersonFactory
from tests.pages import mentions, text_of

pytestmark = pytest.mark.django_db

LISTED = AccessAction.LISTED


def only_entry() -> PersonalDataAccess:
    [entry] = PersonalDataAccess.objects.all()
    return entry


def test_the_concern_form_lists_the_young_people_placed_there_in_one_entry(client, qa_lead, provider, placed):
    YoungPersonFactory(initials="ZZ")  # placed nowhere: not listed
    client.force_login(qa_lead)
    url = reverse("providers:concern_create", args=[provider.pk])
    assert client.get(url).status_code == 200

    entry = only_entry()
    assert (entry.user, entry.action, entry.record, entry.path) == (qa_lead, LISTED, provider, url)
    assert entry.what == f"Record a concern: {provider}"
    assert entry.subject_ids == sorted(person.pk for person in placed)
    # Found from each of them, on their "Who has seen this record".
    for person in placed:
        assert [e.get_action_display() for e in entries_about(YoungPerson, person.pk)] == ["Listed in a form's choices"]


def test_a_form_back_with_its_errors_lists_them_again(client, qa_lead, provider, placed):
    client.force_login(qa_lead)
    url = reverse("providers:concern_create", args=[provider.pk])
    client.get(url)
    assert client.post(url, {"summary": ""}).status_code == 200
    assert PersonalDataAccess.objects.filter(action=LISTED).count() == 2


def test_updating_a_concern_lists_them_against_the_concern(client, qa_lead, provider, placed):
    concern = ConcernFactory(provider=provider)
    client.force_login(qa_lead)
    client.get(reverse("providers:concern_edit", args=[concern.pk]))
    entry = only_entry()
    assert (entry.action, entry.record, entry.what) == (LISTED, concern, f"Update concern: {provider}")
    assert len(entry.subject_ids) == 2


def test_someone_who_may_not_see_young_people_is_listed_none_and_nothing_is_logged(
    client, senior_leader, provider, placed
):
    client.force_login(senior_leader)
    for url in (reverse("providers:concern_create", args=[provider.pk]), reverse("reviews:recommendation_create")):
        page = client.get(url)
        assert page.status_code == 200
        # In the page's text: initials can turn up in the markup's random tokens (the form's CSRF token).
        assert not mentions(text_of(page), "JB") and "7100001" not in page.text
    assert not PersonalDataAccess.objects.exists()


def test_the_tracker_recommendation_form_lists_everyone_placed_to_the_qa_lead(client, qa_lead, placed):
    client.force_login(qa_lead)
    client.get(reverse("reviews:recommendation_create"))
    entry = only_entry()
    assert (entry.action, entry.what, entry.record) == (LISTED, "Add a recommendation to the tracker", None)
    assert entry.subject_ids == sorted(person.pk for person in placed)


def test_a_visits_recommendation_form_lists_those_placed_on_the_visit_date_to_its_visitor(
    client, senior_leader, visit, placed
):
    client.force_login(senior_leader)
    assert client.get(reverse("reviews:visit_recommendation_create", args=[visit.pk])).status_code == 200
    entry = only_entry()
    assert (entry.user, entry.action, entry.record) == (senior_leader, LISTED, visit)
    assert entry.what == f"Add a recommendation: {visit}"
    assert entry.subject_ids == sorted(person.pk for person in placed)


def test_a_review_meetings_recommendation_form_lists_those_placed(client, commissioning_officer, provider, placed):
    meeting = meetings.meeting_schedule(
        provider=provider, due_date=timezone.localdate() + timedelta(days=7), by=commissioning_officer
    )
    client.force_login(commissioning_officer)
    client.get(reverse("reviews:meeting_recommendation_create", args=[meeting.pk]))
    entry = only_entry()
    assert (entry.action, entry.record) == (LISTED, meeting)
    assert entry.subject_ids == sorted(person.pk for person in placed)


def test_a_form_that_lists_nobody_records_nothing(client, qa_lead, provider):
    client.force_login(qa_lead)
    client.get(reverse("providers:concern_create", args=[provider.pk]))
    assert not PersonalDataAccess.objects.exists()
