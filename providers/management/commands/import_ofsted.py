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

from providers.importers import OfstedImporter
from providers.management.commands._import_base import ImportCommand


class Command(ImportCommand):
    help = __doc__
    importer = OfstedImporter
