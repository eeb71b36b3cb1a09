"""The visit report holds whatever people type: long links, addresses and text stay on the page,
a table's header row is on every page it spans, no heading is left alone and no page is blank,
every script young people write in is drawn, and a character no font can draw is reported to the
person who asked for the PDF rather than printed as an empty box (cases 09 and 10 of issue 12)."""

import logging
from datetime import date

import pytest
from django.urls import reverse

from qa_portal.font_coverage import WITHIN
from reviews.models import Recommendation
from tests.pdf_reading import contents, fonts_used, laid_out, pages_of, run_starts, without_spaces
from tests.visits import test_report_pdf
from tests.visits.test_report_pdf import _answer, _pdf
from visits.models import Visit
from visits.selectors import visit_with_report_data
from visits.views.report import render_report_checked

pytestmark = pytest.mark.django_db

visit = test_report_pdf.visit  # the fixture: a visit with every answer, two recommendations and a step

MM = 72 / 25.4  # points in a millimetre
URL = "https://www.example.org/children/reviews/" + "a1b2c3d4e5f6g7h8i9j0" * 13  # 300 characters, no break
EMAIL = "registered.manager.willow.house.children.services@harbour-lights-fostering-example.co.uk"
REFERENCE = "REF-2024-SC654321-000000000000000000000000000000000000000000000001"
# 12,000 characters in one recommendation, each sentence numbered so that every one can be found.
SENTENCE = "Sentence {} of the longest recommendation ever typed into the portal."
LONG = " ".join(SENTENCE.format(n) for n in range(1, 170))[:12000]
# Case 10: young people's words in many scripts and emoji.
CASE_10 = (
    'In his own words: "It\'s lush here 👍😊 but the wifi is rubbish 😡". She wrote in Welsh: '
    "\"Dw i'n hapus yma; mae'r staff yn gwrando arna i. Ŵ ŷ\". Her friend added in Polish: "
    '"Jestem szczęśliwa, żółta ściana w pokoju". In Pashto he said: زه دلته خوښ یم، خو ښوونځی لرې دی. '
    "In Tigrinya she said: ኣብዚ ሓጎስ ይስምዓኒ እዩ።"
)
# Case 09: a provider's action plan taller than a page, in one cell of the recommendations table.
ACTION = (
    "the registered manager will review the supervision record for every member of staff who works with the "
    "young person, check that each record shows reflective discussion of the young person's plan, and report the "
    "result to the responsible individual and to the placing authority's commissioning officer by the end of the "
    "month; where a record falls short, the manager will repeat the supervision within ten working days."
)
CASE_09 = " ".join(f"Action {n}: {ACTION}" for n in range(1, 31)) + " END-OF-PROVIDER-ACTION-PLAN"
RUNNING_TITLE = "Harbour Lights Fostering, 23 April 2024"
RECOMMENDATIONS_HEADER = "Level Recommendation Owner Due Status Provider's response"


def _headings(visit) -> set[str]:
    """Every heading the report prints: the sections, their questions and the fixed ones."""
    headings = {"The visit's path", "Young people we met", "Summary"}
    for section in visit.template.sections.all():
        headings.add(f"{section.number}. {section.title}")
        headings.update(question.text for question in section.questions.all())
    return headings


def _flowing(pdf: bytes) -> str:
    """The document's text as one string without spaces, its page furniture and repeated header rows left
    out, so that a link or sentence carried over onto the next page reads whole."""
    return without_spaces(" ".join(contents(pdf, RUNNING_TITLE)).replace(RECOMMENDATIONS_HEADER, ""))


def _assert_no_page_is_blank_or_only_headings(pdf: bytes, visit) -> None:
    headings = sorted(_headings(visit), key=len, reverse=True)
    for number, text in enumerate(contents(pdf, RUNNING_TITLE), start=1):
        rest = text.replace(RECOMMENDATIONS_HEADER, "")
        for heading in headings:
            rest = rest.replace(heading, "")
        assert rest.strip(), f"page {number} holds nothing but {text!r}"


def _assert_every_word_is_inside_the_page(pdf: bytes) -> None:
    # The words' boxes (poppler) lie within the page's side margins, 18mm, give or take a millimetre;
    # and every run of text starts within the page's box (pypdf).
    for page in laid_out(pdf):
        for word in page.words:
            assert word.left >= 17 * MM and word.right <= page.width - 17 * MM, f"off the page: {word}"
            assert word.top >= 0 and word.bottom <= page.height, f"off the page: {word}"
    for number, x, y, width, height, text in run_starts(pdf):
        assert 0 <= x <= width and 0 <= y <= height, f"page {number}: {text!r} starts at ({x}, {y})"


@pytest.fixture
def typed(visit, senior_leader, provider):
    """The visit with a 300-character link, a long address and reference, case 10's words, and a
    recommendation of 12,000 characters, in answers, label-and-value rows and table cells alike."""
    _answer(visit, f"{CASE_10} See {URL} or write to {EMAIL} quoting {REFERENCE}.")
    visit.others_present = f"Amir Khan, who sent {URL}"
    visit.staff_met = f"The registered manager, {EMAIL}"
    visit.save()
    Recommendation.objects.create(
        source="visit",
        visit=visit,
        provider=provider,
        level="provider_service",
        text=LONG,
        owner=senior_leader,
        due_date=date(2024, 7, 31),
        created_by=senior_leader,
    )
    # Before the long one (by due date), so that its row is not carried over onto the next page
    # beside the long one's, which would put the long one's text in the middle of the link.
    Recommendation.objects.create(
        source="visit",
        visit=visit,
        provider=provider,
        level="provider_service",
        text="Answer the young people's emails within a week.",
        owner=senior_leader,
        due_date=date(2024, 7, 1),
        created_by=senior_leader,
        provider_accepted=True,
        provider_action=f"Read {URL} and reply to {EMAIL} about {REFERENCE}",
    )
    return visit


def test_long_links_addresses_and_text_stay_inside_the_page_and_all_of_them_is_printed(typed):
    pdf = _pdf(typed)
    _assert_every_word_is_inside_the_page(pdf)
    text = _flowing(pdf)
    assert text.count(without_spaces(URL)) == 3  # the answer, the label-and-value row, the provider's action
    assert text.count(EMAIL) == 3
    assert text.count(REFERENCE) == 2
    for n in range(1, 160):
        assert f"Sentence{n}ofthelongestrecommendation" in text, n


def test_a_tables_header_row_is_on_every_page_it_spans_and_no_page_is_blank(typed):
    pdf = _pdf(typed)
    pages = pages_of(pdf)
    spanned = [number for number, text in enumerate(pages, start=1) if "of the longest recommendation" in text]
    assert len(spanned) >= 3
    for number in spanned:
        assert RECOMMENDATIONS_HEADER in pages[number - 1], f"page {number}"
    _assert_no_page_is_blank_or_only_headings(pdf, typed)


def test_a_long_answer_starts_under_its_heading_rather_than_leave_it_alone(visit):
    _answer(visit, LONG)
    _assert_no_page_is_blank_or_only_headings(_pdf(visit), visit)


def test_case_09_a_providers_action_plan_taller_than_a_page(visit):
    # The plan is the first row of the recommendations table: nothing may push it away from its heading.
    Recommendation.objects.exclude(text__startswith="Replace").delete()
    Recommendation.objects.filter(visit=visit).update(provider_action=CASE_09)
    pdf = _pdf(visit)
    _assert_no_page_is_blank_or_only_headings(pdf, visit)
    pages = pages_of(pdf)
    spanned = [number for number, text in enumerate(pages, start=1) if "the registered manager will" in text]
    assert len(spanned) >= 3
    for number in spanned:
        assert RECOMMENDATIONS_HEADER in pages[number - 1], f"page {number}"
    assert without_spaces(CASE_09) in _flowing(pdf)
    _assert_every_word_is_inside_the_page(pdf)


def test_case_10_every_script_and_emoji_is_drawn_and_nothing_is_reported(visit, caplog):
    _answer(visit, CASE_10)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        rendered = render_report_checked(
            visit_with_report_data(Visit.objects.all()).get(pk=visit.pk), viewer=None, young_people_shown=True
        )
    # WeasyPrint says when it draws a character's empty box (.notdef); it must never need to.
    assert not [record for record in caplog.records if "notdef" in record.getMessage()]
    assert rendered.unshown == ()
    assert "Some characters could not be shown" not in " ".join(pages_of(rendered.content))
    text = without_spaces(" ".join(pages_of(rendered.content)))
    assert not [c for c in without_spaces(CASE_10) if c not in text]
    fonts = fonts_used(rendered.content)
    assert {"Noto-Sans-Ethiopic", "Noto-Color-Emoji"} <= fonts
    assert fonts & {"Noto-Sans-Arabic", "Noto-Naskh-Arabic"}, fonts  # Pashto, in a font made for it


def test_a_character_no_font_can_draw_is_listed_on_the_last_page(visit):
    _answer(visit, "The icon \ue000 came from her phone; \u0378 is no character at all.")
    rendered = render_report_checked(
        visit_with_report_data(Visit.objects.all()).get(pk=visit.pk), viewer=None, young_people_shown=True
    )
    assert [(c.codepoint, c.where) for c in rendered.unshown] == [
        ("U+E000", f"4. Young people's views, in their own words{WITHIN}Do they feel safe, happy and listened to?"),
        ("U+0378", f"4. Young people's views, in their own words{WITHIN}Do they feel safe, happy and listened to?"),
    ]
    # pypdf reads a font that lacks some glyphs (WeasyPrint encodes it differently) with NULs between
    # its characters, and misreads its curly quotes: only plain ASCII is compared here.
    last = pages_of(rendered.content)[-1].replace("\x00", "")
    assert "Some characters could not be shown" in last
    assert "U+E000 (a private-use character, with no agreed meaning)" in last
    assert "U+0378 (not a character Unicode has assigned)" in last
    assert "The icon [U+E000] came from her phone; [U+0378] is" in last
    assert "icon [U+E000] came from her phone; [U+0378] is no character at all." in last


def test_the_person_who_downloads_it_is_told_what_could_not_be_shown(client, visit, senior_leader):
    client.force_login(senior_leader)
    response = client.get(reverse("visits:report_pdf", args=[visit.pk]))
    assert response["Content-Type"] == "application/pdf"
    page = client.get(reverse("visits:visit_detail", args=[visit.pk])).content.decode()
    assert "no font on the server can show" not in page

    _answer(visit, "A symbol from her own font: \ue000.")
    response = client.get(reverse("visits:report_pdf", args=[visit.pk]))
    assert response["Content-Type"] == "application/pdf"
    page = client.get(reverse("visits:visit_detail", args=[visit.pk])).content.decode()
    assert "The visit report (PDF) has characters that no font on the server can show" in page
    assert "U+E000 (a private-use character, with no agreed meaning) in" in page


def test_the_footer_stays_on_one_line_however_long_the_providers_name(visit, provider):
    provider.name = (
        "The Harbour Lights Fostering and Supported Accommodation Partnership for Kent, Medway and the South East"
    )
    provider.save()
    for page in laid_out(_pdf(visit)):
        footer = [word for word in page.words if word.top > page.height - 22 * MM]
        assert footer, f"page {page.number} has no footer"
        assert len({round(word.top) for word in footer}) == 1, f"page {page.number}: the footer wraps"
        assert "OFFICIAL-SENSITIVE" in [word.text for word in footer]
        assert f"{page.number}" in [word.text for word in footer]
        assert all(word.right <= page.width - 17 * MM for word in footer)
