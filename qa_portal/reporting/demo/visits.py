"""Demo QA visits, shaped like the City of London's 2024-25 programme: six finalised visits
to six providers between April 2024 and February 2025, meeting about 22 children and young
people (39% of those placed that year), and, in the current programme year, a report shared
with Harbour Lights Fostering awaiting its response, one submitted report awaiting the QA
lead and one draft being written up. Also the committee report on the 2024-25 programme, its
narrative drafted by the manager, ready for a pack to be generated (none is: generating is what
the person trying the demo does).

The past steps of each visit's path are written directly, with their historical dates, rather
than through the services: the services stamp today's date and queue emails to the provider
and commissioning, and a seed must send no email. Everything here is invented.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from providers.models import Placement, Provider, Setting, YoungPerson
from qa_portal.models import User
from qa_portal.reporting.demo.accounts import DEMO_PROVIDER_NAME, DEMO_USERS
from qa_portal.reporting.models import CommitteeReport
from qa_portal.roles import Role
from qa_portal.working_days import add_working_days, is_working_day
from visits.models import (
    Answer,
    CaseRecordEntry,
    HowArranged,
    OverallJudgement,
    QuestionKind,
    TemplateQuestion,
    TemplateStatus,
    Visit,
    VisitEvent,
    VisitReason,
    VisitStatus,
    VisitTemplate,
)
from visits.services import young_people_placed

Step = VisitEvent.Step
PATH = [
    Step.PLANNED,
    Step.SUBMITTED,
    Step.SHARED,
    Step.RESPONDED,
    Step.FINALISED,
    Step.CASE_RECORDED,
    Step.COMMISSIONING,
]
STATUS_AFTER = {
    Step.PLANNED: VisitStatus.DRAFT,
    Step.SUBMITTED: VisitStatus.SUBMITTED,
    Step.SHARED: VisitStatus.SHARED,
    Step.RESPONDED: VisitStatus.RESPONDED,
    Step.FINALISED: VisitStatus.FINALISED,
    Step.CASE_RECORDED: VisitStatus.FINALISED,
    Step.COMMISSIONING: VisitStatus.FINALISED,
}
CHANGE_REASON = "Demo data (seed_demo)"
EMAILED_RESPONSE = "Response received by email"

_d = date.fromisoformat

LEADER, QA_LEAD = Role.SENIOR_LEADER, Role.QA_LEAD
LEADER_ROLE = "Assistant Director, People's Services"
QA_LEAD_ROLE = "Head of Safeguarding and Quality Assurance"

# The default template's questions (migration 0002), by a short key. A question added in a
# later template version gets FALLBACK_ANSWER, so every question is still answered.
QUESTION_KEYS = {
    "Anything else about how the visit was arranged": "arranged",
    "The condition and maintenance of the home": "condition",
    "Security": "security",
    "Amenities nearby": "amenities",
    "Does the young person feel safe in the area?": "safe_area",
    "What they said about the area": "area_said",
    "Do they feel safe, happy and listened to?": "safe_happy",
    "What they like": "like",
    "What they would change": "change",
    "How well staff know each young person's needs": "know_needs",
    "Relationships between staff and young people": "relationships",
    "The approach to care and support": "approach",
    "Staff training": "training",
    "Management oversight": "oversight",
    "Care and pathway plan actions": "plans",
    "Education, employment or training": "education",
    "Health": "health",
    "Transitions": "transitions",
    "Housing and immigration support": "housing",
    "Did anything need action on the day?": "action_needed",
    "What needed action, and what was done": "action_taken",
}
FALLBACK_ANSWER = "Discussed with the manager on the day; nothing to add beyond the other sections of this report."


@dataclass(frozen=True)
class DemoVisit:
    """One demo visit. Dates are ISO strings (the 2024-25 programme) or whole days before
    today (the current programme year, never before its 1 April)."""

    key: str  # how reviews.demo refers to it
    provider: str
    setting: str
    on: str | int  # the visit date
    lead: Role
    others_present: str
    how_arranged: str
    reasons: tuple[str, ...]
    met: tuple[str, ...]  # start dates of the placements (with this provider) of the young people met
    staff_met: str
    spaces_seen: str
    answers: dict[str, str]
    path: tuple[tuple[str, str | int, str], ...]  # (step, date, "HH:MM"), in path order
    judgement: str = ""
    summary: str = ""
    provider_comment: str = ""
    young_inspectors: int = 0
    others_spoken_to: int = 0
    reason_other: str = ""
    # Current-year visits are found again by the note on their "planned" step, so a later run
    # (on a later day, with other dates) never makes a second one.
    marker: str = ""
    response_note: str = EMAILED_RESPONSE

    @property
    def status(self) -> str:
        return STATUS_AFTER[self.path[-1][0]]


# fmt: off
VISITS = [
    DemoVisit(
        key="keystone_2024",
        provider="Keystone Pathways",
        setting="Keystone Pathways, Seven Sisters flats",
        on="2024-04-23",
        lead=LEADER,
        others_present="Maya Lindqvist, Personal Adviser, Leaving Care Team",
        how_arranged=HowArranged.ANNOUNCED,
        reasons=(VisitReason.NUMBER_OF_YOUNG_PEOPLE, VisitReason.VULNERABILITY),
        met=("2019-09-30", "2020-10-12", "2021-11-22", "2022-05-09", "2023-08-14", "2024-04-22"),
        staff_met="Samuel Adeyemi, Service Manager\nLucy Brannigan, Senior Keyworker\nTwo outreach keyworkers",
        spaces_seen=(
            "Two of the six flats at Keystone Court (with the young people's agreement), the shared laundry, "
            "the bike store and the office where keywork sessions are held."
        ),
        answers={
            "arranged": "Arranged with the service manager three weeks ahead. Keyworkers told the young people and "
                        "offered them a time; six chose to meet us, one with his personal adviser beside him.",
            "condition": "Self-contained flats with their own kitchen and shower room, clean and recently "
                         "decorated. One shower drains slowly; it was reported to the landlord in March and the "
                         "manager chased it while we were there.",
            "security": "Fob entry to the building, CCTV at the entrance and a door chain on each flat. Fire alarms "
                        "are tested weekly and recorded. Visitors sign in at the office during staffed hours.",
            "amenities": "Five minutes from Seven Sisters station and several bus routes; a large supermarket, a "
                         "mosque and a church nearby, and Finsbury Park within walking distance.",
            "safe_area": "yes",
            "area_said": "All said they feel safe in the area. One avoids the park after dark, \"like anyone would\"; "
                         "another likes that shops stay open late and that people nearby speak his language.",
            "safe_happy": "Everyone said they feel safe and are happy with their flat: \"It's my place, I can cook "
                          "what I want.\" The young man who turns 25 next April feels listened to by his keyworker "
                          "but \"not by housing\", and worries he will have nowhere to go.",
            "like": "Having their own front door; keyworkers who \"answer the phone\"; the Friday cooking session "
                    "in the office; being near friends from college.",
            "change": "Quicker answers on housing and immigration. Wi-Fi that works in the evenings. One would like "
                      "a bigger flat so his younger brother can stay over.",
            "know_needs": "Keyworkers knew each young person's situation in detail: college timetables, Home Office "
                          "appointments, who needs reminding about bills. Support ranges from daily contact for the "
                          "newest arrival to weekly for those nearly ready to move on.",
            "relationships": "Warm and respectful. Young people greeted staff by name and one asked his keyworker to "
                             "stay for our conversation. Staff speak about the young people with pride.",
            "approach": "Outreach keywork aimed at independence: budgeting, cooking, tenancy skills, and going with "
                        "young people to appointments when they ask. Interpreters are used for important "
                        "conversations rather than friends.",
            "training": "All keyworkers have safeguarding, trauma-informed practice and 'working with unaccompanied "
                        "young people' training; the training matrix was up to date.",
            "oversight": "The service manager reviews keywork notes weekly and supervises staff monthly. Oversight of "
                         "pathway plans is weaker: no one, here or at the City, holds a list of young people "
                         "approaching 25.",
            "plans": "Five of the six have a pathway plan reviewed in the last six months. One was overdue and did "
                     "not reflect the young person's immigration position.",
            "education": "Four are at college (ESOL, maths and a level 2 electrical course), one works part time in "
                         "a warehouse and the newest arrival is waiting for an ESOL assessment.",
            "health": "All are registered with a GP and a dentist. Two are supported to attend counselling; one is "
                      "waiting for talking therapy after a difficult winter.",
            "transitions": "The young man who turns 25 next April has no agreed plan for when our support ends. He "
                           "is anxious about it, and so is his keyworker. The others are building tenancy skills.",
            "housing": "His housing application has stalled and his further leave to remain is undecided. "
                       "Keyworkers help young people gather evidence for the Home Office and go with them to "
                       "solicitors, but cannot speed up either process.",
            "action_needed": "no",
            "action_taken": "Nothing needed immediate action. The overdue pathway plan and the housing position of "
                            "the young man approaching 25 were raised with the leaving care manager that afternoon.",
        },
        judgement=OverallJudgement.YES,
        summary=(
            "A well-run service that young people value: their flats are clean and safe and keyworkers know them "
            "well. The gap is ours as much as the provider's: one young man approaching 25 has no settled plan for "
            "his housing or immigration status, and no one holds an overview of care leavers nearing the end of our "
            "support. Our recommendations are about his housing, senior oversight of transitions at 25, and "
            "information for keyworkers."
        ),
        provider_comment=(
            "Thank you for the visit; the young people were pleased to meet a senior leader. We accept the "
            "recommendations. We would welcome the Care Leaver Offer in translation: our keyworkers currently "
            "explain it through interpreters."
        ),
        path=(
            (Step.PLANNED, "2024-03-19", "10:05"),
            (Step.SUBMITTED, "2024-04-29", "17:20"),
            (Step.SHARED, "2024-05-02", "09:40"),
            (Step.RESPONDED, "2024-05-15", "14:10"),
            (Step.FINALISED, "2024-05-20", "11:30"),
            (Step.CASE_RECORDED, "2024-05-21", "10:00"),
            (Step.COMMISSIONING, "2024-05-21", "10:20"),
        ),
    ),
    DemoVisit(
        key="foundry_2024",
        provider="Foundry Lane Housing Support",
        setting="Carrick House studios",
        on="2024-06-26",
        lead=QA_LEAD,
        others_present="Amara Dutton, Participation Officer (with the Young Inspector)",
        young_inspectors=1,
        how_arranged=HowArranged.SHORT_NOTICE,
        reasons=(VisitReason.NUMBER_OF_YOUNG_PEOPLE, VisitReason.CONCERNS),
        met=("2021-01-11", "2022-03-28", "2022-06-06", "2022-09-19", "2023-07-03"),
        staff_met="Priya Raman, Scheme Manager, who showed us round the building\nThe on-site support worker",
        spaces_seen=(
            "The entrance and its new door entry system, the stairwells, two studios (one occupied, with the young "
            "person's agreement, and one empty), the laundry and the bin store."
        ),
        answers={
            "arranged": "Arranged at two weeks' notice after two young people told us the main door did not lock. "
                        "Our Young Inspector came and led part of the conversation.",
            "condition": "The studios are compact but bright, with new kitchens. The common parts are tired: two "
                         "stairwell lights out, a lift that broke down twice last month, damp in the ground-floor "
                         "corridor. The landlord, not the provider, is responsible for the building.",
            "security": "The main door did not lock properly until the door entry system was replaced on 21 June; it "
                        "now works, and the Young Inspector tested it. CCTV covers the entrance but not the stairs.",
            "amenities": "Next to Harrow town centre: shops, the college, the station and a gym. One young person "
                         "works in a café five minutes away.",
            "safe_area": "yes",
            "area_said": "They feel safe outside. Before the new door two of them felt unsafe in the stairwell at "
                         "night: \"People were sleeping on the stairs.\"",
            "safe_happy": "All five said they feel well supported by Foundry Lane and listened to by their support "
                          "workers. They feel safer since the door was fixed but still worry when the lights are out.",
            "like": "Their own studio, being close to college and work, and support workers who \"actually come "
                    "when you message\".",
            "change": "A permanent tenancy and a bigger place. Lights and a lift that work. Somewhere to meet "
                      "friends that is not their bedroom.",
            "know_needs": "The scheme manager knew each young person's plans, work and study, and the immigration "
                          "status of the three who came to the UK unaccompanied.",
            "relationships": "Relaxed and friendly; young people dropped into the office to chat while we were there. "
                             "The Young Inspector noted that staff \"didn't talk down to anyone\".",
            "approach": "Floating support from a team on site in the day, with an on-call number at night. Each "
                        "young person sets their own goals with their worker every month.",
            "training": "Safeguarding and first aid are up to date, and staff have had training on exploitation and "
                        "county lines, which matters in a town centre.",
            "oversight": "The manager keeps a log of building faults and escalations to the landlord, but repairs "
                         "are slow and the provider has little leverage.",
            "plans": "Pathway plans are up to date for all five and keyworkers have copies. The oldest young "
                     "person's plan aims for a move to his own tenancy before he turns 24.",
            "education": "Two at college, one at university (commuting), one working full time in retail and one "
                         "on a traineeship.",
            "health": "All registered with a local GP. One young person is supported with anxiety by the college "
                      "counsellor.",
            "transitions": "The oldest turns 24 in January and is ready for his own tenancy; he needs a housing "
                           "nomination now to move on in time.",
            "housing": "All five want a permanent tenancy. Three have leave to remain; staff help them keep their "
                       "documents in order and remind them of renewal dates.",
            "action_needed": "no",
            "action_taken": "Nothing needed action on the day: the door had been fixed. The scheme manager logged "
                            "the lighting and lift faults with the landlord during our visit.",
        },
        judgement=OverallJudgement.YES,
        summary=(
            "A positive visit. Young people feel well supported, like living here, and the support team is "
            "responsive. The building is the problem: security was fixed days before we came, but the lighting, lift "
            "and damp show a landlord slow to act. Building maintenance will be on the agenda of every review "
            "meeting, and we will help the oldest young person into his own tenancy."
        ),
        provider_comment=(
            "We share your concerns about the building and have put the landlord on notice. We will report on "
            "maintenance at every review meeting, and are grateful for the push on the housing nomination."
        ),
        path=(
            (Step.PLANNED, "2024-06-11", "15:30"),
            (Step.SUBMITTED, "2024-06-28", "16:05"),
            (Step.SHARED, "2024-07-03", "10:10"),
            (Step.RESPONDED, "2024-07-12", "12:45"),
            (Step.FINALISED, "2024-07-16", "09:50"),
            (Step.CASE_RECORDED, "2024-07-16", "14:00"),
            (Step.COMMISSIONING, "2024-07-17", "09:15"),
        ),
    ),
    DemoVisit(
        key="harbour_lights_2024",
        provider=DEMO_PROVIDER_NAME,
        setting="Harbour Lights Fostering (Whitstable office)",
        on="2024-08-14",
        lead=LEADER,
        others_present="Amara Dutton, Participation Officer (with the Young Inspectors)\n"
                       "Tom Reilly, Social Worker, Children in Care",
        young_inspectors=2,
        how_arranged=HowArranged.ANNOUNCED,
        reasons=(VisitReason.NUMBER_OF_YOUNG_PEOPLE, VisitReason.VULNERABILITY),
        met=("2019-07-15", "2020-09-07", "2021-02-01", "2022-03-14", "2023-03-06", "2023-05-02", "2023-11-20"),
        others_spoken_to=2,
        staff_met="Jo Marsh, Registered Manager\nDeclan Farrow, Responsible Individual\n"
                  "Three supervising social workers\nSix foster carers",
        spaces_seen=(
            "The agency's office and family room in Whitstable, where its summer activity day was held, and two "
            "foster homes in the afternoon (bedrooms seen with the children's agreement)."
        ),
        answers={
            "arranged": "Timed to coincide with the agency's summer activity day, so we met the children somewhere "
                        "relaxed; two foster families invited us home in the afternoon. The Young Inspectors "
                        "planned their own questions with the participation officer.",
            "condition": "Both foster homes were homely and well kept. Bedrooms are personalised with photos and "
                         "posters; in one, a fish tank the child looks after herself.",
            "security": "Carers have current safer-caring policies and home safety checks. Parental controls are "
                        "set on the children's devices and online safety had been talked through with the older "
                        "young people.",
            "amenities": "Both homes are near schools, parks and the seafront. One child plays Saturday football and "
                         "another goes to Scouts.",
            "safe_area": "yes",
            "area_said": "The children love living by the sea. One of the youngest said the best thing is "
                         "\"crabbing with my foster dad\".",
            "safe_happy": "All seven said they feel safe and happy with their carers. The older ones said their "
                          "carers listen, though one said decisions from the City \"take ages\". The youngest drew "
                          "her foster family for us.",
            "like": "Their carers, the pets, holidays (two had been camping), school, and activity days where they "
                    "meet other children in care.",
            "change": "More say about family time; quicker answers from the City; one wants a phone to message her "
                      "sister.",
            "know_needs": "Carers and supervising social workers spoke knowledgeably about each child, including the "
                          "child with an EHCP, whose carers attend every school review.",
            "relationships": "Strong and long-standing: two young people have lived with the same carers since "
                             "primary school.",
            "approach": "Therapeutic parenting, with a clinical psychologist available for consultation. Carers see "
                        "their supervising social worker monthly and meet in a support group.",
            "training": "Carers complete core training and an annual refresher. The life-story work course is "
                        "optional and few City carers have done it.",
            "oversight": "The registered manager reviews every placement quarterly and knows the City children. "
                         "Some City paperwork (delegated authority, placement plans) had not reached carers.",
            "plans": "Care plans are current for all seven, but two carers had not received updated placement plans "
                     "after the last review. One child's plan to return home to her mother is progressing well.",
            "education": "All attend school regularly; the child with an EHCP is well supported in a mainstream "
                         "school with a teaching assistant. One young person starts a level 3 plumbing course in "
                         "September.",
            "health": "Health assessments and dental checks are up to date. One young person sees CAMHS and his "
                      "carer takes him to every appointment.",
            "transitions": "One young person turns 18 in November: staying put has been discussed but not agreed, "
                           "and he is worried. The young person already staying put is settled.",
            "housing": "The young person who came to the UK unaccompanied has an asylum claim pending; his carers "
                       "support him with his solicitor and the agency pays for an interpreter. He wants to start "
                       "ESOL at college in September.",
            "action_needed": "no",
            "action_taken": "Nothing needed action on the day.",
        },
        judgement=OverallJudgement.YES,
        summary=(
            "Children are thriving with carers who know and love them, and the agency supports its carers well. The "
            "improvements are mostly ours: staying put agreed in good time, plans that reach carers promptly, and a "
            "college place for the young person seeking asylum. The Young Inspectors' questions about pocket money "
            "and family time were among the most useful of the day."
        ),
        provider_comment=(
            "Thank you for joining our activity day; the children talked about it for weeks. We accept the "
            "recommendations on staying put and ESOL and will support both. We do not accept the extra six-weekly "
            "meeting with the City's social workers: our supervising social workers already meet each carer monthly "
            "and send the notes to the child's social worker, and we would rather strengthen that."
        ),
        path=(
            (Step.PLANNED, "2024-07-08", "11:00"),
            (Step.SUBMITTED, "2024-08-20", "18:30"),
            (Step.SHARED, "2024-08-22", "10:00"),
            (Step.RESPONDED, "2024-09-04", "16:20"),
            (Step.FINALISED, "2024-09-09", "10:30"),
            (Step.CASE_RECORDED, "2024-09-10", "11:00"),
            (Step.COMMISSIONING, "2024-09-10", "11:15"),
        ),
    ),
    DemoVisit(
        key="cheviot_2024",
        provider="Cheviot View Homes",
        setting="Wansbeck Lodge",
        on="2024-10-15",
        lead=QA_LEAD,
        others_present="Tom Reilly, Social Worker, Children in Care",
        how_arranged=HowArranged.ANNOUNCED,
        reasons=(VisitReason.CONCERNS, VisitReason.OTHER),
        reason_other="Children placed far from London, not yet visited by a senior leader",
        met=("2022-08-22", "2023-09-04"),
        staff_met="Fraser Elliot, Registered Manager\nThe deputy manager\nTwo residential support workers on shift",
        spaces_seen=(
            "The whole house: lounge, kitchen, garden, sensory room, both City children's bedrooms (with their "
            "agreement) and the staff office, including the physical intervention records."
        ),
        answers={
            "arranged": "Arranged with the registered manager a month ahead, after July's Regulation 44 report. We "
                        "travelled the evening before so we could be there when the children came home from school.",
            "condition": "A clean, homely house in a terrace near the town centre, redecorated in the summer; the "
                         "children chose their own bedroom colours.",
            "security": "Alarmed external doors, clear sightlines from the office, monthly fire drills recorded. "
                        "Medication is stored and recorded properly.",
            "amenities": "Close to schools, a leisure centre, the river and the castle. Both children belong to a "
                         "local swimming club.",
            "safe_area": "yes",
            "area_said": "The children like the quiet and the countryside. The younger one said it is \"better than "
                         "London because there's a river to paddle in\".",
            "safe_happy": "Both said they feel safe and happy. The older child said staff \"listen and then actually "
                          "do stuff\". The younger child is excited about going to live with her aunt but sad to "
                          "leave the home.",
            "like": "The staff, the manager's dog, swimming, and having their own bedroom.",
            "change": "More phone time with family in London; the younger child wants to see her aunt more often "
                      "before she moves.",
            "know_needs": "Staff know both children extremely well, including what upsets them and what helps them "
                          "calm down. Behaviour support plans are detailed and current.",
            "relationships": "Warm, playful and consistent; most staff have worked here for years. The children went "
                             "to staff for reassurance while we were there.",
            "approach": "Therapeutic, relationship-based care; all staff are trained in PACE. Physical intervention "
                        "is rare and reviewed every time.",
            "training": "All staff have completed de-escalation and physical intervention training. After July's "
                        "Regulation 44 report staff were retrained on recording; the records we checked were "
                        "complete.",
            "oversight": "Strong: the registered manager audits records weekly and acts on Regulation 44 findings. "
                         "Reports do not always reach the City promptly.",
            "plans": "Care plans are up to date. The younger child's special guardianship assessment with her aunt "
                     "finishes in November and introductions need planning now.",
            "education": "Both attend local schools with good attendance; the older child has made the school "
                         "football team.",
            "health": "Health assessments are up to date. The older child sees a local CAMHS practitioner "
                      "fortnightly.",
            "transitions": "The younger child is preparing to move to her aunt; staff have made a memory book with "
                           "her.",
            "housing": "Not applicable at their ages; no immigration matters.",
            "action_needed": "no",
            "action_taken": "Nothing needed action on the day.",
        },
        judgement=OverallJudgement.YES,
        summary=(
            "Excellent care: both children are safe, settled and loved, even though they live 300 miles from "
            "London. The Regulation 44 concern had been dealt with properly. We recommend a well-planned move for "
            "the younger child to her aunt, and that Regulation 44 reports and notifications reach us on time."
        ),
        provider_comment=(
            "Thank you for making the long journey. We accept both recommendations and from November will send "
            "Regulation 44 reports to the City within 10 working days."
        ),
        path=(
            (Step.PLANNED, "2024-09-02", "09:30"),
            (Step.SUBMITTED, "2024-10-18", "15:45"),
            (Step.SHARED, "2024-10-22", "09:20"),
            (Step.RESPONDED, "2024-11-01", "13:30"),
            (Step.FINALISED, "2024-11-05", "10:00"),
            (Step.CASE_RECORDED, "2024-11-05", "15:30"),
            (Step.COMMISSIONING, "2024-11-06", "09:00"),
        ),
    ),
    DemoVisit(
        key="redbrick_2024",
        provider="Redbrick Semi-Independent Living",
        setting="Redbrick, Dunstable Road house",
        on="2024-12-18",
        lead=QA_LEAD,
        others_present="Tom Reilly, Social Worker, Children in Care",
        how_arranged=HowArranged.SHORT_NOTICE,
        reasons=(VisitReason.CONCERNS, VisitReason.OTHER),
        reason_other="Placed out of hours by the Emergency Duty Team with a provider we had chosen not to use",
        met=("2024-11-08",),
        others_spoken_to=1,
        staff_met="Leon Harcourt, Manager\nOne support worker on shift",
        spaces_seen=(
            "The kitchen and lounge, the young person's bedroom (with his agreement), the shared bathroom, the "
            "garden and the staff room."
        ),
        answers={
            "arranged": "Arranged at two days' notice after his social worker's concern of 20 November; the "
                        "manager was told the day before.",
            "condition": "The house is in reasonable repair. The kitchen was clean, but there was no food in the "
                         "fridge for our young person and his bedroom window restrictor was broken.",
            "security": "Keypad entry and a member of staff sleeping in overnight. The visitors' book was not in "
                        "use on the day.",
            "amenities": "On a main road with buses to the town centre and college; shops nearby. Little for young "
                         "people to do locally in the evenings.",
            "safe_area": "yes",
            "area_said": "He feels safe in the area but bored: \"There's nothing to do and no one to do it with.\"",
            "safe_happy": "He does not feel listened to. Staff \"stay in the office\", and he has asked three times "
                          "for help with his ID and a college place. He feels safe in the house. A young person "
                          "placed by another authority told us she was happy there.",
            "like": "His room, the other young person, who he gets on with, and being near his cousin.",
            "change": "Staff who talk to him and help him; somewhere to live after 18 nearer his college options.",
            "know_needs": "Staff could not tell us about his pathway plan, education or health beyond the basics.",
            "relationships": "Distant. Contact is logged as 'welfare checks' rather than keywork, and he has had two "
                             "keyworkers in six weeks.",
            "approach": "Task-focused rather than child-focused: staff described rules and sanctions more than "
                        "support. The manager accepted this when we discussed it.",
            "training": "The training matrix shows two of five staff overdue for safeguarding refresher training, "
                        "and no trauma-informed training.",
            "oversight": "The manager covers three houses and had not reviewed our young person's keywork records "
                         "since he arrived.",
            "plans": "His pathway plan actions (provisional licence, bank account, college enrolment) have not "
                     "moved since November.",
            "education": "Not in education, employment or training since he arrived. He wants to do a construction "
                         "course.",
            "health": "Registered with a GP. He had not seen a dentist for over a year and no one had noticed.",
            "transitions": "He turns 18 in January, with no plan yet for where he will live afterwards.",
            "housing": "He needs a move after his 18th birthday to somewhere with better support, chosen with him.",
            "action_needed": "yes",
            "action_taken": "His bedroom window restrictor was broken: the manager had it repaired that afternoon "
                            "and sent us a photograph. A dentist appointment was booked before we left.",
        },
        judgement=OverallJudgement.WITH_RESERVATIONS,
        summary=(
            "The house is acceptable but the care is not child-focused: our young person feels ignored and his plan "
            "has stalled. Another authority's young person spoke well of it, so the service can work for some. We "
            "made clear recommendations to improve his experience straight away and agreed with his social worker "
            "to plan a move after his 18th birthday. The QA lead will recommend that we do not use this provider "
            "again."
        ),
        provider_comment=(
            "We accept the feedback about our young person's keywork and have named a keyworker who will see him "
            "twice a week. We cannot provide 24-hour waking staff at the current spot price. Our action plan is "
            "attached to our email."
        ),
        response_note=f"{EMAILED_RESPONSE}, a day late, after a reminder",
        path=(
            (Step.PLANNED, "2024-11-22", "12:10"),
            (Step.SUBMITTED, "2024-12-19", "17:00"),
            (Step.SHARED, "2024-12-20", "09:30"),
            (Step.RESPONDED, "2025-01-09", "11:20"),
            (Step.FINALISED, "2025-01-10", "10:00"),
            (Step.CASE_RECORDED, "2025-01-10", "14:00"),
            (Step.COMMISSIONING, "2025-01-10", "14:10"),
        ),
    ),
    DemoVisit(
        key="hawthorn_2025",
        provider="Hawthorn Ridge School",
        setting="Hawthorn Ridge School",
        on="2025-02-11",
        lead=LEADER,
        others_present="Beth Marlow, Head of the Virtual School",
        how_arranged=HowArranged.ANNOUNCED,
        reasons=(VisitReason.VULNERABILITY, VisitReason.HIGH_COST),
        met=("2021-09-06",),
        staff_met="Dr Ruth Ashdown, Principal\nCallum Mair, Residential Lead\nHis key worker and his class teacher",
        spaces_seen=(
            "His residential house (lounge, kitchen and his bedroom, with his agreement), his classroom, the "
            "therapy room, and the playing field and its boundary fence."
        ),
        answers={
            "arranged": "Arranged with the principal. His key worker prepared him with a visual timetable and our "
                        "photographs, so he knew who was coming and when.",
            "condition": "Well maintained and calm. His bedroom is full of his models and football posters.",
            "security": "Good inside the buildings. A section of fence along the playing field was damaged in the "
                        "storms; a contractor is booked for half-term and staff supervise the field meanwhile.",
            "amenities": "A rural site with large grounds; weekly trips to town, a climbing wall and a riding "
                         "centre.",
            "safe_area": "yes",
            "area_said": "He likes \"the big field\" and the riding centre, but misses the city.",
            "safe_happy": "He said he feels safe. He finds it hard to name good things, but agreed with his key "
                          "worker that he enjoys riding and cooking, and said staff listen \"mostly\".",
            "like": "Riding, cooking on Thursdays, his key worker, and his models.",
            "change": "More visits home; fewer rules about screen time.",
            "know_needs": "Staff understand his needs in depth, including his recent ADHD diagnosis and the changes "
                          "to his support that followed it.",
            "relationships": "Stable and trusting with his key worker and teacher; he went to them when he was "
                             "anxious during our visit.",
            "approach": "A consistent, low-arousal approach, with a positive behaviour support plan the "
                        "psychologist reviews every term.",
            "training": "Staff are trained in autism, ADHD and positive behaviour support; training records are "
                        "complete.",
            "oversight": "The principal and residential lead have clear oversight; incidents have fallen this term.",
            "plans": "His care plan is current. His EHCP has not been updated for his new diagnosis.",
            "education": "Attendance 97%. He is making progress in literacy and is proud of his cooking certificate.",
            "health": "Medication reviewed after the diagnosis; his annual health assessment is due in March.",
            "transitions": "Planning for post-16 starts next year; not yet discussed with him.",
            "housing": "Not applicable at his age.",
            "action_needed": "yes",
            "action_taken": "The damaged fence: the school showed us its interim supervision plan and the "
                            "contractor's booking. We asked for written confirmation, with photographs, once it is "
                            "repaired.",
        },
        judgement=OverallJudgement.YES,
        summary=(
            "A very good specialist placement: skilled staff who understand his needs, and a boy who, though he "
            "finds it hard to say so, is making real progress. The damaged fence must be repaired quickly and his "
            "EHCP must catch up with his new diagnosis."
        ),
        provider_comment=(
            "Thank you for visiting. The fence repair is booked for half-term and we will send photographs. We will "
            "support an early review of his EHCP."
        ),
        path=(
            (Step.PLANNED, "2025-01-13", "10:45"),
            (Step.SUBMITTED, "2025-02-14", "12:30"),
            (Step.SHARED, "2025-02-18", "10:15"),
            (Step.RESPONDED, "2025-02-27", "15:00"),
            (Step.FINALISED, "2025-03-05", "09:45"),
            (Step.CASE_RECORDED, "2025-03-05", "11:00"),
            (Step.COMMISSIONING, "2025-03-05", "11:10"),
        ),
    ),
    # The current programme year: dates are days before the day the seed first runs.
    DemoVisit(
        key="harbour_lights_shared",
        marker="Annual visit to our largest fostering partner, with the Young Inspectors",
        provider=DEMO_PROVIDER_NAME,
        setting="Harbour Lights Fostering (Whitstable office)",
        on=20,
        lead=QA_LEAD,
        others_present="Amara Dutton, Participation Officer (with the Young Inspectors)",
        young_inspectors=2,
        how_arranged=HowArranged.ANNOUNCED,
        reasons=(VisitReason.NUMBER_OF_YOUNG_PEOPLE, VisitReason.VULNERABILITY),
        met=("2020-09-07", "2022-03-14", "2024-08-12"),
        staff_met="Jo Marsh, Registered Manager\nTwo supervising social workers\nThree foster carers",
        spaces_seen=(
            "Two foster homes (living rooms, gardens and the children's bedrooms, with their agreement) and the "
            "agency's family room."
        ),
        answers={
            "arranged": "Arranged with the registered manager six weeks ahead. The Young Inspectors chose the theme "
                        "of this visit: how children keep in touch with people who matter to them.",
            "condition": "Both homes are warm, tidy and full of the children's things. One family has built a "
                         "den in the garden with the children.",
            "security": "Safer-caring plans and home safety checks are current; carers talked confidently about "
                        "online safety.",
            "amenities": "Good schools, parks and the seafront nearby; both children go to clubs after school.",
            "safe_area": "yes",
            "area_said": "\"It's quiet and I know everyone on my road.\"",
            "safe_happy": "All three said they feel safe and happy. One said her carers \"always have time\". The "
                          "child who moved here two years ago said he now feels \"part of the family\".",
            "like": "Their carers, their friends at school, the beach, and the dog.",
            "change": "More time with brothers and sisters who live elsewhere; one wants to be picked up from "
                      "school by his carer rather than a taxi.",
            "know_needs": "Carers know each child's needs well, including the child with an EHCP, whose new school "
                          "transport has been difficult.",
            "relationships": "Affectionate and stable; no placement moves in the last year.",
            "approach": "Therapeutic parenting with a monthly carers' group; the clinical psychologist has met both "
                        "families.",
            "training": "All carers have completed life-story training since our last visit.",
            "oversight": "The registered manager knows every City child and tracks their plans on one sheet.",
            "plans": "Care plans are current and carers have copies of placement plans and delegated authority.",
            "education": "All three attend school regularly. The child with an EHCP has started at a new school; "
                         "transport arrangements are not yet in his plan.",
            "health": "Health and dental checks are up to date.",
            "transitions": "None imminent; the older children are starting to talk about staying put.",
            "housing": "Not applicable; no immigration matters.",
            "action_needed": "no",
            "action_taken": "Nothing needed action on the day.",
        },
        judgement=OverallJudgement.YES,
        summary=(
            "Another strong visit: settled, happy children and carers who have taken last year's recommendations "
            "to heart. Two improvements: the EHCP of the child who changed school, and an out-of-hours contact who "
            "knows City children."
        ),
        path=((Step.PLANNED, 34, "10:00"), (Step.SUBMITTED, 15, "16:30"), (Step.SHARED, 5, "11:15")),
    ),
    DemoVisit(
        key="kestrel_submitted",
        marker="Second fostering agency in this year's programme",
        provider="Kestrel Family Fostering",
        setting="Kestrel Family Fostering (Chelmsford office)",
        on=12,
        lead=LEADER,
        others_present="Tom Reilly, Social Worker, Children in Care",
        how_arranged=HowArranged.ANNOUNCED,
        reasons=(VisitReason.NUMBER_OF_YOUNG_PEOPLE, VisitReason.VULNERABILITY),
        met=("2021-10-18", "2023-02-13", "2024-07-08"),
        staff_met="Helen Oduya, Registered Manager\nTwo supervising social workers\nTwo foster carers",
        spaces_seen="Two foster homes (bedrooms seen with the children's agreement) and the agency's office.",
        answers={
            "arranged": "Arranged with the registered manager; both foster families agreed to a home visit after "
                        "school.",
            "condition": "Both homes are comfortable and well kept; the children's rooms are their own.",
            "security": "Safer-caring plans are current. One carer's smoke alarm needed a new battery, changed "
                        "while we were there.",
            "amenities": "Close to schools, a park and a library; one child swims with a club twice a week.",
            "safe_area": "yes",
            "area_said": "The children feel safe and like being able to walk to school with friends.",
            "safe_happy": "All three said they feel safe and happy. The young person seeking asylum said his "
                          "carers \"help with everything\", though he worries about his Home Office interview.",
            "like": "Their carers' cooking, the pets, football and swimming.",
            "change": "More contact with family; faster news about the asylum claim.",
            "know_needs": "Carers understand each child's needs well, including the child with SEND, whose school "
                          "support they fought for.",
            "relationships": "Warm and long-standing; one child has lived with the same carers for over four years.",
            "approach": "Carers are well supported, with monthly supervision and a 24-hour support line.",
            "training": "Carers are up to date with core training; one is doing a course on supporting "
                        "unaccompanied children.",
            "oversight": "The registered manager reviews every placement quarterly and sends a summary to the "
                         "social worker.",
            "plans": "Care plans are current; the unaccompanied young person's pathway plan needs starting.",
            "education": "All attend school; attendance above 95%.",
            "health": "Health assessments up to date; one child is waiting for a CAMHS appointment.",
            "transitions": "The unaccompanied young person turns 18 next year; pathway planning must begin now.",
            "housing": "His solicitor is preparing him for his Home Office interview; the agency provides an "
                       "interpreter.",
            "action_needed": "no",
            "action_taken": "Nothing needed action on the day.",
        },
        judgement=OverallJudgement.YES,
        summary=(
            "Children are safe and well cared for by carers who advocate for them. The priority is the pathway plan "
            "and immigration support for the young person approaching 18."
        ),
        path=((Step.PLANNED, 30, "14:20"), (Step.SUBMITTED, 9, "17:45")),
    ),
    DemoVisit(
        key="tamar_draft",
        marker="New provider: first visit to Tamar Reach Residential",
        provider="Tamar Reach Residential",
        setting="Trelawn",
        on=3,
        lead=LEADER,
        others_present="Beth Marlow, Head of the Virtual School",
        how_arranged=HowArranged.ANNOUNCED,
        reasons=(VisitReason.NEW_PROVIDER, VisitReason.HIGH_COST, VisitReason.VULNERABILITY),
        met=("2024-06-03",),
        staff_met="Kerensa Trethewey, Registered Manager\nOwen Lillicrap, Clinical Lead",
        spaces_seen="The lounge, kitchen, garden and her bedroom (with her agreement).",
        answers={
            "condition": "A detached house in its own garden, spotless and calm. Her room has a new desk she chose.",
            "security": "Alarmed doors and a waking night member of staff.",
            "safe_area": "yes",
            "safe_happy": "She said she feels safe and that staff \"get me\". Notes from the rest of the "
                          "conversation still to write up.",
            "like": "The horses at the farm next door, baking, and her key worker.",
        },
        path=((Step.PLANNED, 25, "09:50"),),
    ),
]
# fmt: on


def demo_user(role: Role) -> User:
    email = next(email for email, *_, user_role in DEMO_USERS if user_role is role)
    try:
        return User.objects.get(email=email)
    except User.DoesNotExist:
        raise RuntimeError(f"Demo account {email} is missing: seed the accounts first (qa_portal.demo.seed).") from None


def upsert(
    model: type[models.Model], lookup: dict | None, values: dict, *, by: User | None = None, at: datetime | None = None
) -> models.Model:
    """Create, or bring up to date, the record matching `lookup` (None: always create), saving
    only when something differs, so a second run writes nothing and adds no change history.
    `by` and `at` are who and when in the change history of a record created here."""
    instance = model.objects.filter(**lookup).first() if lookup is not None else None
    if instance is None:
        instance = model(**{**(lookup or {}), **values})
        changed = None
        if at is not None:
            instance._history_date = at
    else:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if not changed:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
    instance.full_clean()
    instance._change_reason = CHANGE_REASON
    if by is not None:
        instance._history_user = by
    instance.save(update_fields=changed)
    return instance


def programme_year_start(today: date) -> date:
    """1 April of the financial year containing `today`."""
    return date(today.year if today.month >= 4 else today.year - 1, 4, 1)


class _Clock:
    """Turns a demo date into a real one: ISO dates as they are; days before today moved back
    to a working day, but no earlier than the programme year's first day."""

    def __init__(self, today: date):
        self.today = today
        self.year_start = programme_year_start(today)

    def day(self, value: str | int) -> date:
        if isinstance(value, str):
            return _d(value)
        day = self.today - timedelta(days=value)
        while not is_working_day(day):  # visits and their steps happen on working days
            day -= timedelta(days=1)
        return max(day, self.year_start)

    def moment(self, value: str | int, hhmm: str) -> datetime:
        return timezone.make_aware(datetime.combine(self.day(value), time.fromisoformat(hhmm)))


def _find(spec: DemoVisit, provider: Provider, clock: _Clock) -> Visit | None:
    if spec.marker:
        return Visit.objects.filter(provider=provider, events__step=Step.PLANNED, events__note=spec.marker).first()
    return Visit.objects.filter(provider=provider, planned_date=clock.day(spec.on)).first()


def find_demo_visits(*, today: date | None = None) -> dict[str, Visit]:
    """The demo visits that exist, by their key in VISITS (for reviews.demo)."""
    clock = _Clock(today or timezone.localdate())
    found = {}
    for spec in VISITS:
        provider = Provider.objects.filter(name=spec.provider).first()
        visit = provider and _find(spec, provider, clock)
        if visit:
            found[spec.key] = visit
    return found


def _people_met(visit: Visit, spec: DemoVisit) -> list[YoungPerson]:
    """The young people met, each one placed with the provider on the visit date."""
    placed = set(young_people_placed(visit))
    people = []
    for start in spec.met:
        placement = Placement.objects.select_related("young_person").get(provider=visit.provider, start_date=_d(start))
        if placement.young_person not in placed:
            raise RuntimeError(f"{spec.key}: the young person placed on {start} was not there on {visit.date}.")
        people.append(placement.young_person)
    return people


def _answer_values(question: TemplateQuestion, spec: DemoVisit) -> dict[str, str] | None:
    key = QUESTION_KEYS.get(question.text)
    if key is None:
        if spec.status == VisitStatus.DRAFT:
            return None  # a draft is only partly written
        if question.kind == QuestionKind.LONG_TEXT:
            return {"text": FALLBACK_ANSWER, "choice": ""}
        return {
            "text": "",
            "choice": {QuestionKind.YES_NO: "yes", QuestionKind.RATING: "4"}.get(question.kind, question.options[0][0]),
        }
    if key not in spec.answers:
        return None
    value = spec.answers[key]
    if question.kind == QuestionKind.LONG_TEXT:
        return {"text": value, "choice": ""}
    return {"text": "", "choice": value}


def _seed_visit(spec: DemoVisit, clock: _Clock, users: dict) -> Visit:
    provider = Provider.objects.get(name=spec.provider)
    setting = Setting.objects.get(provider=provider, name=spec.setting)
    lead = users[spec.lead]
    qa_lead = users[QA_LEAD]
    steps = {step: clock.moment(on, hhmm) for step, on, hhmm in spec.path}
    # Same-day steps (a clamped date at the start of the year) still run in path order.
    previous = None
    for step in PATH:
        if step in steps:
            if previous is not None and steps[step] <= previous:
                steps[step] = previous + timedelta(minutes=5)
            previous = steps[step]

    visit = _find(spec, provider, clock)
    if visit is not None and spec.marker:
        return visit  # a current-year visit is made once, then left to the people using the demo
    visit_date = clock.day(spec.on)
    shared = steps.get(Step.SHARED)
    values = {
        "setting": setting,
        "status": spec.status,
        "visit_date": visit_date,
        "lead_visitor": lead,
        "lead_visitor_role": LEADER_ROLE if spec.lead is LEADER else QA_LEAD_ROLE,
        "others_present": spec.others_present,
        "young_inspectors": spec.young_inspectors,
        "how_arranged": spec.how_arranged,
        "reasons": list(spec.reasons),
        "reason_other": spec.reason_other,
        "others_spoken_to": spec.others_spoken_to,
        "staff_met": spec.staff_met,
        "spaces_seen": spec.spaces_seen,
        "overall_judgement": spec.judgement,
        "overall_summary": spec.summary,
        "response_due": (
            add_working_days(timezone.localtime(shared).date(), settings.PROVIDER_RESPONSE_WORKING_DAYS)
            if shared
            else None
        ),
        "provider_comment": spec.provider_comment,
        "created_at": steps[Step.PLANNED],
    }
    if visit is None:
        values["template"] = VisitTemplate.objects.get(status=TemplateStatus.PUBLISHED)
    # A current-year visit is always a new one: never take over a visit someone planned for that day.
    lookup = None if spec.marker else {"provider": provider, "planned_date": visit_date}
    values["provider"], values["planned_date"] = provider, visit_date
    visit = upsert(Visit, lookup, values, by=lead, at=steps[Step.PLANNED])

    people = _people_met(visit, spec)
    if set(visit.young_people_met.all()) != set(people):
        visit._history_user, visit._history_date = lead, steps[Step.PLANNED]
        visit.young_people_met.set(people)

    written = steps.get(Step.SUBMITTED) or clock.moment(spec.on, "18:00")
    for question in TemplateQuestion.objects.filter(section__template=visit.template):
        answer = _answer_values(question, spec)
        if answer is not None:
            upsert(
                Answer,
                {"visit": visit, "question": question},
                {**answer, "updated_by": lead, "updated_at": written},
                by=lead,
                at=written,
            )

    for step, at in steps.items():
        by = lead if step in (Step.PLANNED, Step.SUBMITTED) else qa_lead
        note = ""
        if step == Step.PLANNED:
            note = spec.marker
        elif step == Step.SHARED:
            note = f"Response due by {visit.response_due:%d/%m/%Y}"
        elif step == Step.RESPONDED:
            if spec.provider == DEMO_PROVIDER_NAME:
                by = users[Role.PROVIDER_USER]
            else:
                note = spec.response_note
        elif step == Step.CASE_RECORDED:
            note = f"{len(people)} case record(s)"
        upsert(VisitEvent, {"visit": visit, "step": step}, {"by": by, "at": at, "note": note})

    if Step.CASE_RECORDED in steps:
        for person in people:
            upsert(
                CaseRecordEntry,
                {"visit": visit, "young_person": person},
                {"recorded_by": qa_lead, "recorded_at": steps[Step.CASE_RECORDED]},
            )
    return visit


def _counts() -> dict[str, int]:
    finalised = Visit.objects.filter(status=VisitStatus.FINALISED)
    return {
        "visits": Visit.objects.count(),
        "finalised": finalised.count(),
        "young_people_met": YoungPerson.objects.filter(visits_met__in=finalised).distinct().count(),
        "case_records": CaseRecordEntry.objects.count(),
    }


# The committee report on the 2024-25 programme: its narrative, paraphrased from the City's.
COMMITTEE_REPORT = {
    "title": "Quality Assurance of Care Providers Annual Report 2024-25",
    "period_start": date(2024, 4, 1),
    "period_end": date(2025, 3, 31),
    "introduction": (
        "In March 2024 we agreed that, to strengthen the quality assurance of the care our children in care and "
        "care leavers receive, senior leaders would visit their care providers in person: to see their day-to-day "
        "lives for themselves and to hear about them from the children and young people directly.\n\n"
        "The City is small and has few residents, so we cannot run a fostering service of our own: every home is "
        "commissioned from an external provider, and many of our children and young people live well outside the "
        "City. As their corporate parent we must be sure that the care we commission is safe, caring, "
        "compassionate and adaptable to each child's needs.\n\n"
        "We planned a visit a month, with our Young Inspectors, alongside the commissioning review meetings held "
        "quarterly, half-yearly or annually depending on how many children live with each provider, social "
        "workers' visits and the oversight of Independent Reviewing Officers. Each visit is written up on the "
        "agreed template, shared with the provider for comments and action, recorded on each child's case record "
        "and passed to commissioning, so that its recommendations are followed up at the review meetings, or "
        "sooner where needed."
    ),
    "learning": (
        "We first planned monthly visits, but fitting senior leaders' diaries around providers' made that "
        "impractical, and as a small authority we work with a fairly small number of providers. A summer break "
        "was always planned, and our own Ofsted inspection in the autumn paused the programme again. Looking back, "
        "six visits in the year has felt proportionate.\n\n"
        "A Young Inspector came on only one visit. Capacity in the participation officer role, young people's "
        "understanding of the Young Inspectors programme and competing priorities all played a part.\n\n"
        "Overall, the homes and support our children and young people have are of a high standard and meet their "
        "needs well. Where that was not so, we acted at once and over the longer term.\n\n"
        "Senior leaders valued being closer to the daily experience of our children in care and care leavers, and "
        "providers welcomed the visits and the recommendations made."
    ),
    "future_plans": (
        "- QA visits will continue at about six a year, more if needed. A visit to a new provider is already "
        "booked for April 2025.\n"
        "- Commissioning review meetings will be held regularly with every provider, with commissioning and the "
        "Head of Safeguarding and Quality Assurance both taking part. The 2025-26 meetings are in the diary.\n"
        "- We will look again at the Young Inspectors programme and, if it is viable, build it into our visits to "
        "commissioned services."
    ),
}
COMMITTEE_REPORT_WRITTEN = datetime(2025, 5, 12, 10, 30)


def seed_committee_report() -> CommitteeReport:
    """The 2024-25 committee report with its narrative drafted by the demo manager, and no pack yet."""
    manager = demo_user(Role.MANAGER)
    written = timezone.make_aware(COMMITTEE_REPORT_WRITTEN)
    spec = COMMITTEE_REPORT
    return upsert(
        CommitteeReport,
        {"period_start": spec["period_start"], "period_end": spec["period_end"], "title": spec["title"]},
        {
            "introduction": spec["introduction"],
            "learning": spec["learning"],
            "future_plans": spec["future_plans"],
            "created_by": manager,
            "created_at": written,
            "updated_by": manager,
            "updated_at": written,
        },
        by=manager,
        at=written,
    )


@transaction.atomic
def seed(*, today: date | None = None) -> dict[str, int]:
    """Create or refresh the demo visits; returns counts of what exists afterwards.

    Needs the demo accounts and provider register (qa_portal.demo.seed makes them first). The
    2024-25 visits are found by provider and date and refreshed; the current year's are found
    by the note on their planned step and made only if missing, never twice."""
    clock = _Clock(today or timezone.localdate())
    users = {role: demo_user(role) for role in (LEADER, QA_LEAD, Role.PROVIDER_USER)}
    for spec in VISITS:
        _seed_visit(spec, clock, users)
    seed_committee_report()
    return _counts()
