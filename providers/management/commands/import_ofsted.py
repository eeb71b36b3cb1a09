"""Import Ofsted's provider-level data on children's social care settings.

    python manage.py import_ofsted FILE [--dry-run] [--acknowledge-warnings]

FILE is Ofsted's CSV (UTF-8, or Excel's "CSV (Comma delimited)"), in either shape Ofsted publishes:
the "as at" file (one row per setting, with its latest full inspection) or the in-year file (one row
per inspection event: full inspections, monitoring, assurance and interim visits). Headers match
ignoring case, spaces and punctuation; column order and extra columns do not matter. The URN column
is required; the others read are Name, Provision type, Registration date, Registration status,
Address 1, Town, Postcode, Local authority, Places, Organisation which owns the provider, Event type
(or Inspection event type), Inspection date (or Latest full inspection date, Inspection start date),
Publication date and the judgement column ("Overall experiences and progress of children and young
people", "Overall effectiveness", "Latest full inspection judgement"…, coded 1 to 5 or in words; for
supported accommodation, Outcome 1 to 3). "Not yet inspected", "NYI", "-" and blank mean no judgement.

Settings are matched by URN; a new URN is added when "Organisation which owns the provider"
names one of our providers. Rows for anyone else are skipped (the national file lists every
setting in England). An organisation whose name nearly matches one of ours ("Ltd" for "Limited",
"&" for "and", "The", punctuation) is printed and skipped here: match it on the import page.
Blank and REDACTED values never overwrite what we hold. Each dated event is recorded once (URN,
event type and date); a judgement that differs from ours for the same event is printed and ours is
kept. Each affected provider's current judgement (its latest full inspections') is brought up to date.

A file with judgements but no inspection date column (or dates but no judgement column) is refused
with a warning unless --acknowledge-warnings is given; its judgements are then left out.
Every rejected row is printed as "line N: reason"; the good rows are imported regardless.
With --dry-run nothing is saved: it reports exactly what a real run would do. Exits
non-zero if the file cannot be read at all.
"""

from providers.importers import OfstedImporter
from providers.management.commands._import_base import ImportCommand


class Command(ImportCommand):
    help = __doc__
    importer = OfstedImporter
