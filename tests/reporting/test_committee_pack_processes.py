"""A committee pack of more than a few parts is laid out by processes of its own (issue 15:
qa_portal.pdf_processes), which must work where the pack is made: in a Celery worker's pool process
(prefork, as the README deploys the worker), whose processes are daemonic and may not have children
of multiprocessing's own. The pack it makes has every visit report in order, on the page the contents
gives, and every page numbered out of the whole pack."""

import re
from datetime import timedelta

import pytest

from qa_portal.reporting.committee import services
from qa_portal.reporting.models import CommitteePackVersion, PackStatus
from tests.factories import VisitFactory
from tests.pdf_reading import quick_pages_of as pages_of
from tests.processes import wait_until
from tests.reporting.committee_year import END, START, build_year
from tests.reporting.test_committee_pages import grant_packs
from visits.models import Visit

pytestmark = pytest.mark.django_db

VISITS = 36  # the year's 3 and 33 more: the first report and 4 parts of visit reports


def _status(version_id: int) -> str:
    return CommitteePackVersion.objects.values_list("status", flat=True).get(pk=version_id)


@pytest.mark.processes
def test_a_prefork_worker_makes_a_pack_laid_out_by_processes_of_its_own(manager, start_worker):
    year = build_year()
    setting = year.visits[0].setting
    for n in range(VISITS - 3):
        day = START + timedelta(days=7 + n * 10)
        VisitFactory(
            provider=setting.provider, setting=setting, planned_date=day, visit_date=day, status="submitted",
            lead_visitor=year.lead, overall_judgement="yes", overall_summary=f"The visit numbered {n} went well.",
        )  # fmt: skip
    visits = list(Visit.objects.held_between(START, END).select_related("provider").order_by("visit_date", "pk"))
    assert len(visits) == VISITS
    worker = start_worker(pool="prefork")
    report = services.committee_report_create(by=grant_packs(manager), title="", period_start=START, period_end=END)

    version = services.committee_pack_generate(report=report, by=manager)
    wait_until(lambda: _status(version.pk) in (PackStatus.DONE, PackStatus.FAILED), 600, "the pack was made", 0.5)
    done = CommitteePackVersion.objects.get(pk=version.pk)

    assert done.status == PackStatus.DONE, done.error
    assert f"Committee pack of {VISITS} visits: laid out in 2 processes" in worker.output()
    pages = pages_of(bytes(done.pdf))
    contents = " ".join(pages[1:3])  # the contents of 45 entries take two pages
    for number, visit in enumerate(visits, start=1):
        entry = f"A{number}. {visit.provider.name}, {visit.visit_date:%-d %B %Y}"
        listed = re.search(re.escape(entry) + r"[ .]*(\d+)", contents)
        assert listed, entry
        page = int(listed.group(1))
        assert re.search(rf"APPENDIX A{number}\b", pages[page - 1]), entry
        assert f"{visit.provider.name}, {visit.visit_date:%-d %B %Y}" in pages[page - 1]
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text, number
