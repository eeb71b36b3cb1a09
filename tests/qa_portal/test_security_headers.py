"""Every page carries the Content-Security-Policy, and nothing a signed-in person is shown (a page,
a PDF, a spreadsheet) is kept by the browser or a proxy; the portal's static files still are."""

import pytest
from django.urls import reverse

from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

NEVER_KEPT = {"no-store", "no-cache", "must-revalidate", "private", "max-age=0"}


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_never_kept(response):
    assert cache_directives(response) >= NEVER_KEPT, response.get("Cache-Control")
    assert response["Pragma"] == "no-cache"


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed in", "signed out"])
def test_every_page_carries_the_strict_content_security_policy(client, qa_lead, signed_in):
    if signed_in:
        client.force_login(qa_lead)
    response = client.get(reverse("home") if signed_in else reverse("login"))
    assert response.status_code == 200
    directives = {part.strip() for part in response["Content-Security-Policy"].split(";")}
    assert directives == {
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "report-uri /csp-report/",
        "report-to csp",
    }
    assert response["Reporting-Endpoints"] == 'csp="/csp-report/"'


def test_a_signed_in_page_with_a_childs_details_is_never_kept(client, qa_lead):
    person = YoungPersonFactory(initials="JB")
    client.force_login(qa_lead)
    response = client.get(reverse("providers:young_person_detail", args=[person.pk]))
    assert response.status_code == 200
    assert_never_kept(response)


def test_a_visit_report_pdf_is_never_kept(client, senior_leader, visit):
    client.force_login(senior_leader)
    response = client.get(reverse("visits:report_pdf", args=[visit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_never_kept(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_is_never_kept(client, qa_lead, provider, fmt):
    client.force_login(qa_lead)
    response = client.get(reverse("providers:provider_export", args=[fmt]))
    assert response.status_code == 200
    assert_never_kept(response)


def test_a_static_file_keeps_its_caching(client, qa_lead):
    client.force_login(qa_lead)
    response = client.get("/static/js/app.js")
    assert response.status_code == 200
    assert "no-store" not in cache_directives(response)
    assert "Pragma" not in response


@pytest.mark.parametrize("status", [403, 404])
def test_an_error_page_carries_the_policy_and_is_never_kept(client, provider_user, status):
    # A provider user: refused the tracker (403), and finds no such action plan (404).
    client.force_login(provider_user)
    url = reverse("reviews:tracker") if status == 403 else reverse("reviews:action_plan_detail", args=[999999])
    response = client.get(url)
    assert response.status_code == status
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert_never_kept(response)
