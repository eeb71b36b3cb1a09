"""The run every importer shares: check each row completely before writing anything, write each
in its own savepoint, count the outcomes; and the result it reports (`ImportResult`)."""

from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from providers.importers.parsing import Column, ImportFileError, Row, RowError, Table, read_table, reason_from
from qa_portal.documents.kinds import Progress

# Results -------------------------------------------------------------------------------

CREATED, UPDATED, UNCHANGED, REJECTED, SKIPPED = "created", "updated", "unchanged", "rejected", "skipped"
WAITING = "waiting"


@dataclass
class ImportResult:
    """What an import did, or would do (dry run). JSON-serialisable through to_dict().

    Besides the counts and rejections: `skips` lists each skipped row ({"line", "urn", "name",
    "organisation"}); `warnings` are about the file as a whole ({"kind", "message"}) and must be
    acknowledged before it is imported; `offers` ({"key", "organisation", "lines", "candidates":
    [{"pk", "name"}], "answer"}) and `conflicts` ({"line", "urn", "setting", "event", "date", "ours",
    "theirs", "answer"}) are questions for the person, and rows waiting on an unanswered one are
    counted in `waiting`, neither imported nor skipped."""

    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    waiting: int = 0
    rejections: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    # How a row imported was read, where the person checking should know ("ID 12345 taken as 0012345").
    notes: list[dict] = field(default_factory=list)
    skips: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    offers: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)

    @property
    def unanswered(self) -> list[dict]:
        """Offers and conflicts the person has not answered yet: nothing is imported until they are."""
        return [question for question in self.offers + self.conflicts if not question.get("answer")]

    @property
    def needs_answers(self) -> bool:
        return bool(self.offers or self.conflicts)

    def reject(self, line: int, reason: str, **details: str) -> None:
        """Count a row that is not imported; `details` (a refused row's `kind`, `young_person`,
        `provider`, `placement` and `why`) are kept beside the line and reason."""
        self.rejected += 1
        self.rejections.append({"line": line, "reason": reason, **details})

    @property
    def refusals(self) -> list[dict]:
        """Rejected rows that place a young person with a provider on placement stop or not to be
        used (`RowRefused`): listed apart, so that they are seen before the rest is imported."""
        return [rejection for rejection in self.rejections if rejection.get("kind") == RowRefused.kind]

    @property
    def invalid_rows(self) -> list[dict]:
        """The other rejected rows: ones that could not be read or clash with the register."""
        return [rejection for rejection in self.rejections if rejection.get("kind") != RowRefused.kind]

    def note(self, line: int, text: str) -> None:
        self.notes.append({"line": line, "note": text})

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
        lines += [f"Note on line {note['line']}: {note['note']}" for note in self.notes]
        lines += [f"Warning: {warning['message']}" for warning in self.warnings]
        for offer in self.offers:
            candidates = " or ".join(candidate["name"] for candidate in offer["candidates"])
            lines.append(
                f"lines {', '.join(map(str, offer['lines']))}: '{offer['organisation']}' nearly matches {candidates}"
                + (": skipped; match it on the import page" if offer["answer"] == "skip" else "")
            )
        for conflict in self.conflicts:
            lines.append(
                f"line {conflict['line']}: the file says {conflict['theirs']} for the {conflict['event']} of "
                f"{conflict['urn']} on {conflict['date']}; we hold {conflict['ours']}"
                + ({"ours": ": ours kept", "file": ": the file's taken"}.get(conflict["answer"], ""))
            )
        return lines


class SkipRow(Exception):
    """A row about something we do not hold: counted, and listed with its line and `details`
    (an Ofsted row's "urn", "name" and "organisation")."""

    def __init__(self, **details: str):
        super().__init__("skipped")
        self.details = details


class ImportNeedsAnswers(ImportFileError):
    """A real run that cannot go ahead: a warning about the file not acknowledged, or a question of
    the preview (a near match, a conflicting judgement) not answered. Nothing is imported."""


class RowWaiting(Exception):
    """A row that waits on the person's answer to a question of the preview (an organisation that
    nearly matches one of ours): counted in `waiting`, not imported."""


class RowRefused(Exception):
    """A well-formed row that places a young person with a provider on placement stop or not to be
    used: rejected, and listed with the young person, the provider and why (`ImportResult.refusals`)."""

    kind = "placement_stop"

    def __init__(self, *, young_person: str, provider: str, placement: str, why: str):
        super().__init__(f"{young_person} with {provider} {placement}: {why}")
        self.details = {
            "kind": self.kind,
            "young_person": young_person,
            "provider": provider,
            "placement": placement,
            "why": why,
        }


class Importer:
    """Reads the rows, checks and writes each in its own savepoint, counts the outcomes.

    Subclasses say which columns they read (`columns`), check a row without writing
    (`check`, which returns a plan or raises RowError/SkipRow), write a checked row
    (`write`, which returns the outcome and a summary), note how a row written was read
    (`notes_on`), and tidy up after all rows (`finish`)."""

    columns: dict[str, Column] = {}
    history_reason = "Imported"

    def __init__(self, decisions: dict | None = None, by=None):
        """`decisions`: what the person answered to an earlier preview (ImportRun.decisions); `by`: who
        imports the file (None from the command line)."""
        self.decisions = decisions or {}
        self.by = by

    def run(self, text: str, *, dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
        """Import the CSV text; with dry_run, do everything and then roll it all back. `progress`, if
        given, is told how many rows have been done (5 to 95 percent), for a big file's page.

        Raises ImportFileError if the file cannot be imported at all."""
        table = read_table(text, self.columns)
        result = ImportResult(dry_run=dry_run)
        self.result = result
        self.check_file(table)
        acknowledged = set(self.decisions.get("acknowledged", []))
        for warning in result.warnings:
            warning["acknowledged"] = warning["kind"] in acknowledged or "*" in acknowledged
        if not dry_run and any(not warning["acknowledged"] for warning in result.warnings):
            raise ImportNeedsAnswers(
                "Nothing has been imported: "
                + " ".join(warning["message"] for warning in result.warnings if not warning["acknowledged"])
            )
        with transaction.atomic():
            self.start()
            doing = "Checked" if dry_run else "Imported"
            rows = (
                progress.rows(table.rows, len(table.rows), start=5, end=95, message=doing + " {n} of {total} rows")
                if progress
                else table.rows
            )
            for row in rows:
                if row.problems:
                    result.reject(row.line, "; ".join(row.problems))
                    continue
                try:
                    plan = self.check(row)
                    # A savepoint per row: a row that fails part-way leaves nothing behind.
                    with transaction.atomic():
                        outcome, summary = self.write(plan)
                except SkipRow as exc:
                    result.count(row.line, SKIPPED)
                    result.skips.append({"line": row.line, **exc.details})
                except RowWaiting:
                    result.count(row.line, WAITING)
                except RowRefused as exc:
                    result.reject(row.line, str(exc), **exc.details)
                except RowError as exc:
                    result.reject(row.line, str(exc))
                except IntegrityError as exc:
                    result.reject(row.line, self.integrity_reason(exc))
                else:
                    result.count(row.line, outcome, summary)
                    for text in self.notes_on(plan):
                        result.note(row.line, text)
                    self.written(plan)
            self.finish()
            if dry_run or result.unanswered:
                transaction.set_rollback(True)
        if result.unanswered and not dry_run:
            raise ImportNeedsAnswers(
                "Nothing has been imported: the file has questions to answer first "
                "(organisations that nearly match one of ours, or judgements that differ from ours)"
            )
        return result

    def check_columns(self, text: str) -> int:
        """Raise ImportFileError unless the file has the columns this importer needs; returns how many
        data rows it has."""
        return len(read_table(text, self.columns).rows)

    def check_file(self, table: Table) -> None:
        """Look at the file as a whole before any row; add to `self.result.warnings` what the person
        must acknowledge before it is imported."""

    def start(self) -> None:
        pass

    def check(self, row: Row):
        raise NotImplementedError

    def write(self, plan) -> tuple[str, str]:
        raise NotImplementedError

    def written(self, plan) -> None:
        """Called once a row's savepoint has been released."""

    def notes_on(self, plan) -> list[str]:
        """What the person checking the preview should know about how an imported row was read."""
        return []

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
