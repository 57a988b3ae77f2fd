"""Chinese-first formatting: 2026年3月5日, ¥1,234.50."""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone, translation

register = template.Library()


def format_date(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        day = value.date()
    else:
        day = value
    if translation.get_language() == "en":
        return day.strftime("%Y-%m-%d")
    return f"{day.year}年{day.month}月{day.day}日"


def format_money(value) -> str:
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    unit = "CNY " if translation.get_language() == "en" else ""
    suffix = "" if unit else " 元"
    return f"{unit}{amount:,.2f}{suffix}"


@register.filter
def cn_date(value):
    return format_date(value)


@register.filter
def cn_datetime(value):
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local)} {local:%H:%M}"


@register.filter
def yuan(value):
    return format_money(value)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def submission_token(context, fresh=False):
    """The hidden one-time token of a form that creates or advances something (issue 9 item 2).
    A form shown again after a refused POST keeps the token it was posted with; `fresh=True`
    for a form of its own on a page another form posts to (the documents panel of a step page),
    which must never share that token."""
    from django.utils.html import format_html

    from mediation.lib.idempotency import FIELD_NAME, new_token, token_from

    request = context.get("request")
    token = token_from(request) if request is not None and request.method == "POST" and not fresh else None
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD_NAME, token or new_token())
