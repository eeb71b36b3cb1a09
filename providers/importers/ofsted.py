"""Ofsted's provider-level data on children's social care settings (`OfstedImporter`)."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from providers import services
from providers.importers.base import CREATED, UNCHANGED, UPDATED, Importer, SkipRow
from providers.importers.parsing import (
    Column,
    Row,
    RowError,
    first_message,
    format_date,
    in_sentence,
    join_words,
    normalise_text,
    parse_date,
    parse_whole_number,
)
from providers.models import (
    InspectionScale,
    Judgement,
    OfstedInspection,
    Provider,
    ProvisionType,
    Setting,
    normalise_postcode,
    postcode_validator,
    urn_validator,
)

# Reading Ofsted's values ---------------------------------------------------------------


def parse_judgement(value: str) -> int | None:
    """Ofsted's four-point judgement, coded 1 to 5 or in words; None when blank."""
    if not value:
        return None
    text = normalise_text(value)
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
    text = normalise_text(value)
    if match := (re.fullmatch(r"([1-3])(\.0+)?", text) or re.match(r"outcome\s*([1-3])\b", text)):
        return int(match.group(1))
    raise RowError(
        f"Outcome '{value}' is not a supported accommodation outcome. Expected Outcome 1, Outcome 2 or Outcome 3 "
        "(or 1 to 3)"
    )


def setting_type_for(provision_type: str) -> str:
    """Our kind of setting for Ofsted's provision type."""
    text = normalise_text(provision_type)
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
        self.providers_by_name = {normalise_text(p.name): p for p in Provider.objects.all()}
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
            raise RowError(f"URN '{raw_urn}' is not valid. {first_message(exc.messages)}") from None

        if urn in self.urns_held:
            provider = Setting.objects.select_related("provider").get(urn=urn).provider
        else:
            provider = self.providers_by_name.get(normalise_text(row["owner"])) if row["owner"] else None
            if provider is None:
                raise SkipRow
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
        is_sa = "supported accommodation" in normalise_text(row["provision_type"])
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
                parts.append("changed " + join_words([in_sentence(self.labels[name]) for name in changed]))
            outcome = UPDATED if changed else UNCHANGED

        inspection = self._new_inspection(plan, setting)
        if inspection is not None:
            self._save(inspection, self.labels)
            self.providers_to_refresh.add(setting.provider_id)
            outcome = UPDATED if outcome == UNCHANGED else outcome
            parts.append(f"new inspection on {format_date(inspection.inspection_date)}: {inspection.result_label}")
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
