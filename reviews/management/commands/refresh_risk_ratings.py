"""Work out every provider's risk rating by the rules again, ending overrides past their look-again
date (what beat runs daily at 05:30). Run it once after deploying issue 16, so providers are rated
before the first daily run.

--dry-run prints how many ratings would change, and changes nothing (no email is sent)."""

from qa_portal.job_command import JobCommand
from reviews.risk import risk_ratings_daily


class Command(JobCommand):
    help = __doc__
    job = "refresh_risk_ratings"

    def run(self):
        return risk_ratings_daily()

    def report(self, result, *, dry_run):
        counts = result.summary()
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"{counts['providers']} providers: {counts['ratings_changed']} ratings {verb} "
            f"({counts['to_high']} to High), {counts['overrides_lapsed']} overrides past their look-again date."
        )
