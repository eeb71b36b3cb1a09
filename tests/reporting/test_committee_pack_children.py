"""The committee pack goes to elected members: its appendix of visit reports names no child either
(issue 13), saying how many young people each visit met instead."""

import pytest

from qa_portal.reporting.committee import figures
from qa_portal.reporting.committee import pack as committee_pack
from tests.pdf_reading import pages_of
from tests.reporting.committee_year import END, START, build_year

pytestmark = pytest.mark.django_db


def test_the_appendix_names_no_child_for_elected_members():
    year = build_year()
    source = committee_pack.PackSource(title=figures.default_title(START, END), period_start=START, period_end=END)
    pdf, _ = committee_pack.build_pack(source)
    text = " ".join(pages_of(pdf))
    appendix = text[text.index("Appendix: Quality Assurance Visit Reports", text.index("Appendix") + 1) :]
    assert "Young people we met" in appendix
    assert "Young people are shown only to staff who may see their records." in appendix
    met = {person.initials for visit in year.visits for person in visit.young_people_met.all()}
    assert met
    for initials in met:
        assert initials not in appendix.replace(",", " ").split()
