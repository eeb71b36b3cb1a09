"""What every signed-in page costs before its own work: the session read and saved, the person and
their second factor, their roles and permissions (one query, qa_portal.middleware.AccessMiddleware),
the count of unread notifications. Each still does its job."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qa_portal.roles import Role
from tests.factories import UserFactory
from tests.reporting.test_home import nav_labels

pytestmark = pytest.mark.django_db


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_signed_in_page_reads_roles_and_permissions_in_one_query(client, qa_lead):
    client.force_login(qa_lead)
    queries = _queries(client, reverse("accessibility"))
    assert len([sql for sql in queries if "auth_group" in sql or "auth_permission" in sql]) == 1
    # The session, the person, their authenticator, roles and permissions, notifications, the session saved.
    assert len(queries) == 6, queries


def test_a_permission_given_to_the_person_alone_still_counts(client):
    person = UserFactory(role=Role.SENIOR_LEADER)
    client.force_login(person)
    assert "Jobs" not in nav_labels(client.get(reverse("home")).text)
    person.user_permissions.add(Permission.objects.get(codename="view_jobs_page"))
    html = client.get(reverse("home")).text
    assert "Jobs" in nav_labels(html)
    assert client.get(reverse("jobs")).status_code == 200


def test_a_role_taken_away_is_gone_on_the_next_page(client, qa_lead):
    client.force_login(qa_lead)
    assert client.get(reverse("jobs")).status_code == 200
    qa_lead.groups.clear()
    assert client.get(reverse("jobs")).status_code == 403
    assert nav_labels(client.get(reverse("home")).text) == ["Home"]


def test_each_page_moves_the_sessions_end_on_in_one_statement(client, qa_lead):
    client.force_login(qa_lead)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    queries = _queries(client, reverse("accessibility"))
    saves = [sql for sql in queries if "django_session" in sql and not sql.startswith("SELECT")]
    assert len(saves) == 1 and saves[0].startswith("UPDATE")
    assert not [sql for sql in queries if "SAVEPOINT" in sql]
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=20)


def test_a_session_ended_elsewhere_is_not_brought_back(client, qa_lead):
    client.force_login(qa_lead)
    key = client.session.session_key
    Session.objects.filter(session_key=key).delete()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
