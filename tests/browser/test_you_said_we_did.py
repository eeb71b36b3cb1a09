""" "You said, we did" (issue 17), in a real browser: a visitor marks what a young person asked for in
the section of young people's views, raises a recommendation from it, completes it with an impact
statement, and the young person's words and the impact then stand together on the provider's "You
said, we did" page, in the committee pack (a pack of this one visit, the cheapest there is) and in the
young person's letter, which names no other child."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from qa_portal.periods import FinancialYear
from qa_portal.reporting.committee import pack as committee_pack
from reviews.models import Recommendation
from tests.axe import assert_accessible
from tests.factories import PlacementFactory, SettingFactory, VisitFactory, YoungPersonFactory
from tests.pages import mentions
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAID = "I want to learn to cook properly before I move out."
IMPACT = "She now cooks the evening meal with her keyworker every Tuesday and has a cookbook of her own."


def _flat(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


def test_a_quote_marked_on_a_visit_and_its_impact_appear_together_everywhere(page, qa_lead, provider):
    today = timezone.localdate()
    setting = SettingFactory(provider=provider)
    ab, cd = YoungPersonFactory(initials="AB"), YoungPersonFactory(initials="CD")
    for person in (ab, cd):
        PlacementFactory(young_person=person, provider=provider, setting=setting, start_date=today - timedelta(200))
    visit = VisitFactory(provider=provider, setting=setting, lead_visitor=qa_lead, visit_date=today - timedelta(1))
    visit.young_people_met.add(ab, cd)

    sign_in(page, qa_lead)
    page.goto(f"/visits/{visit.pk}/sections/4/")
    page.get_by_role("link", name="Mark something a young person asked for").click()
    page.get_by_label("Which young person said it?").select_option(label=f"AB, aged {ab.age_on(visit.date)}")
    page.get_by_label("What they said or asked for").fill(SAID)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("AB said:")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Raise a recommendation from this").click()
    expect(page.get_by_label("Does it answer something a young person asked for? (optional)")).to_contain_text(SAID)
    page.get_by_label("Recommendation", exact=True).fill("Give AB a weekly cooking session with her keyworker.")
    page.get_by_label("Owner").select_option(value=str(qa_lead.pk))
    due = today + timedelta(days=30)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Save recommendation").click()
    expect(page.get_by_text("Recommendation added")).to_be_visible()
    recommendation = Recommendation.objects.get(you_said__said=SAID)
    assert recommendation.young_person == ab

    page.goto(f"/recommendations/{recommendation.pk}/complete/")
    page.get_by_label("What difference did this make for the child or young person?").fill(IMPACT)
    page.get_by_role("button", name="Complete the recommendation").click()
    expect(page.get_by_text("Recommendation completed")).to_be_visible()

    page.goto(f"/providers/{provider.pk}/you-said-we-did/")
    pair = page.locator(".app-you-said").filter(has_text=SAID)
    expect(pair).to_contain_text(IMPACT)
    assert_accessible(page)

    letter = page.request.get(f"/visits/{visit.pk}/letters/{ab.pk}.pdf")
    assert letter.ok and letter.headers["content-type"] == "application/pdf"
    text = _flat(letter.body())
    assert SAID in text and IMPACT in text and "For AB" in text
    assert not mentions(text, "CD") and cd.case_record_id not in text

    year = FinancialYear.containing(today)
    source = committee_pack.PackSource(title="Annual report", period_start=year.start, period_end=year.end)
    pdf, _ = committee_pack.build_pack(source, processes=0)
    section = _flat(pdf).split("5. You Said, We Did")[-1].split("6. Focus on children")[0]
    assert f"You said: {SAID}" in section and f"We did: {IMPACT}" in section
    assert not mentions(section, "AB")
