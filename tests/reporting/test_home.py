"""Each role has its own home page and sees only the navigation it may use."""

import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from providers.models import ProviderStatus
from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import services
from qa_portal.reporting.models import CommitteePackVersion, PackStatus
from qa_portal.roles import Role
from reviews.models import ReviewMeeting
from tests.factories import ProviderFactory, RecommendationFactory, UserFactory, VisitFactory
from tests.pages import heading
from tests.reporting.test_committee_pages import URLS, grant_packs

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
    Role.SENIOR_LEADER: ["Home", "Visits", "Tracker", "Reviews", "Providers"],
    Role.QA_LEAD: ["Home", "Visits", "Tracker", "Reviews", "Providers", "Committee pack", "Jobs"],
    Role.COMMISSIONING_OFFICER: ["Home", "Visits", "Tracker", "Reviews", "Providers"],
    Role.MANAGER: ["Home", "Visits", "Tracker", "Reviews", "Providers", "Committee pack"],
    Role.SOCIAL_WORKER: ["Home", "Visits", "Your actions", "Tracker", "Reviews", "Providers"],
    Role.PROVIDER_USER: ["Home", "Visits", "Your recommendations", "Your action plans"],
    Role.ADMINISTRATOR: ["Home", "Providers", "Jobs", "Visit template", "Users", "Administration"],
}

# The pages that share an item of the navigation, as the sub-navigation on each of them lists them
# (an item with one page the role may see has none).
TRACKER = {"Tracker": ["Recommendations", "Action plans", "You said, we did"]}
REVIEWS = {"Reviews": ["Review meetings", "Compliance"]}
VISITS = {"Visits": ["Visits", "Which provider next", "Programme"]}
SUB_NAVIGATION = {
    Role.SENIOR_LEADER: VISITS | TRACKER | REVIEWS,
    Role.QA_LEAD: VISITS | TRACKER | REVIEWS | {"Providers": ["Providers", "Inadequate responses", "Young people"]},
    Role.COMMISSIONING_OFFICER: TRACKER
    | REVIEWS
    | {"Providers": ["Providers", "Inadequate responses", "Young people", "Imports"]},
    Role.MANAGER: {"Visits": ["Visits", "Programme"]} | TRACKER | REVIEWS,
    Role.SOCIAL_WORKER: {"Tracker": ["Recommendations", "You said, we did"]}
    | REVIEWS
    | {"Providers": ["Providers", "Young people"]},
    Role.PROVIDER_USER: {},
    Role.ADMINISTRATOR: {},
}


def nav_labels(html, list_class="govuk-service-navigation__list"):
    nav = re.search(rf'<ul class="{list_class}".*?</ul>', html, re.S)
    if nav is None:
        return []
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<a [^>]*>(.*?)</a>", nav.group(0), re.S)]


def nav_links(html) -> dict[str, str]:
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', html, re.S).group(0)
    return {
        re.sub(r"<[^>]+>", "", label).strip(): href
        for href, label in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', nav, re.S)
    }


@pytest.mark.parametrize("user_with_role", list(Role), indirect=True)
def test_each_role_gets_its_home_and_navigation(client, user_with_role):
    role = user_with_role.primary_role
    client.force_login(user_with_role)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{HOME_HEADINGS[role]}</h1>' in response.text
    assert nav_labels(response.text) == NAVIGATION[role]
    assert f"Signed in as {user_with_role.full_name}" in response.text
    assert nav_labels(response.text, "app-sub-navigation__list") == []  # home is no group's page


@pytest.mark.parametrize("user_with_role", list(Role), indirect=True)
def test_each_group_of_pages_lists_its_pages_on_each_of_them(client, user_with_role):
    role = user_with_role.primary_role
    client.force_login(user_with_role)
    links = nav_links(client.get(reverse("home")).text)
    found = {}
    for label, href in links.items():
        page = client.get(href)
        assert page.status_code == 200, href
        pages = nav_labels(page.text, "app-sub-navigation__list")
        if pages:
            found[label] = pages
            # Each page of the group opens, with the group's item current and its own page current below.
            for sub_href in re.findall(r'class="app-sub-navigation__link"\s+href="([^"]+)"', page.text):
                sub_page = client.get(sub_href).text
                assert nav_labels(sub_page, "app-sub-navigation__list") == pages, sub_href
                assert re.search(rf'href="{sub_href}"\s+aria-current="page"', sub_page), sub_href
                current = re.search(r'aria-current="page">\s*<strong[^>]*>(.*?)</strong>', sub_page, re.S)
                assert current.group(1).strip() == label, sub_href
    assert found == SUB_NAVIGATION[role]


def figures(html):
    """The home page's figures as {label: value}."""
    found = re.findall(
        r'<span class="app-figure__value">(.*?)</span>\s*<span class="app-figure__label">(.*?)</span>', html, re.S
    )
    return {
        label.strip(): re.sub(r"<[^>]+>", "", value.split('<span class="govuk-visually-hidden">')[0]).strip()
        for value, label in found
    }


def figure_links(html):
    """Each figure's link, as {label: href}."""
    found = re.findall(
        r'<li class="app-figure">\s*(?:\{#.*?#\})?\s*<span class="app-figure__value"><a [^>]*href="([^"]+)".*?<span class="app-figure__label">(.*?)</span>',
        html,
        re.S,
    )
    return {label.strip(): unescape(href) for href, label in found}


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
    year = FinancialYear.containing(date.today())
    VisitFactory(provider=provider, visit_date=year.start, status="finalised")
    VisitFactory(provider=provider, visit_date=year.start, status="submitted")
    VisitFactory(provider=provider, visit_date=year.start, status="draft")  # not held yet
    VisitFactory(provider=provider, visit_date=year.start.replace(year=year.start.year - 1), status="finalised")
    client.force_login(qa_lead)
    assert figures(client.get(reverse("home")).text)[f"Visits in {year.label}"] == "2 of 6"


def test_a_provider_user_sees_the_reports_awaiting_their_response(client, provider_user, provider, other_provider):
    VisitFactory(provider=provider, status="shared")
    VisitFactory(provider=provider, status="draft")
    VisitFactory(provider=other_provider, status="shared")
    client.force_login(provider_user)
    assert figures(client.get(reverse("home")).text)["Visit reports awaiting your response"] == "1"


def _meeting(provider, due, *, held=False):
    return ReviewMeeting.objects.create(
        provider=provider,
        cadence="quarterly",
        placement_volume=4,
        due_date=due,
        status="held" if held else "scheduled",
        held_at=timezone.now() if held else None,
    )


def test_the_qa_lead_sees_the_providers_of_concern_and_why(client, qa_lead):
    today = timezone.localdate()
    ProviderFactory(name="Ash Homes", current_judgement=4)
    ProviderFactory(name="Bay Housing", current_sa_outcome=3)
    ProviderFactory(name="Cove Care", status=ProviderStatus.PLACEMENT_STOP)
    VisitFactory(
        provider=ProviderFactory(name="Dale Care"), visit_date=today - timedelta(days=30), status="submitted",
        overall_judgement="no",
    )  # fmt: skip
    _meeting(ProviderFactory(name="Fern Lodge"), today - timedelta(days=1))
    # Not of concern: a "no" followed by a "yes", a "no" still in draft, archived, Good, a meeting not yet due.
    eden = ProviderFactory(name="Eden Care")
    VisitFactory(provider=eden, visit_date=today - timedelta(days=60), status="finalised", overall_judgement="no")
    VisitFactory(provider=eden, visit_date=today - timedelta(days=10), status="submitted", overall_judgement="yes")
    VisitFactory(provider=ProviderFactory(name="Gale"), visit_date=today, status="draft", overall_judgement="no")
    ProviderFactory(name="Holm", current_judgement=4, status=ProviderStatus.ARCHIVED)
    ProviderFactory(name="Ivy", current_judgement=2)
    _meeting(ProviderFactory(name="Juniper"), today + timedelta(days=10))
    client.force_login(qa_lead)
    html = client.get(reverse("home")).text
    assert figures(html)["Providers of concern"] == "5"
    assert figure_links(html)["Providers of concern"] == "#providers-of-concern"
    table = html.split('id="providers-of-concern"', 1)[1]
    rows = re.findall(r">([A-Z][a-z]+ [A-Z][a-z]+)</a>", table)
    assert rows == ["Ash Homes", "Bay Housing", "Cove Care", "Dale Care", "Fern Lodge"]
    for reason in (
        "Ofsted: Inadequate",
        "Ofsted: supported accommodation outcome 3",
        "Placement stop",
        "Latest QA visit: not good enough for my own child",
        "Review meeting overdue",
    ):
        assert reason in table


def test_the_qa_lead_figures_link_to_the_lists_they_count(client, qa_lead, provider):
    year = FinancialYear.containing(timezone.localdate())
    VisitFactory(provider=provider, status="submitted")
    VisitFactory(provider=provider, status="responded")
    VisitFactory(provider=provider, status="responded")
    RecommendationFactory(due_date=timezone.localdate() - timedelta(days=3))
    RecommendationFactory()
    client.force_login(qa_lead)
    html = client.get(reverse("home")).text
    values, links = figures(html), figure_links(html)
    assert (values["Visit reports to share"], values["Visit reports to finalise"]) == ("1", "2")
    assert values["Recommendations overdue"] == "1"
    assert links == {
        f"Visits in {year.label}": f"/visits/?year={year.start.year}",
        "Visit reports to share": "/visits/?status=submitted",
        "Visit reports to finalise": "/visits/?status=responded",
        "Recommendations overdue": "/tracker/?overdue=1",
        "Providers of concern": "#providers-of-concern",
        "High risk providers": "/providers/?risk=3",
        "Concerns not yet closed": "/concerns/?status=not_closed",
        "Latest committee pack": "/committee/",
    }


def test_the_commissioning_officer_sees_reviews_due_this_month_and_overdue(client, commissioning_officer):
    today = timezone.localdate()
    _meeting(ProviderFactory(), today)  # due this month, not yet overdue
    _meeting(ProviderFactory(), today.replace(day=1) - timedelta(days=1))  # last month: overdue
    _meeting(ProviderFactory(), today + timedelta(days=45))
    _meeting(ProviderFactory(), today - timedelta(days=40), held=True)
    client.force_login(commissioning_officer)
    html = client.get(reverse("home")).text
    values, links = figures(html), figure_links(html)
    assert values["Review meetings due this month"] == "1"
    assert values["Review meetings overdue"] == "1"
    assert values["Providers of concern"] == "1"
    assert links["Review meetings due this month"] == "/reviews/?due=this_month"
    assert links["Review meetings overdue"] == "/reviews/?due=overdue"
    assert 'id="providers-of-concern"' in html


def test_a_social_worker_sees_the_actions_flagged_to_them(client, social_worker):
    RecommendationFactory(owner=social_worker, due_date=timezone.localdate() - timedelta(days=1))
    RecommendationFactory(owner=social_worker)
    RecommendationFactory()
    client.force_login(social_worker)
    values = figures(client.get(reverse("home")).text)
    assert (values["Actions open"], values["Actions overdue"]) == ("2", "1")


@pytest.mark.urls(URLS)
def test_the_manager_sees_the_latest_pack_and_downloads_it_from_home(client, manager):
    grant_packs(manager)
    client.force_login(manager)
    assert figures(client.get(reverse("home")).text)["Latest committee pack"] == "None yet"
    report = services.committee_report_create(
        by=manager, title="", period_start=date(2024, 4, 1), period_end=date(2025, 3, 31)
    )
    for number, status in ((1, PackStatus.DONE), (2, PackStatus.DONE), (3, PackStatus.FAILED)):
        CommitteePackVersion.objects.create(
            report=report, number=number, created_by=manager, period_start=report.period_start,
            period_end=report.period_end, status=status, pdf=b"%PDF-1.7" if status == PackStatus.DONE else None,
            pdf_size=8,
        )  # fmt: skip
    html = client.get(reverse("home")).text
    assert figures(html)["Latest committee pack"] == "2024-25"
    link = figure_links(html)["Latest committee pack"]
    second = report.versions.get(number=2)
    assert link == reverse("committee:version_download", args=[report.pk, second.pk])
    assert client.get(link)["Content-Type"] == "application/pdf"


def test_a_senior_leader_sees_no_committee_pack(client, senior_leader):
    client.force_login(senior_leader)
    assert "Latest committee pack" not in figures(client.get(reverse("home")).text)


# The heading of the page a figure opens, by the page's URL name (a provider user's visits page is theirs).
FIGURE_PAGES = {
    "visits:visit_list": "Quality-assurance visits",
    "reviews:tracker": "Recommendation and Impact Tracker",
    "committee:report_list": "Committee reports",
    "reviews:meeting_list": "Commissioning review meetings",
    "reviews:my_actions": "Your actions",
    "reviews:provider_recommendations": "Your recommendations",
    "admin:qa_portal_user_changelist": "Select user to change",
    "admin:axes_accessattempt_changelist": "Select access attempt to view",
    "providers:concern_list": "Concerns",
    "providers:provider_list": "Providers",
}


@pytest.mark.urls(URLS)
@pytest.mark.parametrize("user_with_role", list(Role), indirect=True)
def test_every_figure_links_to_a_page_its_reader_may_open(client, user_with_role):
    if user_with_role.primary_role in (Role.MANAGER, Role.QA_LEAD):
        grant_packs(user_with_role)
    client.force_login(user_with_role)
    html = client.get(reverse("home")).text
    links = figure_links(html)
    assert links, "every role has at least one linked figure"
    for label, link in links.items():
        if link.startswith("#"):
            assert f'id="{link[1:]}"' in html, label
        else:
            page = client.get(link)
            assert page.status_code == 200, (label, link)
            expected = FIGURE_PAGES[resolve(urlsplit(link).path).view_name]
            if user_with_role.primary_role == Role.PROVIDER_USER and expected == "Quality-assurance visits":
                expected = "Visit reports"
            assert heading(page) == expected, (label, link)


def test_the_home_page_lists_the_first_providers_of_concern_and_links_to_them_all(client, qa_lead):
    names = [f"Provider {letter}" for letter in "LKJIHGFEDCBA"]
    for name in names:
        ProviderFactory(name=name, current_judgement=4)
    ProviderFactory(name="Provider Z", current_judgement=2)  # not of concern
    client.force_login(qa_lead)
    html = client.get(reverse("home")).text
    assert figures(html)["Providers of concern"] == "12"
    table = html.split('id="providers-of-concern"', 1)[1]
    assert re.findall(r">(Provider [A-Z])</a>", table) == sorted(names)[:10]
    assert "The first 10 of 12, by name." in table
    link = re.search(r'<a class="govuk-link"\s+href="([^"]+)">See all 12 providers of concern</a>', table)
    assert unescape(link.group(1)) == "/providers/?of_concern=yes"
    listed = client.get(link.group(1)).text
    assert all(name in listed for name in names) and "Provider Z" not in listed


def test_a_short_list_of_providers_of_concern_has_no_link_to_more(client, qa_lead):
    ProviderFactory(name="Ash Homes", current_judgement=4)
    client.force_login(qa_lead)
    html = client.get(reverse("home")).text
    assert "See all" not in html and "The first" not in html
