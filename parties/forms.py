"""Form fields for identity numbers and phones: what is validated is what is stored.

Input is normalised first (NFKC: full-width digits and letters become ASCII; look-alike X;
spaces removed; upper case), then validated, so the value in cleaned_data — and in the
database — is exactly the one validation accepted (issue 9 item 4).
"""

from __future__ import annotations

from django import forms

from .validators import (
    normalize_code,
    normalize_phone,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)


class CodeField(forms.CharField):
    """An 18-character code (resident ID or unified social credit code), normalised."""

    def to_python(self, value):
        return normalize_code(super().to_python(value))


class ResidentIdField(CodeField):
    default_validators = [validate_resident_id]


class CreditCodeField(CodeField):
    default_validators = [validate_credit_code]


class PhoneField(forms.CharField):
    default_validators = [validate_mobile]

    def to_python(self, value):
        return normalize_phone(super().to_python(value))
