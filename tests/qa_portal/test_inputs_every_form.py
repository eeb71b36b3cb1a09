"""Every form of the portal, posted with hostile text in every text box: a NUL and other control
characters, and text longer than any limit (qa_portal.inputs). Each is refused beside its box, the
page comes back, nothing is saved and nothing gives a 500.

The forms are found from the URL patterns: every named address is declared here either as a page
with a form (FORMS: who opens it, and the records its address names) or as one without text to type
(NO_TEXT_BOXES, with why), so a new form cannot ship unchecked."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Contact, ImportRun
from qa_portal.inputs.forms import InputsMixin
from qa_portal.reporting.committee import services as committee
from qa_portal.roles import Role
from reviews import meetings
from reviews.models import InadequateResponse, ProgressUpdate, SafeToRemainDecision, YouSaid
from tests.factories import (
    PASSWORD,
    ActionPlanFactory,
    ConcernFactory,
    InspectionFactory,
    PlacementFactory,
    PlanActionFactory,
    RecommendationFactory,
    SettingFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)
from tests.qa_portal.test_council_sign_in import council_provider  # noqa: F401  a fixture
from tests.qa_portal.test_dates import _project_forms
from tests.qa_portal.test_url_protection import named_patterns
from visits.models import VisitStatus
from visits.template_versions import template_start_draft

pytestmark = pytest.mark.django_db

# What goes in every text box: control characters (the NUL PostgreSQL refuses, and one pasted from a
# PDF), and text longer than the longest limit (qa_portal.inputs.limits.NARRATIVE).
# And a script, which must come back as text (with a control character, so that the form is refused).
SCRIPT = "<script>alert('QA')</script>"
HOSTILE = {
    "control characters": "Ann\x00 Lee\x0c",
    "too long": "Lorem ipsum " * 2_100,
    "script tag": f"{SCRIPT}\x1b",
}

# Who opens a sign-in page with their password given but not yet their code; and someone with no
# authenticator app yet, who is setting one up.
PASSWORD_ALONE = "password alone"
NO_APP_YET = "password alone, no app yet"

# url name -> (who opens the form, the records its address names)
FORMS = {
    "login": (None, []),
    "password_reset": (None, []),
    "second_factor": (PASSWORD_ALONE, []),
    "second_factor_recovery": (PASSWORD_ALONE, []),
    "second_factor_set_up": (NO_APP_YET, []),
    "password_change": ("qa_lead", []),
    "providers:provider_create": ("commissioning_officer", []),
    "providers:provider_edit": ("commissioning_officer", ["provider"]),
    "providers:provider_status": ("commissioning_officer", ["provider"]),
    "providers:risk_rating": ("qa_lead", ["provider"]),
    "providers:setting_create": ("commissioning_officer", ["provider"]),
    "providers:setting_edit": ("commissioning_officer", ["setting"]),
    "providers:inspection_create": ("commissioning_officer", ["provider"]),
    "providers:contact_create": ("commissioning_officer", ["provider"]),
    "providers:contact_edit": ("commissioning_officer", ["contact"]),
    "providers:concern_create": ("qa_lead", ["provider"]),
    "providers:concern_edit": ("qa_lead", ["concern"]),
    "providers:concern_remove": ("qa_lead", ["concern"]),
    "providers:young_person_create": ("commissioning_officer", []),
    "providers:young_person_edit": ("commissioning_officer", ["young_person"]),
    "providers:placement_create": ("commissioning_officer", ["young_person"]),
    "providers:placement_edit": ("commissioning_officer", ["placement"]),
    "visits:visit_plan": ("senior_leader", []),
    "visits:section": ("senior_leader", ["visit", 1]),
    "visits:return_to_draft": ("qa_lead", ["submitted_visit"]),
    "reviews:visit_recommendation_create": ("senior_leader", ["visit"]),
    "reviews:recommendation_edit": ("senior_leader", ["draft_recommendation"]),
    "reviews:you_said_add": ("senior_leader", ["visit"]),
    "reviews:you_said_edit": ("senior_leader", ["you_said"]),
    "reviews:visit_respond": ("provider_user", ["shared_visit"]),
    "reviews:recommendation_create": ("qa_lead", []),
    "reviews:recommendation_progress": ("qa_lead", ["recommendation"]),
    "reviews:recommendation_complete": ("qa_lead", ["recommendation"]),
    "reviews:recommendation_not_accepted": ("qa_lead", ["recommendation"]),
    "reviews:recommendation_remove": ("qa_lead", ["recommendation"]),
    "reviews:progress_remove": ("qa_lead", ["recommendation", "progress"]),
    "reviews:provider_recommendation_update": ("provider_user", ["recommendation"]),
    "reviews:action_plan_request": ("qa_lead", ["provider"]),
    "reviews:plan_action_add": ("provider_user", ["requested_plan"]),
    "reviews:plan_action_edit": ("provider_user", ["requested_plan", "plan_action"]),
    "reviews:action_plan_return": ("qa_lead", ["submitted_plan"]),
    "reviews:action_plan_accept": ("commissioning_officer", ["submitted_plan"]),
    "reviews:action_plan_recheck": ("qa_lead", ["accepted_plan"]),
    "reviews:safe_to_remain": ("qa_lead", ["inadequate_response", "safe_to_remain_decision"]),
    "reviews:meeting_schedule": ("commissioning_officer", []),
    "reviews:meeting_book": ("commissioning_officer", ["meeting"]),
    "reviews:meeting_cancel": ("commissioning_officer", ["meeting"]),
    "reviews:meeting_record": ("commissioning_officer", ["meeting"]),
    "reviews:meeting_recommendation_create": ("commissioning_officer", ["meeting"]),
    "committee:report_create": ("qa_lead", []),
    "committee:report_detail": ("qa_lead", ["report"]),
    "committee:report_period": ("qa_lead", ["report"]),
    "visits:template_publish": ("administrator", ["draft_template"]),
    "visits:template_section_add": ("administrator", ["draft_template"]),
    "visits:template_section_edit": ("administrator", ["draft_section"]),
    "visits:template_question_add": ("administrator", ["draft_section"]),
    "visits:template_question_edit": ("administrator", ["draft_question"]),
}

NO_TEXT_BOXES = {
    # Pages to read, lists (their searches are query strings: test_inputs_control_characters), downloads.
    **dict.fromkeys(
        [
            "accessibility",
            "healthz",
            "notifications",
            "home",
            "jobs",
            "document_list",
            "document_detail",
            "document_progress",
            "document_download",
            "password_reset_done",
            "password_reset_complete",
            "password_change_done",
            "password_reset_confirm",
            "account_security",
            "recovery_codes",
            "providers:young_person_access_log",
            "providers:subject_access",
            "providers:subject_access_export",
            "providers:retention_review",
            "providers:provider_list",
            "providers:concern_list",
            "providers:provider_export",
            "providers:provider_detail",
            "providers:provider_history",
            "providers:provider_placements",
            "providers:provider_settings",
            "providers:young_person_list",
            "providers:young_person_detail",
            "providers:imports",
            "visits:visit_list",
            "visits:visit_detail",
            "visits:visit_history",
            "visits:report_pdf",
            # A case-record note is a read-only text area in no form, to copy: nothing is typed.
            "visits:case_record_notes",
            "visits:case_record_note_download",
            "reviews:meeting_case_record_notes",
            "reviews:meeting_case_record_note_download",
            "reviews:tracker",
            "reviews:tracker_export",
            "reviews:tracker_meeting",
            "reviews:recommendation_detail",
            "reviews:my_actions",
            "reviews:provider_recommendations",
            "reviews:you_said_list",
            "reviews:provider_you_said",
            "reviews:you_said_letter",
            "reviews:action_plan_list",
            "reviews:provider_action_plans",
            "reviews:action_plan_detail",
            "reviews:inadequate_response",
            "reviews:inadequate_response_list",
            "reviews:meeting_list",
            "reviews:meeting_detail",
            "reviews:meeting_prepare",
            "reviews:meeting_agenda_pdf",
            "reviews:meeting_history",
            "reviews:compliance_overview",
            "reviews:compliance_export",
            "committee:report_list",
            "committee:report_visits",
            "committee:report_meetings",
            "visit_next",
            "visit_programme",
            "committee:version_download",
            "committee:version_progress",
            "providers:import_progress",
            "visits:template_list",
            "visits:template_version",
            # The write-up form's fields as a visitor sees them, in no form: nothing is posted.
            "visits:template_preview",
        ],
        "read only",
    ),
    # Buttons: a POST with nothing typed.
    **dict.fromkeys(
        [
            "logout",
            "session_extend",
            "document_send_again",
            "visits:finalise",
            "visits:case_record_note_recorded",
            "reviews:meeting_case_record_note_recorded",
            "visits:commissioning",
            "email_send_again",
            "committee:pack_generate",
            "committee:version_resend",
            "new_recovery_codes",
            "passkey_remove",
            "providers:young_person_anonymise",
            "reviews:recommendation_share",
            "reviews:you_said_remove",
            "reviews:plan_action_remove",
            "reviews:action_plan_submit",
            "visits:template_start_draft",
            "visits:template_discard",
            "visits:template_section_move",
            "visits:template_section_remove",
            "visits:template_question_move",
            "visits:template_question_remove",
        ],
        "a button",
    ),
    # Check pages whose one form is a confirmation: nothing is typed.
    "visits:submit": "check your answers, then a button",
    "visits:share": "what the provider will receive, then a button (a hidden fingerprint of it)",
    # What arrives in their addresses, not typed: PAGES_WITHOUT_TEXT_BOXES below gets hostile text in it.
    "council_sign_in": "a redirect to the council's identity provider (test_council_sign_in_shrugs_off_hostile_text)",
    "oidc_authentication_callback": "the council's answer in the address (test_council_sign_in_shrugs_off_hostile_text)",
    **dict.fromkeys(
        ["passkey_add_begin", "passkey_add_complete", "passkey_sign_in_begin", "passkey_sign_in_complete"],
        "JSON from django-otp-webauthn's scripts (test_passkeys; JSON bodies: test_inputs_control_characters)",
    ),
    "providers:import_upload": "a file (test_inputs_control_characters, test_import_pages)",
    "providers:import_run": "radios and check boxes about an uploaded file",
    "visits:autosave": "JSON (test_inputs_control_characters, test_inputs_lengths)",
    "csp_report": "a browser's JSON report (test_csp_reports)",
}


@pytest.fixture
def records(provider, senior_leader, commissioning_officer, qa_lead, administrator):
    template_draft = template_start_draft(by=administrator)
    shared = VisitFactory(provider=provider, status=VisitStatus.SHARED, visit_date=date(2025, 10, 2))
    draft = VisitFactory(provider=provider, lead_visitor=senior_leader)
    recommendation = RecommendationFactory(visit=shared, owner=qa_lead)
    young_person = YoungPersonFactory()
    plans = action_plans(provider, commissioning_officer, shared)
    return {
        **plans,
        **inadequate_response(provider),
        "draft_template": template_draft,
        "draft_section": template_draft.sections.get(number=3),
        "draft_question": template_draft.sections.get(number=3).questions.get(number=1),
        "provider": provider,
        "setting": SettingFactory(provider=provider),
        "contact": Contact.objects.create(provider=provider, name="Ann Lee", role="Registered manager"),
        "concern": ConcernFactory(provider=provider),
        "young_person": young_person,
        "placement": PlacementFactory(young_person=young_person, provider=provider),
        "visit": draft,
        "submitted_visit": VisitFactory(provider=provider, status=VisitStatus.SUBMITTED, visit_date=date(2025, 9, 1)),
        "shared_visit": shared,
        "draft_recommendation": RecommendationFactory(visit=draft, owner=qa_lead),
        "you_said": _you_said(draft, young_person, senior_leader),
        "recommendation": recommendation,
        "progress": ProgressUpdate.objects.create(
            recommendation=recommendation, text="Asked for a plan", status_after="open", by=qa_lead
        ),
        "run": ImportRun.objects.create(kind="ofsted", filename="o.csv", content="", uploaded_by=commissioning_officer),
        "meeting": meetings.meeting_schedule(
            provider=provider, due_date=timezone.localdate() + timedelta(days=7), by=commissioning_officer
        ),
        "report": committee.committee_report_create(
            by=qa_lead, title="", period_start=date(2024, 4, 1), period_end=date(2025, 3, 31)
        ),
    }


def _you_said(draft, young_person, by) -> YouSaid:
    """What the young person met on the draft visit asked for ("You said, we did")."""
    draft.young_people_met.add(young_person)
    return YouSaid.objects.create(visit=draft, young_person=young_person, said="A bike", created_by=by, updated_by=by)


def action_plans(provider, officer, visit) -> dict:
    """A plan the provider is writing (with an action), one submitted, and one accepted."""
    requested = ActionPlanFactory(provider=provider, visit=visit, requested_by=officer)
    return {
        "requested_plan": requested,
        "plan_action": PlanActionFactory(plan=requested),
        "submitted_plan": ActionPlanFactory(provider=provider, visit=visit, requested_by=officer, status="submitted"),
        "accepted_plan": ActionPlanFactory(
            provider=provider,
            visit=visit,
            requested_by=officer,
            status="accepted",
            recheck_date=timezone.localdate() + timedelta(days=180),
        ),
    }


def inadequate_response(provider) -> dict:
    """A response to an Inadequate judgement with one young person's decision still to record."""
    young_person = YoungPersonFactory()
    setting = SettingFactory(provider=provider)
    placement = PlacementFactory(young_person=young_person, provider=provider, setting=setting)
    inspection = InspectionFactory(setting=setting, judgement=4, inspection_date=timezone.localdate() - timedelta(1))
    response = InadequateResponse.objects.create(
        provider=provider, inspection=inspection, setting=setting, visit_due_on=timezone.localdate()
    )
    decision = SafeToRemainDecision.objects.create(
        response=response,
        young_person=young_person,
        placement=placement,
        due_at=timezone.now() + timedelta(hours=24),
    )
    return {"inadequate_response": response, "safe_to_remain_decision": decision}


class _Form(HTMLParser):
    """What the page's POST form for `action` sends as shown, and which of its fields are text boxes."""

    TEXT_TYPES = {"text", "email", "search", "tel", "url", "password", "number"}

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.values, self.text_boxes, self.text_areas = action, {}, set(), set()
        self.inside = self.found = False
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self.inside = attrs.get("method", "").lower() == "post" and attrs.get("action", "") in ("", self.action)
            self.found = self.found or self.inside
            return
        name = attrs.get("name")
        if not self.inside or (not name and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in self.TEXT_TYPES:
                self.text_boxes.add(name)
            if kind in ("submit", "button", "file"):
                return
            if kind not in ("checkbox", "radio"):
                self.values.setdefault(name, []).append(attrs.get("value", ""))
            elif "checked" in attrs:
                self.values.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind == "radio" and name not in self.values:
                self.values[name] = [attrs.get("value", "")]  # the first choice, so the rest is valid
        elif tag == "textarea":
            self.textarea = name
            self.text_boxes.add(name)
            self.text_areas.add(name)
            self.values.setdefault(name, []).append("")
        elif tag == "select":
            self.select = name
        elif (
            tag == "option"
            and self.select
            and attrs.get("value")
            and ("selected" in attrs or self.select not in self.values)
        ):
            self.values[self.select] = [attrs["value"]]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][-1] += data


def test_every_address_is_declared_as_a_form_or_not():
    named = {name for name, _ in named_patterns() if not name.startswith("admin:")}
    assert named - set(FORMS) - set(NO_TEXT_BOXES) == set(), "declare these in FORMS or NO_TEXT_BOXES"
    assert set(FORMS) | set(NO_TEXT_BOXES) <= named, "declared but no longer an address"


def sign_in_as(request, client, who: str | None) -> None:
    """Sign `client` in as FORMS names the person who opens a form: a role's fixture, someone part way
    through signing in (PASSWORD_ALONE, NO_APP_YET), or no one."""
    if who in (PASSWORD_ALONE, NO_APP_YET):
        user = request.getfixturevalue("qa_lead") if who == PASSWORD_ALONE else UserFactory(authenticator=False)
        signed_in = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
        assert signed_in.status_code == 302
    elif who:
        client.force_login(request.getfixturevalue(who))


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_form_refuses_hostile_text_beside_its_boxes_and_never_fails(
    request, client, records, provider_user, name, hostile
):
    who, arguments = FORMS[name]
    sign_in_as(request, client, who)
    url = reverse(name, args=[records[a].pk if isinstance(a, str) else a for a in arguments])
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    form = _Form(url)
    form.feed(page.content.decode())
    assert form.found and form.text_boxes, f"{url}: no form with text boxes"
    data = {key: values for key, values in form.values.items() if key != "csrfmiddlewaretoken"}
    for box in form.text_boxes:
        data[box] = [HOSTILE[hostile]]
    response = client.post(url, data)
    assert response.status_code == 200, f"{url}: {response.status_code}, nothing should have been saved"
    html = response.content.decode()
    assert "govuk-error-summary" in html, f"{url}: no message saying what is wrong"
    # The text comes back as it would be kept (without its control characters), with the portal's
    # messages, never Django's own.
    assert "\x00" not in html and "\x0c" not in html, f"{url}: a control character is shown back"
    assert "Ensure this value" not in html and "Null characters" not in html, f"{url}: Django's own message"
    assert SCRIPT not in html, f"{url}: the script is put back as markup, not text"
    if form.text_areas:  # free text: a date or an email address may be refused for its shape first
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        expected = "characters or fewer" if hostile == "too long" else "that is not text"
        assert expected in text, f"{url}: the message does not say what is wrong"


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_one_line_box_refuses_a_line_break_and_shows_the_text_on_one_line(
    request, client, records, provider_user, name
):
    who, arguments = FORMS[name]
    sign_in_as(request, client, who)
    url = reverse(name, args=[records[a].pk if isinstance(a, str) else a for a in arguments])
    form = _Form(url)
    form.feed(client.get(url).content.decode())
    one_line = form.text_boxes - form.text_areas
    if not one_line:
        pytest.skip(f"{url} has only text areas, where a line break belongs")
    data = {key: values for key, values in form.values.items() if key != "csrfmiddlewaretoken"}
    for box in one_line:
        data[box] = ["Ann\r\nLee"]
    response = client.post(url, data)
    assert response.status_code == 200, f"{url}: {response.status_code}, nothing should have been saved"
    shown = _Form(url)
    shown.feed(response.content.decode())
    for box in one_line & set(shown.values):
        assert not any("\n" in value or "\r" in value for value in shown.values[box]), (
            f"{url}: {box} shown on two lines"
        )
    assert "govuk-error-summary" in response.content.decode(), f"{url}: no message saying what is wrong"


def test_a_users_text_boxes_in_the_admin_are_limited_too(client):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(
        reverse("admin:qa_portal_user_add"), {"email": "a@example.org", "full_name": "Ann\x00", "job_title": "x" * 2000}
    )
    assert response.status_code == 200
    assert "that is not text" in response.content.decode()


def test_every_form_class_of_the_portal_is_a_portal_form():
    """Those no address shows as well (a form added in a form's __init__, one only an admin page uses)."""
    forms = _project_forms()
    assert len(forms) > 30, "the search for forms is broken"
    assert [f"{form.__module__}.{form.__name__}" for form in forms if not issubclass(form, InputsMixin)] == []


# Pages of the privacy and second-factor work with no text box: hostile text where a person could put
# some anyway (their address, and the fields of a button's post). url name -> (who, records, posted fields)
PAGES_WITHOUT_TEXT_BOXES = {
    "account_security": ("qa_lead", [], None),
    "recovery_codes": ("qa_lead", [], None),
    "new_recovery_codes": ("qa_lead", [], ["next"]),
    "passkey_remove": ("qa_lead", [], ["passkey"]),
    "providers:young_person_access_log": ("qa_lead", ["young_person"], None),
    "providers:subject_access": ("qa_lead", ["young_person"], None),
    "providers:subject_access_export": ("qa_lead", ["young_person"], None),
    "providers:retention_review": ("qa_lead", [], None),
    "providers:young_person_anonymise": ("qa_lead", ["young_person"], ["reason"]),
    "reviews:recommendation_share": ("qa_lead", ["recommendation"], ["note"]),
}


def _shown_safely(url: str, response, hostile: str) -> str:
    assert response.status_code < 500, f"{url}: {response.status_code}"
    body = b"" if getattr(response, "streaming", False) else response.content
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    html = body.decode()
    assert "\x00" not in html and "\x0c" not in html and "\x1b" not in html, f"{url}: a control character is shown"
    assert SCRIPT not in html, f"{url}: the script is shown as markup"
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
@pytest.mark.parametrize("name", sorted(PAGES_WITHOUT_TEXT_BOXES))
def test_pages_without_text_boxes_shrug_off_hostile_text(request, client, records, name, hostile):
    who, arguments, posted = PAGES_WITHOUT_TEXT_BOXES[name]
    client.force_login(request.getfixturevalue(who))
    url = reverse(name, args=[records[a].pk for a in arguments])
    text = HOSTILE[hostile]
    query = {"page": text, "next": text, "sort": text}
    if posted is None:
        shown = _shown_safely(url, client.get(url, query), hostile)
        if shown and hostile != "too long":
            assert "hidden character that is not text" in shown, f"{url}: nothing says what was taken out"
    else:
        response = client.post(url, dict.fromkeys(posted, text))
        _shown_safely(url, response, hostile)
        if response.status_code in (301, 302):
            _shown_safely(url, client.get(response.url), hostile)


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
def test_council_sign_in_shrugs_off_hostile_text(client, council_provider, hostile):  # noqa: F811
    text = HOSTILE[hostile]
    start = client.get(reverse("council_sign_in"), {"next": text})
    assert start.status_code == 302
    assert start.url.startswith(council_provider)
    back = client.get(reverse("oidc_authentication_callback"), {"code": text, "state": text})
    assert back.status_code == 302
    assert back.url == reverse("login")
    shown = _shown_safely(back.url, client.get(back.url), hostile)
    assert "Signing in with your council account did not work" in shown
    assert "_auth_user_id" not in client.session
