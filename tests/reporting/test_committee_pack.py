"""The committee pack as a PDF, made by a real Celery worker while the web request returns at once,
and by the `committee_pack` command. What the pack says: test_committee_pack_contents.py."""

import socket
import time
from io import BytesIO, StringIO

import kombu.pools
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from qa_portal.celery import app
from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import build, services
from qa_portal.reporting.committee import pack as committee_pack
from qa_portal.reporting.models import CommitteePackVersion, PackStatus
from tests.factories import VisitFactory, YoungPersonFactory
from tests.pdf_reading import text_of_pdf
from tests.reporting.committee_year import END, START, build_year
from tests.reporting.test_committee_pages import URLS, grant_packs
from visits.models import Visit

pytestmark = pytest.mark.django_db

NARRATIVE = {
    "introduction": "In March 2024 senior leaders agreed to visit care providers in person.",
    "learning": "Monthly visits were not practical; six a year felt proportionate.",
    "future_plans": "- Visits will continue at about six a year.\n- Young Inspectors will join the visits.",
}


@pytest.fixture
def year():
    return build_year()


def pages_of(pdf: bytes) -> list[str]:
    """Each page's text, whitespace folded, so words wrapped onto a new line still match."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


# Making it in the background


def _wait_for(version_id: int, timeout: float) -> CommitteePackVersion:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version = CommitteePackVersion.objects.defer("pdf").get(pk=version_id)
        if version.is_finished:
            return CommitteePackVersion.objects.get(pk=version_id)
        time.sleep(0.2)
    raise AssertionError(f"version {version_id} was not finished after {timeout} seconds")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_pack_and_keeps_it_with_progress_100(celery_worker, manager):
    build_year()
    report = services.committee_report_create(by=manager, title="", period_start=START, period_end=END)
    version = services.committee_pack_generate(report=report, by=manager)
    done = _wait_for(version.pk, 90)
    assert done.status == PackStatus.DONE, done.error
    assert (done.progress, done.progress_message) == (100, "Ready to download")
    assert bytes(done.pdf).startswith(b"%PDF")
    assert done.pdf_size == len(done.pdf)
    assert done.figures["visits"] == 3 and done.figures["share_met"] == 40
    assert done.started_at <= done.finished_at
    assert "Version 1, generated" in pages_of(bytes(done.pdf))[0]


def test_a_failure_marks_the_version_failed_with_the_error(monkeypatch, manager):
    report = services.committee_report_create(by=manager, title="", period_start=START, period_end=END)
    version = services.committee_pack_generate(report=report, by=manager)  # not sent: never committed here

    def broken(*args, **kwargs):
        raise RuntimeError("the layout broke")

    monkeypatch.setattr(committee_pack, "render_html", broken)
    assert build.committee_pack_build(version_id=version.pk) == "failed"
    version.refresh_from_db()
    assert version.status == PackStatus.FAILED
    assert version.error == "RuntimeError: the layout broke"
    assert version.pdf is None and version.finished_at


def test_a_version_is_made_once_however_often_its_message_arrives(manager):
    report = services.committee_report_create(by=manager, title="", period_start=START, period_end=END)
    version = services.committee_pack_generate(report=report, by=manager)
    assert build.committee_pack_build(version_id=version.pk) == "done"
    made = CommitteePackVersion.objects.get(pk=version.pk).finished_at
    assert build.committee_pack_build(version_id=version.pk) is None
    assert CommitteePackVersion.objects.get(pk=version.pk).finished_at == made


@pytest.mark.urls(URLS)
@pytest.mark.django_db(transaction=True)
def test_a_pack_of_50_visits_is_made_without_the_web_request_waiting(client, manager, celery_worker, monkeypatch):
    year = build_year()
    provider, setting = year.providers["alder"], year.visits[0].setting
    people = [YoungPersonFactory(case_record_id=f"83{n:05d}") for n in range(10)]
    for person in people:
        person.placements.create(provider=provider, setting=setting, start_date=START)
    for n in range(47):
        visit = VisitFactory(
            provider=provider, setting=setting, planned_date=START, visit_date=START.replace(day=1 + n % 28),
            status="submitted", lead_visitor=year.lead, overall_judgement="yes", overall_summary=f"Visit {n}.",
        )  # fmt: skip
        visit.young_people_met.set(people[n % 10 : n % 10 + 1])
    assert Visit.objects.exclude(status="draft").filter(visit_date__range=(START, END)).count() == 50

    rendered = []
    real_render = committee_pack.render_html

    def timed_render(*args, **kwargs):
        pdf = real_render(*args, **kwargs)
        rendered.append(time.monotonic())
        return pdf

    monkeypatch.setattr(committee_pack, "render_html", timed_render)
    report = services.committee_report_create(by=grant_packs(manager), title="", period_start=START, period_end=END)
    client.force_login(manager)
    started = time.monotonic()
    response = client.post(reverse("committee:pack_generate", args=[report.pk]))
    returned = time.monotonic()
    version = report.versions.get()
    assert response.status_code == 302
    # When the page answered, no PDF existed and none had been laid out: the worker does that.
    assert CommitteePackVersion.objects.filter(pk=version.pk, pdf__isnull=True).exists()
    assert rendered == []
    done = _wait_for(version.pk, 240)
    assert done.status == PackStatus.DONE, done.error
    assert rendered and rendered[0] > returned
    assert returned - started < 5
    assert done.figures["visits"] == 50
    assert len(PdfReader(BytesIO(bytes(done.pdf))).pages) > 50


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down(settings):
    """The broker unreachable, as if Redis had stopped."""
    dead = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.REDIS_URL = dead
    original = app.conf.broker_url
    app.conf.broker_url = dead
    _fresh_connections()
    yield
    app.conf.broker_url = original
    _fresh_connections()


def _fresh_connections():
    # Close and forget every pooled connection, as Celery does after a fork, so the next message
    # connects to the broker now configured. Closing only app.pool would leave kombu's shared pool
    # for the real broker closed, and later tests would find it refusing connections.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.urls(URLS)
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_page_works_and_the_version_waits_to_be_sent_again(client, manager, broker_down):
    report = services.committee_report_create(by=grant_packs(manager), title="", period_start=START, period_end=END)
    client.force_login(manager)
    started = time.monotonic()
    response = client.post(reverse("committee:pack_generate", args=[report.pk]), follow=True)
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert "Version 1 of the pack is queued" in response.text
    assert "the background worker could not be reached" in response.text
    assert "Try again" in response.text
    version = report.versions.get()
    assert version.status == PackStatus.QUEUED
    # Sending it again while still down keeps it waiting, and the page still works.
    again = client.post(reverse("committee:version_resend", args=[report.pk, version.pk]), follow=True)
    assert again.status_code == 200
    assert "Version 1 has been sent to the background worker again" in again.text
    assert "the background worker could not be reached" in again.text
    assert CommitteePackVersion.objects.get(pk=version.pk).status == PackStatus.QUEUED


# The command


def test_the_command_writes_the_pack_as_a_pdf(year, tmp_path):
    out = tmp_path / "pack.pdf"
    stdout = StringIO()
    call_command(
        "committee_pack",
        "--from",
        "2024-04-01",
        "--to",
        "2025-03-31",
        "--out",
        str(out),
        stdout=stdout,
        stderr=StringIO(),
    )
    text = text_of_pdf(out.read_bytes())
    assert "Quality Assurance of Care Providers Annual Report 2024-25" in text
    assert "3 visits were completed" in text
    assert "The introduction has not been written yet." in text
    assert "3 visits, 4 children and young people met (40% of 10)" in stdout.getvalue()


def test_the_command_uses_the_narrative_of_the_report_for_that_period(year, tmp_path, manager):
    report = services.committee_report_create(by=manager, title="Our year", period_start=START, period_end=END)
    report.introduction = NARRATIVE["introduction"]
    report.save()
    out = tmp_path / "pack.pdf"
    call_command(
        "committee_pack",
        "--from",
        "2024-04-01",
        "--to",
        "2025-03-31",
        "--out",
        str(out),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    text = text_of_pdf(out.read_bytes())
    assert "Our year" in text and NARRATIVE["introduction"] in text


def test_without_dates_the_command_makes_the_last_full_financial_years_pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stdout = StringIO()
    call_command("committee_pack", stdout=stdout, stderr=StringIO())
    year = FinancialYear.last_full()
    out = tmp_path / f"committee-pack-{year.label}.pdf"
    assert f"Wrote {out.name}" in stdout.getvalue()
    assert f"Annual Report {year.label}" in text_of_pdf(out.read_bytes())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2024-04-01"], "Give both --from and --to"),
        (["--from", "2024-13-01", "--to", "2025-03-31"], "--from must be a date as YYYY-MM-DD"),
        (["--from", "2024-04-01", "--to", "31/03/2025"], "--to must be a date as YYYY-MM-DD"),
        (["--from", "2025-04-01", "--to", "2025-03-31"], r"--from \(01/04/2025\) must be on or before --to"),
        (["--from", "2024-04-01"], "Give both --from and --to, or neither"),
    ],
)
def test_the_command_refuses_dates_it_cannot_use(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("committee_pack", *arguments, "--out", str(tmp_path / "pack.pdf"))
    assert not (tmp_path / "pack.pdf").exists()


def test_the_command_refuses_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "committee_pack", "--from", "2024-04-01", "--to", "2025-03-31", "--out", str(tmp_path / "no" / "p.pdf")
        )
