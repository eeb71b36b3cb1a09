"""Status tags: one colour for each status, the same on the pages, in the PDFs and in the emails."""

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import TextChoices
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from providers.models import ConcernStatus, Judgement, ProviderStatus, Severity, SupportedAccommodationOutcome
from qa_portal import tags
from qa_portal.models import Notification, NotificationStatus
from qa_portal.reporting.models import PackStatus
from qa_portal.reporting.reminders import send_reminders
from reviews.models import MeetingStatus, Rag, Recommendation, RecommendationStatus
from tests.factories import RecommendationFactory
from visits.models import OverallJudgement, VisitStatus

pytestmark = pytest.mark.django_db

REPORT_CSS = Path(__file__).resolve().parents[2] / "static" / "pdf" / "report.css"


def render(source, **context):
    return Template("{% load portal %}" + source).render(Context(context))


def hex_colour(r, g, b):
    return "#" + "".join(f"{round(float(part) * 255):02x}" for part in (r, g, b))


def pdf_fill_colours(content: bytes) -> set[str]:
    """Every fill colour the PDF paints with (its `r g b rg` operators), as #rrggbb."""
    colours = set()
    for page in PdfReader(BytesIO(content)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        colours.update(hex_colour(*match) for match in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\b", stream))
    return colours


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(content)).pages)


def test_a_recommendation_in_progress_is_yellow_on_its_page_in_the_tracker_pdf_and_in_the_digest_email(client, qa_lead):
    rec = RecommendationFactory(
        owner=qa_lead, status=RecommendationStatus.IN_PROGRESS, due_date=timezone.localdate() + timedelta(days=3)
    )
    yellow = tags.PALETTE["yellow"]
    client.force_login(qa_lead)

    page = client.get(reverse("reviews:recommendation_detail", args=[rec.pk])).text
    assert '<strong class="govuk-tag govuk-tag--yellow">In progress</strong>' in page

    pdf = client.get(reverse("reviews:tracker_export", args=["pdf"])).content
    assert "In progress" in pdf_text(pdf)
    assert {yellow.text, yellow.background} <= pdf_fill_colours(pdf)

    send_reminders()
    [digest] = Notification.objects.filter(kind="recommendations_digest", email=qa_lead.email)
    assert f"color:{yellow.text};background-color:{yellow.background};" in digest.html
    assert re.search(r'<strong style="[^"]*background-color:#fff7bf;">In progress</strong>', digest.html)


def test_the_visit_report_pdf_shows_the_visit_status_in_the_colour_of_the_visit_page(client, qa_lead):
    rec = RecommendationFactory(visit__status=VisitStatus.SUBMITTED, visit__lead_visitor=qa_lead)
    client.force_login(qa_lead)
    page = client.get(rec.visit.get_absolute_url()).text
    assert '<strong class="govuk-tag govuk-tag--blue">Submitted</strong>' in page
    pdf = client.get(reverse("visits:report_pdf", args=[rec.visit.pk])).content
    blue = tags.PALETTE["blue"]
    assert "Status of this report Submitted" in pdf_text(pdf)
    assert {blue.text, blue.background} <= pdf_fill_colours(pdf)


def test_an_unknown_status_is_a_grey_tag_in_its_own_words_not_an_error(client, qa_lead):
    rec = RecommendationFactory(owner=qa_lead)
    # A value the code does not know yet, as a data fix or an older release might leave behind.
    Recommendation.objects.filter(pk=rec.pk).update(status="paused")
    client.force_login(qa_lead)
    response = client.get(reverse("reviews:recommendation_detail", args=[rec.pk]))
    assert response.status_code == 200
    assert '<strong class="govuk-tag govuk-tag--grey">paused</strong>' in response.text


def test_an_unregistered_name_or_value_falls_back_to_grey():
    assert render('{% status_tag "visit_status" "lost" %}') == '<strong class="govuk-tag govuk-tag--grey">lost</strong>'
    assert render('{% status_tag "no_such_status" "open" label="Open" %}') == (
        '<strong class="govuk-tag govuk-tag--grey">Open</strong>'
    )
    assert render('{% status_tag "visit_status" value %}', value=None) == (
        '<strong class="govuk-tag govuk-tag--grey">Not recorded</strong>'
    )


def test_a_tag_says_its_words_and_takes_its_colour_from_the_registered_mapping():
    assert render('{% status_tag "visit_status" "shared" %}') == (
        '<strong class="govuk-tag govuk-tag--yellow">Shared with provider</strong>'
    )
    assert render('{% status_tag "ofsted_judgement" 4 %}') == (
        '<strong class="govuk-tag govuk-tag--red">Inadequate</strong>'
    )
    assert render('{% status_tag "flag" "overdue" classes="govuk-!-font-size-16" %}') == (
        '<strong class="govuk-tag govuk-tag--red govuk-!-font-size-16">Overdue</strong>'
    )
    assert render('{% tag_class "pack_status" "running" %}') == "govuk-tag govuk-tag--blue"
    # Words typed by people are escaped like any other text.
    assert render('{% status_tag "flag" "x" label=label %}', label="<b>") == (
        '<strong class="govuk-tag govuk-tag--grey">&lt;b&gt;</strong>'
    )


@pytest.mark.parametrize(
    "name, choices",
    [
        ("provider_status", ProviderStatus),
        ("ofsted_judgement", Judgement),
        ("sa_outcome", SupportedAccommodationOutcome),
        ("concern_severity", Severity),
        ("concern_status", ConcernStatus),
        ("visit_status", VisitStatus),
        ("overall_judgement", OverallJudgement),
        ("meeting_status", MeetingStatus),
        ("rag", Rag),
        ("recommendation_status", RecommendationStatus),
        ("notification_status", NotificationStatus),
        ("pack_status", PackStatus),
    ],
)
def test_every_status_has_a_colour_and_the_words_of_its_choices(name, choices):
    tag_set = tags.registered()[name]
    for value, label in choices.choices:
        assert tag_set.colours[str(value)] in tags.PALETTE
        assert tags.tag_for(name, value).label == label


def test_registering_a_status_without_a_colour_or_with_a_colour_gov_uk_lacks_is_refused():
    class Mood(TextChoices):
        HAPPY = "happy", "Happy"
        SAD = "sad", "Sad"

    with pytest.raises(ImproperlyConfigured, match="no colour for sad"):
        tags.register("test_mood", Mood, colours={Mood.HAPPY: "green"})
    with pytest.raises(ImproperlyConfigured, match=r"mauve is not a GOV\.UK tag colour"):
        tags.register("test_mood", Mood, colours={Mood.HAPPY: "green", Mood.SAD: "mauve"})
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        tags.register("visit_status", VisitStatus, colours=dict.fromkeys(VisitStatus.values, "pink"))
    assert "test_mood" not in tags.registered()


def test_the_pdf_style_sheet_paints_each_tag_in_the_palettes_colours():
    css = REPORT_CSS.read_text()
    rules = {
        name: tags.Colour(text=text, background=background)
        for name, text, background in re.findall(
            r"\.govuk-tag--([a-z-]+) \{ color: (#[0-9a-f]{6}); background-color: (#[0-9a-f]{6}); \}", css
        )
    }
    assert rules == tags.PALETTE
