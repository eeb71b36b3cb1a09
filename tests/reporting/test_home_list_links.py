"""The home page's figures link to lists with their filters in the query string: each list
accepts every parameter the link gives (no message of a refused value) and filters by it."""

from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from qa_portal.roles import Role
from tests.reporting.test_committee_pages import URLS, grant_packs
from tests.reporting.test_home import figure_links

pytestmark = pytest.mark.django_db


@pytest.mark.urls(URLS)
@pytest.mark.parametrize("user_with_role", list(Role), indirect=True)
def test_every_figure_that_links_to_a_filtered_list_filters_it(client, user_with_role):
    if user_with_role.primary_role in (Role.MANAGER, Role.QA_LEAD):
        grant_packs(user_with_role)
    client.force_login(user_with_role)
    for label, link in figure_links(client.get(reverse("home")).text).items():
        query = QueryDict(urlsplit(link).query)
        if not query:
            continue
        filterset = client.get(link).context.get("filterset")
        if filterset is None:
            continue  # the admin's own lists
        assert not filterset.form.errors, (label, link)
        assert set(query) <= set(filterset.values), (label, link)
