"""Importing outside data into the provider register.

Two importers share one way of reading CSV files (`parsing`) and one run (`base`):

- `OfstedImporter`: Ofsted's provider-level data on children's social care settings.
- `PlacementsImporter`: placement extracts from the case-record system.

Both take the file's text (`decode_csv` turns uploaded bytes into text), check each row
completely before writing anything, and write each row in its own savepoint, so a bad row
is reported with its line number and never stops the good ones or leaves half a record
behind. A dry run does all of it inside a transaction and then rolls the transaction back,
so the preview is exactly what the real run will do.

The result (`ImportResult`) is plain data: counts of rows created, updated, unchanged,
rejected and skipped, the rejections (line, reason) and a short description of each
change, ready to be stored as JSON on an `ImportRun`.
"""

from providers.importers.base import Importer, ImportNeedsAnswers, ImportResult
from providers.importers.ofsted import OfstedImporter
from providers.importers.parsing import ImportFileError, RowError, decode_csv
from providers.importers.placements import PLACEMENT_COLUMNS_HELP, PlacementsImporter

IMPORTERS: dict[str, type[Importer]] = {"ofsted": OfstedImporter, "placements": PlacementsImporter}

__all__ = [
    "IMPORTERS",
    "PLACEMENT_COLUMNS_HELP",
    "ImportFileError",
    "ImportNeedsAnswers",
    "ImportResult",
    "Importer",
    "OfstedImporter",
    "PlacementsImporter",
    "RowError",
    "decode_csv",
]
