"""Import Ofsted's provider-level data on children's social care settings.

    python manage.py import_ofsted FILE [--dry-run]

FILE is Ofsted's CSV (UTF-8, or Excel's "CSV (Comma delimited)"). Headers match ignoring
case and spaces; column order and extra columns do not matter. The URN column is required;
the others read are Name, Provision type, Registration date, Registration status,
Address 1, Town, Postcode, Local authority, Places, Organisation which owns the provider,
Event type, Inspection date, Publication date and the judgement column ("Overall
experiences and progress of children and young people", coded 1 to 5 or in words; for
supported accommodation, Outcome 1 to 3).

Settings are matched by URN; a new URN is added when "Organisation which owns the provider"
names one of our providers. Rows for anyone else are skipped (the national file lists every
setting in England). Blank and REDACTED values never overwrite what we hold. New
inspections are added and each affected provider's current judgement is brought up to date.

Every rejected row is printed as "line N: reason"; the good rows are imported regardless.
With --dry-run nothing is saved: it reports exactly what a real run would do. Exits
non-zero if the file cannot be read at all.
"""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from providers.importers import ImportFileError, OfstedImporter, decode_csv


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    pass


class Command(BaseCommand):
    help = __doc__
    importer = OfstedImporter

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Keep the docstring's layout in --help: it documents the file format.
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file to import.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen, saving nothing.")

    def handle(self, *args, file: Path, dry_run=False, **options):
        try:
            text = decode_csv(Path(file).read_bytes())
            result = self.importer().run(text, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        except ImportFileError as exc:
            raise CommandError(f"Cannot import {file}: {exc}") from None
        for line in result.report_lines():
            self.stdout.write(line)
