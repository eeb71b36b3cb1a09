"""The compliance overview: each provider in use with the ratings of its latest review meeting
held, its last visit, next review and recommendations; filters, sorts, exports, who may see it,
and a fixed number of queries."""

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from providers.models import ProviderStatus
from qa_portal.roles import Role
from reviews.models import ComplianceArea, ComplianceCheck, MeetingStatus, ReviewMeeting
from tests.factories import (
    InspectionFactory,
    PlacementFactory,
    ProviderFactory,
    RecommendationFactory,
    SettingFactory,
    VisitFactory,
)
from tests.pages import heading

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reviews:compliance_overview")
SAFEGUARDING = ComplianceArea.SAFEGUARDING_NOTIFICATIONS
AREA_LABELS = [label for _, label in ComplianceArea.choices]


def today():
    return timezone.localdate()


def place(provider, count=1):
    for _ in range(count):
        PlacementFactory(provider=provider, start_date=today() - timedelta(days=200))


def held(provider, days_ago, rags=None, *, due_days_ago=None):
    """A review meeting held `days_ago`, rated green in every area but those in `rags`."""
    held_on = today() - timedelta(days=days_ago)
    meeting = ReviewMeeting.objects.create(
        provider=provider,
        cadence="quarterly",
        placement_volume=4,
        due_date=today() - timedelta(days=due_days_ago if due_days_ago is not None else days_ago),
        status=MeetingStatus.HELD,
        held_at=timezone.make_aware(datetime.combine(held_on, time(10, 0))),
    )
    rags = rags or {}
    for area in ComplianceArea.values:
        ComplianceCheck.objects.create(meeting=meeting, area=area, rag=rags.get(area, "green"))
    return meeting


def scheduled(provider, due_in_days):
    return ReviewMeeting.objects.create(
        provider=provider,
        cadence="quarterly",
        placement_volume=4,
        due_date=today() + timedelta(days=due_in_days),
    )


def rows(response):
    return list(response.context["page"])


def names(response):
    return [row.provider.name for row in rows(response)]


def ratings(row):
    return {rating.area.value: rating.rag for rating in row.ratings}


def test_a_providers_row_shows_the_ratings_of_its_latest_held_meeting(client, commissioning_officer):
    provider = ProviderFactory(name="Fellside Care")
    place(provider, 4)
    held(provider, 200, {SAFEGUARDING: "red", ComplianceArea.PAYMENT: "amber"})
    latest = held(provider, 100, {ComplianceArea.STAFF_RETENTION: "amber", ComplianceArea.SOCIAL_VALUE: ""})
    # An open meeting part-way through being recorded does not count until it is held.
    meeting = scheduled(provider, 30)
    ComplianceCheck.objects.create(meeting=meeting, area=ComplianceArea.STAFF_TRAINING, rag="red")
    client.force_login(commissioning_officer)

    response = client.get(OVERVIEW)

    [row] = rows(response)
    assert row.meeting == latest
    assert ratings(row) == {
        **dict.fromkeys(ComplianceArea.values, "green"),
        ComplianceArea.STAFF_RETENTION: "amber",
        ComplianceArea.SOCIAL_VALUE: "",
    }
    assert not row.has_red
    html = response.text
    # Colour never alone: each tag carries its word, and a blank says "not rated".
    assert '<span class="govuk-visually-hidden">Amber</span>' in html
    assert '<span class="govuk-visually-hidden">Green</span>' in html
    assert '<span class="govuk-visually-hidden">not rated</span>' in html
    assert '<span class="govuk-visually-hidden">Red</span>' not in html
    assert '<abbr title="Safeguarding notifications"' in html


def test_a_provider_never_reviewed_shows_every_area_not_rated(client, commissioning_officer):
    place(ProviderFactory(name="Quayside Youth Housing"), 1)
    client.force_login(commissioning_officer)
    response = client.get(OVERVIEW)
    [row] = rows(response)
    assert row.meeting is None
    assert set(ratings(row).values()) == {""}
    assert "No review held yet" in response.text


def test_it_lists_providers_in_use_with_their_status_but_not_archived_ones(client, commissioning_officer):
    ProviderFactory(name="Active Homes")
    ProviderFactory(name="Stopped Homes", status=ProviderStatus.PLACEMENT_STOP)
    ProviderFactory(name="Avoided Homes", status=ProviderStatus.NOT_TO_BE_USED)
    ProviderFactory(name="Old Homes", status=ProviderStatus.ARCHIVED)
    client.force_login(commissioning_officer)
    response = client.get(OVERVIEW)
    assert names(response) == ["Active Homes", "Avoided Homes", "Stopped Homes"]
    assert "Placement stop" in response.text and "Not to be used" in response.text
    assert client.get(OVERVIEW, {"status": "archived"}).context["page"].paginator.count == 3


def test_the_red_filter_keeps_providers_with_a_red_rating_at_their_latest_review(client, commissioning_officer):
    red_now = ProviderFactory(name="Fellside Care")
    held(red_now, 30, {SAFEGUARDING: "red"})
    red_before = ProviderFactory(name="Foundry Lane")
    held(red_before, 300, {ComplianceArea.COMPLAINTS: "red"})
    held(red_before, 30)
    ProviderFactory(name="Kestrel Fostering")
    client.force_login(commissioning_officer)
    response = client.get(OVERVIEW, {"red": "on"})
    assert names(response) == ["Fellside Care"]
    assert "1 provider matches the filters" in response.text
    assert '<span class="govuk-visually-hidden">Red</span>' in response.text


def overdue_register():
    overdue = ProviderFactory(name="Zephyr Homes")
    place(overdue, 4)
    scheduled(overdue, -10)
    later = ProviderFactory(name="Able Fostering")
    place(later, 4)
    scheduled(later, 40)
    soon = ProviderFactory(name="Mill Lane")
    place(soon, 1)
    held(soon, 360)  # annual: due in five days
    ProviderFactory(name="Baker Lodge")  # nobody placed: no routine review
    return overdue


def test_the_overdue_sort_puts_the_review_most_overdue_first(client, commissioning_officer):
    overdue_register()
    client.force_login(commissioning_officer)
    response = client.get(OVERVIEW, {"sort": "next_review"})
    assert names(response) == ["Zephyr Homes", "Mill Lane", "Able Fostering", "Baker Lodge"]
    first = rows(response)[0]
    assert first.review.is_overdue
    assert "Overdue" in response.text
    assert "No routine review" in response.text


def test_the_review_overdue_filter(client, commissioning_officer):
    overdue_register()
    client.force_login(commissioning_officer)
    assert names(client.get(OVERVIEW, {"review_overdue": "on"})) == ["Zephyr Homes"]


def test_it_counts_open_and_overdue_recommendations_and_sorts_by_overdue(client, commissioning_officer):
    calm = ProviderFactory(name="Able Fostering")
    RecommendationFactory(visit=VisitFactory(provider=calm), due_date=today() + timedelta(days=10))
    busy = ProviderFactory(name="Zephyr Homes")
    visit = VisitFactory(provider=busy)
    RecommendationFactory(visit=visit, due_date=today() - timedelta(days=3))
    RecommendationFactory(visit=visit, due_date=today() - timedelta(days=3), status="in_progress")
    RecommendationFactory(visit=visit, due_date=today() + timedelta(days=3))
    RecommendationFactory(
        visit=visit, due_date=today() - timedelta(days=3), status="completed", impact_statement="She moved home."
    )
    client.force_login(commissioning_officer)
    response = client.get(OVERVIEW, {"sort": "overdue_recommendations"})
    assert [(r.provider.name, r.open_recommendations, r.overdue_recommendations) for r in rows(response)] == [
        ("Zephyr Homes", 3, 2),
        ("Able Fostering", 1, 0),
    ]


def test_the_last_visit_is_the_latest_one_made_not_a_draft(client, commissioning_officer):
    provider = ProviderFactory(name="Harbour Lights")
    VisitFactory(provider=provider, status="finalised", visit_date=date(2025, 6, 3))
    VisitFactory(provider=provider, status="submitted", visit_date=date(2025, 9, 17))
    VisitFactory(provider=provider, status="draft", visit_date=date(2025, 11, 1))
    VisitFactory(provider=provider, status="submitted", visit_date=None)
    client.force_login(commissioning_officer)
    response = client.get(OVERVIEW)
    assert rows(response)[0].last_visit == date(2025, 9, 17)
    assert "17 Sep 2025" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "placement_stop"}, ["Fellside Care"]),
        ({"judgement": "4"}, ["Fellside Care"]),
        ({"provision_type": "fostering"}, ["Kestrel Fostering"]),
        ({"sort": "judgement"}, ["Fellside Care", "Kestrel Fostering", "Quayside"]),
        ({"sort": "red"}, ["Quayside", "Fellside Care", "Kestrel Fostering"]),
        ({"status": "bogus", "sort": "nope"}, ["Fellside Care", "Kestrel Fostering", "Quayside"]),
    ],
)
def test_it_filters_and_sorts(client, commissioning_officer, query, expected):
    fellside = ProviderFactory(
        name="Fellside Care", provision_types=["childrens_home"], status=ProviderStatus.PLACEMENT_STOP
    )
    InspectionFactory(setting=SettingFactory(provider=fellside), judgement=4)
    from providers.services import refresh_judgements

    refresh_judgements(fellside)
    kestrel = ProviderFactory(name="Kestrel Fostering", provision_types=["fostering"])
    InspectionFactory(setting=SettingFactory(provider=kestrel), judgement=1)
    refresh_judgements(kestrel)
    quayside = ProviderFactory(name="Quayside", provision_types=["supported_accommodation"])
    held(quayside, 20, {ComplianceArea.PAYMENT: "red"})
    client.force_login(commissioning_officer)
    assert names(client.get(OVERVIEW, query)) == expected


def test_it_paginates_50_to_a_page_keeping_the_filters(client, commissioning_officer):
    for n in range(55):
        ProviderFactory(name=f"Provider {n:02d}", provision_types=["fostering"])
    client.force_login(commissioning_officer)
    first = client.get(OVERVIEW, {"provision_type": "fostering"})
    assert len(rows(first)) == 50
    assert "provision_type=fostering&amp;page=2" in first.text
    assert len(rows(client.get(OVERVIEW, {"provision_type": "fostering", "page": 2}))) == 5


def test_red_first_pages_keep_their_order_and_filters(client, commissioning_officer):
    for n in range(52):
        ProviderFactory(name=f"Provider {n:02d}", provision_types=["fostering"])
    for name in ("Zephyr Homes", "Yew Tree"):
        held(ProviderFactory(name=name, provision_types=["fostering"]), 30, {SAFEGUARDING: "red"})
    held(ProviderFactory(name="Abbey House", provision_types=["childrens_home"]), 30, {SAFEGUARDING: "red"})
    client.force_login(commissioning_officer)
    first = client.get(OVERVIEW, {"provision_type": "fostering", "sort": "red"})
    assert names(first) == ["Yew Tree", "Zephyr Homes", *[f"Provider {n:02d}" for n in range(48)]]
    assert "Showing 1 to 50 of 54" in first.text
    assert "provision_type=fostering&amp;sort=red&amp;page=2" in first.text
    second = client.get(OVERVIEW, {"provision_type": "fostering", "sort": "red", "page": 2})
    assert names(second) == ["Provider 48", "Provider 49", "Provider 50", "Provider 51"]
    assert "Showing 51 to 54 of 54" in second.text


def export_register():
    fellside = ProviderFactory(name="Fellside Care", status=ProviderStatus.PLACEMENT_STOP)
    place(fellside, 2)
    held(fellside, 40, {SAFEGUARDING: "red", ComplianceArea.STAFF_RETENTION: "amber", ComplianceArea.PAYMENT: ""})
    ProviderFactory(name="Kestrel Fostering")
    ProviderFactory(name='=HYPERLINK("http://example.com")')
    return fellside


def test_the_csv_export_holds_the_filtered_rows_with_every_rating_in_words(client, commissioning_officer):
    export_register()
    client.force_login(commissioning_officer)
    response = client.get(reverse("reviews:compliance_export", args=["csv"]), {"red": "on"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="compliance-')
    table = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    header, *body = table
    assert header[:6] == [
        "Provider",
        "Status",
        "Provision types",
        "Current judgement",
        "Active placements",
        "Latest review held",
    ]
    assert header[6:15] == AREA_LABELS
    [row] = body
    record = dict(zip(header, row, strict=True))
    assert record["Provider"] == "Fellside Care"
    assert record["Status"] == "Placement stop"
    assert record["Safeguarding notifications"] == "Red"
    assert record["Staff retention"] == "Amber"
    assert record["Staff recruitment"] == "Green"
    assert record["Payment"] == "Not rated"
    assert record["Latest review held"] == (today() - timedelta(days=40)).strftime("%d/%m/%Y")
    assert record["Review cadence"] == "Half-yearly"


def test_the_xlsx_export_holds_the_rows_with_every_rating_in_words(client, commissioning_officer):
    export_register()
    client.force_login(commissioning_officer)
    response = client.get(reverse("reviews:compliance_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *body = list(sheet.values)
    records = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    # Written as text, a formula shows as typed and never runs: no apostrophe in XLSX (only in CSV).
    assert set(records) == {"Fellside Care", "Kestrel Fostering", '=HYPERLINK("http://example.com")'}
    fellside = records["Fellside Care"]
    assert fellside["Safeguarding notifications"] == "Red"
    assert fellside["Staff retention"] == "Amber"
    assert fellside["Payment"] == "Not rated"
    assert fellside["Latest review held"].date() == today() - timedelta(days=40)
    assert records["Kestrel Fostering"]["Staff recruitment"] == "Not rated"


def test_an_export_cannot_be_made_to_run_a_formula(client, commissioning_officer):
    export_register()
    client.force_login(commissioning_officer)
    response = client.get(reverse("reviews:compliance_export", args=["csv"]))
    assert "'=HYPERLINK" in response.getvalue().decode("utf-8-sig")


def test_an_unknown_export_format_is_not_found(client, commissioning_officer):
    client.force_login(commissioning_officer)
    assert client.get(reverse("reviews:compliance_export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize("user_with_role", [Role.QA_LEAD, Role.MANAGER, Role.SENIOR_LEADER], indirect=True)
def test_staff_who_see_review_meetings_may_open_it(client, user_with_role):
    held(ProviderFactory(name="Fellside Care"), 30, {SAFEGUARDING: "red"})
    client.force_login(user_with_role)
    page = client.get(OVERVIEW)
    assert heading(page) == "Compliance overview"
    assert "Fellside Care" in page.text
    download = client.get(reverse("reviews:compliance_export", args=["csv"]))
    assert "Fellside Care" in download.getvalue().decode("utf-8-sig")


@pytest.mark.parametrize("user_with_role", [Role.PROVIDER_USER, Role.ADMINISTRATOR], indirect=True)
def test_provider_users_and_others_without_the_permission_are_refused(client, user_with_role):
    held(ProviderFactory(name="Fellside Care"), 30, {SAFEGUARDING: "red"})
    client.force_login(user_with_role)
    for url in (
        OVERVIEW,
        reverse("reviews:compliance_export", args=["csv"]),
        reverse("reviews:compliance_export", args=["xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert b"Fellside" not in response.content


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def _make_providers(count):
    for _ in range(count):
        provider = ProviderFactory(provision_types=["childrens_home"])
        place(provider, 2)
        held(provider, 200)
        held(provider, 20, {SAFEGUARDING: "red"})
        scheduled(provider, 160)
        visit = VisitFactory(provider=provider, status="submitted", visit_date=today() - timedelta(days=15))
        RecommendationFactory(visit=visit, due_date=today() - timedelta(days=2))


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


FORMATS = ["page", "csv", "xlsx"]
QUERY_PARAMS = [
    {},
    {"red": "on", "sort": "next_review"},
    {"red": "on", "sort": "overdue_recommendations"},
    {"sort": "next_review"},
    {"review_overdue": "on", "sort": "overdue_recommendations"},
]


def _url(fmt):
    return OVERVIEW if fmt == "page" else reverse("reviews:compliance_export", args=[fmt])


@pytest.fixture(scope="module")
def queries_at_two_sizes(django_db_setup, django_db_blocker):
    """{(fmt, params as a tuple of items): (queries with 3 providers, queries with 28)} for every page and
    download below, measured once for the module in a transaction rolled back at once, so no test here
    sees these providers. Building them once rather than once per case took the cases from 15 builds
    of 28 providers to one. Nothing is kept in the cache inside a transaction that has written
    (qa_portal.table_versions), so each count is what a fresh request makes."""
    from django.db import transaction

    from tests.factories import UserFactory
    from tests.signin import Client

    counts = {}
    with django_db_blocker.unblock(), transaction.atomic():
        client = Client()
        client.force_login(UserFactory(role=Role.COMMISSIONING_OFFICER))
        for size in (3, 25):
            _make_providers(size)
            for fmt in FORMATS:
                for params in QUERY_PARAMS:
                    counts.setdefault((fmt, tuple(params.items())), []).append(_queries(client, _url(fmt), params))
        transaction.set_rollback(True)
    return counts


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("params", QUERY_PARAMS)
def test_the_page_and_exports_run_a_fixed_number_of_queries(queries_at_two_sizes, fmt, params):
    small, large = queries_at_two_sizes[(fmt, tuple(params.items()))]
    assert small > 0
    assert large == small


def _overdue_and_not(count):
    for _ in range(count):
        overdue = ProviderFactory()
        place(overdue, 1)
        held(overdue, 400)  # annual: due 35 days ago
        on_time = ProviderFactory()
        place(on_time, 1)
        held(on_time, 100)


@pytest.mark.parametrize("params", [{"review_overdue": "on"}, {"review_overdue": "on", "sort": "next_review"}])
def test_the_review_overdue_filter_shows_only_overdue_reviews_in_a_fixed_number_of_queries(
    client, commissioning_officer, params
):
    client.force_login(commissioning_officer)
    _overdue_and_not(3)
    small = _queries(client, OVERVIEW, params)
    _overdue_and_not(27)
    assert _queries(client, OVERVIEW, params) == small
    response = client.get(OVERVIEW, params)
    assert response.context["page"].paginator.count == 30
    assert all(row.review.is_overdue for row in rows(response))
    assert len(rows(response)) == 30
