"""Importing outside data into the provider register.

Two importers share one way of reading CSV files:

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

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from providers import services
from providers.models import (
    Cohort,
    InspectionScale,
    Judgement,
    OfstedInspection,
    Placement,
    Provider,
    ProvisionType,
    Setting,
    YoungPerson,
    normalise_postcode,
    postcode_validator,
    urn_validator,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# Ofsted withholds some values (for example the address of a home for children at risk).
WITHHELD = "redacted"

# Some exports put a title or notes above the header row; look this far down for it.
HEADER_SEARCH_ROWS = 20


class ImportFileError(Exception):
    """The file cannot be imported at all: not text, empty, or a required column is missing."""


class RowError(Exception):
    """One row cannot be imported; the message says why, for the person who fixes the file."""


# Reading CSV ---------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV file.

    Accepts UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark (Excel's
    "Unicode text"), and falls back to Windows-1252, which is what Excel writes for "CSV
    (Comma delimited)" on a UK Windows PC."""
    if not data.strip():
        raise ImportFileError("The file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("The file's text cannot be read. Save it as 'CSV UTF-8' and try again") from None
    if b"\x00" in data:
        # Spreadsheets (.xlsx, .ods) are zip files, full of zero bytes; text never has them.
        raise ImportFileError(
            "The file is not a CSV file. Open it in a spreadsheet and save it as 'CSV UTF-8', then try again"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # A byte-order mark on a file that is not UTF-8 after all: drop it, read the rest.
            text = data.removeprefix(codecs.BOM_UTF8).decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError("The file's text cannot be read. Save it as 'CSV UTF-8' and try again") from None
    if not text.strip():
        raise ImportFileError("The file is empty")
    return text


def normalise_header(value: str) -> str:
    """Headers match ignoring case, surrounding spaces and repeated spaces."""
    return " ".join((value or "").replace("\ufeff", "").split()).lower()


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its name as shown to people, and the headers that mean it.

    A header ending in "*" matches any header that starts with the rest."""

    label: str
    headers: tuple[str, ...]
    required: bool = False

    def index_in(self, found: list[str]) -> int | None:
        for wanted in self.headers:
            for index, header in enumerate(found):
                if header == wanted or (wanted.endswith("*") and header.startswith(wanted[:-1])):
                    return index
        return None


@dataclass
class Row:
    """One data row: its physical line in the file (the header is line 1 in a plain
    export) and its values by column key, blank where the file has nothing or REDACTED."""

    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


def read_rows(text: str, columns: dict[str, Column]) -> list[Row]:
    """The data rows of a CSV file, read against `columns`.

    Refuses the whole file (ImportFileError) if no header row names every required column.
    Extra columns and column order do not matter. Rows with nothing in them are left out."""
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_index: dict[str, int] | None = None
    first_header: list[str] = []
    missing: list[str] = []
    rows: list[Row] = []
    previous_line = 0
    try:
        for record in reader:
            line, previous_line = previous_line + 1, reader.line_num
            if header_index is None:
                found = [normalise_header(cell) for cell in record]
                if not any(found):
                    continue
                indexes = {key: column.index_in(found) for key, column in columns.items()}
                lacking = [column.label for key, column in columns.items() if column.required and indexes[key] is None]
                if not first_header:
                    # Reported if no header is found: most files have it on the first line.
                    first_header, missing = [cell.strip() for cell in record if cell.strip()], lacking
                if not lacking:
                    header_index = {key: index for key, index in indexes.items() if index is not None}
                elif line >= HEADER_SEARCH_ROWS:
                    break
                continue
            values = {}
            for key, index in header_index.items():
                value = record[index].strip() if index < len(record) else ""
                values[key] = "" if value.lower() == WITHHELD else value
            if any(cell.strip() for cell in record):
                rows.append(Row(line=line, values=values))
    except csv.Error as exc:
        raise ImportFileError(
            f"Line {reader.line_num} cannot be read as CSV ({exc}). Check the file is a CSV"
        ) from None
    if header_index is None:
        missing = missing or [column.label for column in columns.values() if column.required]
        found = ", ".join(first_header) if first_header else "none"
        raise ImportFileError(
            f"The file has no {_join(missing)} column{'s' if len(missing) > 1 else ''}. Columns found: {found}"
        )
    return rows


# Reading values ------------------------------------------------------------------------

_DAY_FIRST = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:\s+0?0:00(?::00)?)?$")
_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]0?0:00(?::00)?)?$")


def parse_date(value: str, label: str, *, not_future: bool = False) -> date | None:
    """dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy and yyyy-mm-dd); None when blank."""
    if not value:
        return None
    if match := _DAY_FIRST.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _YEAR_FIRST.match(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise RowError(f"{label} '{value}' is not a date. Write dates as dd/mm/yyyy, like 31/03/2024")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise RowError(f"{label} '{value}' is not a real date") from None
    if not_future and parsed > timezone.localdate():
        raise RowError(f"{label} '{value}' is in the future")
    return parsed


_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}


def parse_yes_no(value: str, label: str) -> bool | None:
    """Y or N (also Yes/No, True/False, 1/0); None when blank."""
    if not value:
        return None
    if value.lower() in _YES:
        return True
    if value.lower() in _NO:
        return False
    raise RowError(f"{label} '{value}' must be Y or N")


def parse_whole_number(value: str, label: str) -> int | None:
    if not value:
        return None
    cleaned = value.replace(",", "")
    if not re.fullmatch(r"\d+(\.0+)?", cleaned) or int(cleaned.split(".")[0]) > 32767:
        raise RowError(f"{label} '{value}' is not a whole number")
    return int(cleaned.split(".")[0])


def _normalise_text(value: str) -> str:
    return " ".join(value.lower().replace("\u2019", "'").split()).rstrip(".")


def parse_judgement(value: str) -> int | None:
    """Ofsted's four-point judgement, coded 1 to 5 or in words; None when blank."""
    if not value:
        return None
    text = _normalise_text(value)
    if re.fullmatch(r"[1-5](\.0+)?", text):
        return int(text[0])
    if text.startswith("requires improvement"):
        return Judgement.REQUIRES_IMPROVEMENT
    words = {
        "outstanding": Judgement.OUTSTANDING,
        "good": Judgement.GOOD,
        "inadequate": Judgement.INADEQUATE,
        "not judged": Judgement.NOT_JUDGED,
    }
    if text in words:
        return words[text]
    raise RowError(
        f"Judgement '{value}' is not one Ofsted uses. Expected Outstanding, Good, Requires improvement to be good, "
        "Inadequate or Not judged (or 1 to 5)"
    )


def parse_sa_outcome(value: str) -> int | None:
    """A supported accommodation outcome: 1, 2 or 3, or text starting "Outcome 1" and so on."""
    if not value:
        return None
    text = _normalise_text(value)
    if match := (re.fullmatch(r"([1-3])(\.0+)?", text) or re.match(r"outcome\s*([1-3])\b", text)):
        return int(match.group(1))
    raise RowError(
        f"Outcome '{value}' is not a supported accommodation outcome. Expected Outcome 1, Outcome 2 or Outcome 3 "
        "(or 1 to 3)"
    )


def setting_type_for(provision_type: str) -> str:
    """Our kind of setting for Ofsted's provision type."""
    text = _normalise_text(provision_type)
    if "supported accommodation" in text:
        return ProvisionType.SUPPORTED_ACCOMMODATION
    # Before children's homes: "Residential special school (registered as a children's home)".
    if "residential special school" in text:
        return ProvisionType.RESIDENTIAL_SCHOOL
    if "children's home" in text or "childrens home" in text:
        return ProvisionType.CHILDRENS_HOME
    if "fostering" in text:
        return ProvisionType.FOSTERING
    return ProvisionType.OTHER


def _first(messages: Iterable[str]) -> str:
    return next(iter(messages), "")


def _join(words: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _in_sentence(label: str) -> str:
    """A column label inside a sentence: "End date" -> "end date", "EHCP" stays "EHCP"."""
    first, _, rest = label.partition(" ")
    return " ".join(part for part in (first if first.isupper() else first.lower(), rest) if part)


def reason_from(error: ValidationError, labels: dict[str, str]) -> str:
    """A ValidationError from full_clean() as one line, each part named by its column."""
    if not hasattr(error, "error_dict"):
        return "; ".join(error.messages)
    parts = []
    for field_name, messages in error.message_dict.items():
        # The first message is the most telling; "at most 4 characters" adds nothing to "1 to 4 letters".
        text = messages[0].rstrip(".")
        parts.append(text if field_name == NON_FIELD_ERRORS else f"{labels.get(field_name, field_name)}: {text}")
    return "; ".join(parts)


def _fmt(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


# Results -------------------------------------------------------------------------------

CREATED, UPDATED, UNCHANGED, REJECTED, SKIPPED = "created", "updated", "unchanged", "rejected", "skipped"


@dataclass
class ImportResult:
    """What an import did, or would do (dry run). JSON-serialisable through to_dict()."""

    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    rejections: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        self.rejections.append({"line": line, "reason": reason})

    def count(self, line: int, outcome: str, summary: str = "") -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome in (CREATED, UPDATED):
            self.changes.append({"line": line, "outcome": outcome, "summary": summary})

    @property
    def changed(self) -> int:
        """Rows that add or change something."""
        return self.created + self.updated

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ImportResult":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def report_lines(self) -> list[str]:
        """The counts, then every rejection as "line N: reason"."""
        lines = ["Dry run: nothing has been saved."] if self.dry_run else []
        lines += [
            f"Created: {self.created}",
            f"Updated: {self.updated}",
            f"Unchanged: {self.unchanged}",
            f"Rejected: {self.rejected}",
            f"Skipped: {self.skipped}",
        ]
        lines += [f"line {rejection['line']}: {rejection['reason']}" for rejection in self.rejections]
        return lines


class _Skip(Exception):
    """A row about something we do not hold: counted, not reported."""


class Importer:
    """Reads the rows, checks and writes each in its own savepoint, counts the outcomes.

    Subclasses say which columns they read (`columns`), check a row without writing
    (`check`, which returns a plan or raises RowError/_Skip), write a checked row
    (`write`, which returns the outcome and a summary), and tidy up after all rows
    (`finish`)."""

    columns: dict[str, Column] = {}
    history_reason = "Imported"

    def run(self, text: str, *, dry_run: bool = False) -> ImportResult:
        """Import the CSV text; with dry_run, do everything and then roll it all back.

        Raises ImportFileError if the file cannot be imported at all."""
        rows = read_rows(text, self.columns)
        result = ImportResult(dry_run=dry_run)
        with transaction.atomic():
            self.start()
            for row in rows:
                try:
                    plan = self.check(row)
                    # A savepoint per row: a row that fails part-way leaves nothing behind.
                    with transaction.atomic():
                        outcome, summary = self.write(plan)
                except _Skip:
                    result.count(row.line, SKIPPED)
                except RowError as exc:
                    result.reject(row.line, str(exc))
                except IntegrityError as exc:
                    result.reject(row.line, self.integrity_reason(exc))
                else:
                    result.count(row.line, outcome, summary)
                    self.written(plan)
            self.finish()
            if dry_run:
                transaction.set_rollback(True)
        return result

    def check_columns(self, text: str) -> None:
        """Raise ImportFileError unless the file has the columns this importer needs."""
        read_rows(text, self.columns)

    def start(self) -> None:
        pass

    def check(self, row: Row):
        raise NotImplementedError

    def write(self, plan) -> tuple[str, str]:
        raise NotImplementedError

    def written(self, plan) -> None:
        """Called once a row's savepoint has been released."""

    def finish(self) -> None:
        pass

    def integrity_reason(self, exc: IntegrityError) -> str:
        return "The row clashes with a record already in the register"

    def _save(self, obj, labels: dict[str, str]) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise RowError(reason_from(exc, labels)) from None
        obj._change_reason = self.history_reason  # shown in the change history
        obj.save()


# Ofsted --------------------------------------------------------------------------------


@dataclass
class _OfstedRow:
    line: int
    urn: str
    provider: Provider
    setting_values: dict
    is_supported_accommodation: bool
    inspection_date: date | None
    publication_date: date | None
    event_type: str
    grade: int | None


class OfstedImporter(Importer):
    """Ofsted's provider-level CSV: upserts settings by URN and adds new inspections.

    A row belongs to us if its URN is a setting we hold (the setting keeps its provider) or
    its "Organisation which owns the provider" is one of our providers by name, ignoring
    case. Other rows are skipped: the national file lists every setting in England.
    Blank and REDACTED values never overwrite what we hold. An inspection is added when
    the row has an inspection date and a judgement and we have none for that provider,
    setting, date and scale. Supported accommodation is judged at provider level on the
    three-outcome scale, so its inspections have no setting."""

    history_reason = "Imported from Ofsted data"
    columns = {
        "urn": Column("URN", ("urn",), required=True),
        "name": Column("Name", ("name", "setting name", "provider name")),
        "provision_type": Column("Provision type", ("provision type", "provider type")),
        "registration_date": Column("Registration date", ("registration date",)),
        "registration_status": Column("Registration status", ("registration status",)),
        "address_1": Column("Address 1", ("address 1", "address line 1", "address")),
        "address_2": Column("Address 2", ("address 2", "address line 2")),
        "address_3": Column("Address 3", ("address 3", "address line 3")),
        "town": Column("Town", ("town", "town/city")),
        "postcode": Column("Postcode", ("postcode", "post code")),
        "local_authority": Column("Local authority", ("local authority", "la", "local authority name")),
        "places": Column("Places", ("places", "registered places", "number of registered places", "max users")),
        "owner": Column("Organisation which owns the provider", ("organisation which owns the provider*", "owner")),
        "event_type": Column("Event type", ("event type", "inspection type")),
        "inspection_date": Column("Inspection date", ("inspection date", "inspection start date")),
        "publication_date": Column("Publication date", ("publication date",)),
        "judgement": Column(
            "Overall experiences and progress of children and young people",
            (
                "overall experiences and progress*",
                "overall effectiveness*",
                "overall judgement*",
                "overall outcome*",
                "outcome",
                "judgement",
            ),
        ),
    }
    labels = {
        "name": "Name",
        "setting_type": "Provision type",
        "urn": "URN",
        "address": "Address 1",
        "town": "Town",
        "postcode": "Postcode",
        "local_authority": "Local authority",
        "capacity": "Places",
        "registration_status": "Registration status",
        "registration_date": "Registration date",
        "inspection_date": "Inspection date",
        "publication_date": "Publication date",
        "event_type": "Event type",
        "judgement": "Judgement",
        "sa_outcome": "Outcome",
        "setting": "URN",
    }

    def start(self) -> None:
        self.providers_by_name = {_normalise_text(p.name): p for p in Provider.objects.all()}
        self.urns_held = set(Setting.objects.exclude(urn="").values_list("urn", flat=True))
        self.first_line_of_urn: dict[str, int] = {}
        self.providers_to_refresh: set[int] = set()

    def check(self, row: Row) -> _OfstedRow:
        raw_urn = row["urn"]
        if not raw_urn:
            raise RowError("URN is missing")
        urn = re.sub(r"\s+", "", raw_urn).upper()
        try:
            urn_validator(urn)
        except ValidationError as exc:
            raise RowError(f"URN '{raw_urn}' is not valid. {_first(exc.messages)}") from None

        if urn in self.urns_held:
            provider = Setting.objects.select_related("provider").get(urn=urn).provider
        else:
            provider = self.providers_by_name.get(_normalise_text(row["owner"])) if row["owner"] else None
            if provider is None:
                raise _Skip
        if urn in self.first_line_of_urn:
            raise RowError(f"URN {urn} also appears on line {self.first_line_of_urn[urn]}")
        self.first_line_of_urn[urn] = row.line

        postcode = ""
        if row["postcode"]:
            postcode = normalise_postcode(row["postcode"])
            try:
                postcode_validator(postcode)
            except ValidationError:
                raise RowError(f"Postcode '{row['postcode']}' is not a real postcode") from None
        address = ", ".join(part for part in (row["address_1"], row["address_2"], row["address_3"]) if part)
        is_sa = "supported accommodation" in _normalise_text(row["provision_type"])
        inspection_date = parse_date(row["inspection_date"], "Inspection date", not_future=True)
        publication_date = parse_date(row["publication_date"], "Publication date", not_future=True)
        if inspection_date and publication_date and publication_date < inspection_date:
            raise RowError(
                f"Publication date '{row['publication_date']}' is before the inspection date '{row['inspection_date']}'"
            )
        return _OfstedRow(
            line=row.line,
            urn=urn,
            provider=provider,
            setting_values={
                "name": row["name"],
                "setting_type": setting_type_for(row["provision_type"]) if row["provision_type"] else "",
                "address": address,
                "town": row["town"],
                "postcode": postcode,
                "local_authority": row["local_authority"],
                "capacity": parse_whole_number(row["places"], "Places"),
                "registration_status": row["registration_status"],
                "registration_date": parse_date(row["registration_date"], "Registration date", not_future=True),
            },
            is_supported_accommodation=is_sa,
            inspection_date=inspection_date,
            publication_date=publication_date,
            event_type=row["event_type"],
            grade=parse_sa_outcome(row["judgement"]) if is_sa else parse_judgement(row["judgement"]),
        )

    def write(self, plan: _OfstedRow) -> tuple[str, str]:
        setting = Setting.objects.select_related("provider").filter(urn=plan.urn).first()
        # Blank and withheld values never overwrite what we hold.
        incoming = {name: value for name, value in plan.setting_values.items() if value not in ("", None)}
        parts = []
        if setting is None:
            if not incoming.get("name"):
                raise RowError(f"Name is missing, so setting {plan.urn} cannot be added")
            incoming.setdefault("setting_type", ProvisionType.OTHER)
            setting = Setting(provider=plan.provider, urn=plan.urn, **incoming)
            self._save(setting, self.labels)
            outcome = CREATED
            parts.append(f"new setting of {setting.provider}")
        else:
            changed = [name for name, value in incoming.items() if getattr(setting, name) != value]
            for name in changed:
                setattr(setting, name, incoming[name])
            if changed:
                self._save(setting, self.labels)
                parts.append("changed " + _join([_in_sentence(self.labels[name]) for name in changed]))
            outcome = UPDATED if changed else UNCHANGED

        inspection = self._new_inspection(plan, setting)
        if inspection is not None:
            self._save(inspection, self.labels)
            self.providers_to_refresh.add(setting.provider_id)
            outcome = UPDATED if outcome == UNCHANGED else outcome
            parts.append(f"new inspection on {_fmt(inspection.inspection_date)}: {inspection.result_label}")
        return outcome, f"{plan.urn} {setting.name}: {'; '.join(parts)}"

    def _new_inspection(self, plan: _OfstedRow, setting: Setting) -> OfstedInspection | None:
        if not (plan.inspection_date and plan.grade):
            return None
        scale = (
            InspectionScale.SUPPORTED_ACCOMMODATION if plan.is_supported_accommodation else InspectionScale.FOUR_POINT
        )
        inspected = None if plan.is_supported_accommodation else setting
        already = OfstedInspection.objects.filter(
            provider=setting.provider, setting=inspected, inspection_date=plan.inspection_date, scale=scale
        ).exists()
        if already:
            return None
        return OfstedInspection(
            provider=setting.provider,
            setting=inspected,
            scale=scale,
            inspection_date=plan.inspection_date,
            publication_date=plan.publication_date,
            event_type=plan.event_type[:100],
            judgement=None if plan.is_supported_accommodation else plan.grade,
            sa_outcome=plan.grade if plan.is_supported_accommodation else None,
        )

    def written(self, plan: _OfstedRow) -> None:
        self.urns_held.add(plan.urn)

    def finish(self) -> None:
        for provider in Provider.objects.filter(pk__in=self.providers_to_refresh):
            services.refresh_judgements(provider)


# Placements ----------------------------------------------------------------------------

PLACEMENT_COLUMNS_HELP = [
    ("Case record ID", True, "The young person's ID in the case-record system, like 1234567"),
    ("Initials", True, "1 to 4 letters, like JB. Never a name"),
    ("Date of birth", True, "dd/mm/yyyy, like 14/02/2010"),
    ("Cohort", True, "Child in care or Care leaver"),
    ("EHCP", False, "Y or N: has an Education, Health and Care Plan"),
    ("SEND", False, "Y or N: has special educational needs and disabilities"),
    ("UASC", False, "Y or N: unaccompanied asylum-seeking child"),
    ("Provider", True, "The provider's name exactly as in the provider register (capitals do not matter)"),
    ("Setting URN", False, "The Ofsted URN of the provider's setting, like SC123456"),
    ("Start date", True, "dd/mm/yyyy: the day the placement started"),
    ("End date", False, "dd/mm/yyyy: the day the young person left. Leave blank if they are still there"),
    ("High cost", False, "Y or N"),
]


@dataclass
class _PlacementRow:
    line: int
    case_record_id: str
    person: dict
    provider: Provider
    setting: Setting | None
    start_date: date
    end_date: date | None
    high_cost: bool | None


class PlacementsImporter(Importer):
    """A placement extract from the case-record system, one row per placement.

    Columns (headers match ignoring case and spaces; order and extra columns do not matter):

        Case record ID   required  the young person's case-record ID
        Initials         required  1 to 4 letters
        Date of birth    required  dd/mm/yyyy
        Cohort           required  "Child in care" or "Care leaver"
        EHCP, SEND, UASC optional  Y or N
        Provider         required  a provider in the register, by name, ignoring case
        Setting URN      optional  one of that provider's settings
        Start date       required  dd/mm/yyyy
        End date         optional  dd/mm/yyyy, the day the young person left
        High cost        optional  Y or N

    The young person is found by case-record ID (added if new; initials, date of birth,
    cohort and flags updated if changed). The placement is found by young person, provider
    and start date (added if new; end date, setting and high cost updated if changed).
    Blank optional values leave what we hold alone, so a blank end date never reopens an
    ended placement. Overlapping placements are refused, naming the other placement."""

    history_reason = "Imported from the case-record system"
    columns = {
        "case_record_id": Column("Case record ID", ("case record id", "case-record id", "person id"), required=True),
        "initials": Column("Initials", ("initials",), required=True),
        "date_of_birth": Column("Date of birth", ("date of birth", "dob"), required=True),
        "cohort": Column("Cohort", ("cohort",), required=True),
        "ehcp": Column("EHCP", ("ehcp",)),
        "send": Column("SEND", ("send",)),
        "uasc": Column("UASC", ("uasc",)),
        "provider": Column("Provider", ("provider", "provider name"), required=True),
        "setting_urn": Column("Setting URN", ("setting urn", "urn")),
        "start_date": Column("Start date", ("start date", "placement start date"), required=True),
        "end_date": Column("End date", ("end date", "placement end date")),
        "high_cost": Column("High cost", ("high cost",)),
    }
    labels = {
        "case_record_id": "Case record ID",
        "initials": "Initials",
        "date_of_birth": "Date of birth",
        "cohort": "Cohort",
        "ehcp": "EHCP",
        "send": "SEND",
        "uasc": "UASC",
        "provider": "Provider",
        "setting": "Setting URN",
        "start_date": "Start date",
        "end_date": "End date",
        "high_cost": "High cost",
        "young_person": "Case record ID",
    }

    def start(self) -> None:
        self.providers_by_name = {_normalise_text(p.name): p for p in Provider.objects.all()}
        self.first_line_of_placement: dict[tuple, int] = {}
        self.person_seen: dict[str, tuple[int, dict]] = {}

    def check(self, row: Row) -> _PlacementRow:
        missing = [column.label for key, column in self.columns.items() if column.required and not row[key]]
        if missing:
            raise RowError(f"{_join(missing)} {'is' if len(missing) == 1 else 'are'} missing")
        case_record_id = row["case_record_id"]
        person = {
            "initials": row["initials"].replace(".", "").replace(" ", "").upper(),
            "date_of_birth": parse_date(row["date_of_birth"], "Date of birth", not_future=True),
            "cohort": self._cohort(row["cohort"]),
            "ehcp": parse_yes_no(row["ehcp"], "EHCP"),
            "send": parse_yes_no(row["send"], "SEND"),
            "uasc": parse_yes_no(row["uasc"], "UASC"),
        }
        provider = self.providers_by_name.get(_normalise_text(row["provider"]))
        if provider is None:
            raise RowError(
                f"Provider '{row['provider']}' is not in the provider register. Check the spelling, or add the "
                "provider first"
            )
        setting = self._setting(row["setting_urn"], provider)
        start_date = parse_date(row["start_date"], "Start date")
        end_date = parse_date(row["end_date"], "End date")
        if end_date and end_date < start_date:
            raise RowError(f"End date '{row['end_date']}' is before the start date '{row['start_date']}'")
        high_cost = parse_yes_no(row["high_cost"], "High cost")

        key = (case_record_id, provider.pk, start_date)
        if key in self.first_line_of_placement:
            raise RowError(
                f"This placement ({case_record_id} with {provider} from {_fmt(start_date)}) also appears on line "
                f"{self.first_line_of_placement[key]}"
            )
        if case_record_id in self.person_seen:
            other_line, other = self.person_seen[case_record_id]
            differing = [
                _in_sentence(self.labels[name])
                for name, value in person.items()
                if value is not None and other[name] is not None and value != other[name]
            ]
            if differing:
                raise RowError(
                    f"Case record ID {case_record_id} has a different {_join(differing)} on line {other_line}"
                )
        self.first_line_of_placement[key] = row.line
        self.person_seen.setdefault(case_record_id, (row.line, person))
        return _PlacementRow(
            line=row.line,
            case_record_id=case_record_id,
            person=person,
            provider=provider,
            setting=setting,
            start_date=start_date,
            end_date=end_date,
            high_cost=high_cost,
        )

    @staticmethod
    def _cohort(value: str) -> str:
        text = _normalise_text(value).replace("_", " ")
        for cohort in Cohort:
            if text in (cohort.label.lower(), cohort.value.replace("_", " ")):
                return cohort.value
        raise RowError(f"Cohort '{value}' is not one we use. Write Child in care or Care leaver")

    @staticmethod
    def _setting(raw_urn: str, provider: Provider) -> Setting | None:
        if not raw_urn:
            return None
        urn = re.sub(r"\s+", "", raw_urn).upper()
        setting = Setting.objects.select_related("provider").filter(urn=urn).first()
        if setting is None:
            raise RowError(f"Setting URN {urn} is not in the provider register")
        if setting.provider_id != provider.pk:
            raise RowError(f"Setting URN {urn} ({setting.name}) belongs to {setting.provider}, not {provider}")
        return setting

    def write(self, plan: _PlacementRow) -> tuple[str, str]:
        changes = []
        person = YoungPerson.objects.filter(case_record_id=plan.case_record_id).first()
        if person is None:
            values = {name: value for name, value in plan.person.items() if value is not None}
            person = YoungPerson(case_record_id=plan.case_record_id, **values)
            self._save(person, self.labels)
        else:
            changed = [
                name for name, value in plan.person.items() if value is not None and getattr(person, name) != value
            ]
            for name in changed:
                setattr(person, name, plan.person[name])
            if changed:
                self._save(person, self.labels)
                changes += [self.labels[name] for name in changed]

        placement = Placement.objects.filter(
            young_person=person, provider=plan.provider, start_date=plan.start_date
        ).first()
        who = f"{person.initials} ({person.case_record_id}) with {plan.provider} from {_fmt(plan.start_date)}"
        if placement is None:
            placement = Placement(
                young_person=person,
                provider=plan.provider,
                setting=plan.setting,
                start_date=plan.start_date,
                end_date=plan.end_date,
                high_cost=bool(plan.high_cost),
            )
            self._save(placement, self.labels)
            return CREATED, f"{who}: new placement"
        incoming = {"end_date": plan.end_date, "setting": plan.setting, "high_cost": plan.high_cost}
        changed = [name for name, value in incoming.items() if value is not None and getattr(placement, name) != value]
        for name in changed:
            setattr(placement, name, incoming[name])
        if changed:
            self._save(placement, self.labels)
            changes += [self.labels[name] for name in changed]
        if not changes:
            return UNCHANGED, ""
        return UPDATED, f"{who}: changed {_join([_in_sentence(label) for label in changes])}"

    def integrity_reason(self, exc: IntegrityError) -> str:
        if "placement_no_overlap" in str(exc):
            return "The placement overlaps another placement of this young person"
        return super().integrity_reason(exc)


IMPORTERS: dict[str, type[Importer]] = {"ofsted": OfstedImporter, "placements": PlacementsImporter}
