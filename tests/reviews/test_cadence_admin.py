"""The cadence thresholds in the admin: one row, changed by an administrator, kept in order, and refused to
others."""

import pytest
from django.urls import reverse

from qa_portal.roles import Role
from reviews.models import CadenceThresholds

pytestmark = pytest.mark.django_db


def test_an_administrator_changes_the_thresholds(client, administrator):
    thresholds = CadenceThresholds.current()
    client.force_login(administrator)
    changelist = client.get(reverse("admin:reviews_cadencethresholds_changelist"))
    change_url = reverse("admin:reviews_cadencethresholds_change", args=[thresholds.pk])
    assert changelist.status_code == 302 and changelist.url == change_url
    page = client.get(change_url)
    assert "How often each provider has a commissioning review meeting" in page.text
    assert "Delete" not in page.text
    response = client.post(change_url, {"quarterly_from": "6", "half_yearly_from": "3", "annual_from": "1"})
    assert response.status_code == 302
    thresholds.refresh_from_db()
    assert (thresholds.quarterly_from, thresholds.half_yearly_from, thresholds.annual_from) == (6, 3, 1)


def test_thresholds_out_of_order_are_refused(client, administrator):
    thresholds = CadenceThresholds.current()
    client.force_login(administrator)
    change_url = reverse("admin:reviews_cadencethresholds_change", args=[thresholds.pk])
    response = client.post(change_url, {"quarterly_from": "2", "half_yearly_from": "3", "annual_from": "1"})
    assert response.status_code == 200
    assert "Each threshold must be higher than the next" in response.text
    thresholds.refresh_from_db()
    assert thresholds.quarterly_from == 4


def test_there_is_one_row_of_thresholds_never_added_or_deleted(client, administrator):
    thresholds = CadenceThresholds.current()
    client.force_login(administrator)
    assert client.get(reverse("admin:reviews_cadencethresholds_add")).status_code == 403
    assert client.get(reverse("admin:reviews_cadencethresholds_delete", args=[thresholds.pk])).status_code == 403
    assert CadenceThresholds.objects.count() == 1


@pytest.mark.parametrize("user_with_role", [Role.QA_LEAD, Role.COMMISSIONING_OFFICER], indirect=True)
def test_others_cannot_change_the_thresholds(client, user_with_role):
    thresholds = CadenceThresholds.current()
    client.force_login(user_with_role)
    change_url = reverse("admin:reviews_cadencethresholds_change", args=[thresholds.pk])
    assert client.get(change_url, follow=True).status_code == 403
    client.post(change_url, {"quarterly_from": "9", "half_yearly_from": "5", "annual_from": "2"})
    thresholds.refresh_from_db()
    assert thresholds.quarterly_from == 4
