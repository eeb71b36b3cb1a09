"""A form posted after the session ended is held for its author: the sign-in page says why they are
there, and after signing in the form comes back filled as they typed it, not saved behind their back.
Only its author ever gets it back, and only for a while."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from providers.models import Concern
from qa_portal.models import HeldSubmission
from qa_portal.tasks import delete_expired_held_submissions
from reviews import meetings
from reviews.models import ComplianceArea, MeetingStatus, Recommendation
from tests.factories import RecommendationFactory
from tests.pages import form_values, text_of
from tests.reviews.test_meetings import place
from tests.signin import sign_in_with_client
from tests.visits.conftest import complete
from visits.models import Answer, TemplateQuestion, VisitStatus

pytestmark = pytest.mark.django_db

KEPT = (
    "You were signed out because you had not used the portal for 30 minutes. What you typed has been kept: "
    "sign in and it will be put back in the form for you to check and save."
)


def sign_in(client, user, next_url=None):
    """Through the sign-in page and the code page, as a person does (it names them in the browser's
    cookie). Returns the redirect to where sign-in leads."""
    return sign_in_with_client(client, user, query=urlsplit(next_url).query if next_url else "")


def date_boxes(name: str, day_month_year: str) -> dict[str, str]:
    """A date as the browser posts GOV.UK's date input: `<name>_day`, `<name>_month` and `<name>_year`."""
    return dict(zip((f"{name}_day", f"{name}_month", f"{name}_year"), day_month_year.split("/"), strict=True))


def session_ends():
    """The portal signs people out after 30 minutes idle: their session is gone."""
    Session.objects.all().delete()


def post_when_signed_out(client, user, url, data):
    """`user` opens the form at `url`, their session ends while they type `data`, and they press the button."""
    sign_in(client, user)
    assert client.get(url).status_code == 200
    session_ends()
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    return response


def come_back(client, user, to_sign_in):
    """They read the sign-in page they were sent to, sign in, and land on the form."""
    sign_in_page = client.get(to_sign_in.url)
    landed = sign_in(client, user, to_sign_in.url)
    return sign_in_page, client.get(landed.url)


@pytest.fixture
def meeting(provider, commissioning_officer):
    place(provider, 2, initials=["JB", "KM"])
    return meetings.meeting_schedule(
        provider=provider, due_date=timezone.localdate() + timedelta(days=7), by=commissioning_officer
    )


def record_form(meeting):
    data = {
        **date_boxes("held_date", f"{timezone.localdate() - timedelta(days=1):%d/%m/%Y}"),
        "held_time": "10:30",
        "attendees": "Sam Okafor, commissioning officer\nDee Brown, registered manager",
        "provider_concerns": "Recruiting night staff & keeping them",
        "provider_successes": 'Both young people are in education; JB said "it feels like home".',
        "feedback_to_authority": "",
        "notes": "",
    }
    for area in ComplianceArea:
        data[f"check_{area}_rag"] = "amber" if area == ComplianceArea.STAFF_RETENTION else "green"
        data[f"check_{area}_notes"] = ""
    return data


def test_a_review_meeting_record_posted_after_the_session_ended_comes_back_filled(
    client, commissioning_officer, meeting
):
    url = reverse("reviews:meeting_record", args=[meeting.pk])
    typed = record_form(meeting)
    to_sign_in = post_when_signed_out(client, commissioning_officer, url, typed)

    sign_in_page, form_page = come_back(client, commissioning_officer, to_sign_in)
    assert KEPT in text_of(sign_in_page)
    assert form_page.status_code == 200
    assert urlsplit(form_page.wsgi_request.get_full_path()).path == url
    assert (
        "We kept what you typed before you were signed out. Check it, then press “Record the meeting” to save it."
        in text_of(form_page)
    )
    shown = form_values(form_page, "")
    assert {name: values for name, values in shown.items() if name in typed} == {
        name: [value] for name, value in typed.items()
    }
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED  # not saved behind their back
    # Given back once: the held copy is gone, and the page is plain again.
    assert not HeldSubmission.objects.exists()
    again = client.get(form_page.wsgi_request.get_full_path())
    assert "We kept what you typed" not in text_of(again)
    assert form_values(again, "")["attendees"] == [""]


def test_a_concern_posted_after_the_session_ended_comes_back_filled(client, qa_lead, provider):
    url = reverse("providers:concern_create", args=[provider.pk])
    typed = {
        "source": "ofsted",
        **date_boxes("received_on", f"{timezone.localdate():%d/%m/%Y}"),
        "setting": "",
        "summary": "Two young people went missing overnight <twice>.",
        "severity": "high",
    }
    _, form_page = come_back(client, qa_lead, post_when_signed_out(client, qa_lead, url, typed))
    assert "Check it, then press “Save concern” to save it." in text_of(form_page)
    shown = form_values(form_page, "")
    assert shown["summary"] == [typed["summary"]]
    assert shown["source"] == ["ofsted"]
    assert shown["severity"] == ["high"]
    for box in ("received_on_day", "received_on_month", "received_on_year"):
        assert shown[box] == [typed[box]]
    assert not Concern.objects.exists()


def test_a_recommendation_posted_after_the_session_ended_comes_back_filled(client, qa_lead, provider):
    url = reverse("reviews:recommendation_create")
    typed = {
        "provider": str(provider.pk),
        "level": "provider_service",
        "text": "Review the home's missing-from-care protocol with the manager.",
        "owner": str(qa_lead.pk),
        "action_holder": "provider",
        **date_boxes("due_date", f"{timezone.localdate() + timedelta(days=30):%d/%m/%Y}"),
        "priority": "high",
    }
    _, form_page = come_back(client, qa_lead, post_when_signed_out(client, qa_lead, url, typed))
    assert "We kept what you typed before you were signed out" in text_of(form_page)
    shown = form_values(form_page, "")
    assert {name: shown.get(name) for name in typed} == {name: [value] for name, value in typed.items()}
    assert not Recommendation.objects.exists()


def test_the_providers_response_posted_after_the_session_ended_comes_back_filled(
    client, visit, placed, provider_user, senior_leader
):
    complete(visit, placed)
    rec = RecommendationFactory(visit=visit, owner=senior_leader)
    visit.status = VisitStatus.SHARED
    visit.save()
    url = reverse("reviews:visit_respond", args=[visit.pk])
    typed = {
        "comment": "Thank you for visiting.\nWe will act on it.",
        f"r{rec.pk}_accepted": "yes",
        f"r{rec.pk}_action": "Weekly activity planning with each young person",
        **date_boxes(f"r{rec.pk}_action_by", "31/12/2026"),
    }
    _, form_page = come_back(client, provider_user, post_when_signed_out(client, provider_user, url, typed))
    assert "We kept what you typed before you were signed out" in text_of(form_page)
    shown = form_values(form_page, "")
    assert {name: shown.get(name) for name in typed} == {name: [value] for name, value in typed.items()}
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SHARED


def test_a_visit_section_posted_after_the_session_ended_comes_back_with_the_values_it_started_from(
    client, senior_leader, visit
):
    """Without JavaScript the section form posts each answer with its `__base`, the answer it started
    from: those come back as held, so a colleague's save meanwhile is still noticed, not overwritten."""
    question = TemplateQuestion.objects.filter(section__template=visit.template, section__number=3, kind="long_text")[0]
    Answer.objects.create(visit=visit, question=question, text="Tidy kitchen")
    url = reverse("visits:section", args=[visit.pk, 3])
    name = f"q{question.pk}"
    to_sign_in = post_when_signed_out(
        client, senior_leader, url, {name: "Tidy kitchen; damp in the bathroom", f"{name}__base": "Tidy kitchen"}
    )
    Answer.objects.filter(question=question).update(text="Tidy kitchen, new sofa")  # a colleague saves meanwhile

    _, form_page = come_back(client, senior_leader, to_sign_in)
    assert "Check it, then press “Save and continue” to save it." in text_of(form_page)
    shown = form_values(form_page, url)
    assert shown[name] == ["Tidy kitchen; damp in the bathroom"]
    assert shown[f"{name}__base"] == ["Tidy kitchen"]
    assert Answer.objects.get(question=question).text == "Tidy kitchen, new sofa"

    saved = client.post(url, shown)
    assert "saved a different version" in text_of(saved)
    assert Answer.objects.get(question=question).text == "Tidy kitchen, new sofa"


def test_someone_else_signing_in_in_that_browser_never_gets_the_held_text(client, qa_lead, manager, provider):
    url = reverse("providers:concern_create", args=[provider.pk])
    typed = {"source": "ofsted", "received_on": "01/10/2026", "summary": "Kept for Laura only.", "severity": "low"}
    to_sign_in = post_when_signed_out(client, qa_lead, url, typed)

    landed = sign_in(client, manager, to_sign_in.url)
    page = client.get(landed.url)
    assert "Kept for Laura only." not in page.text
    assert "We kept what you typed" not in text_of(page)
    assert HeldSubmission.objects.get().user == qa_lead

    # Nor does a signed-in person with the link in another browser; its author still gets it.
    client.post(reverse("logout"))
    landed = sign_in(client, qa_lead, to_sign_in.url)
    assert form_values(client.get(landed.url), "")["summary"] == ["Kept for Laura only."]


def test_a_held_form_is_kept_for_an_hour_then_forgotten(client, qa_lead, provider, settings):
    assert settings.HELD_SUBMISSION_MINUTES == 60
    url = reverse("providers:concern_create", args=[provider.pk])
    to_sign_in = post_when_signed_out(client, qa_lead, url, {"source": "ofsted", "summary": "Too late now."})
    held = HeldSubmission.objects.get()
    assert timedelta(minutes=59) < held.expires - timezone.now() <= timedelta(minutes=60)
    HeldSubmission.objects.update(expires=timezone.now() - timedelta(seconds=1))

    sign_in_page, form_page = come_back(client, qa_lead, to_sign_in)
    assert "What you typed has been kept" not in text_of(sign_in_page)
    assert "Your session ended because you had not used the portal for 30 minutes" in text_of(sign_in_page)
    assert "Too late now." not in form_page.text
    assert "We kept what you typed" not in text_of(form_page)
    assert delete_expired_held_submissions() == 1
    assert not HeldSubmission.objects.exists()


def test_the_sign_in_page_says_why_only_when_the_session_ended(client, qa_lead, provider):
    plain = client.get(reverse("login"))
    assert "Important" not in text_of(plain)
    first_visit = client.get(reverse("login") + "?next=/visits/")
    assert "session ended" not in text_of(first_visit)
    # A form posted from a browser no one has signed in with is kept for no one.
    response = client.post(reverse("providers:concern_create", args=[provider.pk]), {"summary": "Who am I?"})
    assert "What you typed has been kept" not in text_of(client.get(response.url))
    assert not HeldSubmission.objects.exists()

    sign_in(client, qa_lead)
    session_ends()
    response = client.get(reverse("visits:visit_list"))
    assert (
        "Your session ended because you had not used the portal for 30 minutes. "
        "Sign in to go back to the page you were on." in text_of(client.get(response.url))
    )

    sign_in(client, qa_lead)
    client.post(reverse("logout"))  # signing out on purpose is not a session ending
    assert "session ended" not in text_of(client.get(response.url))


def test_signing_in_with_nowhere_to_go_leads_back_to_a_held_form(client, qa_lead, provider):
    url = reverse("providers:concern_create", args=[provider.pk])
    post_when_signed_out(client, qa_lead, url, {"source": "ofsted", "summary": "Found it again."})
    landed = sign_in(client, qa_lead)  # the plain sign-in page, not the link it gave
    assert form_values(client.get(landed.url), "")["summary"] == ["Found it again."]


def test_a_file_cannot_be_held_and_the_page_says_so(client, commissioning_officer):
    url = reverse("providers:import_upload", args=["placements"])
    sign_in(client, commissioning_officer)
    session_ends()
    upload = client.post(url, {"file": SimpleUploadedFile("placements.csv", b"a,b\n", content_type="text/csv")})
    _, form_page = come_back(client, commissioning_officer, upload)
    assert "Files cannot be kept: choose the file again before you save." in text_of(form_page)


def test_the_sign_in_page_says_one_minute_in_the_singular(client, qa_lead, settings):
    settings.SESSION_IDLE_MINUTES = 1
    sign_in(client, qa_lead)
    session_ends()
    response = client.get(reverse("visits:visit_list"))
    page = text_of(client.get(response.url))
    assert "you had not used the portal for 1 minute. Sign in" in page
