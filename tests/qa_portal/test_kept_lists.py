"""The list pages whose content is kept as markup (qa_portal.lists.kept_content): the visits, the
providers, the young people, the review meetings, "Your actions" and a provider's own recommendations.
Each shows a change at its next opening, however it was made (a service, a queryset update); each
person sees only what they may see, as before; who was seen is logged at every opening, kept or not.
Committed for real (transactional tests), as in production: inside a test's transaction nothing is kept.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from providers.models import Provider, YoungPerson
from qa_portal.audit.models import PersonalDataAccess
from qa_portal.table_versions import CSRF_STAND_IN, cached_markup
from reviews import meetings
from reviews.models import MeetingStatus, Recommendation, RecommendationStatus, ReviewMeeting
from tests.factories import (
    PlacementFactory,
    ProviderFactory,
    RecommendationFactory,
    VisitFactory,
    YoungPersonFactory,
)
from tests.reviews.test_kept_pages import opened_twice
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db(transaction=True)


def logged(user, what: str) -> list[list[int]]:
    """The young people's ids of each access log entry of `user` for the page `what`, oldest first."""
    return [entry.subject_ids for entry in PersonalDataAccess.objects.filter(user=user, what=what).order_by("at", "pk")]


def test_a_visit_planned_or_its_provider_renamed_is_on_the_visits_list_at_once(client, qa_lead, provider):
    VisitFactory(provider=provider)
    client.force_login(qa_lead)
    url = reverse("visits:visit_list")
    assert "Harbour Lights Fostering" in opened_twice(client, url)
    assert "Northgate Homes" not in client.get(url).text

    VisitFactory(provider=ProviderFactory(name="Northgate Homes"))
    assert "Northgate Homes" in client.get(url).text
    Provider.objects.filter(pk=provider.pk).update(name="Harbour Lights Family Placements")
    page = client.get(url).text
    assert "Harbour Lights Family Placements" in page
    assert "Harbour Lights Fostering" not in page


def test_a_provider_user_sees_only_their_shared_reports_though_staff_opened_the_list(
    client, qa_lead, provider_user, other_provider
):
    VisitFactory(provider=other_provider, status=VisitStatus.SHARED)
    client.force_login(qa_lead)
    assert "Northgate Homes" in opened_twice(client, reverse("visits:visit_list"))

    client.force_login(provider_user)
    page = opened_twice(client, reverse("visits:visit_list"))
    assert "Northgate Homes" not in page
    assert "0 visits" in page
    mine = VisitFactory(provider=provider_user.provider, status=VisitStatus.DRAFT)
    assert "1 visit" not in client.get(reverse("visits:visit_list")).text
    Visit.objects.filter(pk=mine.pk).update(status=VisitStatus.SHARED)
    assert "1 visit" in client.get(reverse("visits:visit_list")).text


def test_a_permission_given_or_a_role_taken_away_changes_the_kept_list_at_once(client, qa_lead):
    client.force_login(qa_lead)
    url = reverse("visits:visit_list")
    assert "Plan a visit" in opened_twice(client, url)
    qa_lead.groups.clear()
    assert client.get(url).status_code == 403

    qa_lead.user_permissions.add(Permission.objects.get(codename="view_visit"))
    assert "Plan a visit" not in opened_twice(client, url)
    qa_lead.user_permissions.add(Permission.objects.get(codename="add_visit"))
    assert "Plan a visit" in client.get(url).text


def test_a_provider_renamed_is_on_the_providers_list_at_once(client, qa_lead, provider):
    client.force_login(qa_lead)
    url = reverse("providers:provider_list")
    assert "Harbour Lights Fostering" in opened_twice(client, url)
    Provider.objects.filter(pk=provider.pk).update(name="Harbour Lights Family Placements")
    assert "Harbour Lights Family Placements" in client.get(url).text
    ProviderFactory(name="Northgate Homes")
    assert "Northgate Homes" in client.get(url).text


def test_a_young_person_placed_is_on_the_young_people_list_at_once_and_logged_at_every_opening(
    client, qa_lead, provider
):
    first = YoungPersonFactory(initials="JB", case_record_id="7100001")
    client.force_login(qa_lead)
    url = reverse("providers:young_person_list")
    page = opened_twice(client, url)
    assert "7100001" in page and "Not placed now" in page
    assert logged(qa_lead, "Young people list") == [[first.pk], [first.pk]]

    PlacementFactory(young_person=first, provider=provider, start_date=timezone.localdate() - timedelta(days=30))
    page = client.get(url).text
    assert "Harbour Lights Fostering" in page and "Not placed now" not in page
    second = YoungPersonFactory(initials="KM", case_record_id="7100002")
    assert "7100002" in client.get(url).text
    client.get(url)
    assert logged(qa_lead, "Young people list")[-2:] == [[first.pk, second.pk], [first.pk, second.pk]]
    YoungPerson.objects.filter(pk=second.pk).update(case_record_id="7100003")
    assert "7100003" in client.get(url).text


def test_a_meeting_scheduled_or_held_is_on_the_review_meetings_list_at_once(client, commissioning_officer, provider):
    PlacementFactory(provider=provider)
    client.force_login(commissioning_officer)
    url = reverse("reviews:meeting_list")
    assert "0 meetings scheduled" in opened_twice(client, url)
    meeting = meetings.meeting_schedule(
        provider=provider, due_date=timezone.localdate() + timedelta(days=7), by=commissioning_officer
    )
    assert "1 meeting scheduled" in client.get(url).text
    ReviewMeeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD, held_at=timezone.now() - timedelta(hours=1)
    )
    page = client.get(url).text
    assert "0 meetings scheduled" in page
    assert "Harbour Lights Fostering" in page[page.index("Recently held") :]


def test_an_action_flagged_or_completed_is_on_your_actions_at_once_and_logged_at_every_opening(
    client, social_worker, senior_leader
):
    person = YoungPersonFactory(initials="JB", social_worker=social_worker)
    client.force_login(social_worker)
    url = reverse("reviews:my_actions")
    assert "Agree a plan for college travel." not in opened_twice(client, url)
    assert logged(social_worker, "Your actions") == []

    rec = RecommendationFactory(
        level="child",
        young_person=person,
        owner=senior_leader,
        action_holder="social_worker",
        text="Agree a plan for college travel.",
    )
    assert "Agree a plan for college travel." in opened_twice(client, url)
    assert logged(social_worker, "Your actions") == [[person.pk], [person.pk]]
    Recommendation.objects.filter(pk=rec.pk).update(
        status=RecommendationStatus.COMPLETED, impact_statement="Travels alone now", completed_at=timezone.now()
    )
    assert "Agree a plan for college travel." not in client.get(url).text


def test_a_recommendation_to_the_provider_is_on_their_own_list_at_once_and_no_other_provider_sees_it(
    client, provider_user, other_provider_user, provider
):
    shared = VisitFactory(provider=provider, status=VisitStatus.SHARED)
    person = YoungPersonFactory(initials="JB")
    url = reverse("reviews:provider_recommendations")
    client.force_login(provider_user)
    assert "Agree an evening activities plan." not in opened_twice(client, url)
    RecommendationFactory(visit=shared, level="child", young_person=person, text="Agree an evening activities plan.")
    assert "Agree an evening activities plan." in opened_twice(client, url)
    assert logged(provider_user, "Your organisation's recommendations") == [[person.pk], [person.pk]]

    client.force_login(other_provider_user)
    assert "Agree an evening activities plan." not in opened_twice(client, url)
    assert logged(other_provider_user, "Your organisation's recommendations") == []


def test_kept_markup_may_hold_the_stand_in_for_a_csrf_token_but_no_real_token_nor_a_forms_one_time_token():
    def form(value: str, *, one_time: str = "") -> str:
        return f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{value}">{one_time}</form>'

    assert cached_markup("stand-in", 1, lambda: (form(CSRF_STAND_IN), None))[0] == form(CSRF_STAND_IN)
    with pytest.raises(ValueError, match="CSRF token"):
        cached_markup("real", 1, lambda: (form("a" * 64), None))
    with pytest.raises(ValueError, match="one-time token"):
        one_time = '<input type="hidden" name="form_token" value="d385a35f">'
        cached_markup("one-time", 1, lambda: (form(CSRF_STAND_IN, one_time=one_time), None))
