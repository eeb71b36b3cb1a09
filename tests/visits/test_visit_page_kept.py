"""The visit page's content is kept as markup (qa_portal.lists.kept_content with `posts`): its buttons
that post carry a stand-in for the CSRF token in what is kept, and this request's own token on the page,
so they still work, with Django's CSRF check on, for each person who opens it. A step taken shows at the
next opening. Committed for real (transactional tests), as in production."""

import re

import pytest
from django.urls import reverse

from qa_portal.roles import Role
from qa_portal.table_versions import CSRF_STAND_IN
from tests.factories import UserFactory, VisitFactory
from tests.reviews.test_kept_pages import opened_twice
from tests.signin import Client
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db(transaction=True)


def token_of_form(html: str, action: str) -> str:
    """The CSRF token of the form posting to `action`."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}">(.*?)</form>', html, re.S)
    assert form, f"no form posting to {action}"
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1)).group(1)


def test_the_kept_visit_pages_buttons_post_with_each_persons_own_token(qa_lead, provider):
    visit = VisitFactory(provider=provider, status=VisitStatus.SHARED)
    url = reverse("visits:visit_detail", args=[visit.pk])
    finalise = reverse("visits:finalise", args=[visit.pk])
    commissioning = reverse("visits:commissioning", args=[visit.pk])

    first = Client(enforce_csrf_checks=True)
    first.force_login(qa_lead)
    page = opened_twice(first, url)
    assert CSRF_STAND_IN not in page
    response = first.post(finalise, {"csrfmiddlewaretoken": token_of_form(page, finalise)})
    assert response.status_code == 302
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.FINALISED

    # Another QA lead, in a session of their own: the page kept for them carries their token, not the first's.
    second = Client(enforce_csrf_checks=True)
    second.force_login(UserFactory(role=Role.QA_LEAD))
    page = opened_twice(second, url)
    assert "Share with commissioning" in page
    token = token_of_form(page, commissioning)
    assert first.post(commissioning, {"csrfmiddlewaretoken": token}).status_code == 403
    assert second.post(commissioning, {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Share with commissioning" not in first.get(url).text
