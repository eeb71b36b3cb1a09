"""Write a visit's report as a PDF, the same document as the report's download link.

    python manage.py visit_report ID [--out FILE]

ID is the visit's number (as in /visits/ID/). FILE defaults to the download's own name,
visit-report-<provider>-<yyyy-mm-dd>.pdf, in the current folder. The report is
OFFICIAL-SENSITIVE: keep the file where only people who may see it can reach it. Characters no
installed font can show are listed on the report's last page and on standard error.

This runs with the server's own rights, not a user's, so it prints any visit, drafts
included; it is for administrators and support staff on the server.
"""

import gc
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qa_portal.pdf import unshown_summary
from visits.models import Visit
from visits.selectors import visit_with_report_data
from visits.views.report import render_report_checked, report_filename


class Command(BaseCommand):
    help = "Write a visit's report as a PDF file."
    # It reads one visit and writes one file: the project's checks are for the server's start and
    # the deployment (`manage.py check --deploy`), and would add a fifth to the time it takes.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("visit_id", type=int, metavar="ID", help="The visit's number, as in /visits/ID/.")
        parser.add_argument("--out", type=Path, help="The PDF file to write (default: the download's name).")

    def handle(self, *args, visit_id: int, out: Path | None = None, **options):
        # The collector is off while the report is made (issue 15: its passes over WeasyPrint's objects
        # and the layout's were 65 ms of the command's 1.9 s); a layout leaves next to no garbage in
        # cycles. Run from the command line, the process ends next, and it stays off: turned on again,
        # its first pass would walk all that was made meanwhile (30 ms). Called from code, it is restored.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._write(visit_id, out)
        finally:
            if collecting and not self._called_from_command_line:
                gc.enable()

    def _write(self, visit_id: int, out: Path | None) -> None:
        try:
            visit = visit_with_report_data(Visit.objects.all()).get(pk=visit_id)
        except Visit.DoesNotExist:
            raise CommandError(f"There is no visit with ID {visit_id}.") from None
        out = out or Path(report_filename(visit))
        # The server's own copy: every recommendation, the young people met by initials.
        rendered = render_report_checked(visit, viewer=None, young_people_shown=True)
        pdf = rendered.content
        try:
            out.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror or exc}") from None
        self.stdout.write(f"Wrote the report on {visit} to {out} ({len(pdf):,} bytes).")
        if rendered.unshown:
            self.stderr.write(
                f"No installed font can show some characters (the last page lists them): {unshown_summary(rendered)}."
            )
