"""The records of a bench database (issue 15; DOMAIN.md).

A few busy providers and many small ones (settings and placements follow a Zipf curve), Ofsted
judgements as nationally (about 15% Outstanding, 55% Good, 22% Requires improvement, 8% Inadequate;
supported accommodation outcomes 60/30/10%), providers under a placement stop or not to be used, six
years of visits (older ones finalised, recent ones on every step of the path), review meetings at each
provider's cadence over eight years with the compliance checklist, recommendations from visits,
meetings, concerns and elsewhere (most old ones completed with an impact statement, about one in ten
live, some overdue), and staff of every role with provider users. Seeded: the same seed makes the same
records (dates relative to the day they are made).
"""

import time

from bench.data.people import People
from bench.data.register import Register
from bench.data.reviews import Reviews
from bench.data.visits import Visits


class Generator(People, Register, Visits, Reviews):
    """Fills an empty, migrated database: `Generator(size, seed).run()` returns how many of each
    record it made, by model label."""

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
