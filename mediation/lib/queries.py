"""Query parameters of list and statistics pages: absurd values answer 400 with the reason."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# The product holds cases from the union's first records on; later years are plans.
YEAR_MIN, YEAR_MAX = 2000, 2100


class BadQuery(ValueError):
    """A query parameter that cannot mean anything. The message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def year_param(value: str | None, *, default: int) -> int:
    """`?year=`: empty means `default`; anything but a year from 2000 to 2100 is refused."""
    value = (value or "").strip()
    if not value:
        return default
    try:
        year = int(value)
    except ValueError:
        raise BadQuery(_("年度“%(v)s”无效：请填写%(lo)d至%(hi)d之间的四位数字年份，例如 2026。")
                       % {"v": value[:20], "lo": YEAR_MIN, "hi": YEAR_MAX}) from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise BadQuery(_("年度“%(v)s”无效：请填写%(lo)d至%(hi)d之间的四位数字年份，例如 2026。")
                       % {"v": value[:20], "lo": YEAR_MIN, "hi": YEAR_MAX})
    return year


def bad_request(request: HttpRequest, message: str, *, back_url: str | None = None) -> HttpResponse:
    """HTTP 400 with the reason in the page (templates/400.html)."""
    return render(request, "400.html", {"message": message, "back_url": back_url}, status=400)
