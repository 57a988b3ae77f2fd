"""The only tags and filters an admin-edited document template may use.

Tags: if / for / with / firstof / comment. No include, extends, load, debug, url, csrf_token,
now, cycle… — those are simply unknown to the sandbox engine, so the parser refuses them with
the line number. Filters: a short list of Django's that only format plain values, plus the
document filters (cn_date, cn_ordinal, yuan). pprint, safe, random, json_script… are absent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.template import defaultfilters, defaulttags

register = template.Library()

for _name, _func in (
    ("if", defaulttags.do_if),
    ("for", defaulttags.do_for),
    ("with", defaulttags.do_with),
    ("firstof", defaulttags.firstof),
    ("comment", defaulttags.comment),
):
    register.tag(_name, _func)

for _name in (
    "add",
    "cut",
    "default",
    "default_if_none",
    "first",
    "join",
    "last",
    "length",
    "lower",
    "truncatechars",
    "upper",
    "yesno",
    "floatformat",
):
    register.filter(_name, defaultfilters.register.filters[_name])

_DIGITS = "零一二三四五六七八九"


def cn_date_text(day: datetime.date | None) -> str:
    """2026年3月5日, whatever the UI language: documents are always in Chinese."""
    if not day or not isinstance(day, datetime.date):
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


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
    if n < 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def yuan_text(value) -> str:
    """12,345.60元: money in yuan with two decimals."""
    try:
        return f"{Decimal(value).quantize(Decimal('0.01')):,.2f}元"
    except (InvalidOperation, TypeError, ValueError):
        return "" if value is None else str(value)


@register.filter
def yuan(value):
    return yuan_text(value)


_CLAUSE_END = "。；，、：！？;,.:!? \t\r\n"


@register.filter
def clause(value):
    """Free text as a clause the template ends itself: trailing 。；，… and spaces removed, so
    "{{ v.facts|clause }}。" never prints a doubled 。 and a quotation is followed by its 。."""
    return str(value or "").rstrip(_CLAUSE_END)
