"""Import placements from the case-record system's CSV extract.

    python manage.py import_placements FILE [--dry-run]

FILE is a CSV (UTF-8, or Excel's "CSV (Comma delimited)") with one row per placement and
these headers (matched ignoring case and spaces; order and extra columns do not matter):

    Case record ID   required  the young person's case-record ID, like 1234567
    Initials         required  1 to 4 letters, like JB (never a name)
    Date of birth    required  dd/mm/yyyy
    Cohort           required  Child in care, or Care leaver
    EHCP             optional  Y or N
    SEND             optional  Y or N
    UASC             optional  Y or N
    Provider         required  the provider's name as in the register (capitals do not matter)
    Setting URN      optional  the Ofsted URN of one of that provider's settings
    Start date       required  dd/mm/yyyy
    End date         optional  dd/mm/yyyy, the day the young person left
    High cost        optional  Y or N

Dates may also be d/m/yyyy, dd-mm-yyyy or yyyy-mm-dd. The young person is found by case
record ID and the placement by young person, provider and start date: new ones are added,
changed ones updated. A blank optional value leaves what we hold alone. A placement that
overlaps another of the same young person is refused, naming the other placement. A new
placement with a provider on placement stop or not to be used, whatever its dates, is refused
("line N: JB (1234567) with … from …: … is on placement stop since …"), and a young person
new to the portal on that row is not added. To record it, add the young person if needed; then a
QA lead or commissioning officer records the placement on their page, confirming the stop with a
reason.

Every rejected row is printed as "line N: reason"; the good rows are imported regardless.
With --dry-run nothing is saved: it reports exactly what a real run would do. Exits
non-zero if the file cannot be read at all. An example file is static/examples/placements-example.csv.
"""

from providers.importers import PlacementsImporter
from providers.management.commands._import_base import ImportCommand


class Command(ImportCommand):
    help = __doc__
    importer = PlacementsImporter
