"""A visit section's page is kept as markup when opened (qa_portal.lists.kept_content with `posts`): an
autosave, a colleague's save or a step on the visit's path shows at its next opening; its form carries
each person's own CSRF token and still posts; the access is checked and the young people it lists
logged at every opening, kept or not. Committed for real (transactional tests), as in production:
inside a test's transaction nothing is kept."""

import re

import pytest
from django.urls import reverse

from qa_portal.audit.models import PersonalDataAccess
from qa_portal.roles import Role
from qa_portal.table_versions import CSRF_STAND_IN
from tests.factories import UserFactory
from tests.reviews.test_kept_pages import opened_twice
from tests.signin import Client
from tests.visits.test_autosave import autosave, form_of, question
from visits.models import Answer, Visit, VisitStatus

pytestmark = pytest.mark.django_db(transaction=True)


def section_url(visit, number: int) -> str:
    return reverse("visits:section", args=[visit.pk, number])


def test_an_autosave_or_a_colleagues_save_is_on_the_section_at_its_next_opening(senior_leader, visit):
    security = question(visit, "Security")
    client = Client()
    client.force_login(senior_leader)
    url = section_url(visit, 3)
    assert "Locks and fire doors checked" not in opened_twice(client, url)

    saved = autosave(client, visit, 3, {f"q{security.pk}": {"base": "", "value": "Locks and fire doors checked"}})
    assert saved.status_code == 200
    page = client.get(url)
    assert "Locks and fire doors checked" in page.text
    # The base the next save starts from is what was saved: a later save is not taken for a conflict.
    assert form_of(page)[f"q{security.pk}__base"] == ["Locks and fire doors checked"]

    # Written by someone else, however: there at once.
    Answer.objects.filter(visit=visit, question=security).update(text="Locks, fire doors and alarms checked")
    assert "Locks, fire doors and alarms checked" in client.get(url).text


def test_the_kept_sections_form_posts_with_each_persons_own_token(senior_leader, visit):
    amenities = question(visit, "Amenities nearby")
    url = section_url(visit, 3)
    first = Client(enforce_csrf_checks=True)
    first.force_login(senior_leader)
    page = first.get(url)
    assert CSRF_STAND_IN not in page.text
    data = form_of(page)
    data[f"q{amenities.pk}"] = ["A park and a bus stop"]
    assert first.post(url, data).status_code == 302
    assert Answer.objects.get(visit=visit, question=amenities).text == "A park and a bus stop"

    # A colleague in a session of their own: the page kept for them carries their token, not the first's.
    second = Client(enforce_csrf_checks=True)
    second.force_login(UserFactory(role=Role.QA_LEAD))
    theirs = form_of(second.get(url))
    mine = form_of(first.get(url))
    assert "A park and a bus stop" in theirs[f"q{amenities.pk}"]
    assert theirs["csrfmiddlewaretoken"] != mine["csrfmiddlewaretoken"]
    # Posted with another's token: refused by the CSRF check (and held for its author), nothing saved.
    refused = first.post(url, {**theirs, f"q{amenities.pk}": ["Refused"]})
    assert "?held=" in refused.url
    assert Answer.objects.get(visit=visit, question=amenities).text == "A park and a bus stop"
    assert second.post(url, {**theirs, f"q{amenities.pk}": ["A park"]}).status_code == 302
    assert Answer.objects.get(visit=visit, question=amenities).text == "A park"


def test_a_submitted_visits_section_is_read_not_written_at_its_next_opening(senior_leader, visit):
    client = Client()
    client.force_login(senior_leader)
    url = section_url(visit, 3)
    assert "data-autosave-url" in opened_twice(client, url)
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.SUBMITTED)
    page = client.get(url).text
    assert "data-autosave-url" not in page
    assert '<dl class="govuk-summary-list">' in page


def test_the_kept_section_is_refused_at_once_when_the_role_is_taken_away(senior_leader, visit):
    client = Client()
    client.force_login(senior_leader)
    url = section_url(visit, 3)
    opened_twice(client, url)
    senior_leader.groups.clear()
    assert client.get(url).status_code in (403, 404)


def test_the_young_people_listed_to_tick_are_logged_at_every_opening(senior_leader, visit, placed):
    client = Client()
    client.force_login(senior_leader)
    url = section_url(visit, 2)
    page = opened_twice(client, url)
    assert re.search(r"JB, aged \d+", page)
    entries = PersonalDataAccess.objects.filter(user=senior_leader, what__startswith="Visit section 2.")
    assert [sorted(entry.subject_ids) for entry in entries.order_by("at", "pk")] == [
        sorted(person.pk for person in placed)
    ] * 2
