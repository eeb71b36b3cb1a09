"""What the committee pack says, read from its PDF: every section and figure of the constructed year
(tests/reporting/committee_year.py), a contents page with page numbers, the charts, the visit
reports in the appendix, and no child named in the report itself.

Making the pack takes seconds, and these tests only read it, so it is made once for the module from
records that are undone at the end (as in tests/qa_portal/test_page_access.py)."""

import re

import pytest
from django.db import transaction

from qa_portal.reporting.committee import figures
from qa_portal.reporting.committee import pack as committee_pack
from tests.reporting.committee_year import END, START, build_year
from tests.reporting.test_committee_pack import NARRATIVE, pages_of
from visits.models import Visit
from visits.selectors import visit_with_report_data
from visits.views.report import render_report

# Each test in a transaction of its own, inside the module's, which holds the year and its pack.
pytestmark = pytest.mark.django_db

SECTIONS = [
    "1. Introduction",
    "2. Quality Assurance Visits",
    "3. Commissioning Review Meetings",
    "4. Impact and Outcomes",
    "5. You Said, We Did",
    "6. Focus on children with Special Educational Needs",
    "7. Learning",
    "8. Future Plans",
    "9. Ofsted Ratings of the Providers We Use",
    "Appendix: Quality Assurance Visit Reports",
]


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker):
    """The year's records and its pack's pages, made once and undone at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        year = build_year()
        source = committee_pack.PackSource(
            title=figures.default_title(START, END), period_start=START, period_end=END, version=2, **NARRATIVE
        )
        pdf, _ = committee_pack.build_pack(source)
        yield year, pages_of(pdf)
        transaction.set_rollback(True)


@pytest.fixture
def year(made):
    return made[0]


@pytest.fixture
def pack(made):
    return made[1]


def _page_of(pages: list[str], heading: str, *, after: int = 2) -> int:
    """The page number (from 1) where a heading first appears after the contents."""
    return next(n for n, text in enumerate(pages, start=1) if n > after and heading in text)


# What the pack says


def test_the_title_page_names_the_authority_the_report_and_its_author(pack):
    title = pack[0]
    assert "City of London Corporation" in title
    assert "Quality Assurance of Care Providers Annual Report 2024-25" in title
    assert "Author: Laura Dennison, Head of Safeguarding and Quality Assurance" in title
    assert "1 April 2024 to 31 March 2025" in title
    assert "Version 2" in title


def test_the_contents_page_gives_each_section_its_page_number(pack):
    contents = pack[1]
    assert "Table of Contents" in contents
    for heading in SECTIONS:
        found = re.search(re.escape(heading) + r"[ .]*(\d+)", contents)
        assert found, heading
        assert int(found.group(1)) == _page_of(pack, heading), heading
    # The visit reports are listed too, each with its page.
    for entry in ("A1. Alder Fostering, 10 May 2024", "A2. Birch House Homes, 12 September 2024"):
        assert re.search(re.escape(entry) + r"[ .]*\d+", contents), entry


def test_every_section_holds_its_figures(pack):
    text = " ".join(pack[2:])
    for heading in SECTIONS:
        assert heading in text
    for expected in [
        # 2. QA visits
        "Over the period 3 visits were completed to 2 care providers, meeting 4 children and young people: 40% of "
        "the 10 children in care and care leavers placed with providers during the period.",
        "Visits completed 3",
        "Share met on a visit 40%",
        "On 10 May 2024 Chris Palmer, Assistant Director, People's Services, visited Alder Fostering",
        "They met 2 children in care, aged 13 and 15",
        "Carers who know the children well.",
        "3 recommendations were made.",
        # 3. Review meetings
        "7 commissioning review meetings fell due in the period and 6 were held (86%).",
        "Quarterly 4 3",
        "Half-yearly 2 2",
        "Alder Fostering Quarterly 4 3 4 November 2024",
        # 4. Impact
        "7 recommendations were made in the period: 2 completed, 1 in progress, 1 open and not yet due, 2 overdue "
        "and 1 not accepted.",
        "Both children now choose a club each term; one has joined the swimming team.",
        "His review was held in October and his plan now says where he will live at 18.",
        # 5. SEND
        "Of the 2 children and young people with an Education, Health and Care Plan (EHCP) placed during the "
        "period, 1 was visited (50%).",
        "Alder Fostering (independent fostering agency)",
        # 9. Ofsted
        "Independent fostering agency 0 1 0 0 0 n/a n/a n/a 1",
        "Supported accommodation n/a n/a n/a n/a 0 0 1 0 1",
        # 9. Risk ratings (no provider of this made-up year was ever rated)
        "Risk ratings of the providers we use",
    ]:
        assert expected in text, expected
    # 9. Risk ratings: no provider of this made-up year was ever rated, so the pack says so rather than
    # give a table of noughts.
    assert "Providers by risk rating on 31 March 2025" not in text
    assert "None of the 4 providers we used had a risk rating on 31 March 2025: ratings began later." in text


def test_the_narrative_drafted_on_the_page_is_in_its_sections(pack):
    text = " ".join(pack)
    introduction = text.index("1. Introduction")
    assert text.index(NARRATIVE["introduction"]) > introduction
    assert text.index(NARRATIVE["learning"]) > text.index("7. Learning")
    assert "• Visits will continue at about six a year." in text or "Visits will continue at about six a year." in text
    assert "Young Inspectors will join the visits." in text


def test_the_charts_are_drawn_into_the_pdf(pack):
    text = " ".join(pack)
    assert "QA visits by month" in text
    assert "Recommendations by where they stand" in text
    # Axis labels only the chart has (the table says "Apr 2024").
    assert "Apr 24" in text and "Mar 25" in text


def test_every_page_is_marked_official_sensitive_and_numbered(pack):
    total = len(pack)
    for number, text in enumerate(pack, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2, number
        assert f"Page {number} of {total}" in text


def test_the_appendix_holds_each_visit_report_printed_by_the_single_reports_template(pack, year):
    appendix = " ".join(pack[_page_of(pack, SECTIONS[-1]) - 1 :])
    assert appendix.count("Quality assurance visit report") == 3
    for visit in year.visits:
        visit = visit_with_report_data(Visit.objects.all()).get(pk=visit.pk)
        single = " ".join(pages_of(render_report(visit, viewer=None, young_people_shown=False)))
        for line in ("Why this provider was chosen", "Young people we met", "The visit's path", visit.overall_summary):
            assert line in single and line in appendix
        assert f"{visit.provider.name}, {visit.visit_date:%-d %B %Y}" in appendix


def test_the_report_itself_never_names_a_child(pack, year):
    after_contents = " ".join(pack[2:])
    main = " ".join(pack[:2]) + after_contents[: after_contents.index(SECTIONS[-1])]
    for person in year.people:
        assert person.case_record_id not in main
        assert person.initials not in main.split()
