"""The provider register: providers, settings, contacts, Ofsted inspections, young people,
placements and concerns."""

from collections import defaultdict
from datetime import date, timedelta
from itertools import accumulate

from bench import texts
from bench.data.base import AREAS, KINDS, Base, at, pick


class Register(Base):
    """Providers by a Zipf weight, their settings, contacts and inspections; young people and their
    placements; concerns."""

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
        in_use_weights = list(accumulate(self.weights[i] for i in in_use))  # cumulative: one sum, not 10,000
        placements = []

        def place(person, start, end):
            index = (
                rng.choices(in_use, cum_weights=in_use_weights)[0]
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
