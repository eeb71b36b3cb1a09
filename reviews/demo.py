"""Demo recommendations from the demo QA visits (visits.demo): child-level and service-level,
spread across the tracker's statuses, with impact statements on the completed ones and the
provider's response on every report it has answered. Two more on the report shared with
Harbour Lights Fostering this year wait for the demo provider user's response.

Everything here is invented.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from qa_portal.roles import Role
from reviews.models import ActionHolder, Level, Priority, Recommendation, RecommendationStatus, Source
from visits import demo as visits_demo
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


@transaction.atomic
def seed(*, today: date | None = None) -> dict[str, int]:
    """Create or refresh the recommendations on the demo visits; returns counts of what exists
    afterwards (in total, by status, and overdue).

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
    return _counts(today)
