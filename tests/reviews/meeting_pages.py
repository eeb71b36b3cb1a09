"""Helpers shared by the review meeting page tests: the staff who see meetings, a meeting page's address,
and counting the queries a page runs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qa_portal.roles import Role

STAFF_WHO_SEE_MEETINGS = [
    Role.QA_LEAD,
    Role.COMMISSIONING_OFFICER,
    Role.SENIOR_LEADER,
    Role.MANAGER,
    Role.SOCIAL_WORKER,
]


def url(name, meeting):
    return reverse(f"reviews:{name}", args=[meeting.pk])


def _queries(client, path, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)
