"""Ofsted's provider-level data on children's social care settings (`OfstedImporter`), in each shape
Ofsted publishes it: the "as at" file (one row per setting, its latest full inspection) and the
in-year file (one row per inspection event: full inspections, monitoring, assurance and interim visits)."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from providers import inspection_changes, services
from providers.importers.base import CREATED, UNCHANGED, UPDATED, Importer, RowWaiting, SkipRow
from providers.importers.ofsted_reading import (
    OFSTED_COLUMNS,
    OFSTED_LABELS,
    organisation_key,
    parse_judgement,
    parse_sa_outcome,
    setting_type_for,
)
from providers.importers.parsing import (
    Row,
    RowError,
    Table,
    first_message,
    format_date,
    in_sentence,
    join_words,
    normalise_text,
    parse_date,
    parse_whole_number,
)
from providers.models import (
    InspectionEvent,
    InspectionScale,
    OfstedInspection,
    Provider,
    ProvisionType,
    Setting,
    event_type_for,
    normalise_postcode,
    postcode_validator,
    urn_validator,
)

# The answers the person can give to the preview's questions (ImportRun.decisions).
SKIP, KEEP_OURS, TAKE_THEIRS = "skip", "ours", "file"
NO_INSPECTION_DATE, NO_JUDGEMENT_COLUMN = "no_inspection_date", "no_judgement_column"


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
    """Ofsted's provider-level CSV: upserts settings by URN and records their inspections.

    A row belongs to us if its URN is a setting we hold (the setting keeps its provider) or its
    "Organisation which owns the provider" is one of our providers by name, ignoring case. An
    organisation whose name nearly matches one of ours (`organisation_key`) is offered for matching:
    its rows wait until the person answers "This is <our provider>" or "Skip" (`decisions["matches"]`).
    Other rows are skipped and listed with their line and organisation.

    Each dated row is one inspection event of its type ("Event type" or "Inspection event type";
    without one, a full inspection, as the "as at" file's "Latest full inspection date" is). The same
    event twice (URN, event type and date) is one record; two dates are two. A full inspection needs a
    judgement; a visit may have none. A judgement that differs from the one we hold for the same event
    is a conflict: the row waits until the person keeps ours or takes the file's (`decisions["conflicts"]`,
    by line). "Not yet inspected", "NYI", "-" and the like mean no judgement. Blank and REDACTED values
    never overwrite what we hold. Supported accommodation is judged at provider level on the
    three-outcome scale, so its inspections have no setting.

    A file with a judgement column and no inspection date column, or the other way round, gets a
    warning (`check_file`): its judgements are not read, and nothing is imported until the warning is
    acknowledged (`decisions["acknowledged"]`). With `decisions["default"]` (the command line), an
    unanswered near match is skipped and an unanswered conflict keeps ours, each still listed."""

    history_reason = "Imported from Ofsted data"
    columns = OFSTED_COLUMNS
    labels = OFSTED_LABELS

    def check_file(self, table: Table) -> None:
        """A file whose judgements cannot be dated (or whose dates have no judgement column) is never
        half-read silently: its judgements are left out and a warning names the columns found."""
        has_date, has_judgement = "inspection_date" in table.found, "judgement" in table.found
        self.reads_inspections = has_date and has_judgement
        self.has_event_column = "event_type" in table.found
        columns = ", ".join(table.headers)
        if has_judgement and not has_date:
            self.result.warnings.append(
                {
                    "kind": NO_INSPECTION_DATE,
                    "message": (
                        f"This file has judgements but no column we recognise as the inspection date: {columns}. "
                        "Nothing will be imported from it until you confirm that its settings should be imported "
                        "without their judgements, or upload it again with the date of each judgement in a column "
                        "called 'Inspection date' or 'Latest full inspection date'."
                    ),
                    "confirm": "Import the settings in this file without their judgements",
                }
            )
        elif has_date and not has_judgement:
            self.result.warnings.append(
                {
                    "kind": NO_JUDGEMENT_COLUMN,
                    "message": (
                        f"This file has inspection dates but no column we recognise as the judgement: {columns}. "
                        "Nothing will be imported from it until you confirm that its settings should be imported "
                        "without their inspections, or upload it again with the judgement in a column called "
                        "'Overall experiences and progress of children and young people'."
                    ),
                    "confirm": "Import the settings in this file without their inspections",
                }
            )

    def start(self) -> None:
        providers = list(Provider.objects.all())
        self.providers_by_name = {normalise_text(p.name): p for p in providers}
        self.providers_by_key: dict[str, list[Provider]] = {}
        for provider in providers:
            self.providers_by_key.setdefault(organisation_key(provider.name), []).append(provider)
        self.urns_held = set(Setting.objects.exclude(urn="").values_list("urn", flat=True))
        self.first_line_of_event: dict[tuple, int] = {}
        self.providers_to_refresh: set[int] = set()
        self.offers: dict[str, dict] = {}
        # Inspections added, or whose judgement changed, by rows written: told to the listeners of
        # providers.inspection_changes once the providers' judgements are up to date (finish).
        self.inspections_recorded: list[OfstedInspection] = []
        self._row_recorded: OfstedInspection | None = None

    # Answers to the preview's questions --------------------------------------------------------------

    def _answer(self, kind: str, key: str, default: str) -> str:
        answer = self.decisions.get(kind, {}).get(key, "")
        return answer or (default if self.decisions.get("default") else "")

    def _owner(self, row: Row, urn: str) -> Provider:
        """Whose setting this row is; raises SkipRow or RowWaiting (near match, not yet answered)."""
        owner = row["owner"]
        provider = self.providers_by_name.get(normalise_text(owner)) if owner else None
        if provider is not None:
            return provider
        candidates = self.providers_by_key.get(organisation_key(owner), []) if owner else []
        details = {"urn": urn, "name": row["name"], "organisation": owner}
        if not candidates:
            raise SkipRow(**details)
        key = normalise_text(owner)
        answer = self._answer("matches", key, SKIP)
        offer = self.offers.setdefault(
            key,
            {
                "key": key,
                "organisation": owner,
                "lines": [],
                "candidates": [{"pk": p.pk, "name": p.name} for p in candidates],
                "answer": answer,
            },
        )
        offer["lines"].append(row.line)
        chosen = next((p for p in candidates if str(p.pk) == str(answer)), None)
        if chosen is not None:
            return chosen
        if answer == SKIP:
            raise SkipRow(**details, why=f"You said this is not {join_words([p.name for p in candidates])}")
        offer["answer"] = ""
        raise RowWaiting

    # Rows -------------------------------------------------------------------------------------------

    def check(self, row: Row) -> _OfstedRow:
        raw_urn = row["urn"]
        if not raw_urn:
            raise RowError("URN is missing")
        urn = re.sub(r"\s+", "", raw_urn).upper()
        try:
            urn_validator(urn)
        except ValidationError as exc:
            raise RowError(f"URN '{raw_urn}' is not valid. {first_message(exc.messages)}") from None

        if urn in self.urns_held:
            provider = Setting.objects.select_related("provider").get(urn=urn).provider
        else:
            provider = self._owner(row, urn)

        postcode = ""
        if row["postcode"]:
            postcode = normalise_postcode(row["postcode"])
            try:
                postcode_validator(postcode)
            except ValidationError:
                raise RowError(f"Postcode '{row['postcode']}' is not a real postcode") from None
        address = ", ".join(part for part in (row["address_1"], row["address_2"], row["address_3"]) if part)
        is_sa = "supported accommodation" in normalise_text(row["provision_type"])
        grade = None
        event_type = event_type_for(row["event_type"])
        inspection_date = parse_date(row["inspection_date"], "Inspection date", not_future=True)
        publication_date = parse_date(row["publication_date"], "Publication date", not_future=True)
        if inspection_date and publication_date and publication_date < inspection_date:
            raise RowError(
                f"Publication date '{row['publication_date']}' is before the inspection date '{row['inspection_date']}'"
            )
        if self.reads_inspections:
            grade = parse_sa_outcome(row["judgement"]) if is_sa else parse_judgement(row["judgement"])
            if inspection_date and grade is None and row["event_type"] and event_type == InspectionEvent.FULL:
                said = f"'{row['judgement']}'" if row["judgement"] else "nothing"
                raise RowError(
                    f"The full inspection on {format_date(inspection_date)} has no judgement (the file says {said})"
                )

        event = (urn, event_type if inspection_date else None, inspection_date)
        if event in self.first_line_of_event:
            what = (
                f"its {InspectionEvent(event_type).label.lower()} on {format_date(inspection_date)}"
                if inspection_date
                else "no inspection"
            )
            raise RowError(f"URN {urn} with {what} also appears on line {self.first_line_of_event[event]}")
        self.first_line_of_event[event] = row.line

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
            # A file whose judgements cannot be read with their dates records no inspections (check_file).
            inspection_date=inspection_date if self.reads_inspections else None,
            publication_date=publication_date,
            event_type=event_type,
            grade=grade,
        )

    def write(self, plan: _OfstedRow) -> tuple[str, str]:
        self._row_recorded = None
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
                parts.append("changed " + join_words([in_sentence(self.labels[name]) for name in changed]))
            outcome = UPDATED if changed else UNCHANGED

        if change := self._record_inspection(plan, setting):
            self.providers_to_refresh.add(setting.provider_id)
            outcome = UPDATED if outcome == UNCHANGED else outcome
            parts.append(change)
        return outcome, f"{plan.urn} {setting.name}: {'; '.join(parts)}"

    def _record_inspection(self, plan: _OfstedRow, setting: Setting) -> str:
        """Add the row's inspection event, or bring the one we hold up to date; what changed, in words
        ("" for nothing). Raises RowWaiting for a judgement that differs from ours, not yet resolved."""
        if not plan.inspection_date or (plan.grade is None and plan.event_type == InspectionEvent.FULL):
            return ""
        is_sa = plan.is_supported_accommodation
        scale = InspectionScale.SUPPORTED_ACCOMMODATION if is_sa else InspectionScale.FOUR_POINT
        grade_field = "sa_outcome" if is_sa else "judgement"
        event = InspectionEvent(plan.event_type).label.lower()
        on = format_date(plan.inspection_date)
        held = OfstedInspection.objects.filter(
            provider=setting.provider,
            setting=None if is_sa else setting,
            inspection_date=plan.inspection_date,
            scale=scale,
            event_type=plan.event_type,
        ).first()
        if held is None:
            inspection = OfstedInspection(
                provider=setting.provider,
                setting=None if is_sa else setting,
                scale=scale,
                inspection_date=plan.inspection_date,
                publication_date=plan.publication_date,
                event_type=plan.event_type,
                **{grade_field: plan.grade},
            )
            self._save(inspection, self.labels)
            self._row_recorded = inspection
            return f"new {event} on {on}" + (f": {inspection.result_label}" if plan.grade is not None else "")

        changes = []
        ours = getattr(held, grade_field)
        if plan.grade is not None and ours != plan.grade:
            if ours is not None:
                theirs_label = OfstedInspection(scale=scale, **{grade_field: plan.grade}).result_label
                answer = self._answer("conflicts", str(plan.line), KEEP_OURS)
                self.result.conflicts.append(
                    {
                        "line": plan.line,
                        "urn": plan.urn,
                        "setting": setting.name,
                        "event": event,
                        "date": on,
                        "ours": held.result_label,
                        "theirs": theirs_label,
                        "answer": answer,
                    }
                )
                if answer not in (KEEP_OURS, TAKE_THEIRS):
                    self.result.conflicts[-1]["answer"] = ""
                    raise RowWaiting
                if answer == TAKE_THEIRS:
                    changes.append(f"{event} on {on} changed from {held.result_label} to {theirs_label}")
                    setattr(held, grade_field, plan.grade)
            else:
                setattr(held, grade_field, plan.grade)
                changes.append(f"{event} on {on}: {held.result_label} added")
        if plan.publication_date and held.publication_date is None:
            held.publication_date = plan.publication_date
            changes.append(f"publication date of the {event} on {on} added")
        if changes:
            self._save(held, self.labels)
            if getattr(held, grade_field) == plan.grade:
                self._row_recorded = held
        return "; ".join(changes)

    def written(self, plan: _OfstedRow) -> None:
        self.urns_held.add(plan.urn)
        if self._row_recorded is not None:
            self.inspections_recorded.append(self._row_recorded)
            self._row_recorded = None

    def finish(self) -> None:
        self.result.offers = list(self.offers.values())
        for provider in Provider.objects.filter(pk__in=self.providers_to_refresh):
            services.refresh_judgements(provider)
        # A preview opens nothing (it is rolled back anyway; nobody is asked to act on a dry run).
        if not self.result.dry_run:
            inspection_changes.inspections_recorded(self.inspections_recorded, self.by)
