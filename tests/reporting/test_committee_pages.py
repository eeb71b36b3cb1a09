"""The committee pages: reports, the narrative drafted on the page, the figures previewed, packs
generated in the background and every version downloadable, for managers and the QA lead only."""

import base64
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import counting, services
from qa_portal.reporting.models import CommitteePackVersion, CommitteeReport, PackStatus
from qa_portal.roles import Role
from tests.factories import ProviderFactory, UserFactory, VisitFactory
from tests.pages import form_values, heading
from tests.reporting.committee_year import END, START, build_year

URLS = "qa_portal.urls"  # the committee pages are part of the portal's own URLs

pytestmark = pytest.mark.django_db


def grant_packs(user):
    """The committee pack permission (managers and the QA lead, once qa_portal.roles lists it)."""
    user.user_permissions.add(Permission.objects.get(codename="view_committee_pack"))
    return user


@pytest.fixture
def manager(manager):
    return grant_packs(manager)


@pytest.fixture
def qa_lead(qa_lead):
    return grant_packs(qa_lead)


@pytest.fixture
def report(manager):
    return services.committee_report_create(by=manager, title="", period_start=START, period_end=END)


def make_version(report, *, status=PackStatus.DONE, number=1, pdf=b"%PDF-1.7 the pack", by=None):
    return CommitteePackVersion.objects.create(
        report=report,
        number=number,
        created_by=by,
        period_start=report.period_start,
        period_end=report.period_end,
        status=status,
        progress=100 if status == PackStatus.DONE else 0,
        pdf=pdf if status == PackStatus.DONE else None,
        pdf_size=len(pdf) if status == PackStatus.DONE else None,
    )


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Who may use them


@pytest.mark.parametrize("user_with_role", [Role.MANAGER, Role.QA_LEAD], indirect=True)
def test_managers_and_the_qa_lead_with_the_permission_may_use_every_page(client, user_with_role, report):
    grant_packs(user_with_role)
    version = make_version(report)
    client.force_login(user_with_role)
    reports = client.get(reverse("committee:report_list"))
    assert heading(reports) == "Committee reports"
    assert "Quality Assurance of Care Providers Annual Report 2024-25" in text_of(reports.text)
    assert heading(client.get(reverse("committee:report_create"))) == "Start a committee report"
    detail = client.get(reverse("committee:report_detail", args=[report.pk]))
    assert heading(detail) == "Quality Assurance of Care Providers Annual Report 2024-25"
    visits = client.get(reverse("committee:report_visits", args=[report.pk]))
    assert heading(visits) == "The paragraph about each visit"
    meetings = client.get(reverse("committee:report_meetings", args=[report.pk]))
    assert heading(meetings) == "Meetings due and held, by provider"
    progress = client.get(reverse("committee:version_progress", args=[report.pk, version.pk])).json()
    assert (progress["number"], progress["status"], progress["progress"]) == (1, "done", 100)
    download = client.get(reverse("committee:version_download", args=[report.pk, version.pk]))
    assert download.content == b"%PDF-1.7 the pack"


@pytest.mark.parametrize(
    "user_with_role",
    [Role.SENIOR_LEADER, Role.PROVIDER_USER, Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER, Role.ADMINISTRATOR],
    indirect=True,
)
def test_everyone_else_is_refused(client, user_with_role, report):
    version = make_version(report)
    client.force_login(user_with_role)
    for url in (
        reverse("committee:report_list"),
        reverse("committee:report_create"),
        reverse("committee:report_detail", args=[report.pk]),
        reverse("committee:report_visits", args=[report.pk]),
        reverse("committee:report_meetings", args=[report.pk]),
        reverse("committee:version_progress", args=[report.pk, version.pk]),
        reverse("committee:version_download", args=[report.pk, version.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("committee:pack_generate", args=[report.pk])).status_code == 403
    assert client.post(reverse("committee:report_detail", args=[report.pk]), {"introduction": "x"}).status_code == 403
    assert report.versions.count() == 1


def test_the_manager_role_itself_grants_the_committee_pack(client, report, db):
    client.force_login(UserFactory(role=Role.MANAGER))
    reports = client.get(reverse("committee:report_list"))
    assert heading(reports) == "Committee reports"
    assert "Quality Assurance of Care Providers Annual Report 2024-25" in text_of(reports.text)
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get(reverse("committee:report_list")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, report):
    response = client.get(reverse("committee:report_detail", args=[report.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# The list and starting a report


def test_the_list_shows_each_report_and_its_latest_pack(client, manager, report):
    make_version(report, number=1)
    make_version(report, number=2, pdf=b"%PDF-1.7 newer")
    make_version(report, number=3, status=PackStatus.FAILED)
    client.force_login(manager)
    html = client.get(reverse("committee:report_list")).text
    assert "Quality Assurance of Care Providers Annual Report 2024-25" in html
    assert "Download version 2" in html
    assert "1 Apr 2024 to 31 Mar 2025" in html


def test_starting_a_report_defaults_to_the_last_full_financial_year(client, manager):
    client.force_login(manager)
    year = FinancialYear.last_full()
    shown = form_values(client.get(reverse("committee:report_create")), "")
    for name, day in (("period_start", year.start), ("period_end", year.end)):
        boxes = [shown[f"{name}_{part}"] for part in ("day", "month", "year")]
        assert boxes == [[str(day.day)], [str(day.month)], [str(day.year)]]
    response = client.post(reverse("committee:report_create"), shown)
    report = CommitteeReport.objects.get()
    assert response.url == reverse("committee:report_detail", args=[report.pk])
    assert report.title == f"Quality Assurance of Care Providers Annual Report {year.label}"
    assert (report.created_by, report.updated_by) == (manager, manager)


def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("committee:report_create"),
        {"period_start": "01/04/2025", "period_end": "31/03/2025", "title": "Kept title"},
    )
    assert response.status_code == 200
    assert "The end of the period must be on or after its start" in response.text
    assert "govuk-form-group--error" in response.text
    assert 'value="Kept title"' in response.text
    assert not CommitteeReport.objects.exists()


# The narrative


def _narrative(report, **changes):
    data = {
        "introduction": report.introduction,
        "learning": report.learning,
        "future_plans": report.future_plans,
        "loaded_at": report.updated_at.isoformat(),
    }
    return {**data, **changes}


def test_the_narrative_is_saved_as_a_draft_with_who_and_when(client, qa_lead, report):
    client.force_login(qa_lead)
    response = client.post(
        reverse("committee:report_detail", args=[report.pk]),
        _narrative(report, introduction="Senior leaders visit providers.", future_plans="- Six visits\n- Reviews"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.introduction == "Senior leaders visit providers."
    assert report.future_plans == "- Six visits\n- Reviews"
    assert report.updated_by == qa_lead
    assert report.history.first().history_user == qa_lead
    page = client.get(response.url).text
    assert "Draft saved" in page
    assert "Senior leaders visit providers." in page


def test_a_narrative_too_long_is_refused_beside_its_box_and_nothing_is_lost(client, manager, report):
    client.force_login(manager)
    long_text = "word " * 4001 + "THE END"
    response = client.post(
        reverse("committee:report_detail", args=[report.pk]),
        _narrative(report, learning=long_text, introduction="Kept introduction"),
    )
    assert response.status_code == 200
    assert "Learning must be 20,000 characters or fewer" in response.text
    assert 'href="#id_learning"' in response.text  # the error summary links to the box
    assert "THE END" in response.text
    assert "Kept introduction" in response.text
    # The boxes are GOV.UK character counts with no maxlength, which would cut pasted text short.
    assert 'data-maxlength="20000"' in response.text
    assert not [tag for tag in re.findall(r"<textarea[^>]*>", response.text) if "maxlength" in tag]
    report.refresh_from_db()
    assert report.learning == "" and report.introduction == ""


def test_a_colleagues_save_meanwhile_is_shown_beside_yours_and_never_overwritten_unseen(
    client, manager, qa_lead, report
):
    opened = _narrative(report)
    client.force_login(qa_lead)
    client.post(reverse("committee:report_detail", args=[report.pk]), _narrative(report, introduction="Hers"))
    client.force_login(manager)
    response = client.post(reverse("committee:report_detail", args=[report.pk]), {**opened, "introduction": "Mine"})
    assert response.status_code == 200
    assert "Laura Dennison saved this report" in response.text
    assert "Mine" in response.text and "Hers" in response.text
    report.refresh_from_db()
    assert report.introduction == "Hers"
    # Having seen both, saving again keeps what they chose.
    loaded_at = re.search(r'name="loaded_at" value="([^"]+)"', response.text).group(1)
    client.post(
        reverse("committee:report_detail", args=[report.pk]),
        {**opened, "introduction": "Hers and mine", "loaded_at": loaded_at},
    )
    report.refresh_from_db()
    assert report.introduction == "Hers and mine"


# The figures


def test_the_page_previews_the_figures_the_pack_will_show(client, manager, report):
    build_year()
    client.force_login(manager)
    html = client.get(reverse("committee:report_detail", args=[report.pk])).text
    figures = counting.committee_figures(START, END)
    text = text_of(html)
    for sentence in (
        figures.visits_sentence,
        figures.meetings_sentence,
        figures.recommendations_sentence,
        figures.send_sentence,
    ):
        assert sentence.replace("'", "&#x27;") in text or sentence in text
    assert "40%" in text
    assert "Over the period 3 visits were completed" in text
    # The two charts, drawn as SVG images (data: URLs: inline, their styles would break the page's
    # Content-Security-Policy), with no script in them.
    charts = [
        base64.b64decode(data).decode()
        for data in re.findall(r'<img class="app-chart"\s+src="data:image/svg\+xml;base64,([^"]+)"', html)
    ]
    assert len(charts) == 2
    assert all(chart.startswith("<svg") and "<script" not in chart for chart in charts)
    assert "QA visits by month" in charts[0]


def test_the_paragraph_about_each_visit_and_each_providers_meetings_are_a_link_away(client, manager, report):
    """At a consortium's size they are thousands of paragraphs and rows (megabytes on the report's
    page): each part has a page of its own, linked from the figures, a page of rows at a time."""
    build_year()
    client.force_login(manager)
    figures = counting.committee_figures(START, END)
    html = client.get(reverse("committee:report_detail", args=[report.pk])).text
    visits_url = reverse("committee:report_visits", args=[report.pk])
    meetings_url = reverse("committee:report_meetings", args=[report.pk])
    assert f'href="{visits_url}"' in html and f'href="{meetings_url}"' in html
    text = text_of(html)
    assert "The paragraph about each visit (3 paragraphs, as the pack gives them)" in text
    assert f"Meetings due and held, by provider ({len(figures.meetings_by_provider)} providers)" in text
    assert figures.visit_summaries[0].paragraph not in html

    visits = client.get(visits_url).text
    # Every paragraph, in the pack's order.
    at = [visits.find(f'<p class="govuk-body">{escape(s.paragraph)}</p>') for s in figures.visit_summaries]
    assert -1 not in at and at == sorted(at)
    assert f'href="{reverse("committee:report_detail", args=[report.pk])}#figures"' in visits

    rows = re.findall(r'<td class="govuk-table__cell">([^<]+)</td>', client.get(meetings_url).text)
    assert [row.provider for row in figures.meetings_by_provider] == rows[::2]
    assert [row.cadence for row in figures.meetings_by_provider] == rows[1::2]


def test_a_period_that_cannot_be_counted_sends_its_parts_back_to_the_report(client, manager, report):
    CommitteeReport.objects.filter(pk=report.pk).update(period_start=date(1, 1, 1))
    client.force_login(manager)
    response = client.get(reverse("committee:report_visits", args=[report.pk]))
    assert response.url == reverse("committee:report_detail", args=[report.pk])


# Generating, progress and downloads


def test_generating_queues_a_version_and_lists_who_asked_and_when(
    client, manager, report, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("committee:pack_generate", args=[report.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1  # the task is sent once the version is committed
    version = report.versions.get()
    assert (version.number, version.status, version.created_by, version.pdf) == (1, "queued", manager, None)
    assert (version.period_start, version.period_end) == (START, END)
    html = client.get(response.url).text
    assert "is queued" in html
    assert "Priya Shah" in text_of(html)
    assert "Refresh this page" in html  # without JavaScript
    assert 'data-progress-url="' in html
    client.post(reverse("committee:pack_generate", args=[report.pk]))
    assert list(report.versions.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_the_progress_endpoint_says_where_a_version_has_got_to(client, manager, report):
    version = make_version(report, status=PackStatus.RUNNING)
    CommitteePackVersion.objects.filter(pk=version.pk).update(
        progress=40, progress_message="Gathering the visit reports"
    )
    client.force_login(manager)
    response = client.get(reverse("committee:version_progress", args=[report.pk, version.pk]))
    assert response.json() == {
        "number": 1,
        "status": "running",
        "status_label": "Being made",
        "status_class": "govuk-tag govuk-tag--blue",
        "progress": 40,
        "message": "Gathering the visit reports",
        "finished": False,
        "error": "",
        "download_url": None,
        "resend_url": reverse("committee:version_resend", args=[report.pk, version.pk]),
        "size": None,
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_ready_version_downloads_as_a_pdf_kept_out_of_caches(client, manager, report):
    version = make_version(report)
    client.force_login(manager)
    response = client.get(reverse("committee:version_download", args=[report.pk, version.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == 'attachment; filename="committee-pack-2024-04-01-to-2025-03-31-v1.pdf"'
    assert response.content == b"%PDF-1.7 the pack"


def test_another_reports_version_is_not_found_by_its_id(client, manager, report):
    other = services.committee_report_create(
        by=manager, title="Half year", period_start=date(2025, 4, 1), period_end=date(2025, 9, 30)
    )
    theirs = make_version(other)
    client.force_login(manager)
    assert client.get(reverse("committee:version_download", args=[report.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("committee:version_progress", args=[report.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("committee:version_download", args=[other.pk, theirs.pk])).content == b"%PDF-1.7 the pack"


def test_a_version_not_ready_cannot_be_downloaded(client, manager, report):
    version = make_version(report, status=PackStatus.QUEUED)
    client.force_login(manager)
    assert client.get(reverse("committee:version_download", args=[report.pk, version.pk])).status_code == 404


def test_a_failed_version_shows_its_error(client, manager, report):
    version = make_version(report, status=PackStatus.FAILED)
    CommitteePackVersion.objects.filter(pk=version.pk).update(error="ValueError: the layout broke")
    client.force_login(manager)
    html = client.get(reverse("committee:report_detail", args=[report.pk])).text
    assert "Failed" in html and "ValueError: the layout broke" in html


def test_a_queued_version_can_be_sent_again(client, manager, report, django_capture_on_commit_callbacks):
    version = make_version(report, status=PackStatus.QUEUED)
    client.force_login(manager)
    assert "Try again" in client.get(reverse("committee:report_detail", args=[report.pk])).text
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("committee:version_resend", args=[report.pk, version.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    done = make_version(report, number=2)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("committee:version_resend", args=[report.pk, done.pk]))
    assert callbacks == []  # only a version still waiting is sent again


def test_the_figures_are_kept_for_the_page_and_counted_again_on_request_or_for_the_pack(client, manager, report):
    build_year()
    client.force_login(manager)
    url = reverse("committee:report_detail", args=[report.pk])
    first = text_of(client.get(url).text)
    assert "Over the period 3 visits were completed" in first
    assert f"Counted from the portal's records at {timezone.localtime():%H:}" in first

    # A visit completed since: the page, opened again within minutes, shows the figures it counted...
    on = START + timedelta(days=30)
    VisitFactory(provider=ProviderFactory(), planned_date=on, visit_date=on, status="finalised")
    assert "Over the period 3 visits were completed" in text_of(client.get(url).text)
    # ...until the person asks for them counted again; the pack always counts them afresh.
    again = text_of(client.get(url + "?count=again").text)
    assert "Over the period 4 visits were completed" in again
    assert counting.committee_figures(START, END).visits_sentence.startswith("Over the period 4 visits were completed")


def test_the_paragraphs_page_shows_the_visits_counted_with_the_figures_and_counted_again_with_them(
    client, manager, report
):
    build_year()
    client.force_login(manager)
    url = reverse("committee:report_detail", args=[report.pk])
    visits_url = reverse("committee:report_visits", args=[report.pk])
    client.get(url)
    assert len(re.findall(r'<p class="govuk-body">On ', client.get(visits_url).text)) == 3

    # A visit completed since: the paragraphs are those the report's page shows, until counted again.
    on = START + timedelta(days=30)
    VisitFactory(provider=ProviderFactory(), planned_date=on, visit_date=on, status="finalised")
    assert len(re.findall(r'<p class="govuk-body">On ', client.get(visits_url).text)) == 3
    client.get(url + "?count=again")
    assert len(re.findall(r'<p class="govuk-body">On ', client.get(visits_url).text)) == 4
