"""What people type is text on every page that shows it, never markup or template code (issue 13: a
recommendation's text ran as a script in the legend of the provider's response form, whose legends
crispy-forms-gds printed as markup; crispy's HTML() read typed names as template code).

A recommendation, a provider's name, a concern's summary, a visit answer, a visit template's question
and hint (a label and a hint on the form), a colleague's conflicting answer and a young person's
outcome notes each hold a script, an image with an onerror handler and template code; every page
showing them must show them as typed and run none of it."""

import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Contact
from qa_portal.roles import Role
from reviews.models import YoungPersonOutcome
from tests.factories import (
    ConcernFactory,
    PlacementFactory,
    ProviderFactory,
    RecommendationFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)
from tests.reviews.test_meetings import ahead, held_meeting
from visits.models import Answer, TemplateQuestion, VisitStatus

pytestmark = pytest.mark.django_db

SCRIPT = "<script>window.__xss=1</script>"
IMAGE = '<img src=x onerror="window.__xss=2">'
TEMPLATE_CODE = '{{ request.user.email }}{% now "Y" %}'


def hostile(what: str) -> str:
    return f"{what} {SCRIPT}{IMAGE}{TEMPLATE_CODE} end"


class _Page(HTMLParser):
    """The scripts, event-handler attributes and text of a page, as a browser would parse it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.handlers, self.text, self._in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")
        self.handlers += [f"{tag} {name}={value}" for name, value in attrs if name.startswith("on")]
        if tag == "img" and dict(attrs).get("src") == "x":
            self.handlers.append("img src=x")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def assert_shown_as_text(html: str, typed: str, where: str) -> None:
    page = _Page()
    page.feed(html)
    assert not [s for s in page.scripts if "__xss" in s], f"{where}: a typed <script> became a script element"
    assert not page.handlers, f"{where}: typed markup became an element: {page.handlers}"
    text = " ".join("".join(page.text).split())
    assert typed in text, f"{where}: the typed text is not shown as typed"


@pytest.fixture
def world(provider, qa_lead, commissioning_officer):
    """Hostile text in every kind of record a page shows, about one provider."""
    provider.name = hostile("Harbour Lights")
    provider.save()
    visit = VisitFactory(provider=provider, status=VisitStatus.SHARED, visit_date=timezone.localdate())
    question = TemplateQuestion.objects.filter(
        section__template=visit.template, section__number=3, kind="long_text"
    ).first()
    Answer.objects.create(visit=visit, question=question, text=hostile("The garden"))
    rec = RecommendationFactory(visit=visit, text=hostile("Fix the fence"), owner=qa_lead, due_date=ahead(20))
    concern = ConcernFactory(provider=provider, summary=hostile("Night staff"))
    from_concern = RecommendationFactory(
        source="concern",
        visit=None,
        provider=provider,
        concern=concern,
        text="Check the rota",
        owner=qa_lead,
        due_date=ahead(40),
    )
    person = YoungPersonFactory(initials="JB")
    PlacementFactory(young_person=person, provider=provider, start_date=timezone.localdate() - timedelta(days=99))
    meeting = held_meeting(provider, timezone.localdate() - timedelta(days=2), recorded_by=commissioning_officer)
    YoungPersonOutcome.objects.create(meeting=meeting, young_person=person, notes=hostile("JB says"))
    # An administrator's words in the visit template: a question's text and its hint, on the form.
    asked = TemplateQuestion.objects.filter(section__template=visit.template, section__number=4, kind="long_text")
    asked.filter(pk=asked.first().pk).update(text=hostile("Do you feel safe?"), help_text=hostile("In their words"))
    draft = VisitFactory(provider=provider, lead_visitor=qa_lead)
    # Waiting to be shared: the check page shows the report and the email with the provider's name in it.
    submitted = VisitFactory(provider=provider, status=VisitStatus.SUBMITTED, visit_date=timezone.localdate())
    Answer.objects.create(visit=submitted, question=question, text=hostile("The hall"))
    Contact.objects.create(provider=provider, name=hostile("Ann Lee"), email="ann.lee@provider.example.org")
    return {
        "visit": visit,
        "draft": draft,
        "submitted": submitted,
        "rec": rec,
        "concern_rec": from_concern,
        "meeting": meeting,
        "provider": provider,
    }


def staff_pages(world):
    visit, rec, meeting, provider = world["visit"], world["rec"], world["meeting"], world["provider"]
    typed_rec, typed_name = rec.text, provider.name
    return [
        (reverse("reviews:tracker"), typed_rec[:100]),  # cut short in the list
        (reverse("reviews:tracker"), typed_name),
        (reverse("reviews:recommendation_detail", args=[rec.pk]), typed_rec),
        (reverse("reviews:recommendation_progress", args=[rec.pk]), typed_rec),
        (
            reverse("reviews:recommendation_detail", args=[world["concern_rec"].pk]),
            world["concern_rec"].concern.summary,
        ),
        (reverse("reviews:my_actions"), typed_rec[:100]),
        (reverse("reviews:tracker_meeting"), typed_rec),
        (reverse("visits:visit_detail", args=[visit.pk]), typed_rec),
        (reverse("visits:section", args=[visit.pk, 3]), hostile("The garden")),
        (reverse("visits:section", args=[visit.pk, 9]), typed_rec),
        (reverse("providers:provider_list"), typed_name),
        (reverse("providers:provider_detail", args=[provider.pk]), typed_name),
        (reverse("providers:provider_detail", args=[provider.pk]), world["concern_rec"].concern.summary),
        (reverse("providers:provider_detail", args=[provider.pk]), typed_rec),
        (reverse("reviews:meeting_detail", args=[meeting.pk]), hostile("JB says")),
        (reverse("reviews:meeting_detail", args=[meeting.pk]), typed_name),
        (reverse("reviews:meeting_prepare", args=[meeting.pk]), typed_rec),
        (reverse("visits:section", args=[world["draft"].pk, 4]), hostile("Do you feel safe?")),
        (reverse("visits:section", args=[world["draft"].pk, 4]), hostile("In their words")),
        (reverse("visits:submit", args=[world["draft"].pk]), hostile("Do you feel safe?")),
        (reverse("visits:share", args=[world["submitted"].pk]), hostile("The hall")),
        (reverse("visits:share", args=[world["submitted"].pk]), hostile("Ann Lee")),
        (reverse("visits:share", args=[world["submitted"].pk]), f"visited {typed_name} on"),  # the email
    ]


def test_every_staff_page_shows_typed_markup_and_template_code_as_text(client, qa_lead, world):
    client.force_login(qa_lead)
    for url, typed in staff_pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.text, typed, url)


def test_the_provider_sees_the_recommendation_as_text_in_the_legend_of_their_response_form(
    client, provider_user, world
):
    client.force_login(provider_user)
    visit, rec = world["visit"], world["rec"]
    form = client.get(reverse("reviews:visit_respond", args=[visit.pk]))
    assert_shown_as_text(form.text, f"Recommendation 1: {rec.text}", "the response form")
    assert "<legend" in form.text and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in form.text
    for url in (
        reverse("reviews:provider_recommendations"),
        reverse("reviews:provider_recommendation_update", args=[rec.pk]),
        reverse("visits:visit_detail", args=[visit.pk]),
    ):
        assert_shown_as_text(client.get(url).text, rec.text, url)


def test_the_booking_form_shows_a_provider_name_holding_template_code_as_typed(client, commissioning_officer):
    # No contacts: the form says so, naming the provider (built as markup, never read as a template).
    provider = ProviderFactory(name=hostile("Northgate"))
    PlacementFactory(provider=provider)
    from reviews import meetings

    meeting = meetings.meeting_schedule(provider=provider, due_date=ahead(10), by=commissioning_officer)
    client.force_login(commissioning_officer)
    response = client.get(reverse("reviews:meeting_book", args=[meeting.pk]))
    assert_shown_as_text(response.text, f"{provider.name} has no contacts with an email address", "booking")
    assert commissioning_officer.email not in response.text


def test_a_colleagues_conflicting_answer_holding_template_code_is_shown_as_typed(client, senior_leader, provider):
    visit = VisitFactory(provider=provider, lead_visitor=senior_leader)
    question = TemplateQuestion.objects.filter(
        section__template=visit.template, section__number=5, kind="long_text"
    ).first()
    theirs = hostile("Their words")
    client.force_login(UserFactory(role=Role.QA_LEAD, full_name="Ada Colleague"))
    client.post(
        reverse("visits:autosave", args=[visit.pk, 5]),
        json.dumps({"fields": {f"q{question.pk}": {"base": "", "value": theirs}}}),
        content_type="application/json",
    )
    client.force_login(senior_leader)
    response = client.post(
        reverse("visits:section", args=[visit.pk, 5]), {f"q{question.pk}": "My words", f"q{question.pk}__base": ""}
    )
    assert "Ada Colleague saved a different version" in response.text
    assert_shown_as_text(response.text, theirs, "the conflict panel")
    assert senior_leader.email not in response.text
