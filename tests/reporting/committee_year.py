"""A year of records with known committee figures, for the committee pack's tests.

The year (1 April 2024 to 31 March 2025): four providers in use, ten children and young people
with a placement during it (two with an EHCP), three QA visits meeting four of them (one with an
EHCP), seven review meetings due of which six were held, seven recommendations made (two
completed, one in progress, one open, two overdue, one not accepted), and five homes, agencies,
schools and providers rated by Ofsted. Records just outside the year, or not yet submitted, are
there to be left out."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from qa_portal.roles import Role
from reviews.models import Recommendation, ReviewMeeting
from tests.factories import (
    InspectionFactory,
    PlacementFactory,
    ProviderFactory,
    SettingFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)

START, END = date(2024, 4, 1), date(2025, 3, 31)


def _at(day: date, hour: int = 11) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class Year:
    providers: dict
    people: list
    visits: list
    lead: object
    qa_lead: object


def build_year() -> Year:
    """The year described in the module docstring."""
    lead = UserFactory(role=Role.SENIOR_LEADER, full_name="Chris Palmer")
    qa_lead = UserFactory(
        role=Role.QA_LEAD, full_name="Laura Dennison", job_title="Head of Safeguarding and Quality Assurance"
    )
    alder = ProviderFactory(name="Alder Fostering", provision_types=["fostering"])
    birch = ProviderFactory(name="Birch House Homes", provision_types=["childrens_home"])
    cedar = ProviderFactory(name="Cedar Supported Living", provision_types=["supported_accommodation"])
    damson = ProviderFactory(name="Damson School", provision_types=["residential_school"])
    unused = ProviderFactory(name="Elm Lodge", provision_types=["childrens_home"])

    alder_office = SettingFactory(provider=alder, name="Alder Fostering office", setting_type="fostering")
    birch_house = SettingFactory(provider=birch, name="Birch House", setting_type="childrens_home")
    birch_lodge = SettingFactory(provider=birch, name="Birch Lodge", setting_type="childrens_home")
    cedar_flats = SettingFactory(provider=cedar, name="Cedar flats", setting_type="supported_accommodation", urn="")
    damson_school = SettingFactory(provider=damson, name="Damson School", setting_type="residential_school", urn="")
    elm = SettingFactory(provider=unused, name="Elm Lodge", setting_type="childrens_home")

    InspectionFactory(setting=alder_office, inspection_date=date(2023, 5, 1), judgement=2)
    InspectionFactory(setting=alder_office, inspection_date=date(2025, 6, 1), judgement=1)  # after the year
    InspectionFactory(setting=birch_house, inspection_date=date(2022, 5, 1), judgement=2)
    InspectionFactory(setting=birch_house, inspection_date=date(2024, 10, 1), judgement=4)
    InspectionFactory(setting=damson_school, inspection_date=date(2024, 2, 1), judgement=1)
    InspectionFactory(setting=elm, inspection_date=date(2024, 2, 1), judgement=4)  # not in use
    InspectionFactory(
        setting=None, provider=cedar, scale="supported_accommodation", judgement=None, sa_outcome=2,
        inspection_date=date(2024, 9, 1),
    )  # fmt: skip

    born = [
        date(2008, 6, 1), date(2010, 1, 15), date(2006, 3, 3), date(2009, 9, 9), date(2011, 2, 2),
        date(2012, 7, 7), date(2005, 5, 5), date(2004, 4, 4), date(2012, 1, 1), date(2011, 5, 1),
    ]  # fmt: skip
    people = [
        YoungPersonFactory(
            initials=f"X{'ABCDEFGHJK'[n]}",
            case_record_id=f"81000{n:02d}",
            date_of_birth=born[n],
            cohort="care_leaver" if n in (6, 7) else "child_in_care",
            ehcp=n in (8, 9),
            send=n in (8, 9),
        )
        for n in range(10)
    ]
    placed = [
        (people[0], alder_office, date(2022, 1, 10), None),
        (people[1], alder_office, date(2023, 6, 1), None),
        (people[2], alder_office, date(2024, 9, 1), None),
        (people[3], birch_house, date(2023, 3, 1), date(2025, 1, 20)),
        (people[4], birch_house, date(2024, 4, 1), None),
        (people[5], birch_lodge, date(2025, 3, 31), None),  # arrived on the year's last day
        (people[6], cedar_flats, date(2022, 8, 1), None),
        (people[7], cedar_flats, date(2023, 8, 1), date(2024, 4, 2)),  # left on the year's second day
        (people[8], damson_school, date(2021, 9, 1), None),  # EHCP, not met
        (people[9], alder_office, date(2020, 9, 1), date(2024, 6, 30)),  # EHCP, met in May
    ]
    for person, setting, start, end in placed:
        PlacementFactory(
            young_person=person, provider=setting.provider, setting=setting, start_date=start, end_date=end
        )
    # Outside the year: left on its first day; arrives the day after it; an EHCP child never placed in it.
    outside = [
        YoungPersonFactory(case_record_id="8200001", initials="ZA"),
        YoungPersonFactory(case_record_id="8200002", initials="ZB"),
        YoungPersonFactory(case_record_id="8200003", initials="ZC", ehcp=True),
    ]
    PlacementFactory(
        young_person=outside[0], provider=birch, setting=birch_house, start_date=date(2023, 1, 1), end_date=START
    )
    PlacementFactory(young_person=outside[1], provider=alder, setting=alder_office, start_date=date(2025, 4, 1))
    PlacementFactory(
        young_person=outside[2], provider=unused, setting=elm, start_date=date(2022, 1, 1), end_date=date(2024, 1, 1)
    )

    def visit(
        provider,
        setting,
        on,
        status,
        met,
        summary,
        judgement="yes",
        lead_visitor=lead,
        role="Assistant Director, People's Services",
        **extra,
    ):
        v = VisitFactory(
            provider=provider, setting=setting, planned_date=on, visit_date=on, status=status,
            lead_visitor=lead_visitor, lead_visitor_role=role, overall_judgement=judgement,
            overall_summary=summary, **extra,
        )  # fmt: skip
        v.young_people_met.set(met)
        return v

    visits = [
        visit(alder, alder_office, date(2024, 5, 10), "finalised", [people[0], people[9]],
              "Carers who know the children well.", others_spoken_to=1),
        visit(birch, birch_house, date(2024, 9, 12), "shared", [people[3], people[4]],
              "Staffing at night is thin.", judgement="with_reservations", lead_visitor=qa_lead,
              role="Head of Safeguarding and Quality Assurance"),
        visit(alder, alder_office, date(2025, 2, 3), "submitted", [people[0]], "A settled home."),
    ]  # fmt: skip
    # Not in the figures: a draft in the year, and a finalised visit the year before.
    visit(cedar, cedar_flats, date(2024, 7, 1), "draft", [people[6]], "Not yet written up.")
    last_year = visit(cedar, cedar_flats, date(2024, 3, 20), "finalised", [people[7]], "Last year's visit.")

    def meeting(provider, cadence, due, held=None, status=None):
        return ReviewMeeting.objects.create(
            provider=provider, cadence=cadence, placement_volume=1, due_date=due,
            status=status or ("held" if held else "scheduled"), held_at=_at(held) if held else None,
        )  # fmt: skip

    meeting(alder, "quarterly", date(2024, 3, 1), held=date(2024, 3, 1))  # before the year
    meeting(alder, "quarterly", date(2024, 5, 1), held=date(2024, 4, 29))
    meeting(alder, "quarterly", date(2024, 8, 1), held=date(2024, 8, 1))
    meeting(alder, "quarterly", date(2024, 11, 1), held=date(2024, 11, 4))
    meeting(alder, "quarterly", date(2025, 2, 1))  # not held
    meeting(birch, "half_yearly", date(2024, 6, 15), held=date(2024, 6, 14))
    meeting(birch, "half_yearly", date(2024, 12, 15), held=date(2024, 12, 16))
    meeting(damson, "annual", date(2024, 10, 1), held=date(2024, 9, 30))
    meeting(cedar, "annual", date(2025, 3, 1), status="cancelled")
    meeting(cedar, "annual", date(2025, 4, 15))  # after the year

    today = timezone.localdate()
    later = today + timedelta(days=90)

    def recommendation(visit, status, due, made, **extra):
        rec = Recommendation.objects.create(
            source="visit", visit=visit, provider=visit.provider, level=extra.pop("level", "provider_service"),
            text=extra.pop("text", f"Recommendation made {made:%d %B}"), owner=qa_lead, due_date=due,
            status=status, created_by=qa_lead, **extra,
        )  # fmt: skip
        Recommendation.objects.filter(pk=rec.pk).update(created_at=_at(made))
        return rec

    recommendation(
        visits[0], "completed", date(2024, 7, 1), date(2024, 5, 12),
        text="Agree a plan for evening activities with each child.",
        impact_statement="Both children now choose a club each term; one has joined the swimming team.",
        completed_at=_at(date(2024, 6, 20)),
    )  # fmt: skip
    recommendation(
        visits[1], "completed", date(2024, 11, 1), date(2024, 9, 13), level="child", young_person=people[3],
        text="Move his review forward.", impact_statement="His review was held in October and his plan now says where he will live at 18.",
        completed_at=_at(date(2024, 10, 30)),
    )  # fmt: skip
    recommendation(visits[1], "in_progress", later, date(2024, 9, 13))
    recommendation(visits[1], "in_progress", date(2025, 1, 31), date(2024, 9, 13))  # overdue
    recommendation(visits[2], "open", later, date(2025, 2, 4))
    recommendation(visits[2], "open", date(2025, 3, 1), date(2025, 2, 4))  # overdue
    recommendation(
        visits[2], "not_accepted", date(2025, 4, 1), date(2025, 2, 4), not_accepted_reason="Already in place."
    )
    recommendation(last_year, "completed", date(2024, 3, 30), date(2024, 3, 21), impact_statement="Before the year.")
    return Year(
        providers={"alder": alder, "birch": birch, "cedar": cedar, "damson": damson, "unused": unused},
        people=people,
        visits=visits,
        lead=lead,
        qa_lead=qa_lead,
    )
