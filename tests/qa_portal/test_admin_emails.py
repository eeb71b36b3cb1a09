"""The admin's record of emails sent shows an email's body only to someone who may see young people:
a recommendations digest names them by initials, and administrators do not have that permission."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from qa_portal.models import Notification
from qa_portal.roles import Role
from tests.pages import text_of

pytestmark = pytest.mark.django_db

BODY = "Recommendations due this week: J.B. (14) at Oak House needs a review of their placement."


@pytest.fixture
def digest(qa_lead):
    return Notification.objects.create(
        recipient=qa_lead, email=qa_lead.email, kind="digest", key="digest:1", subject="Your weekly digest", body=BODY
    )


def email_page(client, user, notification):
    client.force_login(user)
    return text_of(client.get(reverse("admin:qa_portal_notification_change", args=[notification.pk])))


def test_an_administrator_without_the_young_person_permission_sees_the_body_is_hidden(client, administrator, digest):
    page = email_page(client, administrator, digest)
    assert "Your weekly digest" in page
    assert "Hidden: an email can name young people, and your roles do not include seeing them." in page
    assert "J.B." not in page and "Oak House" not in page


def test_an_administrator_who_may_see_young_people_reads_the_body(client, administrator, digest):
    administrator.groups.add(Group.objects.get(name=Role.QA_LEAD.label))
    page = email_page(client, administrator, digest)
    assert BODY in page
    assert "Hidden:" not in page
