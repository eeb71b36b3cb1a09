"""Each role has its own home page and sees only the navigation it may use."""

import re

import pytest
from django.urls import reverse

from providers.models import ProviderStatus
from qa_portal.roles import Role
from tests.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME_HEADINGS = {
    Role.SENIOR_LEADER: "Your quality-assurance visits",
    Role.QA_LEAD: "Quality assurance programme",
    Role.COMMISSIONING_OFFICER: "Commissioning",
    Role.MANAGER: "Overview",
    Role.SOCIAL_WORKER: "Your actions",
    Role.PROVIDER_USER: "Harbour Lights Fostering",
    Role.ADMINISTRATOR: "Administration",
}

NAVIGATION = {
    Role.SENIOR_LEADER: ["Home", "Visits", "Providers"],
    Role.QA_LEAD: ["Home", "Visits", "Providers", "Young people"],
    Role.COMMISSIONING_OFFICER: ["Home", "Visits", "Providers", "Young people", "Imports"],
    Role.MANAGER: ["Home", "Visits", "Providers"],
    Role.SOCIAL_WORKER: ["Home", "Visits", "Providers", "Young people"],
    Role.PROVIDER_USER: ["Home", "Visits"],
    Role.ADMINISTRATOR: ["Home", "Providers", "Users", "Administration"],
}


def nav_labels(html):
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]


@pytest.mark.parametrize("user_with_role", list(Role), indirect=True)
def test_each_role_gets_its_home_and_navigation(client, user_with_role):
    role = user_with_role.primary_role
    client.force_login(user_with_role)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{HOME_HEADINGS[role]}</h1>' in response.text
    assert nav_labels(response.text) == NAVIGATION[role]
    assert f"Signed in as {user_with_role.full_name}" in response.text


def figures(html):
    """The home page's figures as {label: value}."""
    found = re.findall(
        r'<span class="app-figure__value">(.*?)</span>\s*<span class="app-figure__label">(.*?)</span>', html, re.S
    )
    return {label.strip(): value.strip() for value, label in found}


def test_the_qa_lead_sees_how_many_providers_need_their_attention(client, qa_lead):
    ProviderFactory(current_judgement=4)
    ProviderFactory(current_sa_outcome=3)
    ProviderFactory(current_judgement=2, current_sa_outcome=3)
    ProviderFactory(current_judgement=4, status=ProviderStatus.ARCHIVED)
    ProviderFactory(current_judgement=3, current_sa_outcome=2)
    ProviderFactory()
    client.force_login(qa_lead)
    assert figures(client.get(reverse("home")).text)["Providers flagged"] == "3"


def test_someone_without_a_role_is_told_to_ask_for_one(client):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert "Your account has no role yet" in response.text
    assert nav_labels(response.text) == ["Home"]


def test_every_page_carries_the_authority_header_skip_link_phase_banner_and_accessibility_link(client, qa_lead):
    client.force_login(qa_lead)
    html = client.get(reverse("home")).text
    assert "City of London Corporation" in html
    assert 'class="govuk-skip-link"' in html
    assert "govuk-phase-banner" in html
    assert reverse("accessibility") in html
    assert 'id="main-content"' in html
    # Not GOV.UK: no crown, no GOV.UK logotype.
    assert "govuk-header__logotype" not in html
    assert "GOV.UK" not in html


def test_the_accessibility_statement_is_public(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "Accessibility statement for QA Portal" in response.text


def test_an_unknown_page_gets_the_portals_not_found_page(client, qa_lead):
    client.force_login(qa_lead)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_the_qa_lead_sees_this_years_visits_against_the_target(client, qa_lead, provider):
    from datetime import date

    from qa_portal.periods import FinancialYear
    from tests.factories import VisitFactory

    year = FinancialYear.containing(date.today())
    VisitFactory(provider=provider, visit_date=year.start, status="finalised")
    VisitFactory(provider=provider, visit_date=year.start, status="submitted")
    VisitFactory(provider=provider, visit_date=year.start, status="draft")  # not held yet
    VisitFactory(provider=provider, visit_date=year.start.replace(year=year.start.year - 1), status="finalised")
    client.force_login(qa_lead)
    assert figures(client.get(reverse("home")).text)[f"Visits in {year.label}"] == "2 of 6"


def test_a_provider_user_sees_the_reports_awaiting_their_response(client, provider_user, provider, other_provider):
    from tests.factories import VisitFactory

    VisitFactory(provider=provider, status="shared")
    VisitFactory(provider=provider, status="draft")
    VisitFactory(provider=other_provider, status="shared")
    client.force_login(provider_user)
    assert figures(client.get(reverse("home")).text)["Visit reports awaiting your response"] == "1"
