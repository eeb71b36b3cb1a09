"""Demo data for the provider register: an authority shaped like the City of London in its
2024-25 quality-assurance report. About 56 children in care and care leavers (roughly 40/60),
no in-house fostering, everyone placed with commissioned providers, many far from London,
many unaccompanied asylum-seeking young people, and exactly two children with an EHCP (one
fostered by Harbour Lights, one at a high-cost residential special school), both met on the
2024-25 QA visits, as both of the City's were.

Every provider, person, address, URN, phone number and case-record ID here is invented.
Phone numbers are in Ofcom's ranges reserved for drama (01632 960xxx, 07700 900xxx).

The timeline is fixed on the 2024-25 financial year, so running the seed on any later day
builds the same records: placements that had not ended by 31 March 2025 simply carry on, and
those are the ones active today.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db import models, transaction
from django.utils import timezone

from providers.models import (
    Cohort,
    Concern,
    ConcernSource,
    ConcernStatus,
    Contact,
    ContractRoute,
    InspectionScale,
    Judgement,
    OfstedInspection,
    Placement,
    Provider,
    ProviderStatus,
    ProviderStatusChange,
    ProvisionType,
    Setting,
    Severity,
    SupportedAccommodationOutcome,
    YoungPerson,
)
from providers.services import inspection_record, provider_change_status
from qa_portal.models import User
from qa_portal.reporting.demo.accounts import DEMO_PROVIDER_NAME, DEMO_USERS
from qa_portal.roles import Role

YEAR_START = date(2024, 4, 1)
YEAR_END = date(2025, 3, 31)
CHANGE_REASON = "Demo data (seed_demo)"

_d = date.fromisoformat

FOSTERING = ProvisionType.FOSTERING
CHILDRENS_HOME = ProvisionType.CHILDRENS_HOME
SUPPORTED = ProvisionType.SUPPORTED_ACCOMMODATION
SCHOOL = ProvisionType.RESIDENTIAL_SCHOOL
OTHER = ProvisionType.OTHER

OUTSTANDING = Judgement.OUTSTANDING
GOOD = Judgement.GOOD
RI = Judgement.REQUIRES_IMPROVEMENT
INADEQUATE = Judgement.INADEQUATE


@dataclass(frozen=True)
class DemoSetting:
    key: str  # how placements and concerns below refer to it
    name: str
    setting_type: str
    urn: str
    address: str
    town: str
    postcode: str
    local_authority: str
    capacity: int
    registered: str
    inspections: tuple[tuple[str, int], ...] = ()  # (date, four-point judgement)


@dataclass(frozen=True)
class DemoProvider:
    name: str
    provision_types: tuple[str, ...]
    contract_route: str
    head_office_area: str
    settings: tuple[DemoSetting, ...]
    contacts: tuple[tuple[str, str, str, str], ...]  # name, role, email, phone
    notes: str = ""
    high_cost: bool = False
    new_to_authority: bool = False
    sa_inspections: tuple[tuple[str, int], ...] = ()  # (date, supported accommodation outcome)
    status: tuple[str, str, str] | None = None  # (status, date decided, reason)


# fmt: off
PROVIDERS = [
    # Independent fostering agencies: one registered office each.
    DemoProvider(
        name=DEMO_PROVIDER_NAME,
        provision_types=(FOSTERING,),
        contract_route=ContractRoute.FRAMEWORK,
        head_office_area="Kent",
        notes="Our largest fostering partner; also offers staying-put arrangements after 18.",
        settings=(
            DemoSetting(
                "HLF", "Harbour Lights Fostering (Whitstable office)", FOSTERING, "SC482915",
                "Unit 4, Harbour Court, 27 Tankerton Road", "Whitstable", "CT5 2AJ", "Kent", 48, "2012-05-14",
                (("2022-06-14", GOOD), ("2025-01-21", GOOD)),
            ),
        ),
        contacts=(
            ("Jo Marsh", "Registered Manager", "provider@example.org", "01632 960114"),
            ("Declan Farrow", "Responsible Individual", "declan.farrow@example.com", "01632 960115"),
        ),
    ),
    DemoProvider(
        name="Kestrel Family Fostering",
        provision_types=(FOSTERING,),
        contract_route=ContractRoute.FRAMEWORK,
        head_office_area="Essex",
        settings=(
            DemoSetting(
                "KFF", "Kestrel Family Fostering (Chelmsford office)", FOSTERING, "SC519374",
                "Suite 3, Beacon House, 18 Navigation Road", "Chelmsford", "CM2 6HX", "Essex", 35, "2014-09-02",
                (("2023-03-08", OUTSTANDING),),
            ),
        ),
        contacts=(("Helen Oduya", "Registered Manager", "helen.oduya@example.com", "01632 960127"),),
    ),
    DemoProvider(
        name="Brightwater Foster Care",
        provision_types=(FOSTERING,),
        contract_route=ContractRoute.SPOT,
        head_office_area="Bedford",
        new_to_authority=True,
        notes="First City placement September 2024.",
        settings=(
            DemoSetting(
                "BFC", "Brightwater Foster Care (Bedford office)", FOSTERING, "SC607281",
                "First Floor, 9 Riverside Walk", "Bedford", "MK40 1QP", "Bedford", 22, "2021-11-08",
                (("2024-05-21", RI),),
            ),
        ),
        contacts=(
            ("Marcus Trent", "Registered Manager", "marcus.trent@example.com", "01632 960131"),
            ("Aisha Begum", "Placements Officer", "aisha.begum@example.com", "07700 900131"),
        ),
    ),
    DemoProvider(
        name="Larchfield Foster Families",
        provision_types=(FOSTERING,),
        contract_route=ContractRoute.FRAMEWORK,
        head_office_area="Devon",
        settings=(
            DemoSetting(
                "LFF", "Larchfield Foster Families (Exeter office)", FOSTERING, "SC545210",
                "2 Exe Vale Business Park, Marsh Barton Lane", "Exeter", "EX2 8PN", "Devon", 30, "2016-03-21",
                (("2022-11-15", RI), ("2024-10-08", GOOD)),
            ),
        ),
        contacts=(("Rhiannon Pascoe", "Registered Manager", "rhiannon.pascoe@example.com", "01632 960142"),),
    ),
    # Children's homes.
    DemoProvider(
        name="Oakhurst Children's Homes",
        provision_types=(CHILDRENS_HOME,),
        contract_route=ContractRoute.BLOCK,
        head_office_area="Kent",
        notes="Block contract for three beds across the group.",
        settings=(
            DemoSetting(
                "OAK_BRAMLEY", "Bramley House", CHILDRENS_HOME, "SC498113",
                "14 Orchard Rise", "Sittingbourne", "ME10 4PL", "Kent", 4, "2013-07-01",
                (("2022-09-13", GOOD), ("2023-10-10", GOOD), ("2024-11-19", GOOD)),
            ),
            DemoSetting(
                "OAK_SANDPIPER", "Sandpiper Lodge", CHILDRENS_HOME, "SC512764",
                "3 Heathfield Lane", "Redhill", "RH1 6QS", "Surrey", 3, "2014-02-17",
                (("2023-05-24", GOOD), ("2024-06-18", OUTSTANDING)),
            ),
            DemoSetting(
                "OAK_WREN", "Wren Cottage", CHILDRENS_HOME, "SC633048",
                "61 Kingfisher Road", "Gillingham", "ME7 5TR", "Medway", 2, "2023-01-09",
                (("2024-02-27", GOOD), ("2025-01-28", RI)),
            ),
        ),
        contacts=(
            ("Graham Whitlock", "Operations Director", "graham.whitlock@example.com", "01632 960153"),
            ("Nadia Kowalczyk", "Referrals Coordinator", "nadia.kowalczyk@example.com", "07700 900153"),
        ),
    ),
    DemoProvider(
        name="Fellside Care",
        provision_types=(CHILDRENS_HOME,),
        contract_route=ContractRoute.SPOT,
        head_office_area="Lancashire",
        settings=(
            DemoSetting(
                "FELL_HOUSE", "Fellside House", CHILDRENS_HOME, "SC471936",
                "Low Garth Lane", "Kendal", "LA9 6BT", "Westmorland and Furness", 4, "2011-10-03",
                (("2022-10-04", GOOD), ("2023-11-21", RI), ("2025-01-14", INADEQUATE)),
            ),
            DemoSetting(
                "FELL_GREYSTONE", "Greystone Barn", CHILDRENS_HOME, "SC556802",
                "High Moor Road", "Cockermouth", "CA13 9SJ", "Cumberland", 3, "2017-06-12",
                (("2023-06-20", GOOD), ("2024-07-09", GOOD)),
            ),
        ),
        contacts=(("Bernadette Quayle", "Responsible Individual", "bernadette.quayle@example.com", "01632 960164"),),
        notes=(
            "Placement stop from 17 January 2025: Fellside House was judged Inadequate on 14 January (management "
            "oversight, night staffing, missing-from-care notifications), as October's Regulation 44 report had "
            "warned. The City child there moved that week; the child at Greystone Barn (Good) stays, reviewed by "
            "the social worker within 24 hours. Action plan with timescales received; the stop lifts only after a "
            "monitoring visit confirms progress."
        ),
        status=(
            ProviderStatus.PLACEMENT_STOP,
            "2025-01-17",
            "Fellside House judged Inadequate by Ofsted on 14 January 2025: no new placements until it improves.",
        ),
    ),
    DemoProvider(
        name="Cheviot View Homes",
        provision_types=(CHILDRENS_HOME,),
        contract_route=ContractRoute.FRAMEWORK,
        head_office_area="Northumberland",
        settings=(
            DemoSetting(
                "CHEV_COQUET", "Coquet House", CHILDRENS_HOME, "SC528417",
                "8 Hotspur Terrace", "Alnwick", "NE66 2PF", "Northumberland", 4, "2015-04-20",
                (("2022-05-17", INADEQUATE), ("2022-12-06", RI), ("2024-01-23", GOOD), ("2025-02-04", GOOD)),
            ),
            DemoSetting(
                "CHEV_WANSBECK", "Wansbeck Lodge", CHILDRENS_HOME, "SC590362",
                "22 Mill Bank", "Morpeth", "NE61 1XT", "Northumberland", 2, "2019-08-05",
                (("2023-09-12", OUTSTANDING), ("2024-09-24", OUTSTANDING)),
            ),
        ),
        contacts=(("Fraser Elliot", "Registered Manager", "fraser.elliot@example.com", "01632 960175"),),
    ),
    DemoProvider(
        name="Tamar Reach Residential",
        provision_types=(CHILDRENS_HOME,),
        contract_route=ContractRoute.SPOT,
        head_office_area="Plymouth",
        high_cost=True,
        new_to_authority=True,
        notes="Therapeutic solo and dual-occupancy homes for children with complex needs.",
        settings=(
            DemoSetting(
                "TAM_TRELAWN", "Trelawn", CHILDRENS_HOME, "SC641275",
                "Polson Lane", "Launceston", "PL15 8BD", "Cornwall", 2, "2023-08-14",
                (("2024-03-12", GOOD), ("2025-03-04", GOOD)),
            ),
            # Registered in 2024 and not yet inspected.
            DemoSetting(
                "TAM_PENHALLOW", "Penhallow", CHILDRENS_HOME, "SC652890",
                "Carminow Way", "Bodmin", "PL31 2JY", "Cornwall", 1, "2024-05-20",
            ),
        ),
        contacts=(
            ("Kerensa Trethewey", "Registered Manager", "kerensa.trethewey@example.com", "01632 960186"),
            ("Owen Lillicrap", "Clinical Lead", "owen.lillicrap@example.com", "07700 900186"),
        ),
    ),
    # Supported accommodation: registered and judged at provider level; the URN sits on the
    # registered address, as in Ofsted's data.
    DemoProvider(
        name="Keystone Pathways",
        provision_types=(SUPPORTED,),
        contract_route=ContractRoute.BLOCK,
        head_office_area="Islington",
        notes="Supports 10 to 15 City young people at any time in stand-alone flats with outreach keywork.",
        settings=(
            DemoSetting(
                "KEY_SEVEN", "Keystone Pathways, Seven Sisters flats", SUPPORTED, "2756318",
                "Keystone Court, 140 Wargrave Avenue", "London", "N15 5QS", "Haringey", 6, "2023-10-27",
            ),
            DemoSetting(
                "KEY_ILFORD", "Keystone Pathways, Ilford flats", SUPPORTED, "",
                "18 Cranbrook Rise", "Ilford", "IG1 4TG", "Redbridge", 5, "2023-10-27",
            ),
            DemoSetting(
                "KEY_THORNTON", "Keystone Pathways, Thornton Heath flats", SUPPORTED, "",
                "5 Brigstock Mews", "Thornton Heath", "CR7 8RL", "Croydon", 4, "2023-10-27",
            ),
        ),
        contacts=(
            ("Samuel Adeyemi", "Service Manager", "samuel.adeyemi@example.com", "01632 960197"),
            ("Lucy Brannigan", "Senior Keyworker", "lucy.brannigan@example.com", "07700 900197"),
        ),
        sa_inspections=(("2024-09-17", SupportedAccommodationOutcome.OUTCOME_1),),
    ),
    DemoProvider(
        name="Foundry Lane Housing Support",
        provision_types=(SUPPORTED,),
        contract_route=ContractRoute.FRAMEWORK,
        head_office_area="Harrow",
        notes="Independent studio flats in a converted office block; building maintenance and security monitored.",
        settings=(
            DemoSetting(
                "FOUNDRY", "Carrick House studios", SUPPORTED, "2768045",
                "Carrick House, 112 Greenhill Way", "Harrow", "HA1 1LE", "Harrow", 12, "2023-10-30",
            ),
        ),
        contacts=(("Priya Raman", "Scheme Manager", "priya.raman@example.com", "01632 960208"),),
        sa_inspections=(("2024-11-05", SupportedAccommodationOutcome.OUTCOME_2),),
    ),
    DemoProvider(
        name="Quayside Youth Housing",
        provision_types=(SUPPORTED,),
        contract_route=ContractRoute.SPOT,
        head_office_area="Southend-on-Sea",
        new_to_authority=True,
        notes="Registered in 2024; Ofsted has not inspected it yet.",
        settings=(
            DemoSetting(
                "QUAY_MARINE", "Quayside, Marine Parade house", SUPPORTED, "2801937",
                "41 Marine Parade", "Southend-on-Sea", "SS1 2EJ", "Southend-on-Sea", 4, "2024-03-11",
            ),
            DemoSetting(
                "QUAY_WESTCLIFF", "Quayside, Westcliff flats", SUPPORTED, "",
                "7 Palmeira Avenue", "Westcliff-on-Sea", "SS0 7RS", "Southend-on-Sea", 3, "2024-03-11",
            ),
        ),
        contacts=(("Tomasz Nowicki", "Director", "tomasz.nowicki@example.com", "01632 960219"),),
    ),
    DemoProvider(
        name="Redbrick Semi-Independent Living",
        provision_types=(SUPPORTED,),
        contract_route=ContractRoute.SPOT,
        head_office_area="Luton",
        settings=(
            DemoSetting(
                "REDBRICK", "Redbrick, Dunstable Road house", SUPPORTED, "2779514",
                "212 Dunstable Road", "Luton", "LU4 8JT", "Luton", 6, "2023-10-31",
            ),
        ),
        contacts=(("Leon Harcourt", "Manager", "leon.harcourt@example.com", "01632 960220"),),
        sa_inspections=(("2024-10-22", SupportedAccommodationOutcome.OUTCOME_2),),
        notes=(
            "QA visit on 18 December 2024 (placed by the emergency duty team): the building was fine, but the staff "
            "approach was not child-focused, care-plan actions had stalled and our young person's feedback was poor. "
            "The provider accepted the feedback and sent an action plan; to be reconsidered in 12 months."
        ),
        status=(
            ProviderStatus.NOT_TO_BE_USED,
            "2025-01-10",
            "QA visit 18 December 2024: care not child-focused and care-plan actions stalled. Not to be used.",
        ),
    ),
    # Residential special schools: high cost, children with an EHCP.
    DemoProvider(
        name="Linden Brook School",
        provision_types=(SCHOOL,),
        contract_route=ContractRoute.SPOT,
        head_office_area="Devon",
        high_cost=True,
        settings=(
            DemoSetting(
                "LINDEN", "Linden Brook School", SCHOOL, "136475",
                "Exe Valley Road", "Tiverton", "EX16 9LR", "Devon", 38, "2008-09-01",
                (("2023-02-07", OUTSTANDING), ("2024-02-20", GOOD), ("2025-01-29", GOOD)),
            ),
        ),
        contacts=(("Imogen Carver", "Head of Care", "imogen.carver@example.com", "01632 960231"),),
    ),
    DemoProvider(
        name="Hawthorn Ridge School",
        provision_types=(SCHOOL,),
        contract_route=ContractRoute.SPOT,
        head_office_area="Shropshire",
        high_cost=True,
        settings=(
            DemoSetting(
                "HAWTHORN", "Hawthorn Ridge School", SCHOOL, "148251",
                "Longmynd Road", "Church Stretton", "SY6 7AX", "Shropshire", 24, "2010-01-11",
                (("2023-03-14", GOOD), ("2024-03-05", GOOD), ("2025-02-25", RI)),
            ),
        ),
        contacts=(
            ("Dr Ruth Ashdown", "Principal", "ruth.ashdown@example.com", "01632 960242"),
            ("Callum Mair", "Residential Lead", "callum.mair@example.com", "07700 900242"),
        ),
    ),
    # Other: a residential family centre (parent and child assessments).
    DemoProvider(
        name="Rowan House Family Centre",
        provision_types=(OTHER,),
        contract_route=ContractRoute.SPOT,
        head_office_area="Reading",
        notes="Residential parent-and-child assessments, usually 12 weeks.",
        settings=(
            DemoSetting(
                "ROWAN", "Rowan House Family Centre", OTHER, "SC589036",
                "31 Coley Avenue", "Reading", "RG30 2HB", "Reading", 5, "2019-04-01",
                (("2023-07-18", GOOD),),
            ),
        ),
        contacts=(("Felicity Dunmore", "Centre Manager", "felicity.dunmore@example.com", "0118 496 0253"),),
    ),
]
# fmt: on


class P(NamedTuple):
    """A placement: at a setting (its key above), from start to end (None: still there)."""

    setting: str
    start: str
    end: str | None = None
    high_cost: bool = False


class Person(NamedTuple):
    """A young person: cohort, age on 31 March 2025, needs, placements in order.

    needs: E has an EHCP (and so SEND), S SEND, U UASC, "-" no allocated social worker (a
    care leaver with a personal adviser only). born: a fixed date of birth where the story needs one."""

    cohort: str
    age: int
    needs: str
    placements: tuple[P, ...]
    born: str | None = None
    ref: str = ""  # how a concern below refers to them


CIC = Cohort.CHILD_IN_CARE
CL = Cohort.CARE_LEAVER

# fmt: off
YOUNG_PEOPLE = [
    # Children in care: fostered.
    Person(CIC, 9, "", (P("HLF", "2022-03-14"),)),
    Person(CIC, 11, "E", (P("HLF", "2020-09-07"),)),
    Person(CIC, 16, "U", (P("HLF", "2023-11-20"),)),
    Person(CIC, 13, "", (P("KFF", "2022-06-27", "2024-08-12"), P("HLF", "2024-08-12"))),
    Person(CIC, 8, "", (P("HLF", "2023-05-02", "2024-10-21"),)),  # went home to her mother
    Person(CIC, 10, "S", (P("KFF", "2021-10-18"),)),
    Person(CIC, 16, "U", (P("KFF", "2024-07-08"),)),
    Person(CIC, 14, "", (P("KFF", "2023-02-13"),)),
    Person(CIC, 12, "", (P("LFF", "2022-01-10"),)),
    Person(CIC, 9, "S", (P("LFF", "2024-05-20"),)),
    Person(CIC, 10, "", (P("BFC", "2024-09-16"),)),
    Person(CIC, 14, "", (P("HLF", "2023-03-06", "2025-01-13"), P("BFC", "2025-01-13")), ref="brightwater"),
    # Children in care: children's homes and residential special schools.
    Person(CIC, 15, "S", (P("OAK_BRAMLEY", "2023-04-17"),)),
    Person(CIC, 16, "", (P("OAK_SANDPIPER", "2024-01-29"),)),
    Person(CIC, 13, "", (P("OAK_WREN", "2024-09-30"),)),
    # Moved in the week Fellside House was judged Inadequate.
    Person(CIC, 15, "S", (P("FELL_HOUSE", "2023-06-05", "2025-01-17", True),
                          P("CHEV_COQUET", "2025-01-17", None, True)), ref="fellside"),
    Person(CIC, 12, "", (P("CHEV_WANSBECK", "2022-08-22"),)),
    Person(CIC, 11, "", (P("CHEV_WANSBECK", "2023-09-04", "2024-12-09"),)),  # special guardianship with an aunt
    Person(CIC, 16, "S", (P("FELL_GREYSTONE", "2023-10-02", None, True),)),
    Person(CIC, 14, "S", (P("OAK_SANDPIPER", "2022-11-14", "2024-06-03"), P("TAM_TRELAWN", "2024-06-03", None, True))),
    # Placed by social care for his complex needs while his EHC needs assessment goes on: no EHCP yet.
    Person(CIC, 13, "S", (P("LINDEN", "2022-09-05", None, True),)),
    Person(CIC, 15, "E", (P("HAWTHORN", "2021-09-06", None, True),), ref="hawthorn"),
    # Care leavers staying put with their foster carers.
    Person(CL, 18, "", (P("HLF", "2019-07-15"),)),
    Person(CL, 19, "S", (P("HLF", "2021-02-01"),)),
    Person(CL, 18, "U", (P("KFF", "2022-10-03"),)),
    Person(CL, 19, "", (P("LFF", "2020-04-27"),)),
    Person(CL, 21, "", (P("HLF", "2018-06-11", "2024-06-28"),)),  # to university halls
    Person(CL, 20, "S", (P("KFF", "2019-11-04", "2024-11-29"),)),
    Person(CL, 21, "S", (P("LFF", "2017-08-14", "2024-09-13"),)),
    # Care leavers in supported accommodation.
    Person(CL, 19, "U", (P("KEY_SEVEN", "2023-08-14"),)),
    Person(CL, 20, "U", (P("KEY_SEVEN", "2022-05-09"),)),
    Person(CL, 21, "U-", (P("KEY_SEVEN", "2021-11-22"),)),
    Person(CL, 19, "U", (P("KEY_SEVEN", "2024-04-22"),)),
    Person(CL, 19, "S", (P("KEY_ILFORD", "2024-02-05"),)),
    Person(CL, 22, "U-", (P("KEY_ILFORD", "2021-06-14"),)),
    Person(CL, 20, "", (P("KEY_ILFORD", "2023-01-16"),)),
    Person(CL, 22, "-", (P("KEY_ILFORD", "2022-02-21"),)),
    Person(CL, 18, "", (P("OAK_BRAMLEY", "2021-05-10", "2024-10-07"), P("KEY_THORNTON", "2024-10-07")),
           born="2006-09-23"),
    # A young mother: a 12-week parent-and-child assessment, then a flat with her baby.
    Person(CL, 20, "S", (P("ROWAN", "2024-09-02", "2024-11-25"), P("KEY_THORNTON", "2024-11-25"))),
    Person(CL, 21, "U", (P("KEY_THORNTON", "2022-12-05"),)),
    # Housing escalated after a QA visit: a permanent tenancy before the 25th birthday.
    Person(CL, 24, "U-", (P("KEY_SEVEN", "2020-10-12", "2025-03-14"),), born="2000-04-26", ref="tenancy"),
    Person(CL, 23, "", (P("KEY_ILFORD", "2021-03-01", "2024-08-30"),)),
    Person(CL, 22, "U", (P("KEY_THORNTON", "2021-08-16", "2024-12-20"),)),
    Person(CL, 23, "-", (P("KEY_SEVEN", "2019-09-30", "2024-05-31"),)),
    Person(CL, 23, "-", (P("KEY_THORNTON", "2020-06-22", "2024-04-26"),)),
    Person(CL, 19, "U", (P("FOUNDRY", "2023-07-03"),)),
    Person(CL, 20, "U", (P("FOUNDRY", "2022-09-19"),)),
    Person(CL, 18, "S", (P("FOUNDRY", "2024-11-11"),)),
    Person(CL, 21, "-", (P("FOUNDRY", "2022-03-28"),)),
    # Placed by the emergency duty team with a provider later marked not to be used; moved after turning 18.
    Person(CL, 18, "", (P("REDBRICK", "2024-11-08", "2025-02-24"), P("FOUNDRY", "2025-02-24")),
           born="2007-01-19", ref="redbrick"),
    Person(CL, 22, "U", (P("FOUNDRY", "2022-06-06", "2024-09-27"),)),
    Person(CL, 24, "U-", (P("FOUNDRY", "2021-01-11", "2025-01-31"),)),
    Person(CL, 18, "U", (P("QUAY_MARINE", "2024-07-15"),)),
    Person(CL, 19, "", (P("QUAY_WESTCLIFF", "2024-12-02"),)),
    Person(CL, 22, "", (P("QUAY_WESTCLIFF", "2024-05-13", "2024-10-04"),)),
    Person(CL, 20, "U", (P("REDBRICK", "2023-03-20", "2024-07-05"),)),
]
# fmt: on


class DemoConcern(NamedTuple):
    provider: str
    setting: str  # a setting's key
    person: str  # a young person's ref, or ""
    source: str
    received_on: str
    summary: str
    severity: str
    status: str
    outcome: str
    raised_by: str  # a role in DEMO_USERS


# fmt: off
CONCERNS = [
    DemoConcern(
        "Fellside Care", "FELL_HOUSE", "fellside", ConcernSource.REGULATION_44, "2024-11-28",
        "October's Regulation 44 report: two missing-from-care episodes not notified to us within 24 hours, and "
        "agency staff on most night shifts.",
        Severity.HIGH, ConcernStatus.CLOSED,
        "Urgent review meeting on 5 December 2024; provider action plan received. Ofsted found the same weaknesses "
        "in January 2025 and a placement stop followed.",
        Role.QA_LEAD,
    ),
    DemoConcern(
        "Fellside Care", "FELL_HOUSE", "", ConcernSource.OTHER_AUTHORITY, "2025-01-16",
        "Westmorland and Furness commissioning team shared the Inadequate judgement and their monitoring-visit "
        "findings on staffing and management oversight.",
        Severity.HIGH, ConcernStatus.UNDER_REVIEW, "", Role.QA_LEAD,
    ),
    DemoConcern(
        "Redbrick Semi-Independent Living", "REDBRICK", "redbrick", ConcernSource.SOCIAL_WORKER, "2024-11-20",
        "Young person says staff rarely engage with him, and his pathway plan actions (ID documents, college "
        "place) have not moved since he arrived.",
        Severity.MEDIUM, ConcernStatus.CLOSED,
        "QA visit on 18 December 2024 confirmed the concerns; provider marked not to be used. He moved to "
        "Foundry Lane on 24 February 2025, after his 18th birthday.",
        Role.SOCIAL_WORKER,
    ),
    DemoConcern(
        "Foundry Lane Housing Support", "FOUNDRY", "", ConcernSource.YOUNG_PERSON, "2024-06-10",
        "Two young people say the main door of Carrick House does not lock and non-residents have been in the "
        "stairwell at night.",
        Severity.MEDIUM, ConcernStatus.CLOSED,
        "Door entry system replaced on 21 June 2024 and checked at the QA visit on 26 June; building maintenance "
        "now a standing item at review meetings.",
        Role.SOCIAL_WORKER,
    ),
    DemoConcern(
        "Keystone Pathways", "KEY_SEVEN", "tenancy", ConcernSource.YOUNG_PERSON, "2024-04-29",
        "Worried about his housing application and immigration status as his 25th birthday approaches.",
        Severity.LOW, ConcernStatus.CLOSED,
        "Escalated to the Head of Service; housing nomination agreed and he moved into a permanent tenancy on "
        "14 March 2025, before his 25th birthday.",
        Role.SOCIAL_WORKER,
    ),
    DemoConcern(
        "Cheviot View Homes", "CHEV_WANSBECK", "", ConcernSource.REGULATION_44, "2024-08-19",
        "July's Regulation 44 report notes a physical intervention not written up in the home's records.",
        Severity.LOW, ConcernStatus.CLOSED,
        "Staff retrained and records audited; confirmed in the August Regulation 44 report.",
        Role.QA_LEAD,
    ),
    DemoConcern(
        "Brightwater Foster Care", "BFC", "brightwater", ConcernSource.IRO, "2025-02-12",
        "IRO reports the foster carers have not yet had the trauma-informed training agreed at the placement "
        "planning meeting.",
        Severity.LOW, ConcernStatus.OPEN, "", Role.SOCIAL_WORKER,
    ),
    DemoConcern(
        "Hawthorn Ridge School", "HAWTHORN", "hawthorn", ConcernSource.IRO, "2025-03-03",
        "IRO notes the fence by the playing field is damaged and the child has left the grounds once this term.",
        Severity.MEDIUM, ConcernStatus.UNDER_REVIEW, "", Role.QA_LEAD,
    ),
]
# fmt: on

INITIALS_LETTERS = "ABCDEFGHJKLMNPRSTWY"


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """Create, or bring up to date, the record matching `lookup`. Saves only when something
    differs, so a second run writes nothing and adds no change history."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        changed = None
    else:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if not changed:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
    instance.full_clean()
    instance._change_reason = CHANGE_REASON
    instance.save(update_fields=changed)
    return instance


def _demo_user(role: Role) -> User:
    email = next(email for email, *_, user_role in DEMO_USERS if user_role is role)
    try:
        return User.objects.get(email=email)
    except User.DoesNotExist:
        raise RuntimeError(f"Demo account {email} is missing: seed the accounts first (qa_portal.demo.seed).") from None


def _publication_date(inspected: date) -> date:
    # Ofsted usually publishes three to five weeks after the visit.
    return inspected + timedelta(days=21 + inspected.day % 14)


def _record_inspection(*, provider: Provider, setting: Setting | None, scale: str, on: date, result: int) -> None:
    lookup = {"provider": provider, "setting": setting, "inspection_date": on, "scale": scale}
    values = {
        "judgement": result if scale == InspectionScale.FOUR_POINT else None,
        "sa_outcome": result if scale == InspectionScale.SUPPORTED_ACCOMMODATION else None,
        "publication_date": _publication_date(on),
        "event_type": "Full inspection",
    }
    inspection = OfstedInspection.objects.filter(**lookup).first()
    if inspection is None:
        inspection = OfstedInspection(**lookup, **values)
    elif all(getattr(inspection, name) == value for name, value in values.items()):
        return
    else:
        for name, value in values.items():
            setattr(inspection, name, value)
    inspection._change_reason = CHANGE_REASON
    inspection_record(inspection=inspection)


def _seed_provider(spec: DemoProvider) -> tuple[Provider, dict[str, Setting]]:
    provider = _upsert(
        Provider,
        {"name": spec.name},
        {
            "provision_types": list(spec.provision_types),
            "contract_route": spec.contract_route,
            "high_cost": spec.high_cost,
            "new_to_authority": spec.new_to_authority,
            "head_office_area": spec.head_office_area,
            "notes": spec.notes,
        },
    )
    settings = {}
    for s in spec.settings:
        lookup = {"urn": s.urn} if s.urn else {"provider": provider, "name": s.name}
        values = {
            "provider": provider,
            "name": s.name,
            "setting_type": s.setting_type,
            "address": s.address,
            "town": s.town,
            "postcode": s.postcode,
            "local_authority": s.local_authority,
            "capacity": s.capacity,
            "registration_status": "Active",
            "registration_date": _d(s.registered),
        }
        for name in lookup:
            values.pop(name, None)
        setting = settings[s.key] = _upsert(Setting, lookup, values)
        for on, judgement in s.inspections:
            _record_inspection(
                provider=provider, setting=setting, scale=InspectionScale.FOUR_POINT, on=_d(on), result=judgement
            )
    for on, outcome in spec.sa_inspections:
        _record_inspection(
            provider=provider, setting=None, scale=InspectionScale.SUPPORTED_ACCOMMODATION, on=_d(on), result=outcome
        )
    for name, role, email, phone in spec.contacts:
        _upsert(Contact, {"provider": provider, "name": name}, {"role": role, "email": email, "phone": phone})
    return provider, settings


def _change_status(provider: Provider, spec: DemoProvider, by: User) -> None:
    if not spec.status:
        return
    to_status, decided, reason = spec.status
    change = provider_change_status(provider=provider, to_status=to_status, reason=reason, by=by)
    if change is not None:
        # The decision belongs to the story's date, not to the day the demo was loaded.
        decided_at = timezone.make_aware(datetime.combine(_d(decided), time(10, 0)))
        ProviderStatusChange.objects.filter(pk=change.pk).update(changed_at=decided_at)


def _initials(rng: random.Random) -> str:
    return "".join(rng.choice(INITIALS_LETTERS) for _ in range(3 if rng.random() < 0.15 else 2))


def _seed_young_people(rng: random.Random, settings: dict[str, Setting], social_worker: User) -> dict[str, YoungPerson]:
    """Returns the young people a concern refers to, by ref."""
    case_record_ids = rng.sample(range(1_000_000, 10_000_000), len(YOUNG_PEOPLE))
    people = {}
    for person, case_record_id in zip(YOUNG_PEOPLE, case_record_ids, strict=True):
        # Drawn for everyone, so a fixed date of birth never shifts the others' draws.
        initials, days_before_birthday = _initials(rng), rng.randint(0, 364)
        if person.born:
            born = _d(person.born)
        else:
            born = YEAR_END.replace(year=YEAR_END.year - person.age) - timedelta(days=days_before_birthday)
        young_person = _upsert(
            YoungPerson,
            {"case_record_id": str(case_record_id)},
            {
                "initials": initials,
                "date_of_birth": born,
                "cohort": person.cohort,
                "ehcp": "E" in person.needs,
                "send": "E" in person.needs or "S" in person.needs,
                "uasc": "U" in person.needs,
                "social_worker": None if "-" in person.needs else social_worker,
            },
        )
        for placement in person.placements:
            setting = settings[placement.setting]
            _upsert(
                Placement,
                {"young_person": young_person, "start_date": _d(placement.start)},
                {
                    "provider": setting.provider,
                    "setting": setting,
                    "end_date": _d(placement.end) if placement.end else None,
                    "high_cost": placement.high_cost,
                },
            )
        if person.ref:
            people[person.ref] = young_person
    return people


def _seed_concerns(
    providers: dict[str, Provider],
    settings: dict[str, Setting],
    people: dict[str, YoungPerson],
    users: dict[Role, User],
) -> None:
    for concern in CONCERNS:
        _upsert(
            Concern,
            {
                "provider": providers[concern.provider],
                "received_on": _d(concern.received_on),
                "summary": concern.summary,
            },
            {
                "setting": settings[concern.setting] if concern.setting else None,
                "young_person": people[concern.person] if concern.person else None,
                "source": concern.source,
                "severity": concern.severity,
                "status": concern.status,
                "outcome": concern.outcome,
                "raised_by": users[concern.raised_by],
            },
        )


def _counts(today: date) -> dict[str, int]:
    return {
        "providers": Provider.objects.count(),
        "settings": Setting.objects.count(),
        "inspections": OfstedInspection.objects.count(),
        "contacts": Contact.objects.count(),
        "young_people": YoungPerson.objects.count(),
        "placements": Placement.objects.count(),
        "active_placements": Placement.objects.active_on(today).count(),
        "concerns": Concern.objects.count(),
    }


@transaction.atomic
def seed(*, today: date | None = None) -> dict[str, int]:
    """Create or refresh the demo provider register; returns counts of what exists afterwards.

    Needs the demo accounts (qa_portal.demo.seed makes them first). Safe to run again: records
    are matched on their natural keys and only saved when they differ."""
    today = today or timezone.localdate()
    if today <= YEAR_END:
        raise ValueError(f"The demo's timeline runs to {YEAR_END:%d %B %Y}; seed it on a later day.")
    users = {role: _demo_user(role) for role in (Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER, Role.QA_LEAD)}
    rng = random.Random(2025)

    providers: dict[str, Provider] = {}
    settings: dict[str, Setting] = {}
    for spec in PROVIDERS:
        provider, provider_settings = _seed_provider(spec)
        providers[spec.name] = provider
        settings.update(provider_settings)
    people = _seed_young_people(rng, settings, users[Role.SOCIAL_WORKER])
    _seed_concerns(providers, settings, people, users)
    # After the placements, so a provider marked not to be used still shows who lived there.
    for spec in PROVIDERS:
        _change_status(providers[spec.name], spec, users[Role.COMMISSIONING_OFFICER])
    return _counts(today)
