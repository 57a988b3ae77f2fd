"""The cockpit page (数据驾驶舱) and the annual statistics report download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.cases.models import DisputeType
from mediation.lib.queries import bad_request

from . import report, selectors


def _guard(user) -> None:
    if not selectors.may_view_cockpit(user):
        raise Http404


@login_required
def cockpit(request):
    _guard(request.user)
    status = 200
    try:
        filters = selectors.filters_parse(request.user, request.GET)
    except ValidationError as exc:
        # Refused filters (a year of 0, -1, 10000, "abc", a county outside the user's scope)
        # answer 400 with the reason, over the default view so the user can go on from there.
        messages.error(request, "；".join(exc.messages))
        filters = selectors.default_filters(request.user)
        status = 400
    data = selectors.cockpit(request.user, filters)
    today = timezone.localdate()
    return render(
        request,
        "statistics/cockpit.html",
        {
            "data": data,
            "filters": filters,
            "cards": _cards(data),
            "monthly_rows": list(
                zip(
                    *(
                        data["monthly"][k]
                        for k in ("received_this", "received_last", "closed_this", "closed_last")
                    ),
                    strict=True,
                )
            ),
            "chart_labels": _chart_labels(),
            "scope_label": _("全市")
            if selectors.sees_city(request.user) and not filters.county
            else dict(selectors.visible_counties(request.user)).get(
                filters.county or request.user.staff.agency.county, ""
            ),
            "periods": [
                ("year", _("年")),
                ("quarter", _("季")),
                ("month", _("月")),
                ("custom", _("自定义")),
            ],
            "years": list(range(today.year, today.year - 6, -1)),
            "quarters": range(1, 5),
            "months": range(1, 13),
            "counties": selectors.visible_counties(request.user),
            "agencies": selectors.visible_agencies(request.user),
            "dispute_types": DisputeType.choices,
            "sees_city": selectors.sees_city(request.user),
            "report_formats": report.FORMATS,
        },
        status=status,
    )


@login_required
def annual_report(request):
    """?year=2026&county=610902&format=xlsx|docx|pdf — the year's report for the union's review."""
    _guard(request.user)
    fmt = request.GET.get("format") or "xlsx"
    county = request.GET.get("county") or None
    try:
        if fmt not in report.FORMATS:
            raise ValidationError(_("报表格式无效：请选择 Excel、Word 或 PDF。"))
        year = selectors.filters_parse(
            request.user, {"year": request.GET.get("year") or "", "county": county}
        ).year
        table = selectors.annual_table(request.user, year=year, county=county)
        content = report.render(table, fmt)
    except ValidationError as exc:
        return bad_request(request, "；".join(exc.messages), back_url=reverse("statistics:cockpit"))
    except ImproperlyConfigured as exc:
        messages.error(request, str(exc))
        return redirect("statistics:cockpit")
    name = report.filename(table, fmt)
    response = HttpResponse(content, content_type=report.FORMATS[fmt][1])
    response["Content-Disposition"] = (
        f"attachment; filename=\"report-{year}.{fmt}\"; filename*=UTF-8''{name}"
    )
    return response


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _change(value) -> str:
    if value is None:
        return _("同比 —")
    return _("同比 %(v)s") % {"v": f"{value * 100:+.1f}%"}


def _cards(data: dict) -> list[dict]:
    """The headline numbers: id, label, value as shown, 同比, the list behind it, a footnote mark."""
    cur, chg, links = data["current"], data["change"], data["links"]

    def money(v):
        return f"{float(v):,.2f}"

    return [
        {
            "id": "received",
            "label": _("受理案件（件）"),
            "value": cur["received"],
            "change": _change(chg["received"]),
            "url": links["received"],
            "note": 1,
        },
        {
            "id": "closed",
            "label": _("办结案件（件）"),
            "value": cur["closed"],
            "change": _change(chg["closed"]),
            "url": links["closed"],
            "note": 2,
        },
        {
            "id": "settled",
            "label": _("调解成功（件）"),
            "value": cur["settled"],
            "change": _change(chg["settled"]),
            "url": links["settled"],
            "note": 3,
        },
        {
            "id": "settlement-rate",
            "label": _("调解成功率"),
            "value": _pct(cur["settlement_rate"]),
            "change": _change(chg["settlement_rate"]),
            "url": links["settled"],
            "note": 3,
        },
        {
            "id": "amount-claimed",
            "label": _("涉及金额（元）"),
            "value": money(cur["amount_claimed"]),
            "change": _change(chg["amount_claimed"]),
            "url": links["amount_claimed"],
            "note": 4,
        },
        {
            "id": "amount-recovered",
            "label": _("追回金额（元）"),
            "value": money(cur["amount_recovered"]),
            "change": _change(chg["amount_recovered"]),
            "url": links["amount_recovered"],
            "note": 4,
        },
        {
            "id": "workers",
            "label": _("涉及职工（人）"),
            "value": cur["workers"],
            "change": _change(chg["workers"]),
            "url": links["workers"],
            "note": 5,
        },
        {
            "id": "workers-migrant",
            "label": _("其中农民工（人）"),
            "value": cur["workers_migrant"],
            "change": _change(chg["workers_migrant"]),
            "url": links["workers_migrant"],
            "note": 5,
        },
        {
            "id": "workers-nef",
            "label": _("其中新就业形态（人）"),
            "value": cur["workers_nef"],
            "change": _change(chg["workers_nef"]),
            "url": links["workers_nef"],
            "note": 5,
        },
        {
            "id": "open",
            "label": _("当前未结案件（件）"),
            "value": data["open_total"],
            "change": "",
            "url": links["open"],
            "note": 6,
        },
        {
            "id": "letters",
            "label": _("一函两书（份）"),
            "value": cur["letters_total"],
            "change": _change(chg["letters_total"]),
            "url": links["letters"],
            "note": 8,
        },
        {
            "id": "rectification-rate",
            "label": _("整改率"),
            "value": _pct(cur["rectification_rate"]),
            "change": _change(chg["rectification_rate"]),
            "url": links["letters"],
            "note": 8,
        },
        {
            "id": "typical",
            "label": _("发布典型案例（件）"),
            "value": cur["typical_published"],
            "change": _change(chg["typical_published"]),
            "url": links["typical"],
            "note": 9,
        },
    ]


def _chart_labels() -> dict:
    return {
        "cases": _("件"),
        "days": _("天"),
        "month": _("%(m)s月"),
        "received_this": _("本年受理"),
        "received_last": _("上年受理"),
        "closed_this": _("本年办结"),
        "closed_last": _("上年办结"),
        "overdue": _("已逾期"),
        "at_risk": _("临近届满"),
        "referrals": _("移送件数"),
        "answered": _("已答复"),
        "median_days": _("答复用时中位数（天）"),
        "letters": _("份"),
    }


@login_required
def home(request):
    """The landing page per role: the city supervisor and the county committee heads land on the
    cockpit; everyone else on the inbox."""
    if selectors.lands_on_cockpit(request.user):
        return redirect("statistics:cockpit")
    return redirect("inbox")
