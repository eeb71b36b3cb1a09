"""The register is changed through the portal's pages only, where a status change needs a
reason and inspections keep the current judgement right: Django admin does not offer it."""

import pytest
from django.urls import reverse

from providers.models import ProviderStatus

pytestmark = pytest.mark.django_db


def test_an_administrator_cannot_change_a_provider_in_the_admin(client, administrator, provider):
    client.force_login(administrator)
    assert "/admin/providers/provider/" not in client.get(reverse("admin:index")).text
    assert client.get(f"/admin/providers/provider/{provider.pk}/change/").status_code == 404
    response = client.post(
        f"/admin/providers/provider/{provider.pk}/change/",
        {"name": provider.name, "status": ProviderStatus.PLACEMENT_STOP, "current_judgement": "4"},
    )
    assert response.status_code == 404
    provider.refresh_from_db()
    assert (provider.status, provider.current_judgement) == (ProviderStatus.ACTIVE, None)
    assert not provider.status_changes.exists()
