"""What every part of the generator shares: the constants of the bench's people and places, dates,
weighted choices and bulk inserts."""

import random
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from bench import config
from bench.texts import words

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


class Base:
    """The generator's state and helpers; each part (people, register, visits, reviews) adds its records."""

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

    def placed_on(self, provider_id: int, day: date) -> list:
        return [
            p.young_person_id
            for p in self.placements_by_provider.get(provider_id, ())
            if p.start_date <= day and (p.end_date is None or p.end_date > day)
        ]

    def ever_placed(self, provider_id: int) -> list:
        return [p.young_person_id for p in self.placements_by_provider.get(provider_id, ())]
