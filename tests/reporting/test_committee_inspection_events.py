"""The committee pack's Ofsted table counts each setting by its latest full inspection's judgement: a later
monitoring or assurance visit never moves it (OfstedInspectionQuerySet.deciding, the one rule)."""

import pytest

from qa_portal.reporting.committee import counting
from tests.factories import InspectionFactory, PlacementFactory, ProviderFactory, SettingFactory
from tests.reporting.committee_year import END, START

pytestmark = pytest.mark.django_db


def homes_row():
    figures = counting.committee_figures(START, END)
    return next(row for row in figures.ofsted_rows if row.provision_type == "Children's home").cells


def test_a_later_visit_does_not_move_a_setting_in_the_ofsted_table():
    fir = ProviderFactory(name="Fir Homes", provision_types=["childrens_home"])
    home = SettingFactory(provider=fir, setting_type="childrens_home")
    InspectionFactory(setting=home, judgement=4, inspection_date=START)
    PlacementFactory(provider=fir, setting=home, start_date=START)
    assert homes_row()[:5] == [0, 0, 0, 1, 0]

    InspectionFactory(setting=home, judgement=1, inspection_date=END, event_type="monitoring")

    assert homes_row()[:5] == [0, 0, 0, 1, 0]
