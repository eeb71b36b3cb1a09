"""Make the committee pack for a period and write it as a PDF, without the worker:

    python manage.py committee_pack --from 2024-04-01 --to 2025-03-31 --out pack.pdf

The figures come from the data as they stand now. The narrative (introduction, learning,
future plans) is taken from the committee report for exactly that period, if there is one;
otherwise those sections say they have not been written. Nothing is stored: generating a
version to keep is done on the report's page.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qa_portal.reporting.committee.figures import default_title
from qa_portal.reporting.committee.pack import PackSource, build_pack
from qa_portal.reporting.models import CommitteeReport


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, like 2024-04-01; got {value!r}.") from None


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="First day of the period, as YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day of the period, as YYYY-MM-DD.")
        parser.add_argument("--out", required=True, help="Where to write the PDF.")

    def handle(self, *args, start, end, out, **options):
        start, end = _date(start, "--from"), _date(end, "--to")
        if start > end:
            raise CommandError(f"--from ({start:%d/%m/%Y}) must be on or before --to ({end:%d/%m/%Y}).")
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write {out}: the folder {path.parent} does not exist.")
        report = CommitteeReport.objects.filter(period_start=start, period_end=end).order_by("-updated_at").first()
        source = (
            PackSource.for_report(report)
            if report
            else PackSource(title=default_title(start, end), period_start=start, period_end=end)
        )

        def say(percent: int, message: str) -> None:
            self.stderr.write(f"{percent:3d}% {message}")

        pdf, figures = build_pack(source, progress=say)
        path.write_bytes(pdf)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out} ({len(pdf):,} bytes): {figures.visits} visits, {figures.young_people_met} children and "
                f"young people met ({figures.share_met}% of {figures.cohort}), "
                f"{figures.recommendations_made} recommendations."
            )
        )
