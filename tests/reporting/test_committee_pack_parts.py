"""The committee pack is laid out in parts of a few visit reports and joined (issue 15): however it is
cut, it holds every visit's report in order, its contents give the page each heading is on, every
page is numbered "Page x of y" of the whole pack, and its bookmarks and contents' links lead to the
right pages."""

import re
from collections import Counter
from datetime import date, datetime, time
from io import BytesIO

import pytest
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from qa_portal.reporting.committee import figures
from qa_portal.reporting.committee import pack as committee_pack
from qa_portal.reporting.committee.counting import committee_figures
from reviews.models import Recommendation
from tests.factories import VisitFactory
from tests.pdf_reading import quick_pages_of as pages_of
from tests.reporting.committee_year import END, START, build_year
from visits.models import Visit

pytestmark = pytest.mark.django_db

SECTIONS = [title for _, title in committee_pack.SECTIONS]


IMPACT_STATEMENTS = [f"Impact statement number {n} came true." for n in (1, 2, 3)]


def _six_visits() -> list[Visit]:
    """The constructed year's three visits and three more, on dates between theirs, and three more
    recommendations completed with an impact statement (section 4 has five: the year's two, these three)."""
    year = build_year()
    setting = year.visits[0].setting
    for day, summary in [
        (date(2024, 4, 3), "A spring visit to the fostering panel."),
        (date(2024, 6, 20), "A second look at the carers' training."),
        (date(2025, 3, 15), "The last visit of the year."),
    ]:
        VisitFactory(
            provider=setting.provider, setting=setting, planned_date=day, visit_date=day, status="submitted",
            lead_visitor=year.lead, overall_judgement="yes", overall_summary=summary,
        )  # fmt: skip
    visits = list(Visit.objects.held_between(START, END).select_related("provider").order_by("visit_date", "pk"))
    for n, (visit, statement) in enumerate(zip(visits, IMPACT_STATEMENTS, strict=False), start=1):
        made = Recommendation.objects.create(
            source="visit", visit=visit, provider=visit.provider, level="provider_service",
            text=f"Recommendation {n} of the year.", owner=visit.lead_visitor, due_date=END, status="completed",
            created_by=visit.lead_visitor, impact_statement=statement,
            completed_at=timezone.make_aware(datetime.combine(END, time(12))),
        )  # fmt: skip
        Recommendation.objects.filter(pk=made.pk).update(
            created_at=timezone.make_aware(datetime.combine(visit.visit_date, time(12)))
        )
    return visits


@pytest.fixture(scope="module")
def six_visits(django_db_setup, django_db_blocker):
    """The six visits' year, made once for this module inside a transaction rolled back after its last
    test (each test runs in a savepoint within it, so one that changes the records changes them for
    itself alone): a pack takes seconds to lay out, so the tests share the packs they can (`packs`)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        visits = _six_visits()
    yield visits
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def packs(six_visits):
    """packs(visits_per_part, paragraphs_per_part, statements_per_part): the pack of the six visits'
    year cut so, as (PDF, each page's text), laid out the first time a test asks for it and kept for
    the module's other tests. Only for tests that leave the records as they are."""
    made: dict[tuple[int, int, int], tuple[bytes, list[str]]] = {}

    def pack(visits_per_part: int, paragraphs_per_part: int = 0, statements_per_part: int = 0):
        key = (visits_per_part, paragraphs_per_part, statements_per_part)
        if key not in made:
            pdf = _pack(*key)
            made[key] = (pdf, pages_of(pdf))
        return made[key]

    return pack


def _pack(visits_per_part: int, paragraphs_per_part: int = 0, statements_per_part: int = 0) -> bytes:
    source = committee_pack.PackSource(title=figures.default_title(START, END), period_start=START, period_end=END)
    pdf, _ = committee_pack.build_pack(
        source,
        visits_per_part=visits_per_part,
        paragraphs_per_part=paragraphs_per_part,
        statements_per_part=statements_per_part,
    )
    return pdf


def _contents_number(contents: str, entry: str) -> int:
    found = re.search(re.escape(entry) + r"[ .]*(\d+)", contents)
    assert found, entry
    return int(found.group(1))


def _page_with(pages: list[str], pattern: str, *, after: int = 2) -> int:
    """The page (from 1) where `pattern` first matches after the contents."""
    return next(n for n, text in enumerate(pages, start=1) if n > after and re.search(pattern, text))


@pytest.mark.parametrize(
    ("visits_per_part", "paragraphs_per_part", "statements_per_part"), [(1, 0, 0), (2, 4, 0), (2, 2, 1)]
)
def test_a_pack_made_in_parts_holds_every_visit_report_in_order_with_the_contents_right(
    six_visits, packs, visits_per_part, paragraphs_per_part, statements_per_part
):
    _, pages = packs(visits_per_part, paragraphs_per_part, statements_per_part)
    contents = pages[1]
    assert len(six_visits) == 6

    # Each section and each visit report is on the page the contents gives.
    for heading in SECTIONS:
        assert _contents_number(contents, heading) == _page_with(pages, re.escape(heading)), heading
    report_pages = []
    for number, visit in enumerate(six_visits, start=1):
        entry = f"A{number}. {visit.provider.name}, {visit.visit_date:%-d %B %Y}"
        page = _page_with(pages, rf"APPENDIX A{number}\b")
        assert _contents_number(contents, entry) == page, entry
        assert f"{visit.provider.name}, {visit.visit_date:%-d %B %Y}" in pages[page - 1]
        assert visit.overall_summary in " ".join(pages[page - 1 :])
        report_pages.append(page)
    assert report_pages == sorted(report_pages) and len(set(report_pages)) == 6

    # Every page is numbered out of the whole pack.
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text, number
        assert text.count("OFFICIAL-SENSITIVE") == 2, number


@pytest.mark.parametrize(("paragraphs_per_part", "statements_per_part"), [(4, 0), (2, 1)])
def test_the_bookmarks_and_contents_links_lead_to_each_heading(
    six_visits, packs, paragraphs_per_part, statements_per_part
):
    pdf, pages = packs(2, paragraphs_per_part, statements_per_part)
    reader = PdfReader(BytesIO(pdf))

    # The outline: the sections, then the appendix holding each visit report, in order.
    outline = reader.outline
    top = [item for item in outline if not isinstance(item, list)]
    assert [item.title for item in top] == SECTIONS
    visits = outline[-1]
    assert isinstance(visits, list)
    assert [item.title for item in visits] == [
        f"{visit.provider.name}, {visit.visit_date:%-d %B %Y}" for visit in six_visits
    ]
    for item in top:
        assert item.title in pages[reader.get_destination_page_number(item)], item.title
    for number, item in enumerate(visits, start=1):
        assert f"APPENDIX A{number}" in pages[reader.get_destination_page_number(item)], item.title

    # Each entry of the contents links to the page it gives.
    links = [
        annotation.get_object()["/Dest"]
        for annotation in reader.pages[1].get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    destinations = reader.named_destinations
    assert len(set(links)) == len(SECTIONS) + 6
    for anchor in links:
        page = reader.get_destination_page_number(destinations[anchor])
        numbers = re.findall(r"[ .](\d+)", pages[1])
        assert str(page + 1) in numbers, anchor


def test_however_it_is_cut_the_pack_says_the_same(six_visits, packs):
    def text(visits_per_part: int) -> list[str]:
        # Made a moment apart, the packs may say different minutes.
        return [re.sub(r"\d\d:\d\d", "hh:mm", page) for page in packs(visits_per_part)[1]]

    whole = text(100)
    assert text(1) == whole
    assert text(2) == whole


@pytest.mark.parametrize(("paragraphs_per_part", "statements_per_part"), [(4, 0), (2, 1)])
def test_a_report_with_more_visit_paragraphs_than_a_part_holds_says_them_all_in_order(
    six_visits, packs, paragraphs_per_part, statements_per_part
):
    # After the title page and contents.
    whole = " ".join(packs(2)[1][2:])
    cut = " ".join(packs(2, paragraphs_per_part, statements_per_part)[1][2:])
    paragraphs = [f"On {visit.visit_date:%-d %B %Y}" for visit in six_visits]
    for text in (whole, cut):
        at = [text.index(paragraph) for paragraph in paragraphs]
        assert at == sorted(at)
    section_2 = cut[cut.index("2. Quality Assurance Visits") : cut.index("3. Commissioning Review Meetings")]
    assert all(paragraph in section_2 for paragraph in paragraphs)
    assert "Visits by month" in section_2 and "Chart 1:" in section_2


def test_a_report_with_more_impact_statements_than_a_part_holds_says_them_all_in_order_in_section_4(six_visits, packs):
    statements = [statement.impact for statement in committee_figures(START, END).impact_statements]
    assert len(statements) == 5  # the year's two, and the three made with the six visits
    assert set(IMPACT_STATEMENTS) <= set(statements)

    def section_4(pages: list[str]) -> str:
        text = " ".join(" ".join(page.split()) for page in pages[2:])
        return text[text.index("4. Impact and Outcomes") : text.index("5. You Said, We Did")]

    whole = section_4(packs(2)[1])
    for cut in (section_4(packs(2, 0, 2)[1]), section_4(packs(2, 2, 1)[1])):
        at = [cut.index(" ".join(statement.split())) for statement in statements]
        assert at == sorted(at)
        assert "What changed for children and young people" in cut and "has been completed yet" not in cut
        # The same words as when laid out whole, each as often, the pages' own furniture apart (the
        # chart's labels may be read out in another place on its page).
        assert _words(cut) == _words(whole)


def _words(text: str) -> Counter:
    return Counter(re.sub(r"OFFICIAL-SENSITIVE|Page \d+ of \d+|Annual report \S+", " ", text).split())


def test_characters_no_font_can_draw_are_listed_together_on_the_last_page(six_visits):
    # Copies of their own: the module's six visits are left as they are for the other tests.
    first, last = (Visit.objects.get(pk=visit.pk) for visit in (six_visits[0], six_visits[-1]))
    first.overall_summary = "The icon \ue000 came from the carer's phone."
    first.save()
    last.overall_summary = "Here \u0378 is no character at all."
    last.save()
    pages = pages_of(_pack(2, paragraphs_per_part=3))
    end = pages[-1]
    assert "Some characters could not be shown" in end
    assert "U+E000 (a private-use character, with no agreed meaning)" in end
    assert "U+0378 (not a character Unicode has assigned)" in end
    assert sum("Some characters could not be shown" in page for page in pages) == 1
    assert f"Page {len(pages)} of {len(pages)}" in end
