"""The jobs page says what each job did in words, not the keys the code keeps its counts under."""

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.models import JobRun
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_the_jobs_page_names_jobs_and_what_they_did_in_words(client, qa_lead):
    now = timezone.now()
    JobRun.objects.create(
        job="send_reminders",
        started_at=now,
        finished_at=now,
        ok=True,
        summary={"provider_flagged": 1, "review_coming_up": 2, "details": ["kept out"]},
    )
    JobRun.objects.create(job="catch_up", started_at=now, finished_at=now, ok=True, summary={})
    JobRun.objects.create(job="delete_used_form_tokens", started_at=now, finished_at=now, ok=True, summary={})
    client.force_login(qa_lead)
    page = text_of(client.get(reverse("jobs")))
    assert "Provider flagged: 1, Review coming up: 2" in page
    assert "kept out" not in page
    assert "Catching up, worked" in page
    assert "Forgetting used form tokens, worked" in page
    assert "_" not in page.split("Recent runs")[1]
