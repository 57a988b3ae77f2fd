"""Filters available in letter templates (always Chinese: a letter is an official document)."""

from decimal import Decimal, InvalidOperation

from django import template

from mediation.supervision.documents import cn_date_text

register = template.Library()

_DIGITS = "零一二三四五六七八九"


@register.filter
def cn_date(value):
    return cn_date_text(value)


@register.filter
def cn_ordinal(value):
    """1 → 一, 12 → 十二 (numbering of items: 一、二、三、…)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return value
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    return str(n)


@register.filter
def yuan(value):
    try:
        return f"{Decimal(value).quantize(Decimal('0.01')):,.2f}元"
    except (InvalidOperation, TypeError, ValueError):
        return value
