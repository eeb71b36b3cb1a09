"""Work out every provider's risk rating by the rules again, ending overrides past their look-again
date (what beat runs daily at 05:30). Run it once after deploying issue 16, so providers are rated
before the first daily run.

--dry-run prints how many ratings would change, and changes nothing (no email is sent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from qa_portal.jobs import record_job
from reviews.risk import risk_ratings_daily


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            try:
                with transaction.atomic():
                    result = risk_ratings_daily()
                    raise DryRun
            except DryRun:
                pass
        else:
            with record_job("refresh_risk_ratings") as summary:
                result = risk_ratings_daily()
                summary.update(result.summary())
        counts = result.summary()
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"{counts['providers']} providers: {counts['ratings_changed']} ratings {verb} "
            f"({counts['to_high']} to High), {counts['overrides_lapsed']} overrides past their look-again date."
        )
