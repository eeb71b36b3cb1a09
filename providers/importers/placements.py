"""Placement extracts from the case-record system (`PlacementsImporter`)."""

import re
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError
from django.utils import timezone

from providers import placement_changes
from providers.importers.base import CREATED, UNCHANGED, UPDATED, Importer, RowRefused
from providers.importers.parsing import (
    Column,
    Row,
    RowError,
    format_date,
    in_sentence,
    join_words,
    normalise_text,
    parse_date,
    parse_yes_no,
)
from providers.models import Cohort, Placement, PlacementStop, Provider, Setting, YoungPerson, case_record_key

PLACEMENT_COLUMNS_HELP = [
    (
        "Case record ID",
        True,
        "The young person's ID in the case-record system, like 1234567. An ID missing the leading zeros Excel "
        "drops (12345 for 0012345) is taken as the young person already held",
    ),
    ("Initials", True, "1 to 4 letters, like JB. Never a name"),
    ("Date of birth", True, "dd/mm/yyyy with the year in 4 digits, like 14/02/2010"),
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
    # The young person held under this ID, leading zeros ignored (None: a new young person).
    held: YoungPerson | None
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

    The young person is found by case-record ID, leading zeros ignored (`case_record_key`: Excel
    drops them, so 12345 is the young person held as 0012345, and the preview says so); added if new;
    initials, date of birth, cohort and flags updated if changed. A date of birth needs a 4-digit year
    and, when it or the cohort is recorded, an age the cohort allows today
    (`YoungPerson.age_for_cohort_problem`, as the young person form). The placement is found by young person, provider
    and start date (added if new; end date, setting and high cost updated if changed).
    Blank optional values leave what we hold alone, so a blank end date never reopens an
    ended placement. Overlapping placements are refused, naming the other placement.

    A new placement with a provider on placement stop or not to be used (`Provider.placement_stop`,
    the rule the placement form follows), whatever its dates, is refused (`RowRefused`): the
    preview lists it apart, and a QA lead or commissioning officer can record it on the young
    person's page, confirming the stop with a reason (a young person new to the portal is not
    added by a refused row: they are added first, and the refusal says so). A placement already
    recorded there is still updated (ended, say) like any other."""

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
        self.providers_written: set[int] = set()
        self.providers_by_name = {normalise_text(p.name): p for p in Provider.objects.all()}
        self.first_line_of_placement: dict[tuple, int] = {}
        # By case_record_key: 0012345 and 12345 on two lines are one young person.
        self.person_seen: dict[str, tuple[int, dict]] = {}
        self.stops: dict[int, PlacementStop | None] = {}

    def check(self, row: Row) -> _PlacementRow:
        missing = [column.label for key, column in self.columns.items() if column.required and not row[key]]
        if missing:
            raise RowError(f"{join_words(missing)} {'is' if len(missing) == 1 else 'are'} missing")
        case_record_id = row["case_record_id"]
        key = case_record_key(case_record_id)
        person = {
            "initials": row["initials"].replace(".", "").replace(" ", "").upper(),
            "date_of_birth": parse_date(row["date_of_birth"], "Date of birth", not_future=True),
            "cohort": self._cohort(row["cohort"]),
            "ehcp": parse_yes_no(row["ehcp"], "EHCP"),
            "send": parse_yes_no(row["send"], "SEND"),
            "uasc": parse_yes_no(row["uasc"], "UASC"),
        }
        provider = self.providers_by_name.get(normalise_text(row["provider"]))
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

        placement_key = (key, provider.pk, start_date)
        if placement_key in self.first_line_of_placement:
            raise RowError(
                f"This placement ({case_record_id} with {provider} from {format_date(start_date)}) also appears "
                f"on line {self.first_line_of_placement[placement_key]}"
            )
        if key in self.person_seen:
            other_line, other = self.person_seen[key]
            differing = [
                in_sentence(self.labels[name])
                for name, value in person.items()
                if value is not None and other[name] is not None and value != other[name]
            ]
            if differing:
                raise RowError(
                    f"Case record ID {case_record_id} has a different {join_words(differing)} on line {other_line}"
                )
        held = YoungPerson.objects.with_case_record_id(case_record_id).first()
        if held is None or (held.date_of_birth, held.cohort) != (person["date_of_birth"], person["cohort"]):
            problem = YoungPerson.age_for_cohort_problem(
                person["date_of_birth"], person["cohort"], on=timezone.localdate()
            )
            if problem:
                raise RowError(f"Date of birth '{row['date_of_birth']}': {problem[0].lower()}{problem[1:]}")
        self._refuse_if_stopped(held, case_record_id, person["initials"], provider, start_date)
        self.first_line_of_placement[placement_key] = row.line
        self.person_seen.setdefault(key, (row.line, person))
        return _PlacementRow(
            line=row.line,
            case_record_id=case_record_id,
            person=person,
            held=held,
            provider=provider,
            setting=setting,
            start_date=start_date,
            end_date=end_date,
            high_cost=high_cost,
        )

    def _refuse_if_stopped(
        self, held: YoungPerson | None, case_record_id: str, initials: str, provider: Provider, start_date: date
    ) -> None:
        """Raise RowRefused if the row would place the young person (`held`, or new) with a provider under a
        stop."""
        if provider.pk not in self.stops:
            self.stops[provider.pk] = provider.placement_stop()
        stop = self.stops[provider.pk]
        if stop is None:
            return
        already_recorded = (
            held is not None
            and Placement.objects.filter(young_person=held, provider=provider, start_date=start_date).exists()
        )
        if not already_recorded:
            raise RowRefused(
                young_person=f"{initials} ({case_record_id})",
                provider=provider.name,
                placement=f"from {format_date(start_date)}",
                why=f"{stop}: not imported. To record it, a QA lead or commissioning officer records the "
                "placement on the young person's page, confirming the stop with a reason"
                if held is not None
                else f"{stop}: not imported, and the young person was not added. To record it, add the young "
                "person, then a QA lead or commissioning officer records the placement on their page, confirming "
                "the stop with a reason",
            )

    @staticmethod
    def _cohort(value: str) -> str:
        text = normalise_text(value).replace("_", " ")
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

    def notes_on(self, plan: _PlacementRow) -> list[str]:
        held = plan.held
        if held is None or held.case_record_id == plan.case_record_id:
            return []
        how = (
            "leading zeros dropped, as Excel does"
            if len(plan.case_record_id) < len(held.case_record_id)
            else "leading zeros ignored"
        )
        return [f"ID {plan.case_record_id} taken as {held.case_record_id}, {held.initials}'s record ({how})"]

    def write(self, plan: _PlacementRow) -> tuple[str, str]:
        changes = []
        person = plan.held
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
        who = f"{person.initials} ({person.case_record_id}) with {plan.provider} from {format_date(plan.start_date)}"
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
        return UPDATED, f"{who}: changed {join_words([in_sentence(label) for label in changes])}"

    def written(self, plan: _PlacementRow) -> None:
        self.providers_written.add(plan.provider.pk)

    def finish(self) -> None:
        # Inside the import's transaction: a preview (rolled back) changes no review meeting either.
        placement_changes.placements_changed(self.providers_written)

    def integrity_reason(self, exc: IntegrityError) -> str:
        if "placement_no_overlap" in str(exc):
            return "The placement overlaps another placement of this young person"
        return super().integrity_reason(exc)
