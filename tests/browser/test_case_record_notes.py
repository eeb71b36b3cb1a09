"""In a real browser: the QA lead opens a finalised visit's case-record notes, copies one young
person's note with its button (the clipboard then holds that note and nothing of the other young
person), marks it as recorded, and the visit shows whose case record is still to do."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import VisitFactory
from tests.pages import mentions
from tests.signin import sign_in
from tests.visits.conftest import complete
from visits.models import TemplateQuestion, VisitStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_a_note_and_mark_it_recorded(page, qa_lead, senior_leader, provider, placed):
    km = placed[1]
    visit = complete(VisitFactory(provider=provider, lead_visitor=senior_leader), placed)
    question = TemplateQuestion.objects.get(section__template=visit.template, text="What they like")
    visit.answers.filter(question=question).update(text="JB loves the garden.\nKM likes cooking on Fridays.")
    visit.status = VisitStatus.FINALISED
    visit.save()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    sign_in(page, qa_lead)
    page.goto(visit.get_absolute_url())
    page.get_by_role("link", name="Copy and record the case-record notes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notes for the young people's case records")
    box = page.get_by_label("Note for JB's case record")
    # Grown to show the whole note: nothing to scroll.
    assert box.evaluate("(box) => box.scrollHeight <= box.clientHeight")

    page.get_by_role("button", name="Copy the note for JB").click()
    expect(page.get_by_role("status").filter(has_text="Note copied")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == box.input_value()
    assert "- JB loves the garden." in copied
    assert not mentions(copied, "KM") and km.case_record_id not in copied

    page.get_by_role("button", name="Mark as recorded on JB's case record").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The note for JB is marked as recorded")
    expect(page.get_by_role("button", name="Mark as recorded on JB's case record")).to_have_count(0)
    page.get_by_role("link", name="Back to the visit").click()
    expect(page.locator("#case-records")).to_contain_text(re.compile(r"JB: recorded by Laura Dennison"))
    expect(page.locator("#case-records")).to_contain_text("KM: note not yet recorded")
