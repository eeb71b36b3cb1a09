"""In a real browser: a visit written up and submitted by keyboard alone, every key press counted (issue
14: it took about 250 presses of Tab, most of them to pass the header, the navigation and the list of
sections on every page). Typing the answers is not counted; Tab, Shift+Tab, Enter, Space and the arrows
are. The visitor starts on the visit's page, as planned, and ends with it submitted to the QA lead.

The test moves as a keyboard user does: it presses Tab until the element it wants has the focus, then
answers what it finds there (a box: it types; a radio or check box: Space), so what is counted is what
the pages ask of a person, whatever their layout."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.axe import assert_accessible
from tests.factories import PlacementFactory, VisitFactory, YoungPersonFactory
from tests.signin import sign_in
from visits.models import VisitStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_PRESSES = 120  # the bar, for the whole visit
MOST_PER_TARGET = 40  # Tabs to reach any one thing: more means the page is in the way

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: "body", type: "", text: "", label: "", checked: false};
  const label = e.labels && e.labels.length ? e.labels[0].innerText : (e.getAttribute("aria-label") || "");
  return {
    tag: e.tagName.toLowerCase(),
    type: (e.getAttribute("type") || "").toLowerCase(),
    text: (e.innerText || "").replace(/\\s+/g, " ").trim(),
    label: label.replace(/\\s+/g, " ").trim(),
    checked: Boolean(e.checked),
    value: e.value || "",
  };
}"""


class Keyboard:
    """The keyboard, counting every press but typing. `pages` records the presses made on each page."""

    def __init__(self, page):
        self.page = page
        self.presses: list[str] = []
        self.pages: list[tuple[str, int]] = []
        self._since = 0  # presses before the page now shown

    def press(self, key: str) -> None:
        self.presses.append(key)
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, wanted, what: str) -> dict:
        """Press Tab until `wanted(focused element)` holds; fails after MOST_PER_TARGET presses."""
        for _ in range(MOST_PER_TARGET):
            self.press("Tab")
            focused = self.focused()
            if wanted(focused):
                return focused
        raise AssertionError(f"{MOST_PER_TARGET} presses of Tab did not reach {what} on {self.page.url}")

    def follow(self, key: str = "Enter") -> None:
        """Press a key that loads another page (a link, a button, Enter in a form), and wait for it."""
        leaving = self.page.url
        with self.page.expect_navigation():
            self.press(key)
        self.pages.append((leaving, len(self.presses) - self._since))
        self._since = len(self.presses)


def is_link(text):
    return lambda f: f["tag"] == "a" and f["text"] == text


def is_button(text):
    return lambda f: f["tag"] in ("button", "a") and f["text"] == text


def skip_to_main_content(kb: Keyboard) -> None:
    """The first Tab on a page is its skip link; Enter takes the focus past the header and navigation."""
    kb.tab_to(is_link("Skip to main content"), "the skip link")
    kb.press("Enter")


def type_date(kb: Keyboard, day) -> None:
    """A date in the box that has the focus: one box (dd/mm/yyyy), or GOV.UK's day, month and year."""
    if kb.focused()["label"] == "Day":
        kb.type(f"{day:%d}")
        kb.press("Tab")
        kb.type(f"{day:%m}")
        kb.press("Tab")
        kb.type(f"{day:%Y}")
    else:
        kb.type(f"{day:%d/%m/%Y}")


def write_section(kb: Keyboard) -> None:
    """Answer a section from wherever the focus is after it loads, then Save and continue: every box
    typed in, every first radio and check box chosen."""
    for _ in range(MOST_PER_TARGET):
        kb.press("Tab")
        focused = kb.focused()
        if focused["tag"] == "a" and focused["text"] == "Skip to main content":
            kb.press("Enter")  # arrived without a banner to start from: past the header first
        elif focused["tag"] == "button" and focused["text"] == "Save and continue":
            kb.follow("Enter")
            return
        elif focused["tag"] == "textarea" and not focused["value"]:
            kb.type(f"Seen and discussed with the young people and the manager ({focused['label']}).")
        elif focused["type"] in ("radio", "checkbox") and not focused["checked"]:
            kb.press("Space")
        elif focused["tag"] == "a":
            raise AssertionError(f"Tab left the section's questions for the link {focused['text']!r} on {kb.page.url}")
    raise AssertionError(f"{MOST_PER_TARGET} presses of Tab did not reach Save and continue on {kb.page.url}")


def test_a_visit_is_written_up_and_submitted_by_keyboard_in_under_120_presses(page, senior_leader, provider):
    page.set_default_timeout(30_000)
    today = timezone.localdate()
    person = YoungPersonFactory(initials="JB", case_record_id="7300001")
    PlacementFactory(young_person=person, provider=provider, start_date=today - timedelta(days=300))
    visit = VisitFactory(provider=provider, lead_visitor=senior_leader, planned_date=today - timedelta(days=1))
    sign_in(page, senior_leader.email)
    page.goto(f"/visits/{visit.pk}/")
    assert_accessible(page)
    kb = Keyboard(page)

    # The visit's page: past the header to the task list, then its first section.
    skip_to_main_content(kb)
    kb.tab_to(is_link("1. About the visit"), "section 1 in the task list")
    kb.follow()

    # Section 1: the plan is in; the date of the visit is what is missing. Enter in its box saves and moves on.
    skip_to_main_content(kb)
    kb.tab_to(lambda f: f["label"] in ("Date of the visit", "Day"), "the date of the visit")
    type_date(kb, today - timedelta(days=1))
    kb.follow("Enter")
    # Saving and opening the next section may take more than expect's 5 s on a busy machine.
    expect(page.get_by_role("heading", level=1)).to_have_text("2. Who we met and what we saw", timeout=30_000)

    # Sections 2 to 8, each from the "Section N saved" banner the focus lands on.
    for number in range(2, 9):
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"{number}. ", timeout=30_000)
        write_section(kb)
    expect(page.get_by_role("heading", level=1)).to_have_text("9. Recommendations", timeout=30_000)
    assert_accessible(page)

    # Recommendations are optional: on to check the answers.
    kb.tab_to(is_button("Continue"), "Continue")
    kb.follow()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting the visit")
    assert_accessible(page)

    skip_to_main_content(kb)
    kb.tab_to(is_button("Submit the visit"), "the Submit the visit button")
    kb.follow()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Visit submitted to the QA lead")

    visit.refresh_from_db()
    assert visit.status == VisitStatus.SUBMITTED
    assert visit.visit_date == today - timedelta(days=1)
    assert visit.young_people_met.get() == person
    assert visit.answers.exclude(text="", choice="").count() >= 20
    counted = len(kb.presses)
    breakdown = ", ".join(f"{url.split('/visits/', 1)[-1] or '/'}: {n}" for url, n in kb.pages)
    print(f"\n{counted} key presses ({breakdown})")
    assert counted < MOST_PRESSES, f"{counted} key presses to write up and submit a visit ({breakdown})"


def test_a_missing_answer_on_the_check_page_links_straight_into_its_box(page, senior_leader, visit):
    sign_in(page, senior_leader.email)
    page.goto(f"/visits/{visit.pk}/submit/")
    page.get_by_role("link", name="Answer 'Security'").click()
    expect(page.get_by_label("Security")).to_be_focused()
    page.keyboard.type("Locks and fire doors checked")
    page.get_by_role("button", name="Save and go back to check your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting the visit")
    expect(page.get_by_role("link", name="Answer 'Security'")).to_have_count(0)
    page.get_by_role("link", name="Answer 'Does the young person feel safe in the area?'").click()
    expect(page.get_by_role("radio", name="Yes")).to_be_focused()
