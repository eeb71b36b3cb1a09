"""The visit report as a PDF: what it says, what it never says, and who may download it."""

import os
import re
import subprocess
import sys
from datetime import date, datetime
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from qa_portal.roles import Role
from reviews.models import Recommendation
from tests.factories import SettingFactory, UserFactory, YoungPersonFactory
from tests.qa_portal.test_pdf import recording_http_server
from visits.models import Answer, Visit, VisitEvent, VisitTemplate
from visits.selectors import visit_with_report_data
from visits.views.report import render_report

pytestmark = pytest.mark.django_db

HOSTILE = '<img src="http://example.com/x"> <script>alert(1)</script>'
# Enough words per answer that the report runs to several pages.
FILLER = (
    "Staff described the routines of the home in detail and the young people agreed with what they said. "
    "The visitor saw the kitchen, lounge and garden, and the young people showed their rooms with some pride."
)


def _answer_text(section, question):
    return f"Answer {section.number}.{question.number} ends here. {FILLER}"


@pytest.fixture
def visit(provider, senior_leader):
    template = VisitTemplate.objects.get(status="published")
    visit = Visit.objects.create(
        provider=provider,
        setting=SettingFactory(provider=provider, name="Willow House", town="Whitstable", urn="SC654321"),
        template=template,
        planned_date=date(2024, 4, 20),
        visit_date=date(2024, 4, 23),
        lead_visitor=senior_leader,
        lead_visitor_role="Director of Children's Services",
        others_present="Amir Khan, Young Inspector\nBeth Lowe, IRO",
        young_inspectors=2,
        how_arranged="short_notice",
        reasons=["number", "concerns", "other"],
        reason_other="A follow-up to last year's visit",
        others_spoken_to=1,
        staff_met="The registered manager\nTwo support workers",
        spaces_seen="Kitchen, lounge, garden and two bedrooms",
        overall_judgement="with_reservations",
        overall_summary="A warm home where staff know the young people well; the garden needs work.",
        provider_comment="We thank the visitors and have booked the garden works for June.",
    )
    visit.young_people_met.set(
        [
            YoungPersonFactory(
                initials="JB", case_record_id="7654321", date_of_birth=date(2008, 6, 1), cohort="child_in_care"
            ),
            YoungPersonFactory(
                initials="KT", case_record_id="7654322", date_of_birth=date(2005, 1, 10), cohort="care_leaver"
            ),
        ]
    )
    for section in template.sections.all():
        for question in section.questions.all():
            if question.text == "Transitions":
                continue  # left blank: the report says so
            choice = "yes" if question.kind == "yes_no" else ""
            Answer.objects.create(visit=visit, question=question, text=_answer_text(section, question), choice=choice)
    Recommendation.objects.create(
        source="visit",
        visit=visit,
        provider=provider,
        level="provider_service",
        text="Replace the broken garden fence by the end of June.",
        owner=senior_leader,
        due_date=date(2024, 6, 30),
        created_by=senior_leader,
        provider_accepted=True,
        provider_action="Contractor booked for the fence.",
        provider_action_by=date(2024, 6, 14),
    )
    Recommendation.objects.create(
        source="visit",
        visit=visit,
        provider=provider,
        level="child",
        young_person=visit.young_people_met.get(initials="JB"),
        text="Agree a plan for JB's college travel with the social worker.",
        owner=senior_leader,
        due_date=date(2024, 5, 31),
        created_by=senior_leader,
    )
    VisitEvent.objects.create(visit=visit, step="submitted", by=senior_leader, note="Ready for the QA lead")
    return visit


def _pdf(visit) -> bytes:
    # The server's own copy (the visit_report command): every recommendation, the young people met.
    return render_report(
        visit_with_report_data(Visit.objects.all()).get(pk=visit.pk), viewer=None, young_people_shown=True
    )


def _pages(pdf: bytes) -> list[str]:
    """Each page's text, whitespace folded, so words wrapped onto a new line still match."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return " ".join(_pages(pdf))


def _answer(visit, text):
    question = visit.template.sections.get(number=4).questions.get(number=1)
    Answer.objects.filter(visit=visit, question=question).update(text=text)


# What the report says


def test_it_has_every_section_of_the_template_in_order_with_its_answers(visit):
    text = _text(_pdf(visit))
    positions = []
    for section in visit.template.sections.all():
        heading = f"{section.number}. {section.title}"
        assert heading in text
        positions.append(text.index(heading))
        for question in section.questions.all():
            assert question.text in text
            if question.text != "Transitions":
                assert f"Answer {section.number}.{question.number} ends here." in text
    assert positions == sorted(positions)
    assert "Not answered" in text


def test_it_shows_who_visited_when_where_and_why(visit):
    text = _text(_pdf(visit))
    assert "City of London Corporation" in text
    assert "Quality assurance visit report" in text
    for expected in [
        "Harbour Lights Fostering",
        "Willow House, Whitstable (Ofsted URN SC654321)",
        "23 April 2024",
        "Chris Palmer, Director of Children's Services",
        "Amir Khan, Young Inspector Beth Lowe, IRO",
        "Young Inspectors who came 2",
        "Short notice",
        "Number of young people placed",
        "Concerns raised",
        "Other: A follow-up to last year's visit",
        "Two support workers",
        "Kitchen, lounge, garden and two bedrooms",
    ]:
        assert expected in text


def test_yes_no_answers_show_the_choice(visit):
    assert "Yes. Answer 3.4 ends here." in _text(_pdf(visit))


def test_young_people_appear_by_initials_age_and_cohort_never_by_case_record_id(visit):
    text = _text(_pdf(visit))
    assert "JB 15 Child in care" in text
    assert "KT 19 Care leaver" in text
    assert "Young person: JB" in text  # the child-level recommendation
    assert "7654321" not in text
    assert "7654322" not in text


def test_it_shows_the_overall_judgement_recommendations_and_the_providers_comments(visit):
    text = _text(_pdf(visit))
    assert "would this be good enough for my own child? Yes, with reservations" in text
    assert "the garden needs work" in text
    assert "Replace the broken garden fence by the end of June." in text
    assert "Child-level" in text
    assert "30 June 2024" in text
    assert "Accepted" in text
    assert "Action: Contractor booked for the fence." in text
    assert "By 14 June 2024" in text
    assert "No response yet" in text
    assert "We thank the visitors and have booked the garden works for June." in text


def test_it_shows_the_visits_path(visit):
    text = _text(_pdf(visit))
    assert "The visit's path" in text
    assert "Submitted Chris Palmer" in text
    assert "Ready for the QA lead" in text


def test_it_says_when_the_provider_has_not_responded(visit):
    visit.provider_comment = ""
    visit.save()
    assert "The provider has not responded yet" in _text(_pdf(visit))


def test_every_page_is_marked_and_numbered(visit):
    pages = _pages(_pdf(visit))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2, f"page {number}"
        assert f"Page {number} of {len(pages)}" in text


def test_the_number_of_queries_does_not_grow_with_the_report(visit, senior_leader, provider):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            _pdf(visit)
        return len(captured)

    before = queries()
    for number in range(3):
        Recommendation.objects.create(
            source="visit",
            visit=visit,
            provider=provider,
            level="child",
            young_person=visit.young_people_met.get(initials="KT"),
            text=f"Extra recommendation {number}",
            owner=UserFactory(),
            due_date=date(2024, 7, 1),
            created_by=senior_leader,
        )
        VisitEvent.objects.create(visit=visit, step="shared", by=UserFactory())
    assert queries() == before


# What people typed never becomes markup, and nothing is fetched


def test_typed_markup_is_printed_as_text(visit):
    _answer(visit, HOSTILE)
    text = _text(_pdf(visit))
    assert '<img src="http://example.com/x">' in text
    assert "<script>alert(1)</script>" in text


def test_rendering_makes_no_network_request(visit):
    with recording_http_server() as server:
        _answer(
            visit,
            f'<img src="{server.origin}/x.png"> <link rel="stylesheet" href="{server.origin}/z.css"> '
            f"<style>@import url({server.origin}/y.css);</style>",
        )
        text = _text(_pdf(visit))
    assert f'<img src="{server.origin}/x.png">' in text
    assert f"@import url({server.origin}/y.css);" in text
    assert server.requests == []


# Who may download it


def _get(client, user, visit):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("visits:report_pdf", args=[visit.pk]))


@pytest.mark.parametrize("user_with_role", [Role.SENIOR_LEADER, Role.QA_LEAD], indirect=True)
def test_council_staff_get_the_pdf_inline_and_uncached(client, visit, user_with_role):
    response = _get(client, user_with_role, visit)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="visit-report-harbour-lights-fostering-2024-04-23.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")


def test_the_provider_cannot_see_a_draft(client, visit, provider_user):
    assert _get(client, provider_user, visit).status_code == 404


def test_the_provider_gets_the_report_once_it_is_shared(client, visit, provider_user):
    visit.status = "shared"
    visit.save()
    response = _get(client, provider_user, visit)
    assert response.status_code == 200
    assert "Harbour Lights Fostering" in _text(response.content)


def test_another_provider_never_sees_it(client, visit, other_provider_user):
    visit.status = "shared"
    visit.save()
    assert _get(client, other_provider_user, visit).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, visit):
    url = reverse("visits:report_pdf", args=[visit.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_is_get_only(client, visit, senior_leader):
    client.force_login(senior_leader)
    assert client.post(reverse("visits:report_pdf", args=[visit.pk])).status_code == 405


def test_staff_without_visit_access_get_404(client, visit):
    outsider = UserFactory(role=None)
    assert _get(client, outsider, visit).status_code == 404


# The management command


def test_the_command_writes_the_pdf(visit, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("visit_report", str(visit.pk), "--out", str(out), stdout=StringIO())
    assert out.read_bytes().startswith(b"%PDF")
    assert "Harbour Lights Fostering" in _text(out.read_bytes())


@pytest.mark.django_db(transaction=True)
def test_the_command_run_afresh_writes_the_same_report(visit, tmp_path):
    # As an administrator runs it on the server: `manage.py visit_report` in a process of its own, which
    # starts Django with the garbage collector off, without Celery, and imports WeasyPrint for the report.
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "qa_portal.test_settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
    }
    out = tmp_path / "report.pdf"
    started = timezone.localtime().replace(second=0, microsecond=0)
    made = subprocess.run(
        [sys.executable, "manage.py", "visit_report", str(visit.pk), "--out", str(out)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert f"Wrote the report on {visit}" in made.stdout
    # The two copies are the same report but for the minute each was printed, which the run may straddle
    # (it did, once: 14:48 against 14:49); the command's own minute lies within the run.
    written, ours = _pages(out.read_bytes()), _pages(_pdf(visit))
    printed = re.search(r"Printed (\d{1,2} \w+ \d{4} at \d{2}:\d{2})", written[0])
    assert printed, written[0]
    when = timezone.make_aware(datetime.strptime(printed.group(1), "%d %B %Y at %H:%M"))
    assert started <= when <= timezone.localtime()
    assert [_without_printed(page) for page in written] == [_without_printed(page) for page in ours]


def _without_printed(page: str) -> str:
    return re.sub(r"Printed \d{1,2} \w+ \d{4} at \d{2}:\d{2}", "Printed (the minute)", page)


def test_the_command_refuses_an_unknown_visit(tmp_path):
    with pytest.raises(CommandError, match="There is no visit with ID 999999"):
        call_command("visit_report", "999999", "--out", str(tmp_path / "x.pdf"))


def test_the_command_says_when_it_cannot_write(visit, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("visit_report", str(visit.pk), "--out", str(tmp_path / "missing-folder" / "x.pdf"))
