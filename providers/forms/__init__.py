"""Forms of the provider register, by area as the views are: the register itself, young people
and placements, and imports. Every form is importable from here."""

from providers.forms.imports import ImportUploadForm
from providers.forms.register import (
    ConcernForm,
    ContactForm,
    InspectionForm,
    ProviderForm,
    ProviderStatusForm,
    SettingForm,
)
from providers.forms.risk import RiskOverrideForm
from providers.forms.young_people import PlacementForm, YoungPersonForm

__all__ = [
    "ConcernForm",
    "ContactForm",
    "ImportUploadForm",
    "InspectionForm",
    "PlacementForm",
    "ProviderForm",
    "ProviderStatusForm",
    "RiskOverrideForm",
    "SettingForm",
    "YoungPersonForm",
]
