"""Browsers' reports of Content-Security-Policy violations (qa_portal.csp_reports): taken in both
formats browsers send, signed in or not and without a CSRF token, and written to the log one line a
violation, cleaned; too big, not a report, or too many from one client: refused, nothing logged."""

import json
import logging
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/csp-report/"


@pytest.fixture
def address():
    """A client address of this test's own, so that no other test's reports count against it (the
    counts are kept in Redis for the minute)."""
    return f"2001:db8::{uuid4().hex[:4]}:{uuid4().hex[:4]}"


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.WARNING, logger="qa_portal.csp")
    return lambda: [record.getMessage() for record in caplog.records if record.name == "qa_portal.csp"]


REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://qa.example.gov.uk/young-people/?q=AB#top",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'; " * 20,
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://qa.example.gov.uk/young-people/",
        "status-code": 200,
        "script-sample": "alert(1)",
    }
}

REPORTING_API_BODY = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://qa.example.gov.uk/tracker/",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "https://qa.example.gov.uk/tracker/",
            "effectiveDirective": "style-src-attr",
            "blockedURL": "inline",
            "sample": "color: red",
            "disposition": "enforce",
            "lineNumber": 3,
        },
    },
    {"type": "deprecation", "url": "https://qa.example.gov.uk/", "body": {"id": "x"}},
]


def post(client, body, content_type="application/csp-report", address="192.0.2.1"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(URL, data, content_type=content_type, REMOTE_ADDR=address)


def test_the_policy_sends_reports_here():
    response = Client().get(reverse("login"))
    assert f"report-uri {reverse('csp_report')}" in response["Content-Security-Policy"]
    assert "report-to csp" in response["Content-Security-Policy"]
    assert response["Reporting-Endpoints"] == f'csp="{reverse("csp_report")}"'


def test_a_report_uri_report_is_logged_without_a_session_or_security_token(address, logged):
    client = Client(enforce_csrf_checks=True)
    response = post(client, REPORT_URI_BODY, address=address)
    assert response.status_code == 204
    [line] = logged()
    assert line.startswith("Content-Security-Policy violation: ")
    fields = json.loads(line.removeprefix("Content-Security-Policy violation: "))
    assert fields == {
        # The page's search (a young person's initials, say) is not kept.
        "page": "https://qa.example.gov.uk/young-people/",
        "directive": "script-src-elem",
        "blocked": "inline",
        "source": "https://qa.example.gov.uk/young-people/",
        "line": "12",
        "sample": "alert(1)",
        "disposition": "enforce",
        "user": None,
        "client": address,
    }


def test_a_reporting_api_batch_logs_its_violations_only(client, qa_lead, address, logged):
    client.force_login(qa_lead)
    response = post(client, REPORTING_API_BODY, content_type="application/reports+json", address=address)
    assert response.status_code == 204
    [line] = logged()
    fields = json.loads(line.partition(": ")[2])
    assert (fields["page"], fields["directive"], fields["sample"], fields["user"]) == (
        "https://qa.example.gov.uk/tracker/",
        "style-src-attr",
        "color: red",
        qa_lead.pk,
    )


def test_control_characters_never_reach_the_log_and_long_values_are_cut(address, logged):
    sneaky = {
        "csp-report": {"document-uri": "https://x/\n", "script-sample": "a\x00b\r\nFAKE LOG LINE\u202e" + "z" * 900}
    }
    assert post(Client(), sneaky, address=address).status_code == 204
    [line] = logged()
    assert "\n" not in line and "\r" not in line and "\x00" not in line and "\u202e" not in line
    sample = json.loads(line.partition(": ")[2])["sample"]
    assert sample.startswith("a\\u0000b\\u000d\\u000aFAKE LOG LINE\\u202e")
    assert len(sample) == 300 and sample.endswith("…")


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{", "application/csp-report", 400),
        (b"\xff\xfe", "application/csp-report", 400),
        (b"[]", "application/csp-report", 400),
        (b'{"csp-report": "x"}', "application/csp-report", 400),
        (json.dumps(REPORTING_API_BODY[1:]), "application/reports+json", 400),
        (json.dumps(REPORT_URI_BODY), "application/json", 415),
        (json.dumps(REPORT_URI_BODY), "text/plain", 415),
        (b"[" * 5000 + b"]" * 5000, "application/reports+json", 400),
    ],
    ids=["not JSON", "not UTF-8", "a list", "no fields", "no violation", "JSON", "text", "deep"],
)
def test_what_is_not_a_report_is_refused_and_not_logged(address, logged, body, content_type, status):
    response = post(Client(), body, content_type=content_type, address=address)
    assert response.status_code == status
    assert logged() == []


def test_a_report_too_big_is_refused_unread(address, logged):
    big = {"csp-report": {**REPORT_URI_BODY["csp-report"], "script-sample": "x" * 20_000}}
    assert post(Client(), big, address=address).status_code == 413
    assert logged() == []


def test_one_client_cannot_flood_the_log(settings, address, logged):
    settings.CSP_REPORTS_PER_MINUTE = 3
    client = Client()
    answers = [post(client, REPORT_URI_BODY, address=address).status_code for _ in range(5)]
    assert answers == [204, 204, 204, 429, 429]
    assert len(logged()) == 3
    # Another client is still heard.
    assert post(client, REPORT_URI_BODY, address=address + "1").status_code == 204


def test_a_report_is_only_posted(address):
    assert Client().get(URL, REMOTE_ADDR=address).status_code == 405
