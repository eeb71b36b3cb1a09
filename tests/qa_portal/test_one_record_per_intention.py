"""One record per intention: the same form posted twice at once (a double click, two presses while the
page is slow) makes one record, and the second press lands where the first did, told so.

The two POSTs run in two threads, each with its own client and database connection, against the real
PostgreSQL. While they are sent, a third connection holds the record's table locked, so both are in
flight together whatever the timing: the first waits to insert the record, the second on the token."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from providers.models import Concern
from qa_portal.intentions import ALREADY_SAVED
from qa_portal.models import UsedFormToken
from reviews.models import ProgressUpdate, Recommendation
from tests.factories import RecommendationFactory
from tests.signin import Client
from visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


def form_token(html: str) -> str:
    match = re.search(r'name="form_token" value="([0-9a-f-]{36})"', html)
    assert match, "the form carries no form token"
    return match.group(1)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_twice_at_once(user, url: str, data: dict, *, table) -> list:
    """GET the form once, then POST it twice at the same moment with the token it was drawn with,
    while `table` (a model) is locked so that neither can finish before both are sent.
    Returns the two (client, response) pairs."""
    clients = [signed_in(user), signed_in(user)]
    data = {**data, "form_token": form_token(clients[0].get(url).text)}
    results: list = [None, None]

    def send(index):
        try:
            results[index] = (clients[index], clients[index].post(url, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table._meta.db_table} IN EXCLUSIVE MODE")
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        assert all(thread.is_alive() for thread in threads), "a POST finished while the table was locked"
    for thread in threads:
        thread.join(timeout=30)
    return results


def assert_second_was_sent_to_the_first(results, *, first_message: str):
    """Both were redirected to the same page; one says it was saved, the other that it was already."""
    (client_a, a), (client_b, b) = results
    assert (a.status_code, b.status_code) == (302, 302)
    assert a.url == b.url
    pages = [client_a.get(a.url).text, client_b.get(b.url).text]
    assert sum(ALREADY_SAVED in page for page in pages) == 1
    assert sum(first_message in page for page in pages) == 1


def test_two_presses_of_save_concern_record_one_concern(qa_lead, provider):
    url = reverse("providers:concern_create", args=[provider.pk])
    data = {
        "source": "young_person",
        "received_on": "02/10/2025",
        "summary": "Told me they feel unsafe at night",
        "severity": "high",
    }
    results = post_twice_at_once(qa_lead, url, data, table=Concern)
    assert Concern.objects.filter(provider=provider).count() == 1
    assert_second_was_sent_to_the_first(results, first_message="Concern recorded")
    assert results[0][1].url == provider.get_absolute_url()


def _recommendation(provider, owner) -> dict:
    return {
        "provider": provider.pk,
        "level": "provider_service",
        "text": "Review the home's missing-from-care protocol with the manager by the end of the month.",
        "owner": owner.pk,
        "action_holder": "provider",
        "due_date": (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y"),
        "priority": "high",
    }


def test_two_presses_of_add_the_recommendation_add_one(qa_lead, provider):
    results = post_twice_at_once(
        qa_lead, reverse("reviews:recommendation_create"), _recommendation(provider, qa_lead), table=Recommendation
    )
    recommendation = Recommendation.objects.get()
    assert_second_was_sent_to_the_first(results, first_message=f"Recommendation {recommendation.pk} added")
    assert results[0][1].url == reverse("reviews:recommendation_detail", args=[recommendation.pk])


def test_two_presses_on_a_visit_raise_one_recommendation(senior_leader, visit):
    url = reverse("reviews:visit_recommendation_create", args=[visit.pk])
    data = _recommendation(visit.provider, senior_leader)
    results = post_twice_at_once(senior_leader, url, data, table=Recommendation)
    assert visit.recommendations.count() == 1
    assert_second_was_sent_to_the_first(results, first_message="Recommendation added")


def test_two_presses_of_plan_the_visit_plan_one_visit(senior_leader, provider):
    data = {
        "provider": provider.pk,
        "planned_date": "01/12/2026",
        "lead_visitor": senior_leader.pk,
        "lead_visitor_role": "Assistant Director",
        "how_arranged": "announced",
        "reasons": ["vulnerability", "high_cost"],
    }
    results = post_twice_at_once(senior_leader, reverse("visits:visit_plan"), data, table=Visit)
    visit = Visit.objects.get(provider=provider)
    assert_second_was_sent_to_the_first(results, first_message="planned for 1 December 2026")
    assert results[0][1].url == visit.get_absolute_url()


def test_two_presses_of_save_progress_record_one_update(qa_lead, provider):
    rec = RecommendationFactory(visit__provider=provider, owner=qa_lead)
    url = reverse("reviews:recommendation_progress", args=[rec.pk])
    results = post_twice_at_once(
        qa_lead, url, {"text": "Bus pass ordered", "status": "in_progress"}, table=ProgressUpdate
    )
    assert rec.progress_updates.count() == 1
    assert_second_was_sent_to_the_first(results, first_message="Progress saved")


def test_a_form_back_with_errors_keeps_its_token_and_then_saves(client, qa_lead, provider):
    client.force_login(qa_lead)
    url = reverse("providers:concern_create", args=[provider.pk])
    token = form_token(client.get(url).text)
    data = {"form_token": token, "source": "iro", "received_on": "02/10/2025", "summary": "", "severity": "low"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Describe the concern" in refused.text
    assert form_token(refused.text) == token
    assert not UsedFormToken.objects.exists()
    saved = client.post(url, {**data, "summary": "Staff asleep on a waking night shift"})
    assert saved.status_code == 302
    assert Concern.objects.get().summary == "Staff asleep on a waking night shift"


def test_the_same_form_sent_again_later_is_not_saved_twice(client, qa_lead, provider):
    client.force_login(qa_lead)
    url = reverse("providers:concern_create", args=[provider.pk])
    data = {
        "form_token": form_token(client.get(url).text),
        "source": "iro",
        "received_on": "02/10/2025",
        "summary": "Staff asleep on a waking night shift",
        "severity": "low",
    }
    first, again = client.post(url, data), client.post(url, data, follow=True)
    assert again.redirect_chain == [(first.url, 302)]
    assert ALREADY_SAVED in again.text
    assert Concern.objects.count() == 1


def test_the_same_form_changed_and_sent_again_is_a_new_intention(client, qa_lead, provider):
    # Back, a different summary, Save: the person meant a second concern, and their text is not lost.
    client.force_login(qa_lead)
    url = reverse("providers:concern_create", args=[provider.pk])
    data = {"form_token": form_token(client.get(url).text), "source": "iro", "received_on": "02/10/2025"}
    client.post(url, {**data, "summary": "Staff asleep on a waking night shift", "severity": "low"})
    client.post(url, {**data, "summary": "The back door was left unlocked", "severity": "medium"})
    assert sorted(Concern.objects.values_list("summary", flat=True)) == [
        "Staff asleep on a waking night shift",
        "The back door was left unlocked",
    ]


def test_a_form_posted_without_a_token_still_saves(client, qa_lead, provider):
    # A page drawn before tokens existed, kept open: its POST is a fresh intention.
    client.force_login(qa_lead)
    data = {"source": "iro", "received_on": "02/10/2025", "summary": "Staff asleep on a waking night shift"}
    response = client.post(reverse("providers:concern_create", args=[provider.pk]), {**data, "severity": "low"})
    assert response.status_code == 302
    assert Concern.objects.count() == 1


def test_tokens_used_days_ago_are_forgotten_by_the_daily_job(qa_lead):
    from qa_portal.tasks import delete_used_form_tokens

    old = UsedFormToken.objects.create(
        token="0d5c8a6e-0000-4000-8000-000000000001", user=qa_lead, fingerprint="a", path="/", used_at=timezone.now()
    )
    UsedFormToken.objects.filter(pk=old.pk).update(used_at=timezone.now() - timedelta(days=4))
    recent = UsedFormToken.objects.create(
        token="0d5c8a6e-0000-4000-8000-000000000002", user=qa_lead, fingerprint="a", path="/"
    )
    assert delete_used_form_tokens() == {"deleted": 1}
    assert list(UsedFormToken.objects.all()) == [recent]
