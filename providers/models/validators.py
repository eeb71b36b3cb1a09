"""Checks and tidying shared by the register's fields (named in migrations, so they stay importable
from `providers.models`)."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

urn_validator = RegexValidator(
    r"^(SC\d{6}|\d{6,7})$",
    "Enter the Ofsted URN as SC and 6 digits, like SC123456, or as 6 or 7 digits for a school or "
    "supported accommodation provider",
)
postcode_validator = RegexValidator(
    r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$",
    "Enter a real postcode, like SW1A 1AA",
    flags=re.IGNORECASE,
)


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def not_in_future(value: date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past")
