"""What the import commands share: read a CSV file, run its importer (or only report, with
--dry-run) and print the result line by line. Not a command itself: Django skips modules
whose names start with an underscore."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from providers.importers import ImportFileError, decode_csv


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    pass


class ImportCommand(BaseCommand):
    """Subclasses set `help` (the module docstring, which documents the file format) and `importer`."""

    importer = None

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Keep the docstring's layout in --help: it documents the file format.
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file to import.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen, saving nothing.")
        parser.add_argument(
            "--acknowledge-warnings",
            action="store_true",
            help="Import a file that has a warning about it as a whole (printed by --dry-run) all the same.",
        )

    def handle(self, *args, file: Path, dry_run=False, acknowledge_warnings=False, **options):
        # No one to ask here: a question of the preview gets its cautious answer (skip a near match,
        # keep our judgement), and each is printed. The import page asks them.
        decisions = {"default": True, "acknowledged": ["*"] if acknowledge_warnings else []}
        try:
            text = decode_csv(Path(file).read_bytes())
            result = self.importer(decisions=decisions).run(text, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        except ImportFileError as exc:
            raise CommandError(f"Cannot import {file}: {exc}") from None
        for line in result.report_lines():
            self.stdout.write(line)
