"""Make sure every active provider with placements has its next review meeting, at the cadence
its placement volume calls for, due on a working day (what beat runs daily); close the open meeting
of a provider with nobody placed any more, sending its cancellation to everyone invited.

--dry-run prints what would be scheduled or moved, and changes nothing."""

from qa_portal.job_command import JobCommand
from reviews.scheduling import schedule_reviews


class Command(JobCommand):
    help = __doc__
    job = "schedule_reviews"

    def run(self):
        return schedule_reviews()

    def report(self, result, *, dry_run):
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
