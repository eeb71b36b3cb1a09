"""In a real browser, as the administrator: every page of Django admin that a registered model has (its
list, a record's change form, and the add form where one may add) passes axe-core with no serious or
critical violation, breaks no Content-Security-Policy rule, and fits a 1366-pixel-wide screen."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.test import RequestFactory

from qa_portal.models import AccountChange, Notification
from qa_portal.roles import Role
from reviews.models import CadenceThresholds, RiskRule
from tests.axe import assert_accessible
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1366, 768


@pytest.fixture
def records(administrator, qa_lead):
    """At least one record of each registered model, so that each has a change form to open."""
    Notification.objects.create(
        recipient=qa_lead, email=qa_lead.email, kind="test", key="admin", subject="A reminder", body="Body"
    )
    AccountChange.objects.create(
        how=AccountChange.How.ADMIN, account=qa_lead, what="Roles", before="Manager", after="QA lead"
    )
    AccessAttempt.objects.create(
        username="x@example.org", ip_address="127.0.0.1", user_agent="t", failures_since_start=1
    )
    AccessFailureLog.objects.create(username="x@example.org", ip_address="127.0.0.1", user_agent="t")
    CadenceThresholds.current()
    RiskRule.current()


def _admin_pages(user) -> list[str]:
    """Every admin list, change form and add form the administrator may open, by the admin's own rules."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        if not model_admin.has_view_or_change_permission(request):
            continue  # administrators are refused it (the axes access log): nothing of it to show them
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append((info, "changelist", None))
        record = model._default_manager.order_by("pk").first()
        assert record is not None, f"make a {model._meta.label} in the `records` fixture"
        pages.append((info, "change", record.pk))
        if model_admin.has_add_permission(request):
            pages.append((info, "add", None))
    return pages


def test_every_admin_page_is_accessible_and_fits_the_screen(page, administrator, records):
    from django.urls import reverse

    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, administrator)
    pages = _admin_pages(administrator)
    assert len(pages) >= 12, pages
    for name, view, pk in [("admin:index", None, None), *pages]:
        url = reverse(f"{name}_{view}" if view else name, args=[pk] if pk else [])
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("#content h1, #content h2").first.is_visible(), url
        assert_accessible(page)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{url} is {width} pixels wide at {WIDTH}"


def test_the_admin_links_to_the_visit_template_editor(page, administrator):
    sign_in(page, administrator)
    page.goto("/admin/")
    page.get_by_role("link", name="Visit template").last.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Visit template"
    assert_accessible(page)


@pytest.mark.parametrize("role", [Role.PROVIDER_USER, Role.QA_LEAD])
def test_anyone_else_opening_the_admin_sees_the_portals_refusal(page, provider_user, qa_lead, role):
    user = provider_user if role == Role.PROVIDER_USER else qa_lead
    sign_in(page, user)
    response = page.goto("/admin/")
    assert response.status == 403
    assert page.url.endswith("/admin/")
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot do this"
    assert page.get_by_label("Password").count() == 0
    assert_accessible(page)
