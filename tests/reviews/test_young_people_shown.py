"""Young people appear only to those who may see them (issue 13, providers.access.may_see_young_people):
the QA lead and commissioning officers see a child's initials, age and notes; senior leaders and
managers do not, on the review meeting page, its preparation and agenda, the tracker's page and
downloads, the recommendation forms' select boxes, the provider's page and emails. Within a visit,
its lead visitor sees the young people met; other readers of the report do not, nor does the
committee pack."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.roles import Role
from reviews import preparation
from reviews.models import YoungPersonOutcome
from reviews.notifications import tell_owner_assigned
from tests.factories import PlacementFactory, RecommendationFactory, UserFactory, VisitFactory, YoungPersonFactory
from tests.mail import deliver_all, text
from tests.pages import text_of
from tests.pdf_reading import pages_of
from tests.reviews.test_meetings import held_meeting
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db

INITIALS = "QX"
NOTES = "Settled at college and asked for swimming lessons"
HIDDEN = ["senior_leader", "manager"]
SHOWN = ["qa_lead", "commissioning_officer"]


@pytest.fixture
def child(provider):
    person = YoungPersonFactory(initials=INITIALS)
    PlacementFactory(young_person=person, provider=provider, start_date=timezone.localdate() - timedelta(days=300))
    return person


@pytest.fixture
def meeting(provider, child, commissioning_officer):
    """A review meeting held last week, with an outcome for the child and a child-level recommendation."""
    meeting = held_meeting(provider, timezone.localdate() - timedelta(days=7), recorded_by=commissioning_officer)
    YoungPersonOutcome.objects.create(meeting=meeting, young_person=child, notes=NOTES)
    RecommendationFactory(
        source="review_meeting",
        visit=None,
        provider=provider,
        review_meeting=meeting,
        level="child",
        young_person=child,
        text="Book the swimming lessons the young person asked for",
        due_date=timezone.localdate() + timedelta(days=20),
    )
    return meeting


def shows_child(text: str) -> bool:
    return INITIALS in text.split() or f"{INITIALS}," in text or f"{INITIALS}." in text


def read(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    if response["Content-Type"] == "application/pdf":
        return " ".join(pages_of(response.content))
    if response["Content-Type"].startswith("text/csv"):
        return response.getvalue().decode("utf-8-sig")
    return text_of(response)


def meeting_pages(meeting):
    return [
        reverse("reviews:meeting_detail", args=[meeting.pk]),
        reverse("reviews:meeting_prepare", args=[meeting.pk]),
        reverse("reviews:meeting_agenda_pdf", args=[meeting.pk]),
    ]


@pytest.mark.parametrize("role", HIDDEN)
def test_the_meeting_page_preparation_and_agenda_hide_the_child_from_senior_leaders_and_managers(
    client, request, role, meeting
):
    user = request.getfixturevalue(role)
    for url in meeting_pages(meeting):
        text = read(client, user, url)
        assert not shows_child(text), url
        assert NOTES not in text, url
    page = read(client, user, reverse("reviews:meeting_detail", args=[meeting.pk]))
    assert "1 outcome recorded. Outcomes for young people are shown only to staff who may see" in page


@pytest.mark.parametrize("role", SHOWN)
def test_the_meeting_page_shows_the_child_to_the_qa_lead_and_commissioning(client, request, role, meeting):
    page = read(client, request.getfixturevalue(role), reverse("reviews:meeting_detail", args=[meeting.pk]))
    assert f"{INITIALS}, aged" in page and NOTES in page
    assert f"For {INITIALS}" in page


@pytest.fixture
def tracker_rec(provider, child, senior_leader):
    return RecommendationFactory(
        visit=VisitFactory(provider=provider),
        level="child",
        young_person=child,
        owner=senior_leader,
        text="Arrange the swimming lessons the young person asked for",
        due_date=timezone.localdate() + timedelta(days=20),
    )


TRACKER_URLS = [
    reverse("reviews:tracker"),
    reverse("reviews:tracker_export", args=["csv"]),
    reverse("reviews:tracker_export", args=["pdf"]),
]


@pytest.mark.parametrize("role", HIDDEN)
def test_the_tracker_and_its_downloads_have_no_young_person_for_senior_leaders_and_managers(
    client, request, role, tracker_rec
):
    user = request.getfixturevalue(role)
    for url in TRACKER_URLS:
        text = read(client, user, url)
        assert "swimming lessons" in text, url
        assert not shows_child(text), url
    client.force_login(user)
    columns = next(csv.reader(io.StringIO(client.get(TRACKER_URLS[1]).getvalue().decode("utf-8-sig"))))
    assert "Young person" not in columns
    detail = read(client, user, reverse("reviews:recommendation_detail", args=[tracker_rec.pk]))
    assert not shows_child(detail)


def test_the_tracker_and_its_downloads_show_the_young_person_to_the_qa_lead(client, qa_lead, tracker_rec):
    for url in TRACKER_URLS:
        assert shows_child(read(client, qa_lead, url)), url


@pytest.mark.parametrize("role", HIDDEN)
def test_the_provider_page_lists_recommendations_without_the_child(client, request, role, provider, tracker_rec):
    text = read(client, request.getfixturevalue(role), reverse("providers:provider_detail", args=[provider.pk]))
    assert "swimming lessons" in text and not shows_child(text)


# Select boxes


def test_the_new_recommendation_form_lists_no_young_people_to_a_senior_leader(client, senior_leader, child):
    client.force_login(senior_leader)
    response = client.get(reverse("reviews:recommendation_create"))
    assert "young_person" not in response.context["form"].fields
    assert not shows_child(text_of(response))
    assert "Child-level" not in text_of(response)
    assert "A recommendation for one child is raised by staff who may see young people's records." in text_of(response)


@pytest.mark.parametrize("role", SHOWN)
def test_the_new_recommendation_form_lists_placed_young_people_to_those_who_may_see_them(client, request, role, child):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("reviews:recommendation_create"))
    assert f"{INITIALS}, aged" in text_of(response)


def test_a_senior_leader_cannot_raise_a_child_level_recommendation_from_the_tracker(
    client, senior_leader, provider, child
):
    client.force_login(senior_leader)
    response = client.post(
        reverse("reviews:recommendation_create"),
        {
            "provider": provider.pk,
            "level": "child",
            "young_person": child.pk,
            "text": "Swimming lessons",
            "owner": senior_leader.pk,
            "action_holder": "provider",
            "due_date": f"{timezone.localdate() + timedelta(days=9):%d/%m/%Y}",
            "priority": "medium",
        },
    )
    assert response.status_code == 200
    assert "level" in response.context["form"].errors
    assert not shows_child(text_of(response))


@pytest.mark.parametrize("role", HIDDEN)
def test_the_young_people_a_meeting_discusses_are_none_for_those_who_may_not_see_them(request, role, meeting):
    # What the meeting's record and recommendation forms list; one with an outcome recorded included.
    assert list(preparation.young_people_placed(meeting, user=request.getfixturevalue(role))) == []


def test_the_young_people_a_meeting_discusses_are_listed_for_commissioning(meeting, commissioning_officer, child):
    assert list(preparation.young_people_placed(meeting, user=commissioning_officer)) == [child]


# Visits: their visitors see whom they met; other readers do not


@pytest.fixture
def visited(provider, child, senior_leader):
    visit = VisitFactory(
        provider=provider, lead_visitor=senior_leader, status=VisitStatus.SUBMITTED, visit_date=timezone.localdate()
    )
    visit.young_people_met.set([child])
    RecommendationFactory(
        visit=visit, level="child", young_person=child, text="Swimming lessons for the young person we met"
    )
    return visit


def visit_urls(visit):
    return [
        reverse("visits:visit_detail", args=[visit.pk]),
        reverse("visits:section", args=[visit.pk, 2]),
        reverse("visits:report_pdf", args=[visit.pk]),
    ]


def test_a_manager_and_another_senior_leader_read_the_visit_without_the_young_people(client, manager, visited):
    other_leader = UserFactory(role=Role.SENIOR_LEADER)
    for user in (manager, other_leader):
        for url in visit_urls(visited):
            text = read(client, user, url)
            assert not shows_child(text), (user, url)


@pytest.mark.parametrize("who", ["senior_leader", "qa_lead"])
def test_the_lead_visitor_and_the_qa_lead_see_the_young_people_met(client, request, who, visited):
    for url in visit_urls(visited):
        assert shows_child(read(client, request.getfixturevalue(who), url)), url


# Emails


def test_the_owner_told_of_a_recommendation_is_not_told_the_childs_initials_unless_they_may_see_them(
    smtp_server, senior_leader, qa_lead, tracker_rec
):
    tell_owner_assigned(tracker_rec, by=qa_lead)
    tracker_rec.owner = qa_lead
    tracker_rec.save()
    tell_owner_assigned(tracker_rec, by=senior_leader)
    messages = deliver_all(smtp_server)

    def body_to(user):
        return next(text(m) for m in messages if user.email in m["To"])

    assert "swimming lessons" in body_to(senior_leader)
    assert not shows_child(body_to(senior_leader))
    assert f"For: {INITIALS}" in body_to(qa_lead)
