"""Check digits of Chinese identity numbers.

GB 11643-1999: the 18-digit resident ID ends with a check character computed
from the first 17 digits (weights 2^(17-i) mod 11, 'X' for 10).
GB 32100-2015: the 18-character unified social credit code ends with a check
character over an alphabet of 31 characters (no I, O, Z, S, V).
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


# Look-alikes that NFKC leaves alone: Cyrillic and Greek X, and the dashes people type in phones.
_LOOKALIKES = str.maketrans({
    "\u0425": "X", "\u0445": "X", "\u03a7": "X", "\u03c7": "X", "\u00d7": "X", "\u2715": "X",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u30fc": "-", "\u3000": " ",
})
_SPACES = re.compile(r"\s+")


def normalize_code(value) -> str:
    """An ID number or credit code as stored: NFKC (full-width digits and letters become ASCII),
    look-alike X mapped, spaces removed, upper case. The same person is never stored twice
    because of the way the number was typed."""
    text = unicodedata.normalize("NFKC", str(value or "")).translate(_LOOKALIKES)
    return _SPACES.sub("", text).upper()


def normalize_phone(value) -> str:
    """A phone number as stored: NFKC, dash look-alikes mapped, spaces removed."""
    text = unicodedata.normalize("NFKC", str(value or "")).translate(_LOOKALIKES)
    return _SPACES.sub("", text)


def resident_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def resident_id_birth_date(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_resident_id(value: str) -> None:
    number = normalize_code(value)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(_("居民身份证号码应为18位，前17位为数字，末位为数字或X。"), code="format")
    birth = resident_id_birth_date(number)
    if birth is None or birth.year < 1900:
        raise ValidationError(_("居民身份证号码中的出生日期无效。"), code="birth_date")
    if birth > timezone.localdate():
        raise ValidationError(_("居民身份证号码中的出生日期晚于今天，请核对。"), code="birth_date_future")
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("居民身份证号码校验位错误（GB 11643），请核对。"), code="check_digit")


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = normalize_code(value)
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        raise ValidationError(
            _("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。"), code="format"
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验码错误（GB 32100），请核对。"), code="check_digit")


def validate_mobile(value: str) -> None:
    phone = normalize_phone(value)
    if phone and not re.fullmatch(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}", phone):
        raise ValidationError(_("电话号码格式不正确：请填写11位手机号或带区号的固定电话。"), code="phone")
