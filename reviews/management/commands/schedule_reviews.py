"""Make sure every active provider with placements has its next review meeting, at the cadence
its placement volume calls for, due on a working day (what beat runs daily); close the open meeting
of a provider with nobody placed any more, sending its cancellation to everyone invited.

--dry-run prints what would be scheduled or moved, and changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from qa_portal.jobs import record_job
from reviews.scheduling import schedule_reviews


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
                    result = schedule_reviews()
                    raise DryRun
            except DryRun:
                pass
        else:
            with record_job("schedule_reviews") as summary:
                result = schedule_reviews()
                summary.update(result.summary())
        prefix = "Would schedule" if dry_run else "Scheduled"
        for line in result.created:
            self.stdout.write(f"{prefix}: {line}")
        for line in result.moved:
            self.stdout.write(f"{'Would move' if dry_run else 'Moved'}: {line}")
        for line in result.closed:
            self.stdout.write(f"{'Would close' if dry_run else 'Closed'}: {line}")
        self.stdout.write(
            f"{len(result.created)} to schedule, {len(result.moved)} to move, {len(result.closed)} to close, "
            f"{result.unchanged} unchanged, {result.no_routine_review} with no routine review."
            if dry_run
            else f"{len(result.created)} scheduled, {len(result.moved)} moved, {len(result.closed)} closed, "
            f"{result.unchanged} unchanged, {result.no_routine_review} with no routine review."
        )
