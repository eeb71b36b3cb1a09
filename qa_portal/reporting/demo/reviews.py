"""Demo recommendations from the demo QA visits (visits.demo): child-level and service-level,
spread across the tracker's statuses, with impact statements on the completed ones and the
provider's response on every report it has answered. Two more on the report shared with
Harbour Lights Fostering this year wait for the demo provider user's response.

Demo commissioning review meetings from April 2024 to today for every demo provider with young
people placed: held at the cadence its placement volume calls for, each with the nine-point
compliance checklist, and one open meeting now due for each (two of them overdue), plus a few
recommendations raised at meetings.

Everything here is invented.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from providers.models import Cohort, Contact, Placement, Provider, ProvisionType
from qa_portal.reporting.demo import register as providers_demo
from qa_portal.reporting.demo import visits as visits_demo
from qa_portal.roles import Role
from qa_portal.working_days import is_working_day
from reviews.models import (
    COUNTED_AREAS,
    ActionHolder,
    Cadence,
    CadenceThresholds,
    ComplianceArea,
    ComplianceCheck,
    Level,
    MeetingStatus,
    Priority,
    ProgressUpdate,
    Rag,
    Recommendation,
    RecommendationStatus,
    ReviewMeeting,
    Source,
    YoungPersonOutcome,
    next_due,
)
from visits.models import Visit, VisitEvent

_d = date.fromisoformat

CHILD, PROVIDER_SERVICE, AUTHORITY_SERVICE = Level.CHILD, Level.PROVIDER_SERVICE, Level.AUTHORITY_SERVICE
OPEN, IN_PROGRESS = RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS
COMPLETED, NOT_ACCEPTED = RecommendationStatus.COMPLETED, RecommendationStatus.NOT_ACCEPTED
HIGH, MEDIUM, LOW = Priority.HIGH, Priority.MEDIUM, Priority.LOW


@dataclass(frozen=True)
class Accepted:
    action: str
    by: str


@dataclass(frozen=True)
class Declined:
    reason: str


@dataclass(frozen=True)
class DemoRecommendation:
    visit: str  # a key in visits.demo.VISITS
    level: str
    text: str
    owner: Role
    action_holder: str
    due: str | int  # an ISO date, or days after today for this year's visits
    priority: str
    status: str
    person: str = ""  # child-level: start date of the young person's placement with the provider
    completed: str = ""
    impact: str = ""
    not_accepted_reason: str = ""
    response: Accepted | Declined | None = None


# fmt: off
RECOMMENDATIONS = [
    # Keystone Pathways, April 2024.
    DemoRecommendation(
        "keystone_2024", CHILD,
        "Escalate his housing nomination to the Head of Service and secure a move to a permanent tenancy before "
        "his 25th birthday in April 2025, with an update to him from his personal adviser every two weeks until "
        "he has moved.",
        Role.SENIOR_LEADER, ActionHolder.SOCIAL_WORKER, "2025-03-31", HIGH, COMPLETED, person="2020-10-12",
        completed="2025-03-17",
        impact="He moved into a one-bedroom council flat in Haringey on 14 March 2025, six weeks before his 25th "
               "birthday, once his further leave to remain was granted in January. He told his personal adviser it "
               "is \"the first time I've known where I'll be living next year\".",
        response=Accepted("His keyworker will help him prepare for the move: budgeting, bills and furniture "
                          "grants.", "2025-03-31"),
    ),
    DemoRecommendation(
        "keystone_2024", AUTHORITY_SERVICE,
        "Review every care leaver's transition plan monthly at senior management level from 12 months before "
        "their 25th birthday, starting in July 2024.",
        Role.QA_LEAD, ActionHolder.QA, "2024-07-31", HIGH, COMPLETED, completed="2024-09-30",
        impact="Eight care leavers approaching 25 now have their transition plan reviewed monthly by the Head of "
               "Service. Two moved into settled housing before their birthday, and none has left our support "
               "without a plan.",
        response=Accepted("We will bring each young person's move-on plan to the review meeting three months "
                          "before their 25th birthday.", "2024-07-31"),
    ),
    DemoRecommendation(
        "keystone_2024", AUTHORITY_SERVICE,
        "Publish the Care Leaver Offer online, translated into the five languages our care leavers most often "
        "speak, and send the link to every provider's keyworkers by 30 September 2024.",
        Role.MANAGER, ActionHolder.COMMISSIONING, "2024-09-30", MEDIUM, IN_PROGRESS,
        response=Accepted("Our keyworkers will go through the Offer with each young person at their next "
                          "keywork session once it arrives.", "2024-10-31"),
    ),
    # Foundry Lane Housing Support, June 2024.
    DemoRecommendation(
        "foundry_2024", PROVIDER_SERVICE,
        "Have the landlord repair the stairwell lighting and the lift at Carrick House by 30 September 2024, and "
        "report on the building (lighting, lift, damp and security) at every review meeting.",
        Role.COMMISSIONING_OFFICER, ActionHolder.PROVIDER, "2024-09-30", HIGH, IN_PROGRESS,
        response=Accepted("The landlord has agreed a schedule of works; our scheme manager will report progress "
                          "at each review meeting.", "2024-09-30"),
    ),
    DemoRecommendation(
        "foundry_2024", CHILD,
        "Make a housing nomination for him now, so that he can move into his own tenancy before he turns 24 in "
        "January 2025.",
        Role.MANAGER, ActionHolder.SOCIAL_WORKER, "2025-01-31", MEDIUM, COMPLETED, person="2021-01-11",
        completed="2025-02-03",
        impact="He moved into a housing association flat in Wembley on 31 January 2025, near his work. He says he "
               "finally has room for his cousin to stay, and he set up his rent payments himself with his support "
               "worker.",
        response=Accepted("His support worker will help him bid for properties and with the move.", "2025-01-31"),
    ),
    # Harbour Lights Fostering, August 2024.
    DemoRecommendation(
        "harbour_lights_2024", CHILD,
        "Agree a staying-put arrangement with his foster carers, and complete his pathway plan with him, before "
        "his 18th birthday in November 2024.",
        Role.SOCIAL_WORKER, ActionHolder.SOCIAL_WORKER, "2024-11-15", HIGH, COMPLETED, person="2019-07-15",
        completed="2024-10-30",
        impact="Staying put was agreed on 30 October 2024, three weeks before his birthday. He has stayed with his "
               "carers, is in the second year of his plumbing course, and says he \"didn't have to worry about "
               "where I'd be living\".",
        response=Accepted("His carers want to offer staying put; we will complete our staying-put agreement with "
                          "them.", "2024-10-31"),
    ),
    DemoRecommendation(
        "harbour_lights_2024", CHILD,
        "Find him a place on an ESOL course at the local college starting in September 2024, with his travel "
        "paid.",
        Role.SOCIAL_WORKER, ActionHolder.PROVIDER, "2024-09-13", MEDIUM, COMPLETED, person="2023-11-20",
        completed="2024-09-16",
        impact="He started ESOL at college in September 2024 and his attendance is 96%. His carers say he now "
               "orders for the whole family when they eat out, and he chose to meet his solicitor without an "
               "interpreter.",
        response=Accepted("His carers will take him to enrolment and we will pay for his bus pass.", "2024-09-06"),
    ),
    DemoRecommendation(
        "harbour_lights_2024", PROVIDER_SERVICE,
        "Hold a minuted meeting every six weeks between each foster carer of a City child and the child's social "
        "worker, and send the minutes to the QA lead.",
        Role.QA_LEAD, ActionHolder.PROVIDER, "2024-10-31", LOW, NOT_ACCEPTED,
        not_accepted_reason="Harbour Lights showed that supervising social workers already meet each carer "
                            "monthly and send the notes to the child's social worker. Agreed at the October 2024 "
                            "tracking meeting that another meeting would duplicate this; our social workers will "
                            "read and reply to those notes instead.",
        response=Declined("Our supervising social workers already meet each carer monthly and send the notes to "
                          "the child's social worker; another meeting would take carers away from the children "
                          "without adding anything."),
    ),
    # Cheviot View Homes, October 2024.
    DemoRecommendation(
        "cheviot_2024", CHILD,
        "Set up weekly video calls between her and her aunt while the special guardianship assessment finishes, "
        "and plan introductions so that she can move before Christmas.",
        Role.SOCIAL_WORKER, ActionHolder.SOCIAL_WORKER, "2024-12-13", HIGH, COMPLETED, person="2023-09-04",
        completed="2024-12-10",
        impact="She moved to live with her aunt on 9 December 2024 under a special guardianship order. Her key "
               "worker from Wansbeck Lodge came on the last two introductory visits, so she moved with someone she "
               "trusted, and she still sends the home a photo every month.",
        response=Accepted("Staff will support the calls and go with her on the introductory visits.", "2024-12-06"),
    ),
    DemoRecommendation(
        "cheviot_2024", PROVIDER_SERVICE,
        "Send the City every Regulation 44 report within 10 working days of receiving it, and tell the child's "
        "social worker about any physical intervention within 24 hours.",
        Role.COMMISSIONING_OFFICER, ActionHolder.PROVIDER, "2024-11-30", MEDIUM, IN_PROGRESS,
        response=Accepted("From November 2024 reports go to the City's inbox within 10 working days and incidents "
                          "are notified within 24 hours.", "2024-11-30"),
    ),
    # Redbrick Semi-Independent Living, December 2024.
    DemoRecommendation(
        "redbrick_2024", CHILD,
        "Name one keyworker who meets him at least twice a week, with every session recorded, and complete his "
        "pathway plan actions for ID, a bank account and a college place by 31 January 2025.",
        Role.SOCIAL_WORKER, ActionHolder.PROVIDER, "2025-01-31", HIGH, COMPLETED, person="2024-11-08",
        completed="2025-02-07",
        impact="His provisional driving licence and bank account came through in January 2025 and he started a "
               "construction course in February. He said: \"Someone finally did what they said they would.\"",
        response=Accepted("Named keyworker from 20 December; twice-weekly sessions recorded; ID and college "
                          "applications made.", "2025-01-31"),
    ),
    DemoRecommendation(
        "redbrick_2024", CHILD,
        "Plan his move after his 18th birthday to supported accommodation he has chosen, near his college "
        "options, and agree it at his pathway plan review.",
        Role.SENIOR_LEADER, ActionHolder.SOCIAL_WORKER, "2025-02-28", HIGH, COMPLETED, person="2024-11-08",
        completed="2025-02-24",
        impact="He chose Carrick House in Harrow after visiting it with his social worker and moved on 24 February "
               "2025, five weeks after his 18th birthday. He told his social worker he feels \"listened to for "
               "once\", and his college attendance since the move is 94%.",
        response=Accepted("We will support the move and pass his records to the new provider.", "2025-02-28"),
    ),
    DemoRecommendation(
        "redbrick_2024", PROVIDER_SERVICE,
        "Provide waking staff 24 hours a day whenever a young person under 18 lives in the house.",
        Role.COMMISSIONING_OFFICER, ActionHolder.PROVIDER, "2025-01-31", HIGH, NOT_ACCEPTED,
        not_accepted_reason="The provider declined: waking staff around the clock is outside the spot contract "
                            "price. Rather than pay more for care that was not child-focused, we decided on 10 "
                            "January 2025 not to use Redbrick again, and our young person moved after his 18th "
                            "birthday.",
        response=Declined("Waking staff 24 hours a day is outside what the spot contract pays for; we can offer it "
                          "only at a higher weekly price."),
    ),
    # Hawthorn Ridge School, February 2025.
    DemoRecommendation(
        "hawthorn_2025", PROVIDER_SERVICE,
        "Repair the damaged section of the playing-field fence and send the City written confirmation, with "
        "photographs, by 28 February 2025.",
        Role.QA_LEAD, ActionHolder.PROVIDER, "2025-02-28", HIGH, IN_PROGRESS,
        response=Accepted("Contractor booked for February half-term; staff supervise the field until then.",
                          "2025-02-28"),
    ),
    DemoRecommendation(
        "hawthorn_2025", CHILD,
        "Bring forward the annual review of his EHCP, with the Virtual School, so that it reflects his new "
        "diagnosis and his views on his home before the summer term.",
        Role.SENIOR_LEADER, ActionHolder.SOCIAL_WORKER, "2025-04-25", MEDIUM, OPEN, person="2021-09-06",
        response=Accepted("We will host the review and prepare his contribution with him.", "2025-04-30"),
    ),
    # This year's report shared with Harbour Lights Fostering: awaiting the provider's response.
    DemoRecommendation(
        "harbour_lights_shared", CHILD,
        "Ask for an early review of his EHCP so that his transport to his new school is written into the plan, "
        "within six weeks.",
        Role.QA_LEAD, ActionHolder.SOCIAL_WORKER, 42, MEDIUM, OPEN, person="2020-09-07",
    ),
    DemoRecommendation(
        "harbour_lights_shared", PROVIDER_SERVICE,
        "Give the City a named out-of-hours contact who knows City children, so that carers and our Emergency "
        "Duty Team can reach them in the evenings and at weekends, within four weeks.",
        Role.COMMISSIONING_OFFICER, ActionHolder.PROVIDER, 28, MEDIUM, OPEN,
    ),
]
# fmt: on


def _noon(day: str) -> datetime:
    return timezone.make_aware(datetime.combine(_d(day), time(12, 0)))


def _event_at(visit: Visit, step: str) -> datetime | None:
    event = visit.events.filter(step=step).order_by("at").first()
    return event.at if event else None


def _values(spec: DemoRecommendation, visit: Visit, today: date, users: dict) -> dict:
    submitted = _event_at(visit, VisitEvent.Step.SUBMITTED)
    responded = _event_at(visit, VisitEvent.Step.RESPONDED)
    values = {
        "source": Source.VISIT,
        "provider": visit.provider,
        "level": spec.level,
        "young_person": (
            visit.young_people_met.get(placements__provider=visit.provider, placements__start_date=_d(spec.person))
            if spec.person
            else None
        ),
        "owner": users[spec.owner],
        "action_holder": spec.action_holder,
        "due_date": _d(spec.due) if isinstance(spec.due, str) else today + timedelta(days=spec.due),
        "priority": spec.priority,
        "status": spec.status,
        "not_accepted_reason": spec.not_accepted_reason,
        "impact_statement": spec.impact,
        "completed_at": _noon(spec.completed) if spec.completed else None,
        "provider_accepted": None,
        "provider_reason": "",
        "provider_action": "",
        "provider_action_by": None,
        "provider_responded_at": None,
        "created_by": visit.lead_visitor,
        # Written into the draft report shortly before it was submitted.
        "created_at": (submitted or visit.created_at) - timedelta(hours=1),
    }
    if spec.response is not None and responded is not None:
        values["provider_accepted"] = isinstance(spec.response, Accepted)
        values["provider_responded_at"] = responded
        if isinstance(spec.response, Accepted):
            values["provider_action"], values["provider_action_by"] = spec.response.action, _d(spec.response.by)
        else:
            values["provider_reason"] = spec.response.reason
    return values


def _counts(today: date) -> dict[str, int]:
    counts = {status: Recommendation.objects.filter(status=status).count() for status in RecommendationStatus.values}
    return {
        "recommendations": Recommendation.objects.count(),
        **counts,
        "overdue": Recommendation.objects.overdue(today).count(),
    }


# Commissioning review meetings -------------------------------------------------------------

RED, AMBER, GREEN = Rag.RED, Rag.AMBER, Rag.GREEN
A = ComplianceArea


@dataclass(frozen=True)
class ReviewPlan:
    """When a provider's reviews started, and how its story bends the routine."""

    provider: str
    first_due: str  # the first review, after April 2024 or a few weeks after the first placement
    # The review now due has slipped: it stays open, overdue, rather than being held on time.
    overdue: bool = False
    brought_forward: tuple[str, str] | None = None  # (the day it was held instead, why)


REVIEW_PLANS = [
    ReviewPlan("Keystone Pathways", "2024-04-16"),
    ReviewPlan("Harbour Lights Fostering", "2024-04-23"),
    ReviewPlan("Hawthorn Ridge School", "2024-04-25"),
    ReviewPlan("Oakhurst Children's Homes", "2024-04-30", overdue=True),
    ReviewPlan("Linden Brook School", "2024-05-02"),
    ReviewPlan("Kestrel Family Fostering", "2024-05-08"),
    ReviewPlan("Foundry Lane Housing Support", "2024-05-14"),
    ReviewPlan("Larchfield Foster Families", "2024-05-21"),
    ReviewPlan("Cheviot View Homes", "2024-06-04"),
    ReviewPlan(
        "Fellside Care",
        "2024-06-18",
        brought_forward=(
            "2024-12-05",
            "October's Regulation 44 report on Fellside House (concern received 28 November 2024): missing-from-"
            "care episodes not notified within 24 hours and agency staff on most night shifts.",
        ),
    ),
    ReviewPlan("Quayside Youth Housing", "2024-06-25"),
    ReviewPlan("Tamar Reach Residential", "2024-07-16"),
    ReviewPlan("Brightwater Foster Care", "2024-10-29", overdue=True),
]


@dataclass(frozen=True)
class Storyline:
    """A provider's rating in one area over a period (by the day the meeting was held, end
    excluded). The first meeting in the period gets the first note, the next the second, and
    so on, the last note repeating."""

    provider: str
    area: str
    rag: str
    start: str
    end: str | None
    notes: tuple[str, ...]
    count: int | None = None


# fmt: off
STORYLINES = [
    # Fellside House: the Regulation 44 warnings, then Ofsted's Inadequate and the placement stop.
    Storyline("Fellside Care", A.STAFF_RETENTION, AMBER, "2024-04-01", "2024-12-01", (
        "Two night staff have left Fellside House since March; shifts covered by agency staff who know the home.",
    )),
    Storyline("Fellside Care", A.STAFF_RETENTION, RED, "2024-12-01", None, (
        "Agency staff on most night shifts at Fellside House, and the registered manager left in September; the "
        "responsible individual is covering. October's Regulation 44 report said the same.",
        "Four of seven permanent night posts at Fellside House now filled; agency staff still cover about 40% of "
        "nights. Stays red until Ofsted's monitoring visit confirms a stable team.",
        "A permanent registered manager started in the spring and agency staff now cover about a quarter of "
        "nights. Red until Ofsted's monitoring visit confirms the team is stable; the placement stop stays.",
    )),
    Storyline("Fellside Care", A.SAFEGUARDING_NOTIFICATIONS, RED, "2024-12-01", None, (
        "Notifications since the last review: {n}. Two missing-from-care episodes at Fellside House in October "
        "reached us three days late (October's Regulation 44 report). Action plan: same-night notification to the "
        "social worker and the Emergency Duty Team.",
        "Notifications since the last review: {n}. One missing episode in February was notified the next afternoon "
        "rather than the same night. Improving, but not yet reliable.",
        "Notifications since the last review: {n}, all on time since the new manager started; the action plan asks "
        "for six months without a late notification before this changes.",
    ), count=3),
    Storyline("Fellside Care", A.STAFF_TRAINING, AMBER, "2024-12-01", "2025-09-01", (
        "Missing-from-care and restraint refresher training overdue for agency staff; the action plan commits to "
        "finishing it by the end of March.",
        "Refresher training finished for permanent staff; agency staff are trained only when booked for more than "
        "a month.",
    )),
    # Carrick House: the door that did not lock, then the landlord's slow repairs.
    Storyline("Foundry Lane Housing Support", A.COMPLAINTS, RED, "2024-04-01", "2024-08-01", (
        "Complaints: {n}, from young people at Carrick House about the main door not locking and people sleeping in "
        "the stairwell; the landlord had not acted. Escalated to the landlord's director.",
    ), count=3),
    Storyline("Foundry Lane Housing Support", A.COMPLAINTS, AMBER, "2024-08-01", "2025-02-01", (
        "Complaints: {n}, about stairwell lighting and the lift; the door entry system was replaced on 21 June. "
        "Repairs schedule agreed with the landlord.",
    ), count=2),
    Storyline("Oakhurst Children's Homes", A.STAFF_RETENTION, AMBER, "2025-01-15", "2026-01-01", (
        "Wren Cottage was judged Requires improvement in January 2025; its manager left and two residential workers "
        "followed. An interim manager has come from Bramley House.",
        "Wren Cottage has a permanent manager again; one residential worker post still vacant.",
    )),
    Storyline("Brightwater Foster Care", A.STAFF_TRAINING, AMBER, "2025-02-01", "2025-12-01", (
        "The carers of one City child have not yet had the trauma-informed training agreed at the placement "
        "planning meeting (raised by the IRO in February); now booked.",
    )),
    Storyline("Hawthorn Ridge School", A.SAFEGUARDING_NOTIFICATIONS, AMBER, "2025-03-01", "2025-12-01", (
        "Notifications since the last review: {n}, including a City child leaving the grounds through the damaged "
        "playing-field fence, notified the same day. The fence repair is still outstanding.",
    ), count=2),
    Storyline("Quayside Youth Housing", A.PAYMENT, AMBER, "2024-06-01", "2025-03-01", (
        "Invoices sent without the placement reference and at the wrong weekly rate; three queried. Our finance "
        "team met the director to agree the format.",
    )),
    Storyline("Cheviot View Homes", A.LADO_REFERRALS, GREEN, "2024-08-01", "2025-01-01", (
        "LADO referrals: {n}, after a physical intervention at Wansbeck Lodge in July that was not written up. The "
        "LADO closed it in October with no further action, and staff were retrained.",
    ), count=1),
]

# Routine notes for each area, when no storyline applies. Counted areas have a note for none
# and a note for some; "{n}" is the count.
GREEN_NOTES = {
    A.STAFF_RECRUITMENT: (
        "Sample of recruitment files checked: references, enhanced DBS and right-to-work checks all in place "
        "before each start.",
        "New starters since the last review all had safer-recruitment checks completed before they began work.",
        "No vacancies at present; the records for the last appointment were complete.",
    ),
    A.STAFF_RETENTION: (
        "Stable team: no leavers since the last review and no agency staff used.",
        "Staff turnover about 10% over the last year, well below the sector average.",
        "One leaver since the last review, replaced by a permanent appointment.",
    ),
    A.STAFF_TRAINING: (
        "Training matrix up to date: safeguarding, first aid, medication and trauma-informed practice.",
        "Everyone has done the exploitation and county lines course offered by the City's partnership.",
        "Refresher training on schedule; new starters finished their induction within 12 weeks.",
    ),
    A.PAYMENT: (
        "Invoices accurate and on time; nothing in dispute.",
        "All invoices for the period paid; the annual uplift applied correctly.",
        "No queries on invoices since the last review.",
    ),
    A.SAFEGUARDING_NOTIFICATIONS: (
        ("No notifiable events since the last review.",),
        (
            "Notifications since the last review: {n}, each made within 24 hours and followed up with the social "
            "worker.",
            "Notifications since the last review: {n}, all on time; the provider's incident log matched what we "
            "received.",
        ),
    ),
    A.LADO_REFERRALS: (
        ("No LADO referrals since the last review.", "No allegations against staff or carers since the last review."),
        (
            "LADO referrals: {n}, made promptly; the LADO is satisfied with the provider's response and the matter "
            "is closed.",
        ),
    ),
    A.COMPLAINTS: (
        ("No complaints since the last review.",),
        ("Complaints: {n}, resolved within the provider's timescale; the young people were told the outcome.",),
    ),
    A.COPRODUCTION: (
        "The young people's forum meets monthly; it chose this year's activities and reviewed the house rules.",
        "Young people helped interview the last two staff appointed.",
        "Spring survey of young people and families done; the provider showed us what it changed as a result.",
    ),
    A.SOCIAL_VALUE: (
        "Two local apprenticeships and work experience for City care leavers, as promised in the tender.",
        "Staff volunteer at a local food bank; the provider sponsors a youth football team.",
        "Buys locally where it can, and reported on every social value commitment in its tender.",
    ),
}
AMBER_NOTES = {
    A.STAFF_RECRUITMENT: (
        "One new starter began before the second reference arrived; the provider has changed its checklist so "
        "that cannot happen again.",
        "Vacancies are taking more than three months to fill; the provider is advertising with a local college.",
    ),
    A.STAFF_RETENTION: (
        "Two experienced staff left since the last review; posts covered by regular bank staff the young people "
        "know.",
        "More agency staff at weekends; the provider is recruiting to two permanent posts.",
    ),
    A.STAFF_TRAINING: (
        "Three staff overdue for safeguarding refresher training; booked for next month.",
        "Induction of two new staff not yet signed off; the manager will confirm by the next review.",
    ),
    A.PAYMENT: (
        "Two invoices charged for days after a young person had moved on; credit note agreed.",
        "Invoices arriving six to eight weeks late; the provider is moving to monthly invoicing.",
    ),
    A.SAFEGUARDING_NOTIFICATIONS: (
        "Notifications since the last review: {n}. One reached the social worker two days late; the manager has "
        "tightened the out-of-hours process.",
    ),
    A.LADO_REFERRALS: (
        "LADO referrals: {n}. A referral from earlier in the year is still open after three months; the provider "
        "is chasing the outcome.",
    ),
    A.COMPLAINTS: (
        "Complaints: {n}. One response was late and the young person was not told the outcome; the provider has "
        "apologised and changed its process.",
    ),
    A.COPRODUCTION: (
        "No young people's meeting since the last review; the provider will restart it with an independent "
        "advocate.",
        "Feedback from young people collected, but nothing to show what changed because of it.",
    ),
    A.SOCIAL_VALUE: (
        "Social value commitments in the tender not yet reported on; the provider will bring figures to the next "
        "review.",
    ),
}


@dataclass(frozen=True)
class Voice:
    concerns: tuple[str, ...]
    successes: tuple[str, ...]
    feedback: tuple[str, ...]


VOICES = {
    ProvisionType.FOSTERING: Voice(
        concerns=(
            "Recruiting carers for teenagers and sibling groups remains hard; two referrals from City social "
            "workers could not be matched.",
            "Carers report delays in getting delegated authority for school trips and haircuts.",
            "The cost of living is pressing on carers; the agency asks whether the City's allowances will rise in "
            "April.",
            "Some carers say they hear about changes to family contact only on the day.",
        ),
        successes=(
            "Two City children moved into long-term matches with their current carers this year.",
            "Every City child is in school or college, with attendance above 90%.",
            "A carers' support group now meets monthly, led by an experienced carer.",
            "Staying-put arrangements agreed for every City young person who wanted one.",
        ),
        feedback=(
            "City social workers visit on time, and carers value their reports being read.",
            "Would like the City's Virtual School to come to PEP meetings in person more often.",
            "Referral paperwork is sometimes incomplete; a fuller health history would help matching.",
            "Thanks the City for a quick decision on a holiday abroad for one child.",
        ),
    ),
    ProvisionType.CHILDRENS_HOME: Voice(
        concerns=(
            "Recruiting experienced night staff remains difficult in a rural area.",
            "CAMHS waiting times for City children placed out of area are long.",
            "Police responses to missing episodes vary between forces.",
            "Energy and food costs are rising; the provider will raise its fees in April.",
        ),
        successes=(
            "A City child passed five GCSEs this summer, with staff there for every exam.",
            "Every City child has a named key worker and a weekly key-work session on record.",
            "The activity programme now includes climbing, sailing and the Duke of Edinburgh's Award.",
            "No placement breakdowns this year.",
        ),
        feedback=(
            "City social workers keep in touch well, but one child's IRO changed twice this year.",
            "Would like to be invited to the City's provider forum.",
            "Care plans sometimes arrive after the child has moved in.",
            "Thanks the City for funding extra one-to-one support quickly when it was needed.",
        ),
    ),
    ProvisionType.SUPPORTED_ACCOMMODATION: Voice(
        concerns=(
            "Move-on housing for young people ready to leave is scarce; some wait over a year.",
            "Young people's Universal Credit claims are slow, which leads to rent arrears.",
            "Home Office decisions for unaccompanied young people are taking longer, and they are anxious.",
            "Landlord repairs in shared buildings are slow to happen.",
        ),
        successes=(
            "Three young people moved into their own tenancy this year with a settled support plan.",
            "Most young people are in education, employment or training.",
            "A budgeting course run with a local credit union is well attended.",
            "Young people helped redecorate the communal lounge.",
        ),
        feedback=(
            "Personal advisers are responsive, but pathway plans are sometimes out of date when a young person "
            "arrives.",
            "Would like earlier notice of young people turning 21 or 25, so that planning starts sooner.",
            "Thanks the City for setting up the Leaving Care Hub drop-in.",
            "Asks the City to share its Care Leaver Offer in more languages.",
        ),
    ),
    ProvisionType.RESIDENTIAL_SCHOOL: Voice(
        concerns=(
            "Transport home at weekends is hard to arrange for City children placed far away.",
            "EHCP annual review paperwork from the City sometimes arrives late.",
            "Recruiting residential staff with autism experience is difficult.",
            "Fees will rise in September to pay for a new staffing ratio.",
        ),
        successes=(
            "The City child made strong progress in reading and communication this year.",
            "Residential staff and teachers now share one behaviour support plan for each child.",
            "Children joined the school's Duke of Edinburgh's Award bronze group.",
            "Good links with local CAMHS; the child now has regular therapy sessions.",
        ),
        feedback=(
            "The City's SEN team and social worker work well together at reviews.",
            "Would like the Virtual School to visit once a year.",
            "Thanks the City for agreeing extra family visits quickly.",
            "Asks for the child's health assessment to be shared sooner.",
        ),
    ),
}

TOPICS = (
    "Went through the monitoring return and the list of City young people placed.",
    "Actions from the last review checked: all closed.",
    "Actions from the last review checked: one carried over.",
    "Fees for next year discussed; the provider will send its uplift request in writing.",
    "Discussed the City's sufficiency strategy and where the provider could offer more places.",
)

OUTCOME_NOTES = {
    Cohort.CHILD_IN_CARE: (
        "{i} is settled and at school every day this term; carers say {i} has joined a weekend football club.",
        "{i} had a hard few weeks after a change to family contact; extra key-work sessions helped. The social "
        "worker will review the contact plan.",
        "{i} is waiting for a CAMHS appointment; staff will go with {i} and share what is agreed.",
        "{i} is meeting the targets in their personal education plan; reading age up a year since the spring.",
        "{i} chose how to decorate their room and says it feels like home.",
    ),
    Cohort.CARE_LEAVER: (
        "{i} has started a college course and manages their own budget; keywork is weekly now, at their request.",
        "{i} is waiting for a Home Office decision; staff go with them to the solicitor's appointments.",
        "{i} has a housing nomination and is bidding with their keyworker's help.",
        "{i} lost a part-time job; the provider is helping with a Universal Credit claim and a CV.",
        "{i} is in an apprenticeship and saving for a deposit.",
    ),
}

# Meetings whose write-up tells a particular story, by provider and the day held.
MEETING_STORIES = {
    ("Fellside Care", "2024-12-05"): {
        "provider_concerns": "The provider accepts October's Regulation 44 findings at Fellside House: missing "
        "episodes not notified on time and too many agency staff at night. It is recruiting permanent night staff, "
        "and the responsible individual is covering the manager's post.",
        "provider_successes": "Greystone Barn remains stable and well run; the City child there is settled and "
        "at college.",
        "feedback_to_authority": "Asks the City to come to a monthly action plan meeting, and to raise concerns "
        "as they arise rather than at the review.",
        "notes": "Brought forward after October's Regulation 44 report. The provider will send an action plan with "
        "timescales within 14 days; the QA lead will attend until the concerns are resolved.",
    },
}


@dataclass(frozen=True)
class DemoMeetingRecommendation:
    provider: str
    held_from: str  # raised at the provider's first meeting held on or after this day
    level: str
    text: str
    owner: Role
    action_holder: str
    due: str
    priority: str
    status: str
    completed: str = ""
    impact: str = ""
    progress: tuple[str, str] | None = None  # (day, note) of a progress update


MEETING_RECOMMENDATIONS = [
    DemoMeetingRecommendation(
        "Fellside Care", "2024-12-01", PROVIDER_SERVICE,
        "Notify the child's social worker and the City's Emergency Duty Team of every missing-from-care episode "
        "on the same night, and send a weekly rota for Fellside House showing permanent and agency staff on each "
        "night shift, until the placement stop is lifted.",
        Role.COMMISSIONING_OFFICER, ActionHolder.PROVIDER, "2025-03-31", HIGH, IN_PROGRESS,
        progress=("2025-03-10", "Weekly rotas received since January; agency staff on nights down from about 70% "
                                "to 45%. One missing episode in February notified the next afternoon."),
    ),
    DemoMeetingRecommendation(
        "Larchfield Foster Families", "2024-04-01", PROVIDER_SERVICE,
        "Make sure every carer of a City child completes trauma-informed training by 31 October 2024, and send "
        "the City each household's training record before every review meeting.",
        Role.COMMISSIONING_OFFICER, ActionHolder.PROVIDER, "2024-10-31", MEDIUM, COMPLETED,
        completed="2024-10-24",
        impact="All four households caring for City children finished the training by October 2024. The carers "
               "of a nine-year-old with SEND used it to agree a calmer bedtime routine with him; his school reports "
               "no exclusions this term, against three last year, and he told his social worker bedtimes are "
               "\"not scary any more\".",
    ),
    DemoMeetingRecommendation(
        "Keystone Pathways", "2025-01-01", AUTHORITY_SERVICE,
        "Agree with the City's housing team a named officer for care leavers' housing nominations, and report at "
        "every Keystone review the nominations made and the young people waiting more than six months.",
        Role.MANAGER, ActionHolder.COMMISSIONING, "2025-09-30", MEDIUM, OPEN,
    ),
]
# fmt: on


@dataclass(frozen=True)
class Slot:
    """One review meeting in a provider's schedule."""

    due: date
    cadence: str
    volume: int  # active placements when it was scheduled
    scheduled_at: datetime
    held_on: date | None  # None: the open meeting
    next_due: date | None = None
    brought_forward_because: str = ""


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _first_due(placements: list[Placement]) -> date:
    """For a demo provider without a plan: April 2024, or six weeks after its first placement since."""
    starts = [p.start_date for p in placements if p.end_date is None or p.end_date > providers_demo.YEAR_START]
    first = min(starts, default=providers_demo.YEAR_START)
    return max(date(2024, 4, 16), first + timedelta(weeks=6))


def _schedule(plan: ReviewPlan, placements: list[Placement], thresholds, today: date) -> tuple[list[Slot], Slot | None]:
    """The provider's meetings held from its first review to today, and the open one now due.

    Each meeting is held on its due date or up to a week before it (never on a weekend or bank
    holiday), and the next is due one cadence after it, the cadence following the placements
    active on the day it was held. For a plan marked overdue, the review now due is left open
    once it is a fortnight late."""

    def volume_on(day: date) -> int:
        return sum(p.is_active_on(day) for p in placements)

    due = _d(plan.first_due)
    scheduled_at = _at(due - timedelta(weeks=6), 9)
    volume = volume_on(due)
    cadence = thresholds.cadence_for(volume)
    held: list[Slot] = []
    while True:
        because = ""
        if plan.brought_forward and held:
            forward = _d(plan.brought_forward[0])
            if held[-1].held_on < forward < due:
                due, because = forward, plan.brought_forward[1]
        rng = random.Random(f"{plan.provider} {due}")
        on = due if because else _working_day_on_or_before(due - timedelta(days=rng.randint(0, 6)))
        next_volume = volume_on(on)
        next_cadence = thresholds.cadence_for(next_volume)
        following = next_due(next_cadence, on, today)
        if plan.overdue:
            hold = following is not None and following < today - timedelta(days=14)
        else:
            hold = on < today
        if not hold:
            return held, Slot(due, cadence, volume, scheduled_at, None, None, because)
        held.append(Slot(due, cadence, volume, scheduled_at, on, following, because))
        if following is None:  # nobody placed when it was held: no routine review to schedule
            return held, None
        due, cadence, volume, scheduled_at = following, next_cadence, next_volume, _at(on, 16)


def _storyline(provider: str, area: str, held_on: date) -> tuple[Storyline, date] | None:
    """The storyline for this area on the day a meeting was held, and the day the storyline starts."""
    for story in STORYLINES:
        if story.provider == provider and story.area == area:
            start, end = _d(story.start), _d(story.end) if story.end else date.max
            if start <= held_on < end:
                return story, start
    return None


def _check_values(
    provider: Provider, area: str, slot: Slot, earlier: list[date], rng: random.Random
) -> dict[str, object]:
    # Every draw is made whatever the outcome, so one storyline never shifts the others' draws.
    amber, pick, count = rng.random() < 0.07, rng.random(), None
    if area == A.SAFEGUARDING_NOTIFICATIONS:
        count = rng.randint(0, max(1, slot.volume // 2 + 1))
    elif area == A.LADO_REFERRALS:
        count = 1 if rng.random() < 0.08 else 0
    elif area == A.COMPLAINTS:
        count = rng.choice((0, 0, 0, 1, 1, 2))
    found = _storyline(provider.name, area, slot.held_on)
    if found:
        story, start = found
        index = sum(start <= day < slot.held_on for day in earlier)
        rag, note = story.rag, story.notes[min(index, len(story.notes) - 1)]
        count = story.count if story.count is not None else count
    elif amber:
        rag = AMBER
        if area in (A.SAFEGUARDING_NOTIFICATIONS, A.COMPLAINTS):
            count = max(count, 1)
        notes = AMBER_NOTES[area]
        note = notes[int(pick * len(notes))]
    else:
        rag = GREEN
        notes = GREEN_NOTES[area]
        if area in COUNTED_AREAS:
            notes = notes[1] if count else notes[0]
        note = notes[int(pick * len(notes))]
    return {"rag": rag, "count": count if area in COUNTED_AREAS else None, "notes": note.format(n=count)}


def _attendees(provider: Provider, slot: Slot, contacts: list[Contact], users: dict, rng: random.Random) -> str:
    officer, qa_lead, social_worker = (
        users[Role.COMMISSIONING_OFFICER],
        users[Role.QA_LEAD],
        users[Role.SOCIAL_WORKER],
    )
    lines = [f"{officer.full_name}, {officer.job_title} (chair)"]
    lines += [f"{c.name}, {c.role}, {provider.name}" for c in contacts[:2]]
    if slot.brought_forward_because or _storyline(provider.name, A.SAFEGUARDING_NOTIFICATIONS, slot.held_on):
        lines.append(f"{qa_lead.full_name}, {qa_lead.job_title}")
    if rng.random() < 0.3:
        lines.append(f"{social_worker.full_name}, {social_worker.job_title}")
    return "\n".join(lines)


def _meeting_values(provider: Provider, slot: Slot, index: int, contacts, users, rng) -> dict[str, object]:
    kind = provider.provision_types[0] if provider.provision_types else ProvisionType.OTHER
    voice = VOICES.get(kind, VOICES[ProvisionType.CHILDRENS_HOME])
    offset = rng.randrange(4)
    topic = TOPICS[(index + offset) % len(TOPICS)]
    values = {
        "cadence": slot.cadence,
        "placement_volume": slot.volume,
        "status": MeetingStatus.HELD,
        "brought_forward_because": slot.brought_forward_because,
        "held_at": _at(slot.held_on, 10 if rng.random() < 0.6 else 14),
        "attendees": _attendees(provider, slot, contacts, users, rng),
        "provider_concerns": voice.concerns[(index + offset) % len(voice.concerns)],
        "provider_successes": voice.successes[(index + offset + 1) % len(voice.successes)],
        "feedback_to_authority": voice.feedback[(index + offset + 2) % len(voice.feedback)],
        "notes": (
            f"{topic} {slot.volume} City young {'person' if slot.volume == 1 else 'people'} placed when this review "
            f"was scheduled ({Cadence(slot.cadence).label.lower()} reviews). Next review due "
            f"{slot.next_due:%-d %B %Y}."
            if slot.next_due
            else topic
        ),
        "recorded_by": users[Role.COMMISSIONING_OFFICER],
        "created_at": slot.scheduled_at,
    }
    story = MEETING_STORIES.get((provider.name, slot.held_on.isoformat()))
    if story:
        values.update({name: text for name, text in story.items() if name != "notes"})
        values["notes"] = f"{story['notes']} {values['notes']}"
    return values


def _seed_outcomes(meeting: ReviewMeeting, placements: list[Placement], today: date, officer, rng) -> None:
    placed = sorted(
        (p.young_person for p in placements if p.is_active_on(meeting.held_on)), key=lambda yp: yp.case_record_id
    )
    chosen = rng.sample(placed, min(len(placed), 1 + (rng.random() < 0.5)))
    for person in chosen:
        notes = OUTCOME_NOTES[person.cohort]
        flagged = rng.random() < 0.5
        # Put on the case record a fortnight after the meeting; the latest ones wait their turn.
        recorded = flagged and meeting.held_on + timedelta(days=14) < today
        visits_demo.upsert(
            YoungPersonOutcome,
            {"meeting": meeting, "young_person": person},
            {
                "notes": rng.choice(notes).format(i=person.initials),
                "for_case_record": flagged,
                "recorded_on_case_record_at": _at(meeting.held_on + timedelta(days=2), 11) if recorded else None,
                "recorded_on_case_record_by": officer if recorded else None,
            },
            by=officer,
            at=meeting.held_at,
        )


def _seed_provider_meetings(provider: Provider, plan: ReviewPlan, thresholds, users: dict, today: date) -> None:
    officer = users[Role.COMMISSIONING_OFFICER]
    placements = list(provider.placements.select_related("young_person"))
    contacts = list(Contact.objects.filter(provider=provider).order_by("name"))
    held, open_slot = _schedule(plan, placements, thresholds, today)
    earlier: list[date] = []
    for index, slot in enumerate(held):
        rng = random.Random(f"{provider.name} {slot.due} meeting")
        values = _meeting_values(provider, slot, index, contacts, users, rng)
        meeting = visits_demo.upsert(
            ReviewMeeting, {"provider": provider, "due_date": slot.due}, values, by=officer, at=slot.scheduled_at
        )
        for area in ComplianceArea.values:
            visits_demo.upsert(
                ComplianceCheck,
                {"meeting": meeting, "area": area},
                _check_values(provider, area, slot, earlier, rng),
                by=officer,
                at=meeting.held_at,
            )
        _seed_outcomes(meeting, placements, today, officer, rng)
        earlier.append(slot.held_on)
    if open_slot is None:
        return
    # Never a second open meeting: one someone scheduled by hand stands instead of ours.
    if ReviewMeeting.objects.open().filter(provider=provider).exclude(due_date=open_slot.due).exists():
        return
    visits_demo.upsert(
        ReviewMeeting,
        {"provider": provider, "due_date": open_slot.due},
        {
            "cadence": open_slot.cadence,
            "placement_volume": open_slot.volume,
            "status": MeetingStatus.SCHEDULED,
            "brought_forward_because": open_slot.brought_forward_because,
            "held_at": None,
            "recorded_by": None,
            "created_at": open_slot.scheduled_at,
        },
        by=officer,
        at=open_slot.scheduled_at,
    )


def _seed_meeting_recommendations(users: dict) -> None:
    officer = users[Role.COMMISSIONING_OFFICER]
    for spec in MEETING_RECOMMENDATIONS:
        meeting = (
            ReviewMeeting.objects.held()
            .filter(provider__name=spec.provider, held_at__gte=_noon(spec.held_from) - timedelta(hours=12))
            .order_by("held_at")
            .first()
        )
        if meeting is None:
            raise RuntimeError(f"No review meeting with {spec.provider} held from {spec.held_from}.")
        created_at = meeting.held_at + timedelta(hours=2)
        recommendation = visits_demo.upsert(
            Recommendation,
            {"review_meeting": meeting, "text": spec.text},
            {
                "source": Source.REVIEW_MEETING,
                "provider": meeting.provider,
                "level": spec.level,
                "owner": users[spec.owner],
                "action_holder": spec.action_holder,
                "due_date": _d(spec.due),
                "priority": spec.priority,
                "status": spec.status,
                "impact_statement": spec.impact,
                "completed_at": _noon(spec.completed) if spec.completed else None,
                "created_by": officer,
                "created_at": created_at,
            },
            by=officer,
            at=created_at,
        )
        if spec.progress:
            on, text = spec.progress
            visits_demo.upsert(
                ProgressUpdate,
                {"recommendation": recommendation, "text": text},
                {"status_after": spec.status, "by": officer, "at": _noon(on)},
            )


def seed_review_meetings(*, today: date) -> dict[str, int]:
    """Create or refresh the demo review meetings and the recommendations raised at them;
    returns counts of the meetings afterwards.

    Needs the demo register (providers.demo.seed). Meetings are matched on provider and due
    date, so a run on a later day holds the meeting that was open and opens the next one,
    never two open meetings for one provider."""
    thresholds = CadenceThresholds.current()
    roles = (Role.COMMISSIONING_OFFICER, Role.QA_LEAD, Role.SOCIAL_WORKER, Role.MANAGER)
    users = {role: visits_demo.demo_user(role) for role in roles}
    plans = {plan.provider: plan for plan in REVIEW_PLANS}
    names = [spec.name for spec in providers_demo.PROVIDERS]
    for provider in Provider.objects.filter(name__in=names).order_by("name"):
        if not Placement.objects.active_on(today).filter(provider=provider).exists():
            continue  # no routine review without young people placed
        plan = plans.get(provider.name)
        if plan is None:
            plan = ReviewPlan(provider.name, _first_due(list(provider.placements.all())).isoformat())
        _seed_provider_meetings(provider, plan, thresholds, users, today)
    _seed_meeting_recommendations(users)
    meetings = ReviewMeeting.objects.all()
    return {
        "review_meetings": meetings.count(),
        "meetings_held": meetings.held().count(),
        "meetings_open": meetings.open().count(),
        "meetings_overdue": meetings.overdue(today).count(),
        "compliance_checks": ComplianceCheck.objects.count(),
        "red_ratings": ComplianceCheck.objects.filter(rag=Rag.RED).count(),
        "meeting_recommendations": Recommendation.objects.filter(source=Source.REVIEW_MEETING).count(),
    }


@transaction.atomic
def seed(*, today: date | None = None) -> dict[str, int]:
    """Create or refresh the recommendations on the demo visits, then the demo review meetings and
    the recommendations raised at them; returns counts of what exists afterwards (recommendations
    in total, by status, and overdue; review meetings held, open and overdue; compliance checks).

    Needs the demo visits (visits.demo.seed). Recommendations are matched on their visit and text:
    those on the 2024-25 visits are refreshed; those on this year's visits are made once."""
    today = today or timezone.localdate()
    visits = visits_demo.find_demo_visits(today=today)
    current_year = {spec.key for spec in visits_demo.VISITS if spec.marker}
    roles = {spec.owner for spec in RECOMMENDATIONS}
    users = {role: visits_demo.demo_user(role) for role in roles}
    for spec in RECOMMENDATIONS:
        visit = visits.get(spec.visit)
        if visit is None:
            raise RuntimeError(f"Demo visit {spec.visit} is missing: seed the visits first (visits.demo.seed).")
        lookup = {"visit": visit, "text": spec.text}
        if spec.visit in current_year and Recommendation.objects.filter(**lookup).exists():
            continue  # made once, then left to the people using the demo
        values = _values(spec, visit, today, users)
        visits_demo.upsert(Recommendation, lookup, values, by=visit.lead_visitor, at=values["created_at"])
    meetings = seed_review_meetings(today=today)
    return {**_counts(today), **meetings}
