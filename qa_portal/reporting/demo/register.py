"""Seeds the demo provider register from data/providers.toml, young_people.toml and concerns.toml:
providers, settings, Ofsted inspections, contacts, statuses, young people, placements and concerns.

A record is found again by its natural key (a provider's name, a setting's URN, a young person's
case-record ID, a concern's summary) and brought up to date. The inspections of a demo provider
and the placements of a demo young person are exactly those in the files: when the demo's year
moves on, last year's dates give way to this year's."""

import random
from datetime import date, timedelta

from providers.models import (
    Cohort,
    Concern,
    ConcernSource,
    ConcernStatus,
    Contact,
    ContractRoute,
    InspectionEvent,
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
from providers.services import provider_change_status, refresh_judgements
from qa_portal.models import User
from qa_portal.reporting.demo.seeding import Calendar, demo_provider_lookup, demo_user, load, upsert
from qa_portal.roles import Role
from reviews.models import ActionPlan, InadequateResponse

INITIALS_LETTERS = "ABCDEFGHJKLMNPRSTWY"


def demo_provider_names() -> list[str]:
    """The names of the demo's providers (data/providers.toml), whose visits and meetings are the demo's."""
    return [spec["name"] for spec in load("providers")["providers"]]


def _publication_date(inspected: date, today: date) -> date | None:
    # Ofsted usually publishes three to five weeks after the visit; a recent one is not published yet
    # (the council knows the judgement from the provider and Ofsted's feedback).
    published = inspected + timedelta(days=21 + inspected.day % 14)
    return published if published <= today else None


def _inspection(provider: Provider, setting: Setting | None, on: date, result: int, today: date) -> int:
    scale = InspectionScale.SUPPORTED_ACCOMMODATION if setting is None else InspectionScale.FOUR_POINT
    inspection = upsert(
        OfstedInspection,
        {
            "provider": provider,
            "setting": setting,
            "inspection_date": on,
            "scale": scale,
            "event_type": InspectionEvent.FULL,
        },
        {
            "judgement": None if setting is None else result,
            "sa_outcome": SupportedAccommodationOutcome(result) if setting is None else None,
            "publication_date": _publication_date(on, today),
        },
    )
    return inspection.pk


def _seed_provider(spec: dict, calendar: Calendar, officer: User) -> tuple[Provider, dict[str, Setting]]:
    provider = upsert(
        Provider,
        demo_provider_lookup(spec["name"]),
        {
            "name": spec["name"],
            "provision_types": [ProvisionType(kind) for kind in spec["provision_types"]],
            "contract_route": ContractRoute(spec["contract_route"]),
            "high_cost": spec.get("high_cost", False),
            "new_to_authority": spec.get("new_to_authority", False),
            "head_office_area": spec["head_office_area"],
            "notes": calendar.text(spec.get("notes", "")),
            "commissioning_officer": officer if spec.get("commissioning_officer", True) else None,
        },
    )
    settings, inspections = {}, []
    for s in spec["settings"]:
        lookup = {"urn": s["urn"]} if s.get("urn") else {"provider": provider, "name": s["name"]}
        values = {
            "provider": provider,
            "name": s["name"],
            "setting_type": ProvisionType(s["type"]),
            "address": s["address"],
            "town": s["town"],
            "postcode": s["postcode"],
            "local_authority": s["local_authority"],
            "capacity": s["capacity"],
            "registration_status": "Active",
            "registration_date": calendar.day(s["registered"]),
        }
        setting = settings[s["key"]] = upsert(Setting, lookup, {k: v for k, v in values.items() if k not in lookup})
        for on, judgement in s.get("inspections", []):
            inspections.append(
                _inspection(provider, setting, calendar.day(on), Judgement[judgement.upper()], calendar.today)
            )
    for on, outcome in spec.get("sa_inspections", []):
        inspections.append(_inspection(provider, None, calendar.day(on), outcome, calendar.today))
    stale = OfstedInspection.objects.filter(provider=provider).exclude(pk__in=inspections)
    # An action plan asked for after an inspection of another day's or year's story goes with it, as
    # does the response to it (reviews: the response to an Inadequate judgement; its decisions cascade).
    InadequateResponse.objects.filter(inspection__in=stale).delete()
    ActionPlan.objects.filter(inspection__in=stale).delete()
    stale.delete()
    refresh_judgements(provider)
    for contact in spec["contacts"]:
        upsert(
            Contact,
            {"provider": provider, "name": contact["name"]},
            {"role": contact["role"], "email": contact["email"], "phone": contact["phone"]},
        )
    return provider, settings


def _change_status(provider: Provider, spec: dict, calendar: Calendar, by: User) -> None:
    if "status" not in spec:
        return
    to_status, reason = ProviderStatus(spec["status"]), calendar.text(spec["status_reason"])
    provider_change_status(provider=provider, to_status=to_status, reason=reason, by=by)
    # The decision belongs to the story's date, not to the day the demo was loaded.
    ProviderStatusChange.objects.filter(
        pk=provider.status_changes.filter(to_status=to_status).order_by("-changed_at", "-pk").values("pk")[:1]
    ).update(changed_at=calendar.at(spec["status_on"], "10:00"), reason=reason)


def _initials(rng: random.Random) -> str:
    return "".join(rng.choice(INITIALS_LETTERS) for _ in range(3 if rng.random() < 0.15 else 2))


def _seed_young_people(calendar: Calendar, settings: dict[str, Setting], social_worker: User) -> dict[str, YoungPerson]:
    """Returns the young people a concern refers to, by ref."""
    people_specs = load("young_people")["young_people"]
    # A fixed seed: the same case-record IDs, initials and birthdays whatever the year.
    rng = random.Random(2025)
    case_record_ids = rng.sample(range(1_000_000, 10_000_000), len(people_specs))
    last_day = calendar.year.end
    people = {}
    for spec, case_record_id in zip(people_specs, case_record_ids, strict=True):
        # Drawn for everyone, so a fixed date of birth never shifts the others' draws.
        initials, days_before_birthday = _initials(rng), rng.randint(0, 364)
        born = (
            calendar.day(spec["born"])
            if "born" in spec
            else last_day.replace(year=last_day.year - spec["age"]) - timedelta(days=days_before_birthday)
        )
        needs = spec["needs"]
        person = upsert(
            YoungPerson,
            {"case_record_id": str(case_record_id)},
            {
                "initials": initials,
                "date_of_birth": born,
                "cohort": Cohort(spec["cohort"]),
                "ehcp": "E" in needs,
                "send": "E" in needs or "S" in needs,
                "uasc": "U" in needs,
                "social_worker": None if "-" in needs else social_worker,
            },
        )
        starts = [calendar.day(placement["from"]) for placement in spec["placements"]]
        # Placements from another year's story go first, so none overlaps the new ones.
        Placement.objects.filter(young_person=person).exclude(start_date__in=starts).delete()
        for placement, start in zip(spec["placements"], starts, strict=True):
            setting = settings[placement["at"]]
            upsert(
                Placement,
                {"young_person": person, "start_date": start},
                {
                    "provider": setting.provider,
                    "setting": setting,
                    "end_date": calendar.day(placement["to"]) if "to" in placement else None,
                    "ending": placement.get("ending", ""),
                    "high_cost": placement.get("high_cost", False),
                },
            )
        if "ref" in spec:
            people[spec["ref"]] = person
    return people


def _seed_concerns(calendar: Calendar, providers: dict[str, Provider], settings, people) -> None:
    for spec in load("concerns")["concerns"]:
        upsert(
            Concern,
            {"provider": providers[spec["provider"]], "summary": spec["summary"]},
            {
                "setting": settings[spec["setting"]] if "setting" in spec else None,
                "young_person": people[spec["young_person"]] if "young_person" in spec else None,
                "received_on": calendar.day(spec["received"]),
                "source": ConcernSource(spec["source"]),
                "severity": Severity(spec["severity"]),
                "status": ConcernStatus(spec["status"]),
                "outcome": calendar.text(spec.get("outcome", "")),
                "lado_referral": spec.get("lado_referral", False),
                "raised_by": demo_user(Role(spec["raised_by"])),
            },
        )


def seed(calendar: Calendar) -> None:
    """Create or refresh the demo provider register for the calendar's demo year.

    Needs the demo accounts (demo.seed makes them first): the social worker is allocated to
    young people, and the commissioning officer looks after most providers (all but those marked
    `commissioning_officer = false`) and records the providers' statuses."""
    officer, social_worker = demo_user(Role.COMMISSIONING_OFFICER), demo_user(Role.SOCIAL_WORKER)
    specs = load("providers")["providers"]
    providers: dict[str, Provider] = {}
    settings: dict[str, Setting] = {}
    for spec in specs:
        providers[spec["name"]], provider_settings = _seed_provider(spec, calendar, officer)
        settings.update(provider_settings)
    people = _seed_young_people(calendar, settings, social_worker)
    _seed_concerns(calendar, providers, settings, people)
    # After the placements, so a provider marked not to be used still shows who lived there.
    for spec in specs:
        _change_status(providers[spec["name"]], spec, calendar, officer)


def counts(today: date) -> dict[str, int]:
    """What the register holds, by kind of record."""
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
