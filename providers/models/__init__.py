"""The provider register: providers, their settings, Ofsted inspections, young people,
placements and concerns. Pseudonymised throughout: young people are initials and a
case-record ID, never names or photos.

One module per part of the register; every model and choice is importable from here.
"""

from providers.models.concerns import Concern, ConcernQuerySet, ConcernSource, ConcernStatus, Severity
from providers.models.imports import ImportJob, ImportKind, ImportRun, ImportRunStatus
from providers.models.ofsted import (
    NO_JUDGEMENT,
    NOT_YET_INSPECTED,
    InspectionEvent,
    InspectionScale,
    Judgement,
    OfstedInspection,
    SupportedAccommodationOutcome,
    event_type_for,
)
from providers.models.register import (
    NO_NEW_PLACEMENTS,
    STATUS_IN_A_SENTENCE,
    Contact,
    ContractRoute,
    PlacementStop,
    Provider,
    ProviderQuerySet,
    ProviderStatus,
    ProviderStatusChange,
    ProvisionType,
    Setting,
)
from providers.models.risk import RiskOverride, RiskRating, RiskRatingChange
from providers.models.validators import normalise_postcode, not_in_future, postcode_validator, urn_validator
from providers.models.young_people import (
    Cohort,
    Placement,
    PlacementEnding,
    PlacementQuerySet,
    YoungPerson,
    YoungPersonAnonymisation,
    case_record_key,
    initials_validator,
)

__all__ = [
    "NOT_YET_INSPECTED",
    "NO_JUDGEMENT",
    "NO_NEW_PLACEMENTS",
    "STATUS_IN_A_SENTENCE",
    "Cohort",
    "Concern",
    "ConcernQuerySet",
    "ConcernSource",
    "ConcernStatus",
    "Contact",
    "ContractRoute",
    "ImportJob",
    "ImportKind",
    "ImportRun",
    "ImportRunStatus",
    "InspectionEvent",
    "InspectionScale",
    "Judgement",
    "OfstedInspection",
    "Placement",
    "PlacementEnding",
    "PlacementQuerySet",
    "PlacementStop",
    "Provider",
    "ProviderQuerySet",
    "ProviderStatus",
    "ProviderStatusChange",
    "ProvisionType",
    "RiskOverride",
    "RiskRating",
    "RiskRatingChange",
    "Setting",
    "Severity",
    "SupportedAccommodationOutcome",
    "YoungPerson",
    "YoungPersonAnonymisation",
    "case_record_key",
    "event_type_for",
    "initials_validator",
    "normalise_postcode",
    "not_in_future",
    "postcode_validator",
    "urn_validator",
]
