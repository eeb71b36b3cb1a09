"""Text of realistic length and wording for the generated records: what a senior leader writes in a
visit report, a commissioning officer in a review meeting's notes, a social worker in a concern.

Sentences are put together from the phrases below with the generator's own random numbers, so the
same seed makes the same text. Lengths follow a log-normal spread around a typical length (most
answers a paragraph, a few a page), as people's writing does; nothing is longer than its field allows.
"""

import math
import random


def words(text: str) -> list[str]:
    return text.split()


_OPENERS = [
    "The young people we met",
    "Staff on shift",
    "The registered manager",
    "The deputy manager",
    "The key worker",
    "One young person",
    "Two of the young people",
    "The house",
    "The provider",
    "The team",
    "The social worker",
    "Records we saw",
    "The young person's care plan",
    "The independent visitor",
]
_VERBS = [
    "told us that",
    "explained that",
    "showed us how",
    "described how",
    "confirmed that",
    "was clear that",
    "said that",
    "reflected that",
    "shared that",
    "agreed that",
]
_CLAUSES = [
    "the home feels safe and calm in the evenings",
    "staff know each young person's routines and what helps when they are anxious",
    "the kitchen has been refitted since the last visit and young people now cook twice a week",
    "there has been a high turnover of agency staff over the summer",
    "education attendance has improved from 62% to 88% this term",
    "the young person is waiting for a CAMHS appointment and the home is chasing the referral",
    "the garden is used for football and there is a new bike store",
    "the pathway plan has not been updated since the young person turned 17",
    "bedrooms are personalised and young people chose their own decoration",
    "the fire door on the first floor was propped open during our visit",
    "the manager reviews incident logs weekly and shares learning in team meetings",
    "young people can see their families at weekends, with transport arranged by the home",
    "one young person has been missing from home twice in the last month",
    "the home is close to the college and a bus route into town",
    "the young person would like more support with budgeting before moving on",
    "supervision records were up to date for every member of staff",
    "training in de-escalation and trauma-informed practice is booked for new starters",
    "the local area has had reports of exploitation and the home works closely with the police",
    "the young person has started a part-time job at a café nearby",
    "health assessments are up to date and dental appointments are booked",
    "the immigration solicitor visits the home and the young person attends appointments with staff",
    "the young people's meeting chose the summer activities, including a trip to the coast",
    "the laundry room needs repair and the manager has reported it to the landlord",
    "the young person said staff listen to them and act on what they ask",
    "the night staff complete welfare checks and record them clearly",
    "the home has a stable core team and most staff have worked there for over two years",
    "the EHCP annual review is due next month and the school has been invited",
    "young people said the wifi is unreliable, which affects homework",
    "medication is stored securely and administration records were complete",
    "the young person is learning to drive and the provider is paying for lessons",
]
_JOINERS = [", and", ", although", ", but", "; however,", ", so", ", while", ". In addition,"]
_ENDINGS = [
    "We will follow this up at the next visit.",
    "This was discussed with the manager on the day.",
    "The provider agreed to send evidence within two weeks.",
    "This is positive and should continue.",
    "This has been added to the recommendations below.",
    "The social worker has been informed.",
]

_RECOMMENDATION_ACTIONS = [
    "Update the pathway plan with the young person and their personal adviser",
    "Repair the fire door closer on the first floor and confirm the fire risk assessment is current",
    "Arrange de-escalation training for the three staff who have not completed it",
    "Review the missing-from-home protocol with the police liaison officer",
    "Make a referral to the virtual school for additional tuition in maths and English",
    "Agree a plan for family time at weekends, including transport",
    "Provide evidence of safer recruitment checks for agency staff",
    "Set up a young people's forum and share its minutes with the authority",
    "Complete the independence skills assessment and agree targets for budgeting and cooking",
    "Chase the CAMHS referral and record the outcome on the case record",
    "Improve the wifi so young people can complete homework",
    "Share the quarterly incident analysis with the commissioning officer",
    "Confirm that every young person has a current health assessment",
    "Replace the damaged furniture in the lounge and the second bedroom",
    "Review staffing levels at night and report on the use of agency staff",
]
_RECOMMENDATION_MEASURES = [
    "by the end of next month",
    "within 28 days",
    "before the next review meeting",
    "by the end of the quarter",
    "within 14 days, with evidence sent to the QA lead",
    "and report progress at the monthly tracking meeting",
]
_IMPACTS = [
    "The young person now attends college four days a week and says they feel more confident.",
    "Incidents at night have fallen from six a month to one since staffing was changed.",
    "The young person moved into their own flat with a support package in place and is managing their budget.",
    "Family time now happens every fortnight and the young person says it is the best part of their week.",
    "The young person was seen by CAMHS and has weekly sessions; their school reports calmer days.",
    "The home's fire safety was checked by the fire service and passed without actions.",
    "Young people's forum minutes show two changes made at their request: a later curfew at weekends and a new menu.",
    "The young person passed their theory test and has booked their practical test.",
]
_CONCERNS = [
    "A young person reported that staff shouted at them during an incident on Saturday night.",
    "The IRO raised that the young person's placement plan has not been updated for six months.",
    "Another authority told us they have placed a stop on new placements after an Ofsted monitoring visit.",
    "The school reported that the young person arrived hungry on three mornings this week.",
    "A Regulation 44 report notes gaps in the recording of physical interventions.",
    "The social worker is concerned about contact with adults unknown to the home, possibly linked to exploitation.",
    "The young person has been missing overnight twice and the home did not tell the police promptly.",
    "A whistleblower said staff are working long shifts without breaks and training is out of date.",
    "The provider did not tell us about a change of manager for two months.",
    "Neighbours complained about noise and damage to the property.",
]
_OUTCOMES = [
    "Discussed with the provider; a new manager has started and the action plan has been agreed.",
    "The LADO was consulted and no further action was needed; training has been refreshed.",
    "Reviewed at the strategy meeting; the young person stays with a revised safety plan.",
    "The provider responded with evidence and the concern is closed.",
    "An unannounced visit found improvements; monitoring continues through the review meetings.",
]
_ROLES = [
    "Registered manager",
    "Responsible individual",
    "Deputy manager",
    "Commissioning officer",
    "Head of Safeguarding and QA",
    "Senior social worker",
    "Education lead",
    "Finance officer",
    "Placements officer",
    "Independent Reviewing Officer",
]
FIRST_NAMES = words(
    "Amira Ben Chloe Daniel Ella Farhan Grace Harry Isla Jack Kavya Leah Mohammed Nia Oliver Priya Rhys "
    "Sara Tomasz Uma Vikram Wendy Yusuf Zara Aled Bronwen Ciaran Deepa Eilidh Femi Gethin Hannah Imran "
    "Joanna Kofi Lucy Marek Niamh Owen Patrycja"
)
LAST_NAMES = words(
    "Ahmed Baker Clarke Davies Evans Fisher Green Hughes Iqbal Jones Khan Lewis Morgan Nowak Owusu Patel "
    "Quinn Roberts Singh Taylor Usman Vaughan Williams Young Zielinski Begum Campbell Doherty Edwards "
    "Fraser Griffiths"
)
_PLACE_WORDS = words(
    "Oak Willow Harbour Meadow Riverside Beacon Hillside Orchard Cedar Maple Lantern Compass Brook "
    "Heather Ash Elm Rowan Juniper Kestrel Skylark Haven Northgate Southfield Westbrook Eastwood "
    "Greenacre Pennine Cotswold Fenland Moorland Chiltern Solent Tamar Severn Mersey Tyne Wear Trent Ouse "
    "Avon"
)
_PROVIDER_KINDS = {
    "fostering": ["Fostering", "Foster Care", "Family Placements"],
    "childrens_home": ["Children's Homes", "Care", "Residential Care", "Homes for Children"],
    "supported_accommodation": ["Supported Living", "Housing Support", "Young People's Housing", "Pathways"],
    "residential_school": ["School", "Learning Trust", "Specialist Education"],
    "other": ["Services", "Family Support", "Community Care"],
}
_SUFFIXES = ["Ltd", "Limited", "CIC", "Group", "Trust", "Partnership", ""]


def _length(rng: random.Random, typical: int, spread: float, most: int) -> int:
    """A length in characters: log-normal around `typical`, never above `most`."""
    return max(20, min(most, int(rng.lognormvariate(math.log(typical), spread))))


def _sentence(rng: random.Random) -> str:
    text = f"{rng.choice(_OPENERS)} {rng.choice(_VERBS)} {rng.choice(_CLAUSES)}"
    if rng.random() < 0.5:
        text += f"{rng.choice(_JOINERS)} {rng.choice(_CLAUSES)}"
    return text + "."


def paragraph(rng: random.Random, typical: int = 450, *, spread: float = 0.6, most: int = 6_000) -> str:
    """Prose as a visit's answer or a meeting's notes: sentences up to a log-normal length, split into
    paragraphs of three to five sentences, sometimes ending with a follow-up."""
    target = _length(rng, typical, spread, most)
    sentences: list[str] = []
    size = 0
    while size < target:
        sentence = _sentence(rng)
        sentences.append(sentence)
        size += len(sentence) + 1
    if rng.random() < 0.3:
        sentences.append(rng.choice(_ENDINGS))
    paragraphs, start = [], 0
    while start < len(sentences):
        end = start + rng.randint(3, 5)
        paragraphs.append(" ".join(sentences[start:end]))
        start = end
    return "\n\n".join(paragraphs)[:most]


def recommendation(rng: random.Random) -> str:
    text = f"{rng.choice(_RECOMMENDATION_ACTIONS)} {rng.choice(_RECOMMENDATION_MEASURES)}."
    if rng.random() < 0.5:
        text += " " + _sentence(rng)
    return text


def impact(rng: random.Random) -> str:
    return rng.choice(_IMPACTS) + (" " + _sentence(rng) if rng.random() < 0.4 else "")


def progress(rng: random.Random) -> str:
    return _sentence(rng) + (" " + rng.choice(_ENDINGS) if rng.random() < 0.5 else "")


def concern(rng: random.Random) -> str:
    return rng.choice(_CONCERNS) + " " + paragraph(rng, 250, spread=0.5, most=2_000)


def concern_outcome(rng: random.Random) -> str:
    return rng.choice(_OUTCOMES)


def reason(rng: random.Random) -> str:
    return "The provider says " + rng.choice(_CLAUSES) + ", so this is not needed now."


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def attendees(rng: random.Random, people: int) -> str:
    return "\n".join(f"{person(rng)}, {rng.choice(_ROLES)}" for _ in range(people))


def provider_name(rng: random.Random, kind: str, number: int) -> str:
    """A provider's name; `number` keeps it unique (names are unique ignoring case)."""
    words = " ".join(rng.sample(_PLACE_WORDS, rng.choice((1, 1, 2))))
    suffix = rng.choice(_SUFFIXES)
    name = f"{words} {rng.choice(_PROVIDER_KINDS[kind])}"
    return f"{name} {suffix}".strip() + (f" ({number})" if number else "")


def setting_name(rng: random.Random, kind: str) -> str:
    street = rng.choice(_PLACE_WORDS)
    return {
        "fostering": f"{street} fostering office",
        "childrens_home": f"{street} House",
        "supported_accommodation": f"{street} Court flats",
        "residential_school": f"{street} School",
    }.get(kind, f"{street} Centre")
