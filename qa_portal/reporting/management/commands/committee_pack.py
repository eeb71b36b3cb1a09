"""Make the committee pack for a period and write it as a PDF, without the worker:

    python manage.py committee_pack --from 2024-04-01 --to 2025-03-31 --out pack.pdf

Without dates the period is the last full financial year (qa_portal.periods.FinancialYear.last_full);
without --out the PDF is written to the current folder as committee-pack-<start>-to-<end>.pdf.

The figures come from the data as they stand now. The narrative (introduction, learning,
future plans) is taken from the committee report for exactly that period, if there is one;
otherwise those sections say they have not been written. Nothing is stored: generating a
version to keep is done on the report's page.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qa_portal.periods import FinancialYear
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
        parser.add_argument(
            "--from",
            dest="start",
            help="First day of the period, as YYYY-MM-DD (default: the last full financial year).",
        )
        parser.add_argument("--to", dest="end", help="Last day of the period, as YYYY-MM-DD.")
        parser.add_argument("--out", help="Where to write the PDF (default: committee-pack-<start>-to-<end>.pdf).")

    def handle(self, *args, start, end, out, **options):
        if start is None and end is None:
            year = FinancialYear.last_full()
            start, end = year.start, year.end
        elif start is None or end is None:
            raise CommandError("Give both --from and --to, or neither for the last full financial year.")
        else:
            start, end = _date(start, "--from"), _date(end, "--to")
        out = out or f"committee-pack-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.pdf"
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
