"""The records the generated authorisation test (test_page_access.py) fills addresses with.

Two providers: our own (Harbour Lights Fostering), whose provider user is the standing provider user,
and another (Northgate Homes), whose provider user must find nothing of ours. Every record below is the
own provider's; the other provider has a shared visit and a recommendation of its own, so that a page
shown to our provider user can be checked for anything of theirs (`SECRETS`).

`build()` makes them all and returns the users (one per identity of qa_portal.page_access) and the
address arguments of each record, keyed by the words the declarations use (`on="a shared visit"`).
"""

from datetime import date, timedelta
from io import BytesIO

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from pypdf import PdfWriter

from providers.models import Contact, ImportRun
from qa_portal.documents.models import Document
from qa_portal.models import AccountChange, Notification
from qa_portal.page_access import OTHER_PROVIDER_USER
from qa_portal.reporting.committee import services as committee
from qa_portal.reporting.models import CommitteePackVersion, PackStatus, VisitNextWeights
from qa_portal.roles import Role
from reviews import meetings
from reviews.models import (
    ActionPlan,
    ActionPlanEvent,
    CadenceThresholds,
    InadequateResponse,
    PlanAction,
    ProgressUpdate,
    ReviewMeeting,
    RiskRule,
    RiskRuleKind,
    SafeToRemainDecision,
    YoungPersonOutcome,
    YouSaid,
)
from reviews.views.tracker import TRACKER_DOCUMENT
from tests.factories import (
    ConcernFactory,
    InspectionFactory,
    PlacementFactory,
    ProviderFactory,
    RecommendationFactory,
    SettingFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)
from visits.models import TemplateStatus, VisitStatus, VisitTemplate
from visits.template_versions import template_start_draft

# Words that must never appear on a page shown to the own provider's user: the other provider, and the
# council's internal records about ours (DOMAIN.md: provider users see only their own organisation's
# shared visit reports and recommendations; issue 13: never one from a concern, a review meeting or
# about the authority's own service).
OWN_PROVIDER_NAME = "Harbour Lights Fostering"
OTHER_PROVIDER_NAME = "Northgate Homes"
CONCERN_SUMMARY = "Whistleblower alleges night staff sleep on shift"
CONCERN_RECOMMENDATION = "Commission an unannounced night visit after the whistleblower's allegation"
MEETING_RECOMMENDATION = "Consider a placement stop if staffing does not improve by the next review"
AUTHORITY_RECOMMENDATION = "Our own placements team to answer the provider's referrals within five days"
AUTHORITY_VISIT_RECOMMENDATION = "Our leaving care team to visit each young person there every month"
MEETING_NOTES = "Council-only note: weigh a placement stop at the next review"
CASE_RECORD_ID = "7199001"
OUTCOME_NOTES = "QZ has settled; contact with her mother restarted in May"
OTHER_RECOMMENDATION = "Northgate to repair the fire door on the first floor"
# What only the roles with the young-person permission may see (issue 13: the review meeting page
# showed managers and senior leaders each child's notes).
YOUNG_PEOPLE_SECRETS = (CASE_RECORD_ID, OUTCOME_NOTES)
SECRETS = (
    OTHER_PROVIDER_NAME,
    CONCERN_SUMMARY,
    CONCERN_RECOMMENDATION,
    MEETING_RECOMMENDATION,
    AUTHORITY_RECOMMENDATION,
    AUTHORITY_VISIT_RECOMMENDATION,
    MEETING_NOTES,
    CASE_RECORD_ID,
    OTHER_RECOMMENDATION,
)


def _users(provider, other_provider) -> dict[str, object]:
    users = {
        role.value: UserFactory(role=role, full_name=f"Standing {role.label}")
        for role in Role
        if role != Role.PROVIDER_USER
    }
    users[Role.PROVIDER_USER.value] = UserFactory(role=Role.PROVIDER_USER, provider=provider, full_name="Jo Marsh")
    users[OTHER_PROVIDER_USER] = UserFactory(role=Role.PROVIDER_USER, provider=other_provider, full_name="Kim Lowe")
    return users


def _visits(provider, users) -> dict:
    lead = users[Role.SENIOR_LEADER]
    on = date.today() - timedelta(days=20)
    made = {"a draft visit": VisitFactory(provider=provider, lead_visitor=lead)}
    for status in (VisitStatus.SUBMITTED, VisitStatus.SHARED, VisitStatus.RESPONDED, VisitStatus.FINALISED):
        made[f"a {status.label.lower()} visit"] = VisitFactory(
            provider=provider,
            lead_visitor=lead,
            status=status,
            visit_date=on,
            response_due=on + timedelta(days=14) if status != VisitStatus.SUBMITTED else None,
        )
    return made


def _recommendations(provider, users, visits, concern, held_meeting, person) -> dict:
    qa_lead, leader = users[Role.QA_LEAD], users[Role.SENIOR_LEADER]
    due = date.today() + timedelta(days=30)

    def raise_one(**fields):
        fields.setdefault("visit", None)
        return RecommendationFactory(provider=provider, owner=qa_lead, created_by=leader, due_date=due, **fields)

    shared = raise_one(visit=visits["a shared with provider visit"])
    ProgressUpdate.objects.create(recommendation=shared, text="Plan agreed", status_after="open", by=leader)
    return {
        "a recommendation from a shared visit": shared,
        "a child-level recommendation from a shared visit": raise_one(
            visit=visits["a shared with provider visit"],
            level="child",
            young_person=person,
            action_holder="social_worker",
        ),
        "a recommendation from a draft visit": raise_one(visit=visits["a draft visit"]),
        "a recommendation from a concern": raise_one(source="concern", concern=concern, text=CONCERN_RECOMMENDATION),
        "a recommendation from a review meeting": raise_one(
            source="review_meeting", review_meeting=held_meeting, text=MEETING_RECOMMENDATION
        ),
        "a recommendation on the authority's own service": raise_one(
            source="other", level="authority_service", text=AUTHORITY_RECOMMENDATION
        ),
        "a recommendation on the authority's own service from a shared visit": raise_one(
            visit=visits["a shared with provider visit"], level="authority_service", text=AUTHORITY_VISIT_RECOMMENDATION
        ),
    }


def _meetings(provider, users, person) -> dict:
    officer = users[Role.COMMISSIONING_OFFICER]
    held = ReviewMeeting.objects.create(
        provider=provider,
        cadence="quarterly",
        placement_volume=1,
        due_date=date.today() - timedelta(days=40),
        status="held",
        held_at=timezone.now() - timedelta(days=40),
        notes=MEETING_NOTES,
        recorded_by=officer,
    )
    YoungPersonOutcome.objects.create(meeting=held, young_person=person, notes=OUTCOME_NOTES, for_case_record=True)
    scheduled = meetings.meeting_schedule(provider=provider, due_date=date.today() + timedelta(days=7), by=officer)
    return {"a scheduled review meeting": scheduled, "a held review meeting": held}


def _action_plans(provider, users, visits) -> dict:
    """Action plans of our provider, after its shared visit: requested (with an action), submitted, and
    accepted."""
    officer, provider_user = users[Role.COMMISSIONING_OFFICER], users[Role.PROVIDER_USER]
    made = {}
    for status in ("requested", "submitted", "accepted"):
        plan = ActionPlan.objects.create(
            provider=provider,
            source="visit",
            visit=visits["a shared with provider visit"],
            asks="Set out how you will fix the boiler and the fire door",
            status=status,
            due_date=date.today() + timedelta(days=14),
            requested_by=officer,
            recheck_date=date.today() + timedelta(days=180) if status == "accepted" else None,
        )
        ActionPlanEvent.objects.create(plan=plan, step="requested", by=officer)
        article = "an" if status == "accepted" else "a"
        made[f"{article} {status} action plan"] = plan
        made[f"an action of {article} {status} action plan"] = PlanAction.objects.create(
            plan=plan,
            text="Replace the boiler",
            responsible="Dee Grant, registered manager",
            timescale=date.today() + timedelta(days=30),
            updated_by=provider_user,
        )
    return made


def _inadequate_response(provider, setting, placement) -> dict:
    """A response to an Inadequate judgement of our provider's setting, with the placed young person's
    decision (asked of the standing social worker, their allocated one)."""
    inspection = InspectionFactory(setting=setting, judgement=4, inspection_date=date.today() - timedelta(days=1))
    response = InadequateResponse.objects.create(
        provider=provider, inspection=inspection, setting=setting, visit_due_on=date.today()
    )
    decision = SafeToRemainDecision.objects.create(
        response=response,
        young_person=placement.young_person,
        placement=placement,
        social_worker=placement.young_person.social_worker,
        due_at=timezone.now() + timedelta(hours=24),
    )
    return {
        "an Inadequate response": {"pk": response.pk},
        "a safe to remain decision": {"pk": response.pk, "decision_pk": decision.pk},
    }


def _committee(users) -> dict:
    qa_lead = users[Role.QA_LEAD]
    report = committee.committee_report_create(
        by=qa_lead, title="", period_start=date(2024, 4, 1), period_end=date(2025, 3, 31)
    )
    pdf = _blank_pdf()
    version = CommitteePackVersion.objects.create(
        report=report,
        number=1,
        created_by=qa_lead,
        period_start=report.period_start,
        period_end=report.period_end,
        status=PackStatus.DONE,
        progress=100,
        pdf=pdf,
        pdf_size=len(pdf),
    )
    return {
        "a committee report": {"pk": report.pk},
        "a committee pack version": {"pk": report.pk, "version_pk": version.pk},
    }


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _documents(users) -> dict:
    qa_lead = users[Role.QA_LEAD]
    content = b"Recommendation,Due\r\n"
    document = Document.objects.create(
        kind=TRACKER_DOCUMENT,
        format="csv",
        title="Recommendation and Impact Tracker",
        requested_by=qa_lead,
        parameters={"path": "/tracker/export.csv", "query": ""},
        fingerprint="0" * 64,
        status="done",
        progress=100,
        expires_at=timezone.now() + timedelta(days=7),
        filename="tracker.csv",
        content_type="text/csv",
        content=content,
        size=len(content),
    )
    failed = Notification.objects.create(
        recipient=qa_lead,
        email=qa_lead.email,
        kind="test",
        key="page-access",
        subject="A reminder",
        body="A reminder",
        status="failed",
    )
    return {"the QA lead's document": document, "a failed email to the QA lead": failed}


def _visit_template(users) -> dict:
    """The published version of the visit template (the default, version 1) and a draft of the next."""
    published = VisitTemplate.objects.get(status=TemplateStatus.PUBLISHED)
    draft = template_start_draft(by=users[Role.ADMINISTRATOR])
    published_section = published.sections.get(number=3)
    draft_section = draft.sections.get(number=3)
    return {
        "the published visit template": published,
        "the draft visit template": draft,
        "a section of the published visit template": published_section,
        "a section of the draft visit template": draft_section,
        "a question of the published visit template": published_section.questions.get(number=1),
        "a question of the draft visit template": draft_section.questions.get(number=1),
    }


def _admin_records(users) -> dict:
    attempt = AccessAttempt.objects.create(
        username="someone@example.org", ip_address="127.0.0.1", user_agent="test", failures_since_start=1
    )
    log = AccessLog.objects.create(username="someone@example.org", ip_address="127.0.0.1", user_agent="test")
    failure = AccessFailureLog.objects.create(username="someone@example.org", ip_address="127.0.0.1", user_agent="t")
    return {
        "auth_group": Group.objects.get(name=Role.QA_LEAD.label),
        "axes_accessattempt": attempt,
        "axes_accesslog": log,
        "axes_accessfailurelog": failure,
        "qa_portal_user": users[Role.QA_LEAD],
        "qa_portal_notification": Notification.objects.filter(recipient=users[Role.QA_LEAD]).first(),
        "reviews_cadencethresholds": CadenceThresholds.objects.first() or CadenceThresholds.objects.create(),
        "reviews_riskrule": RiskRule.current()[RiskRuleKind.VISIT_NO],
        "reporting_visitnextweights": VisitNextWeights.current(),
        "qa_portal_accountchange": AccountChange.objects.create(
            how=AccountChange.How.ADMIN, account=users[Role.QA_LEAD], what="Roles", before="Manager", after="QA lead"
        ),
    }


def _you_said(draft, person, users) -> dict:
    """The placed young person met on the draft visit, and what they asked for ("You said, we did")."""
    draft.young_people_met.add(person)
    leader = users[Role.SENIOR_LEADER]
    mark = YouSaid.objects.create(
        visit=draft, young_person=person, said="A bike to get to college", created_by=leader, updated_by=leader
    )
    return {
        "a mark of what a young person asked for on a draft visit": {"pk": mark.pk},
        "a young person met on a draft visit": {"pk": draft.pk, "person_pk": person.pk},
    }


def build() -> tuple[dict, dict]:
    """Make every record; returns (users by identity, address arguments by the words for each record)."""
    provider = ProviderFactory(name=OWN_PROVIDER_NAME)
    other_provider = ProviderFactory(name=OTHER_PROVIDER_NAME)
    users = _users(provider, other_provider)
    setting = SettingFactory(provider=provider)
    InspectionFactory(setting=setting)
    contact = Contact.objects.create(provider=provider, name="Dee Grant", email="dee@harbour.example")
    person = YoungPersonFactory(initials="QZ", case_record_id=CASE_RECORD_ID, social_worker=users[Role.SOCIAL_WORKER])
    placement = PlacementFactory(young_person=person, provider=provider, setting=setting)
    concern = ConcernFactory(provider=provider, raised_by=users[Role.SOCIAL_WORKER], summary=CONCERN_SUMMARY)
    visits = _visits(provider, users)
    finalised = visits["a finalised visit"]
    finalised.young_people_met.add(person)
    found = _meetings(provider, users, person)
    recommendations = _recommendations(provider, users, visits, concern, found["a held review meeting"], person)
    plans = _action_plans(provider, users, visits)
    run = ImportRun.objects.create(
        kind="ofsted", filename="ofsted.csv", content="", uploaded_by=users[Role.COMMISSIONING_OFFICER], preview={}
    )
    theirs = VisitFactory(provider=other_provider, status=VisitStatus.SHARED, visit_date=date.today())
    RecommendationFactory(visit=theirs, text=OTHER_RECOMMENDATION, owner=users[Role.QA_LEAD])
    records = {
        "a provider": provider,
        "a setting": setting,
        "a contact": contact,
        "a concern recorded by a social worker": concern,
        "a placed young person": person,
        "a placement": placement,
        "an import run": run,
        **visits,
        **found,
        **recommendations,
        **_documents(users),
        **_visit_template(users),
    }
    args = {words: {"pk": record.pk} for words, record in records.items()}
    for words, record in plans.items():
        args[words] = (
            {"pk": record.pk} if isinstance(record, ActionPlan) else {"pk": record.plan_id, "action_pk": record.pk}
        )
    args["a young person met on a finalised visit"] = {"pk": finalised.pk, "young_person_pk": person.pk}
    args["a young person's outcome for the case record at a held review meeting"] = {
        "pk": found["a held review meeting"].pk,
        "young_person_pk": person.pk,
    }
    args.update(_committee(users))
    args.update(_you_said(visits["a draft visit"], person, users))
    args.update(_inadequate_response(provider, setting, placement))
    shared_rec = recommendations["a recommendation from a shared visit"]
    args["a progress note"] = {"pk": shared_rec.pk, "update_pk": shared_rec.progress_updates.get().pk}
    for label, record in _admin_records(users).items():
        args[f"admin:{label}"] = {"object_id": str(record.pk)}
    args["admin:a provider"] = {
        "content_type_id": str(ContentType.objects.get_for_model(provider).pk),
        "object_id": str(provider.pk),
    }
    args["nothing"] = {}
    return users, args
