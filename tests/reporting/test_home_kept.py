"""Each person's home page keeps its figures and the to-dos of the day while nothing they were read
from changes (qa_portal.table_versions), and shows a change at the next opening, however it was made:
through a page (whose service moves the visit with a queryset update, which sends no signal), or
directly by a queryset update. Committed for real (a transactional test), as in production."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ConcernFactory
from tests.visits.conftest import complete
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db(transaction=True)

HOME = reverse("home")


def figure(html: str, label: str) -> int:
    return int(re.search(rf'>(\d+)<span class="govuk-visually-hidden">: {label}</span>', html).group(1))


def test_a_visit_submitted_on_its_page_is_on_the_qa_leads_home_at_once(client, qa_lead, senior_leader, visit, placed):
    complete(visit, placed)
    client.force_login(qa_lead)
    with CaptureQueriesContext(connection) as first:
        assert figure(client.get(HOME).text, "Visit reports to share") == 0
    with CaptureQueriesContext(connection) as kept:
        assert figure(client.get(HOME).text, "Visit reports to share") == 0
    assert len(kept) < len(first) - 10  # the figures and the day's to-dos came from the cache

    client.force_login(senior_leader)
    response = client.post(reverse("visits:submit", args=[visit.pk]), follow=True)
    assert "Visit submitted to the QA lead" in response.text

    client.force_login(qa_lead)
    page = client.get(HOME).text
    assert figure(page, "Visit reports to share") == 1
    assert "Check and share the report of the visit to" in page

    # A queryset update, as some forty services make (no signal is sent).
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.RESPONDED)
    page = client.get(HOME).text
    assert figure(page, "Visit reports to share") == 0
    assert figure(page, "Visit reports to finalise") == 1


def test_a_concern_received_is_on_the_commissioning_officers_home_at_once(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    assert figure(client.get(HOME).text, "Concerns not yet closed") == 0
    assert figure(client.get(HOME).text, "Concerns not yet closed") == 0
    ConcernFactory(provider=provider)
    assert figure(client.get(HOME).text, "Concerns not yet closed") == 1


def test_with_redis_unreachable_the_home_page_is_worked_out_and_a_submission_is_saved(
    client, settings, qa_lead, senior_leader, visit, placed
):
    settings.CACHES = {
        **settings.CACHES,
        "tables": {**settings.CACHES["tables"], "LOCATION": "redis://127.0.0.1:1/0"},  # nothing listens on port 1
    }
    complete(visit, placed)
    client.force_login(qa_lead)
    assert figure(client.get(HOME).text, "Visit reports to share") == 0
    client.force_login(senior_leader)
    assert "Visit submitted to the QA lead" in client.post(reverse("visits:submit", args=[visit.pk]), follow=True).text
    client.force_login(qa_lead)
    assert figure(client.get(HOME).text, "Visit reports to share") == 1
