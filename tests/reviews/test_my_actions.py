"""My actions: the recommendations flagged to a member of staff, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import ProgressUpdate
from tests.factories import RecommendationFactory, YoungPersonFactory
from tests.reviews.recommendation_pages import progress

pytestmark = pytest.mark.django_db

MY_ACTIONS = reverse("reviews:my_actions")


def test_a_social_worker_sees_the_actions_flagged_to_them(client, social_worker, rec, person, senior_leader):
    not_theirs = RecommendationFactory(text="Not theirs", owner=senior_leader)
    held_by_provider = RecommendationFactory(
        text="Provider holds it", level="child", young_person=person, action_holder="provider"
    )
    owned = RecommendationFactory(text="Owned by them", owner=social_worker)
    done = RecommendationFactory(
        text="Done", owner=social_worker, status="completed", impact_statement="Better", completed_at=timezone.now()
    )
    client.force_login(social_worker)
    response = client.get(MY_ACTIONS)
    shown = [r.pk for r in response.context["page"]]
    assert sorted(shown) == sorted([rec.pk, owned.pk])
    assert not {not_theirs.pk, held_by_provider.pk, done.pk} & set(shown)
    assert f'{progress(rec)}">Record progress<span class="govuk-visually-hidden"> on recommendation {rec.pk}' in (
        response.text
    )


def test_a_provider_user_is_sent_to_their_own_page_from_my_actions(client, provider_user):
    client.force_login(provider_user)
    response = client.get(MY_ACTIONS)
    assert response.url == reverse("reviews:provider_recommendations")


def test_my_actions_runs_a_fixed_number_of_queries(client, social_worker):
    client.force_login(social_worker)

    def make(count):
        for n in range(count):
            person = YoungPersonFactory(social_worker=social_worker)
            rec = RecommendationFactory(level="child", young_person=person, action_holder="social_worker")
            ProgressUpdate.objects.create(recommendation=rec, text=f"Note {n}", status_after="open", by=rec.owner)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MY_ACTIONS).status_code == 200
        return len(captured)

    make(2)
    queries()  # the process's first page loads what it caches (the access log's content types)
    small = queries()
    make(20)
    assert queries() == small
    assert client.get(MY_ACTIONS).context["page"].paginator.count == 22


def test_an_action_theirs_twice_over_is_listed_once_and_one_removed_not_at_all(client, social_worker, senior_leader):
    person = YoungPersonFactory(social_worker=social_worker)
    both = RecommendationFactory(
        text="Theirs and their child's",
        owner=social_worker,
        level="child",
        young_person=person,
        action_holder="social_worker",
    )
    removed = RecommendationFactory(
        text="Removed", owner=senior_leader, level="child", young_person=person, action_holder="social_worker"
    )
    removed.removed_at = timezone.now()
    removed.removed_reason = "Entered in error"
    removed.save()
    client.force_login(social_worker)
    response = client.get(MY_ACTIONS)
    assert [r.pk for r in response.context["page"]] == [both.pk]
    assert response.context["page"].paginator.count == 1
