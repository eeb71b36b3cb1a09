"""Make a benchmark database: a regional consortium's records (or a tenth, or a hundredth of them).

    python -m bench.generate --size regional|small|tiny [--database NAME] [--seed N] [--reuse]

It refuses any database that is not the bench's (bench/database.py), then drops and creates it,
migrates it and fills it with bulk inserts. `--reuse` keeps a database this generator version
already filled at this size and seed within the last REUSE_DAYS days (dates are relative to the day
it was made). Prints what it made and how long it took; exits 2 when refused.

The shape of the data (issue 15; DOMAIN.md): a few busy providers and many small ones (settings and
placements follow a Zipf curve), Ofsted judgements as nationally (about 15% Outstanding, 55% Good,
22% Requires improvement, 8% Inadequate; supported accommodation outcomes 60/30/10%), providers under
a placement stop or not to be used, six years of visits (older ones finalised, recent ones on every
step of the path), review meetings at each provider's cadence over eight years with the compliance
checklist, recommendations from visits, meetings, concerns and elsewhere (most old ones completed with
an impact statement, about one in ten live, some overdue), and staff of every role with provider users.
"""

import argparse
import math
import random
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from bench import config, database, texts
from bench.texts import words

REUSE_DAYS = 7
SEED = 15
LONDON = ZoneInfo("Europe/London")
PASSWORD = "bench-password-for-bench-databases-only"  # the bench's own databases only
# The key of every bench user's authenticator app (hex, as django-otp stores it); the bench computes
# the codes from it, as tests/signin.py does.
TOTP_KEY = "62656e63682d6f6e6c792d746f74702d6b65792d"

# People of each role at the regional size, and the fewest at any size (the load run needs 50
# signed-in people: ten senior leaders writing up visits and forty others browsing).
USERS = {
    "administrator": (3, 1),
    "qa_lead": (5, 3),
    "commissioning_officer": (30, 8),
    "senior_leader": (60, 16),
    "manager": (10, 4),
    "social_worker": (200, 20),
    "provider_user": (300, 10),
}
AREAS = words(
    "Kent Essex Surrey Hertfordshire Norfolk Suffolk Lancashire Cumbria Devon Cornwall Somerset Dorset "
    "Wiltshire Leeds Bradford Sheffield Manchester Liverpool Birmingham Coventry Wolverhampton Nottingham "
    "Derby Leicester Bristol Plymouth Southampton Portsmouth Brighton Croydon Lambeth Southwark Hackney "
    "Newham Barnet Ealing Northumberland Durham Sunderland Gateshead Middlesbrough Hull York Lincolnshire "
    "Northamptonshire Medway"
)
# The first senior leaders each have a visit planned in the coming weeks, to write up in the load run.
WRITERS = 12
KINDS = [
    ("childrens_home", 0.45),
    ("supported_accommodation", 0.25),
    ("fostering", 0.15),
    ("residential_school", 0.10),
    ("other", 0.05),
]


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, clock(hour, minute), tzinfo=LONDON)


def pick(rng: random.Random, weighted: dict):
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


class Generator:
    """Fills an empty, migrated database. `run()` returns how many of each record it made."""

    def __init__(self, size: config.Size, seed: int):
        from django.utils import timezone

        self.size = size
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}

    # Helpers -------------------------------------------------------------------------------------

    def days_ago(self, most: int, least: int = 0) -> date:
        return self.today - timedelta(days=self.rng.randint(least, most))

    def bulk(self, model, objects, *, history=False, batch=2_000):
        from simple_history.utils import bulk_create_with_history

        if history:
            made = bulk_create_with_history(objects, model, batch_size=batch, default_change_reason="Bench data")
        else:
            made = model._default_manager.bulk_create(objects, batch_size=batch)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(objects)
        return made

    def say(self, message: str) -> None:
        print(f"  {time.monotonic() - self.started:6.1f}s {message}", flush=True)

    # The run -------------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self.started = time.monotonic()
        self.users()
        self.say("users")
        self.providers()
        self.say("providers, settings, contacts, inspections")
        self.young_people()
        self.say("young people and placements")
        self.concerns()
        self.say("concerns")
        self.visits()
        self.say("visits, answers, steps, young people met")
        self.meetings()
        self.say("review meetings, compliance checklists, outcomes")
        self.recommendations()
        self.say("recommendations and progress")
        self.committee_report()
        return self.counts

    def users(self):
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from qa_portal.models import User
        from qa_portal.roles import Role

        password = make_password(PASSWORD)  # one hash for everyone: hashing each would take minutes
        self.staff: dict[str, list] = {}
        made, roles = [], []
        for role, (regional, fewest) in USERS.items():
            if role == "provider_user":
                continue
            for n in range(max(fewest, round(regional * self.size.scale))):
                made.append(
                    User(
                        email=f"{role.replace('_', '.')}.{n + 1}@bench.example.org",
                        full_name=texts.person(self.rng),
                        job_title=Role(role).label,
                        password=password,
                    )
                )
                roles.append(role)
        self.bulk(User, made)
        for user, role in zip(made, roles, strict=True):
            self.staff.setdefault(role, []).append(user)
        self.password_hash = password
        self.groups = {role: Group.objects.get(name=Role(role).label) for role in USERS}
        self._join_groups(made, roles)
        self.bulk(
            TOTPDevice, [TOTPDevice(user=u, name="Authenticator app", confirmed=True, key=TOTP_KEY) for u in made]
        )
        self.staff_everyone = made

    def _join_groups(self, users, roles):
        from qa_portal.models import User

        through = User.groups.through
        self.bulk(
            through, [through(user_id=u.pk, group_id=self.groups[r].pk) for u, r in zip(users, roles, strict=True)]
        )

    def provider_users(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from qa_portal.models import User

        regional, fewest = USERS["provider_user"]
        count = max(fewest, round(regional * self.size.scale))
        # The busiest providers have users (the busiest three); the rest one each, down the list.
        owners = [self.providers_list[0]] * 3 + self.providers_list[: max(0, count - 3)]
        made = [
            User(
                email=f"provider.user.{n + 1}@bench.example.org",
                full_name=texts.person(self.rng),
                job_title="Registered manager",
                password=self.password_hash,
                provider=provider,
            )
            for n, provider in enumerate(owners)
        ]
        self.bulk(User, made)
        self._join_groups(made, ["provider_user"] * len(made))
        self.bulk(
            TOTPDevice, [TOTPDevice(user=u, name="Authenticator app", confirmed=True, key=TOTP_KEY) for u in made]
        )
        self.provider_users_by_provider = defaultdict(list)
        for user in made:
            self.provider_users_by_provider[user.provider_id].append(user)

    def providers(self):
        from providers.models import Contact, OfstedInspection, Provider, ProviderStatusChange, Setting

        rng, size = self.rng, self.size
        # Zipf weights: the first provider is the busiest.
        self.weights = [1 / (rank + 1) ** 0.8 for rank in range(size.providers)]
        names: set[str] = set()
        providers = []
        for n in range(size.providers):
            kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
            types = [kind]
            if rng.random() < 0.1:
                types.append(rng.choice([k for k, _ in KINDS if k != kind]))
            name = texts.provider_name(rng, kind, 0)
            tries = 0
            while name.lower() in names:
                tries += 1
                name = texts.provider_name(rng, kind, n if tries > 5 else 0)
            names.add(name.lower())
            status = (
                "active"
                if n == 0
                else pick(rng, {"active": 88, "placement_stop": 4, "not_to_be_used": 3, "archived": 5})
            )
            new = rng.random() < 0.1
            provider = Provider(
                name=name,
                provision_types=types,
                contract_route=pick(rng, {"block": 10, "framework": 60, "spot": 30}),
                status=status,
                high_cost=rng.random() < 0.15,
                new_to_authority=new,
                head_office_area=rng.choice(AREAS),
                notes=texts.paragraph(rng, 200, most=1_000) if rng.random() < 0.3 else "",
                commissioning_officer=rng.choice(self.staff["commissioning_officer"]) if rng.random() < 0.85 else None,
                created_at=at(self.days_ago(200 if new else 3_000, 30 if not new else 0)),
            )
            provider._history_date = provider.created_at
            provider.kind = kind
            providers.append(provider)
        self.bulk(Provider, providers, history=True)
        self.providers_list = providers
        self.provider_users()

        changes = []
        self.stop_since = {}
        for provider in providers:
            if provider.status != "active":
                since = at(self.days_ago(400, 5), 15)
                self.stop_since[provider.pk] = since.date()
                changes.append(
                    ProviderStatusChange(
                        provider=provider,
                        from_status="active",
                        to_status=provider.status,
                        reason=texts.reason(rng),
                        changed_by=rng.choice(self.staff["commissioning_officer"]),
                        changed_at=since,
                    )
                )
        self.bulk(ProviderStatusChange, changes)

        # Settings: one each, the rest by weight.
        per_provider = [1] * size.providers
        for index in rng.choices(range(size.providers), weights=self.weights, k=max(0, size.settings - size.providers)):
            per_provider[index] += 1
        settings, urn = [], 100_000
        for provider, count in zip(providers, per_provider, strict=True):
            for _ in range(count):
                kind = provider.kind if rng.random() < 0.9 else rng.choice(provider.provision_types)
                registered = kind in ("childrens_home", "residential_school", "fostering") and rng.random() < 0.9
                urn += rng.randint(1, 40)
                setting = Setting(
                    provider=provider,
                    name=texts.setting_name(rng, kind),
                    setting_type=kind,
                    urn=f"SC{urn}" if registered else "",
                    address=f"{rng.randint(1, 220)} {rng.choice(texts.LAST_NAMES)} Road",
                    town=rng.choice(AREAS),
                    postcode=f"{rng.choice('BDEGLMNPSTW')}{rng.choice('ABELNRS')}{rng.randint(1, 20)} "
                    f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                    local_authority=rng.choice(AREAS),
                    capacity={"fostering": rng.randint(10, 80), "supported_accommodation": rng.randint(4, 20)}.get(
                        kind, rng.randint(2, 6) if kind == "childrens_home" else rng.randint(20, 60)
                    ),
                    registration_status="Active" if registered else "",
                    registration_date=self.days_ago(5_000, 200) if registered else None,
                    is_archived=provider.status == "archived" or rng.random() < 0.03,
                )
                setting._history_date = provider.created_at
                settings.append(setting)
        self.bulk(Setting, settings, history=True)
        self.settings_by_provider = defaultdict(list)
        for setting in settings:
            self.settings_by_provider[setting.provider_id].append(setting)

        contacts = []
        for provider in providers:
            for _ in range(rng.randint(1, 3)):
                contacts.append(
                    Contact(
                        provider=provider,
                        name=texts.person(rng),
                        role=rng.choice(["Registered manager", "Responsible individual", "Head of service"]),
                        email=f"contact.{len(contacts) + 1}@provider.bench.example.org",
                        phone=f"01632 {rng.randint(100000, 999999)}",
                        receives_reports=rng.random() < 0.8,
                    )
                )
        self.bulk(Contact, contacts, history=True)
        self.contacts_by_provider = defaultdict(list)
        for contact in contacts:
            self.contacts_by_provider[contact.provider_id].append(contact)

        # Ofsted: each registered setting inspected every year or so, its judgements near its own quality.
        inspections, worst, sa_latest = [], {}, {}
        for setting in settings:
            if not setting.urn:
                continue
            quality = rng.choices([1, 2, 3, 4], weights=[15, 55, 22, 8])[0]
            day = self.days_ago(400, 30)
            latest = None
            while day > self.today - timedelta(days=6 * 365):
                judgement = max(1, min(4, quality + rng.choice([-1, 0, 0, 0, 0, 1])))
                inspections.append(
                    OfstedInspection(
                        provider_id=setting.provider_id,
                        setting=setting,
                        inspection_date=day,
                        publication_date=min(self.today, day + timedelta(days=rng.randint(10, 40))),
                        judgement=judgement,
                    )
                )
                latest = latest or judgement
                if judgement >= 3 and day + timedelta(days=120) < self.today:
                    inspections.append(
                        OfstedInspection(
                            provider_id=setting.provider_id,
                            setting=setting,
                            inspection_date=day + timedelta(days=rng.randint(60, 120)),
                            event_type="monitoring",
                        )
                    )
                day -= timedelta(days=rng.randint(330, 560))
            if latest and not setting.is_archived:
                worst[setting.provider_id] = max(worst.get(setting.provider_id, 0), latest)
        sa_since = date(2024, 4, 1)
        for provider in providers:
            if "supported_accommodation" in provider.provision_types and rng.random() < 0.7:
                outcome = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
                span = max(1, (self.today - sa_since).days - 30)
                inspections.append(
                    OfstedInspection(
                        provider=provider,
                        scale="supported_accommodation",
                        inspection_date=sa_since + timedelta(days=rng.randint(0, span)),
                        sa_outcome=outcome,
                    )
                )
                sa_latest[provider.pk] = outcome
        self.bulk(OfstedInspection, inspections, history=True)
        for provider in providers:
            provider.current_judgement = worst.get(provider.pk)
            provider.current_sa_outcome = sa_latest.get(provider.pk)
        Provider.objects.bulk_update(providers, ["current_judgement", "current_sa_outcome"], batch_size=2_000)

    def young_people(self):
        from providers.models import Placement, YoungPerson

        rng, size = self.rng, self.size
        social_workers = self.staff["social_worker"]
        people = []
        for n in range(size.young_people):
            cohort = "child_in_care" if rng.random() < 0.7 else "care_leaver"
            age_days = (
                rng.randint(6 * 365, 17 * 365 + 300)
                if cohort == "child_in_care"
                else rng.randint(18 * 365 + 10, 24 * 365)
            )
            send = rng.random() < 0.25
            person = YoungPerson(
                case_record_id=str(1_000_000 + n * 7 + rng.randint(0, 6)),
                initials="".join(rng.choice("ABCDEFGHIJKLMNOPRSTWYZ") for _ in range(rng.choice((2, 2, 3)))),
                date_of_birth=self.today - timedelta(days=age_days),
                cohort=cohort,
                ehcp=send and rng.random() < 0.5,
                send=send,
                uasc=rng.random() < 0.1,
                social_worker=rng.choice(social_workers) if rng.random() < 0.85 else None,
            )
            person._history_date = at(self.days_ago(2_000, 10))
            people.append(person)
        self.bulk(YoungPerson, people, history=True)

        # Most young people have one placement, some two in turn, a few none yet.
        twice = max(0, min(size.placements - size.young_people // 2, size.placements // 13))
        once = min(size.placements - 2 * twice, size.young_people - twice)
        order = people[:]
        rng.shuffle(order)
        in_use = [i for i, p in enumerate(self.providers_list) if p.status != "archived"]
        in_use_weights = [self.weights[i] for i in in_use]
        placements = []

        def place(person, start, end):
            index = (
                rng.choices(in_use, weights=in_use_weights)[0]
                if rng.random() < 0.97
                else rng.randrange(len(self.providers_list))
            )
            provider = self.providers_list[index]
            if provider.status == "archived" and end is None:
                end = min(self.today - timedelta(days=1), start + timedelta(days=rng.randint(30, 400)))
            choices = self.settings_by_provider[provider.pk]
            placement = Placement(
                young_person=person,
                provider=provider,
                setting=rng.choice(choices) if rng.random() < 0.9 else None,
                start_date=start,
                end_date=end,
                high_cost=rng.random() < 0.12,
            )
            since = self.stop_since.get(provider.pk)
            if since and provider.status != "archived" and start >= since:
                placement.stop_confirmed_by = rng.choice(self.staff["qa_lead"])
                placement.stop_confirmed_at = at(start, 9)
                placement.stop_reason = "No other placement could meet the young person's needs in the area."
            placement._history_date = at(start, 9)
            placements.append(placement)

        for person in order[:once]:
            if rng.random() < 0.62:
                place(person, self.days_ago(3 * 365, 1), None)
            else:
                start = self.days_ago(6 * 365, 200)
                place(person, start, min(self.today - timedelta(days=1), start + timedelta(days=rng.randint(14, 700))))
        for person in order[once : once + twice]:
            start = self.days_ago(6 * 365, 500)
            end = start + timedelta(days=rng.randint(30, 400))
            place(person, start, end)
            second = end + timedelta(days=rng.randint(0, 20))
            place(
                person,
                second,
                None
                if rng.random() < 0.7
                else min(self.today - timedelta(days=1), second + timedelta(days=rng.randint(14, 300))),
            )
        self.bulk(Placement, placements, history=True)
        self.placements_by_provider = defaultdict(list)
        for placement in placements:
            self.placements_by_provider[placement.provider_id].append(placement)
        self.people = people

    def placed_on(self, provider_id: int, day: date) -> list:
        return [
            p.young_person_id
            for p in self.placements_by_provider.get(provider_id, ())
            if p.start_date <= day and (p.end_date is None or p.end_date > day)
        ]

    def ever_placed(self, provider_id: int) -> list:
        return [p.young_person_id for p in self.placements_by_provider.get(provider_id, ())]

    def concerns(self):
        from providers.models import Concern

        rng = self.rng
        raisers = self.staff["social_worker"] + self.staff["commissioning_officer"] + self.staff["senior_leader"]
        weights = [w**0.7 for w in self.weights]
        made = []
        for provider in rng.choices(self.providers_list, weights=weights, k=self.size.concerns):
            received = self.days_ago(6 * 365)
            age = (self.today - received).days
            if age > 90:
                status = pick(rng, {"closed": 90, "under_review": 5, "open": 5})
            else:
                status = pick(rng, {"open": 50, "under_review": 30, "closed": 20})
            people = self.ever_placed(provider.pk)
            settings = self.settings_by_provider[provider.pk]
            concern = Concern(
                provider=provider,
                setting=rng.choice(settings) if rng.random() < 0.6 else None,
                young_person_id=rng.choice(people) if people and rng.random() < 0.3 else None,
                source=pick(
                    rng,
                    {
                        "social_worker": 35,
                        "young_person": 10,
                        "iro": 15,
                        "other_authority": 10,
                        "regulation_44": 15,
                        "ofsted": 5,
                        "other": 10,
                    },
                ),
                received_on=received,
                summary=texts.concern(rng),
                severity=pick(rng, {"low": 40, "medium": 45, "high": 15}),
                status=status,
                outcome=texts.concern_outcome(rng) if status == "closed" else "",
                raised_by=rng.choice(raisers),
            )
            concern._history_date = at(received, 11)
            made.append(concern)
        self.bulk(Concern, made, history=True)
        self.concerns_list = made

    def visits(self):
        from visits.models import Answer, CaseRecordEntry, TemplateQuestion, Visit, VisitEvent, VisitTemplate

        rng = self.rng
        template = VisitTemplate.objects.get(status="published")
        questions = list(
            TemplateQuestion.objects.filter(section__template=template).order_by("section__number", "number")
        )
        leaders = self.staff["senior_leader"]
        qa_leads = self.staff["qa_lead"]
        weights = [w**0.7 for w in self.weights]
        visits = []
        for n, provider in enumerate(rng.choices(self.providers_list, weights=weights, k=self.size.visits)):
            day = self.today - timedelta(days=rng.randint(-60, 6 * 365)) if rng.random() > 0.01 else self.today
            if n < WRITERS:
                day = self.today + timedelta(days=rng.randint(1, 30))  # each writer's visit planned soon
            age = (self.today - day).days
            if age < 0:
                status = "draft"
            elif age <= 30:
                status = pick(rng, {"draft": 40, "submitted": 30, "shared": 20, "responded": 10})
            elif age <= 90:
                status = pick(rng, {"submitted": 10, "shared": 20, "responded": 30, "finalised": 40})
            else:
                status = pick(rng, {"finalised": 97, "responded": 3})
            lead = rng.choice(leaders) if rng.random() < 0.8 else rng.choice(qa_leads)
            if n < WRITERS:
                lead = leaders[n % len(leaders)]
            settings = self.settings_by_provider[provider.pk]
            held = age >= 0 and (status != "draft" or rng.random() < 0.6)
            done = status != "draft"
            visit = Visit(
                provider=provider,
                setting=rng.choice(settings) if rng.random() < 0.85 else None,
                template=template,
                status=status,
                planned_date=day - timedelta(days=rng.randint(0, 10)) if age >= 0 else day,
                visit_date=day if held else None,
                lead_visitor=lead,
                lead_visitor_role=lead.job_title,
                others_present=texts.attendees(rng, rng.randint(1, 3)) if rng.random() < 0.5 else "",
                young_inspectors=rng.choice((0, 0, 0, 1, 2)),
                how_arranged=pick(rng, {"announced": 70, "short_notice": 20, "unannounced": 10}),
                reasons=rng.sample(
                    ["number", "vulnerability", "new_provider", "concerns", "high_cost", "other"], rng.randint(1, 3)
                ),
                others_spoken_to=rng.choice((0, 0, 1, 2)),
                staff_met=texts.attendees(rng, rng.randint(1, 4)) if held else "",
                spaces_seen="Lounge, kitchen, garden and two bedrooms (with the young people's agreement)."
                if held
                else "",
                overall_judgement=pick(rng, {"yes": 65, "with_reservations": 28, "no": 7}) if done else "",
                overall_summary=texts.paragraph(rng, 700, most=8_000) if done else "",
                response_due=day + timedelta(days=16) if status in ("shared", "responded", "finalised") else None,
                provider_comment=texts.paragraph(rng, 350) if status in ("responded", "finalised") else "",
                created_at=at(day - timedelta(days=rng.randint(14, 45)), 9),
            )
            visit._history_date = visit.created_at
            visits.append(visit)
        self.bulk(Visit, visits, history=True)
        self.visits_list = visits

        answers, events, met, entries = [], [], [], []
        through = Visit.young_people_met.through
        for visit in visits:
            day = visit.visit_date or visit.planned_date
            events.append(VisitEvent(visit=visit, step="planned", by=visit.lead_visitor, at=visit.created_at))
            if visit.visit_date:
                share = 1.0 if visit.status != "draft" else rng.random()
                for question in questions:
                    if visit.status == "draft" and rng.random() > share:
                        continue
                    if not question.required and rng.random() < 0.3:
                        continue
                    if question.kind == "yes_no":
                        choice = "yes" if rng.random() < (0.1 if "action" in question.text else 0.85) else "no"
                        text = ""
                    else:
                        choice, text = "", texts.paragraph(rng, 420)
                    answers.append(
                        Answer(
                            visit=visit,
                            question=question,
                            text=text,
                            choice=choice,
                            updated_at=at(min(self.today, day + timedelta(days=rng.randint(0, 5))), 16),
                            updated_by=visit.lead_visitor,
                        )
                    )
                placed = self.placed_on(visit.provider_id, day) or self.ever_placed(visit.provider_id)
                chosen = rng.sample(placed, min(len(placed), rng.randint(1, 4))) if placed else []
                visit.met = chosen
                met.extend(through(visit_id=visit.pk, youngperson_id=person) for person in chosen)
            steps = {
                "submitted": ["submitted"],
                "shared": ["submitted", "shared"],
                "responded": ["submitted", "shared", "responded"],
                "finalised": ["submitted", "shared", "responded", "finalised", "case_recorded", "commissioning"],
            }.get(visit.status, [])
            when = day
            for step in steps:
                when = min(self.today, when + timedelta(days=rng.randint(1, 7)))
                users = self.provider_users_by_provider.get(visit.provider_id)
                by = (
                    visit.lead_visitor
                    if step == "submitted"
                    else rng.choice(users)
                    if step == "responded" and users
                    else rng.choice(qa_leads)
                )
                events.append(VisitEvent(visit=visit, step=step, by=by, at=at(when, 14)))
            if visit.status == "finalised":
                entries.extend(
                    CaseRecordEntry(
                        visit=visit, young_person_id=person, recorded_by=rng.choice(qa_leads), recorded_at=at(when, 15)
                    )
                    for person in getattr(visit, "met", [])
                    if rng.random() < 0.8
                )
        self.bulk(Answer, answers, batch=5_000)
        self.bulk(VisitEvent, events, batch=5_000)
        self.bulk(through, met, batch=5_000)
        self.bulk(CaseRecordEntry, entries, batch=5_000)

    def meetings(self):
        from reviews.models import (
            CadenceThresholds,
            ComplianceArea,
            ComplianceCheck,
            MeetingInvitee,
            ReviewMeeting,
            YoungPersonOutcome,
            next_due,
        )

        rng = self.rng
        officers = self.staff["commissioning_officer"]
        span = 8 * 365
        # Providers anyone was ever placed with, by the square root of their weight, at most quarterly.
        candidates = [(i, p) for i, p in enumerate(self.providers_list) if self.placements_by_provider.get(p.pk)]
        if not candidates:
            return
        roots = [math.sqrt(self.weights[i]) for i, _ in candidates]
        total = sum(roots)
        most = span // 91
        counts = [max(1, min(most, round(self.size.review_meetings * r / total))) for r in roots]
        while sum(counts) < self.size.review_meetings and any(c < most for c in counts):
            k = rng.choices(range(len(counts)), weights=roots)[0]
            if counts[k] < most:
                counts[k] += 1
        while sum(counts) > self.size.review_meetings:
            k = rng.randrange(len(counts))
            if counts[k] > 1:
                counts[k] -= 1
        meetings = []
        for (_, provider), count in zip(candidates, counts, strict=True):
            interval = min(365, span // count)
            cadence = "quarterly" if interval <= 100 else "half_yearly" if interval <= 200 else "annual"
            volume = {"quarterly": rng.randint(4, 12), "half_yearly": rng.randint(2, 3), "annual": 1}[cadence]
            officer = provider.commissioning_officer or rng.choice(officers)
            offset = rng.randint(-30, interval)
            placed_now = bool(self.placed_on(provider.pk, self.today))
            for k in range(count):
                due = self.today + timedelta(days=offset - k * interval)
                open_one = k == 0 and placed_now and provider.status != "archived"
                if not open_one and due > self.today - timedelta(days=3):
                    due = self.today - timedelta(days=rng.randint(3, 20))
                status = "scheduled" if open_one else ("cancelled" if rng.random() < 0.03 else "held")
                meeting = ReviewMeeting(
                    provider=provider,
                    cadence=cadence,
                    placement_volume=volume,
                    due_date=due,
                    status=status,
                    brought_forward_because="A concern raised by the IRO about night staffing."
                    if rng.random() < 0.03
                    else "",
                    created_at=at(due - timedelta(days=interval), 6),
                )
                if status == "held":
                    held = min(self.today - timedelta(days=1), due + timedelta(days=rng.randint(-10, 10)))
                    meeting.held_at = at(held, rng.randint(9, 14))
                    meeting.starts_at, meeting.ends_at = meeting.held_at, meeting.held_at + timedelta(minutes=90)
                    meeting.place = rng.choice(["Online", "The provider's office", "Guildhall, meeting room 3"])
                    meeting.booked_by = officer
                    meeting.recorded_by = officer
                    meeting.attendees = texts.attendees(rng, rng.randint(3, 6))
                    meeting.provider_concerns = texts.paragraph(rng, 300)
                    meeting.provider_successes = texts.paragraph(rng, 300)
                    meeting.feedback_to_authority = texts.paragraph(rng, 200)
                    meeting.notes = texts.paragraph(rng, 400) if rng.random() < 0.3 else ""
                elif status == "cancelled":
                    meeting.cancelled_because = "The provider asked to move it; a new date is being found."
                    meeting.cancelled_at = at(due - timedelta(days=5), 12)
                    meeting.cancelled_by = officer
                elif 0 <= (due - self.today).days <= 30 and rng.random() < 0.5:
                    meeting.starts_at = at(due, 10)
                    meeting.ends_at = meeting.starts_at + timedelta(minutes=90)
                    meeting.place = "Online"
                    meeting.online_link = "https://meet.example.org/bench-review"
                    meeting.booked_by = officer
                meeting._history_date = meeting.created_at
                meeting.officer = officer
                meetings.append(meeting)
        # The open meeting of each provider is where review scheduling puts it (reviews/scheduling.py):
        # at the cadence of today's placements, one cadence after the last meeting held, so that the
        # first run of schedule_reviews on the bench finds the steady state a daily run keeps.
        thresholds = CadenceThresholds.current()
        last_held = {}
        for meeting in meetings:
            if meeting.status == "held":
                last_held[meeting.provider_id] = max(
                    last_held.get(meeting.provider_id, meeting.held_at), meeting.held_at
                )
        for meeting in meetings:
            if meeting.status == "scheduled":
                volume = len(self.placed_on(meeting.provider_id, self.today))
                meeting.cadence = thresholds.cadence_for(volume)
                meeting.placement_volume = volume
                held = last_held.get(meeting.provider_id)
                meeting.due_date = next_due(
                    meeting.cadence, held.astimezone(LONDON).date() if held else None, self.today
                )
                if meeting.starts_at and meeting.due_date >= self.today:
                    meeting.starts_at = at(meeting.due_date, 10)
                    meeting.ends_at = meeting.starts_at + timedelta(minutes=90)
                elif meeting.starts_at:
                    meeting.starts_at = meeting.ends_at = meeting.booked_by = None
                    meeting.place = meeting.online_link = ""
        self.bulk(ReviewMeeting, meetings, history=True)
        self.meetings_list = meetings

        checks, outcomes, invitees = [], [], []
        counted = {"safeguarding_notifications", "lado_referrals", "complaints"}
        for meeting in meetings:
            if meeting.status == "held":
                for area in ComplianceArea.values:
                    checks.append(
                        ComplianceCheck(
                            meeting=meeting,
                            area=area,
                            rag=pick(rng, {"green": 70, "amber": 22, "red": 8}),
                            count=rng.randint(0, 5) if area in counted else None,
                            notes=texts.progress(rng) if rng.random() < 0.3 else "",
                        )
                    )
                placed = self.placed_on(meeting.provider_id, meeting.held_at.date())
                for person in rng.sample(placed, min(len(placed), rng.randint(0, 3))):
                    outcomes.append(
                        YoungPersonOutcome(
                            meeting=meeting,
                            young_person_id=person,
                            notes=texts.progress(rng),
                            for_case_record=rng.random() < 0.5,
                        )
                    )
            if meeting.starts_at:
                officer = meeting.officer
                invitees.append(
                    MeetingInvitee(
                        meeting=meeting, name=officer.full_name, email=officer.email, user=officer, chair=True
                    )
                )
                for contact in self.contacts_by_provider[meeting.provider_id][:2]:
                    invitees.append(
                        MeetingInvitee(meeting=meeting, name=contact.name, email=contact.email, contact=contact)
                    )
        self.bulk(ComplianceCheck, checks, batch=5_000)
        self.bulk(YoungPersonOutcome, outcomes, batch=5_000)
        self.bulk(MeetingInvitee, invitees, batch=5_000)

    def recommendations(self):
        from reviews.models import ProgressUpdate, Recommendation

        rng, n = self.rng, self.size.recommendations
        staff = self.staff
        owners = {
            "provider": staff["commissioning_officer"] + staff["senior_leader"] + staff["qa_lead"],
            "social_worker": staff["social_worker"],
            "commissioning": staff["commissioning_officer"],
            "qa": staff["qa_lead"],
        }
        # Where they come from: half from visits, a third from review meetings, some from concerns.
        sources = []
        visits = [v for v in self.visits_list if v.visit_date]
        held = [m for m in self.meetings_list if m.status == "held"]
        for _ in range(n):
            roll = rng.random()
            if roll < 0.5 and visits:
                sources.append(("visit", rng.choice(visits)))
            elif roll < 0.86 and held:
                sources.append(("review_meeting", rng.choice(held)))
            elif roll < 0.91 and self.concerns_list:
                sources.append(("concern", rng.choice(self.concerns_list)))
            else:
                sources.append(("other", rng.choice(self.providers_list) if rng.random() < 0.7 else None))
        made = []
        for source, origin in sources:
            provider = origin if source == "other" else (origin.provider if origin is not None else None)
            if source == "visit":
                made_on, by = origin.visit_date, origin.lead_visitor
            elif source == "review_meeting":
                made_on, by = origin.held_at.date(), origin.recorded_by
            elif source == "concern":
                made_on, by = min(self.today, origin.received_on + timedelta(days=7)), rng.choice(staff["qa_lead"])
            else:
                made_on, by = self.days_ago(6 * 365), rng.choice(staff["qa_lead"] + staff["commissioning_officer"])
            level = pick(rng, {"child": 30, "provider_service": 60, "authority_service": 10})
            people = self.ever_placed(provider.pk) if provider else []
            if level == "child" and (not people or source == "concern"):
                level = "provider_service"
            if provider is None:
                level = "authority_service"
            holder = pick(rng, {"provider": 55, "social_worker": 15, "commissioning": 15, "qa": 15})
            due = made_on + timedelta(days=rng.randint(21, 120))
            overdue_by = (self.today - due).days
            if overdue_by < 0:
                status = pick(rng, {"open": 55, "in_progress": 38, "completed": 7})
            elif overdue_by <= 60:
                status = pick(rng, {"completed": 50, "in_progress": 25, "open": 15, "not_accepted": 10})
            else:
                status = pick(rng, {"completed": 86, "not_accepted": 8, "in_progress": 3, "open": 3})
            rec = Recommendation(
                source=source,
                visit=origin if source == "visit" else None,
                review_meeting=origin if source == "review_meeting" else None,
                concern=origin if source == "concern" else None,
                provider=provider,
                level=level,
                young_person_id=rng.choice(people) if level == "child" else None,
                text=texts.recommendation(rng),
                owner=rng.choice(owners[holder]),
                action_holder=holder,
                due_date=due,
                priority=pick(rng, {"high": 20, "medium": 60, "low": 20}),
                status=status,
                created_by=by,
                created_at=at(made_on, 15),
            )
            if status == "completed":
                rec.impact_statement = texts.impact(rng)
                rec.completed_at = at(min(self.today, due + timedelta(days=rng.randint(-20, 20))), 12)
            elif status == "not_accepted":
                rec.not_accepted_reason = texts.reason(rng)
            if source == "visit" and origin.status in ("responded", "finalised") and level != "authority_service":
                rec.provider_accepted = rng.random() < 0.85
                rec.provider_reason = "" if rec.provider_accepted else texts.reason(rng)
                rec.provider_action = texts.progress(rng) if rec.provider_accepted else ""
                rec.provider_action_by = due if rec.provider_accepted else None
                rec.provider_responded_at = at(min(self.today, made_on + timedelta(days=12)), 16)
            if (
                source in ("review_meeting", "other")
                and provider
                and level != "authority_service"
                and rng.random() < 0.4
            ):
                rec.shared_with_provider = True
                rec.shared_with_provider_at = at(made_on + timedelta(days=1), 9)
                rec.shared_with_provider_by = by
            if rng.random() < 0.003:
                rec.removed_at = at(made_on + timedelta(days=1), 10)
                rec.removed_by = by
                rec.removed_reason = "Recorded twice."
            rec._history_date = rec.created_at
            made.append(rec)
        self.bulk(Recommendation, made, history=True, batch=5_000)

        updates = []
        for rec in made:
            made_on = rec.created_at.date()
            steps = {"completed": rng.randint(1, 3), "in_progress": rng.randint(1, 2), "not_accepted": 1}.get(
                rec.status, rng.randint(0, 1)
            )
            span = max(1, (min(self.today, rec.due_date) - made_on).days)
            for k in range(steps):
                last = k == steps - 1
                after = rec.status if last else "in_progress"
                updates.append(
                    ProgressUpdate(
                        recommendation=rec,
                        text=rec.impact_statement if last and after == "completed" else texts.progress(rng),
                        status_after=after,
                        by=rec.owner,
                        at=at(made_on + timedelta(days=span * (k + 1) // (steps + 1)), 11),
                    )
                )
        self.bulk(ProgressUpdate, updates, batch=5_000)

    def committee_report(self):
        from qa_portal.periods import FinancialYear
        from qa_portal.reporting.models import CommitteeReport

        year = FinancialYear.last_full(self.today)
        manager = self.staff["manager"][0]
        CommitteeReport.objects.create(
            title=f"Quality assurance of commissioned placements: annual report {year.label}",
            period_start=year.start,
            period_end=year.end,
            introduction=texts.paragraph(self.rng, 900),
            learning=texts.paragraph(self.rng, 700),
            future_plans=texts.paragraph(self.rng, 500),
            created_by=manager,
            updated_by=manager,
        )
        self.counts["reporting.CommitteeReport"] = 1


def is_current(marker: dict | None, size: str, seed: int) -> bool:
    """Whether the marker says this generator filled the database at this size and seed, lately."""
    if not marker or marker.get("state") != "complete":
        return False
    if (marker.get("size"), marker.get("version"), marker.get("seed")) != (size, config.GENERATOR_VERSION, seed):
        return False
    made = datetime.fromisoformat(marker["at"])
    return datetime.now(UTC) - made < timedelta(days=REUSE_DAYS)


def generate(size_name: str, name: str, *, seed: int = SEED, reuse: bool = False) -> dict:
    """Make (or, with `reuse`, keep) the bench database `name` at `size_name`. Returns its marker:
    {"state", "size", "version", "seed", "counts", "seconds", "at", "reused"}. Raises
    database.NotABenchDatabase for a database that is not the bench's."""
    database.check(name)
    found = database.marker(name)
    if reuse and is_current(found, size_name, seed):
        return {**found, "reused": True}
    started = time.monotonic()
    template = _migrated_template()
    print(f"  {time.monotonic() - started:6.1f}s template {template} migrated", flush=True)
    database.create_fresh(name, template=template)
    config.setup_django(name)
    from django.db import connection

    generator = Generator(config.SIZES[size_name], seed)
    generator.started = started
    counts = generator.run()
    connection.close()
    _analyse(name)
    info = {
        "state": "complete",
        "size": size_name,
        "version": config.GENERATOR_VERSION,
        "seed": seed,
        "counts": counts,
        "seconds": round(time.monotonic() - started, 1),
    }
    database.write_marker(name, info)
    return {**database.marker(name), "reused": False}


def _migrated_template() -> str:
    """The empty database every size is copied from, migrated to the current migrations (in a process
    of its own: this one's Django is set up on the database being made)."""
    import subprocess

    template = config.template_database()
    fingerprint = config.migrations_fingerprint()
    found = database.marker(template)
    if found and found.get("state") == "migrated" and found.get("migrations") == fingerprint:
        return template
    database.check(template)
    if not database.exists(template):
        database.create_fresh(template)
    subprocess.run(
        [config.PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=config.REPO,
        env=config.portal_env(template),
        check=True,
    )
    database.write_marker(template, {"state": "migrated", "migrations": fingerprint})
    return template


def _analyse(name: str) -> None:
    """VACUUM ANALYZE, as autovacuum would have by the time a real database held this much."""
    import psycopg2

    connection = psycopg2.connect(config.database_url(name))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(config.SIZES), required=True)
    parser.add_argument("--database", help="default: BENCH_DATABASE, BENCH_SMALL_DATABASE or BENCH_TINY_DATABASE")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--reuse", action="store_true", help=f"keep a database made at this size in the last {REUSE_DAYS} days"
    )
    args = parser.parse_args(argv)
    name = args.database or config.database_name(args.size)
    print(f"Bench database {name} ({args.size})", flush=True)
    try:
        info = generate(args.size, name, seed=args.seed, reuse=args.reuse)
    except database.NotABenchDatabase as exc:
        print(exc, file=sys.stderr)
        return 2
    if info.get("reused"):
        print(f"  kept: made at {info['at']} (--reuse)")
    else:
        print(f"  made in {info['seconds']} s: " + ", ".join(f"{n:,} {k}" for k, n in info["counts"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
