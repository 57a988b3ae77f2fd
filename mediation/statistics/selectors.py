"""The cockpit's figures (数据驾驶舱), for a user: one module used by the page, the annual report,
the API and the tests, so that they always agree.

Every figure is an aggregate query (COUNT / SUM grouped in the database, no per-case Python) on
`cases_visible_to(user)` narrowed by `mediation.cases.selectors.case_filter` — the very function
the case list uses — so the list behind a number holds exactly the cases counted. The counting
rules are written down in docs/statistics.md and in the page's footnotes.
"""

from __future__ import annotations

import calendar
import datetime
import statistics as pystats
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models import Case as DbCase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mediation.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    ClosingCode,
    DisputeType,
    EmploymentForm,
)
from mediation.cases.selectors import case_filter, cases_visible_to
from parties.models import Agency, AgencyKind, County, Role

ZERO = Decimal("0.00")
NEF_FORMS = [EmploymentForm.NEF_LABOR, EmploymentForm.NEF_INCOMPLETE, EmploymentForm.NEF_CIVIL]
SETTLED_CODES = [c for c in ClosingCode.values if c.startswith("SUCCESS_")]
FAILED_CODES = [c for c in ClosingCode.values if c.startswith("FAILED_")]
# Closed without mediation having been tried: left out of the settlement rate's denominator.
NOT_MEDIATED_CODES = [ClosingCode.NOT_ACCEPTED, ClosingCode.REDIRECTED]
OPEN_STAGES = [s for s in OPEN_STATUSES if s != CaseStatus.DRAFT]
PERIODS = ("year", "quarter", "month", "custom")
FIRST_YEAR, LAST_YEAR = 2000, 2100


# ---------------------------------------------------------------- who may look, and at what


def _staff(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "staff", None)


def sees_city(user) -> bool:
    staff = _staff(user)
    return bool(
        staff
        and staff.agency.is_union
        and staff.agency.is_city
        and staff.has_role(Role.UNION_SUPERVISOR)
    )


def may_view_cockpit(user) -> bool:
    """The city union supervisor (the city) and the committee heads of the county unions (their county)."""
    staff = _staff(user)
    if staff is None or not staff.agency.is_union:
        return False
    return sees_city(user) or (not staff.agency.is_city and staff.has_role(Role.COMMITTEE_HEAD))


def lands_on_cockpit(user) -> bool:
    """Their home page is the cockpit; everyone else keeps the inbox."""
    return may_view_cockpit(user)


def visible_counties(user) -> list[tuple[str, str]]:
    if sees_city(user):
        return [(k, str(v)) for k, v in County.choices]
    staff = _staff(user)
    if staff is None:
        return []
    return [(staff.agency.county, str(County(staff.agency.county).label))]


def visible_agencies(user) -> QuerySet[Agency]:
    """The union agencies that handle cases, within the user's counties (the 'agency' filter)."""
    qs = Agency.objects.filter(kind=AgencyKind.UNION).exclude(case_prefix="")
    if not sees_city(user):
        qs = qs.filter(county__in=[c for c, _l in visible_counties(user)])
    return qs.order_by("county", "name")


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """The period (start..end, both inclusive) and the case filters, as kept in the URL."""

    period: str
    year: int
    start: datetime.date
    end: datetime.date
    quarter: int | None = None
    month: int | None = None
    county: str | None = None
    agency: int | None = None
    dispute_type: str | None = None

    def previous(self) -> tuple[datetime.date, datetime.date]:
        """The same span one year earlier (同比); 29 February becomes 28 February."""
        return _year_earlier(self.start), _year_earlier(self.end)

    def params(self) -> dict[str, str]:
        out = {"period": self.period, "year": str(self.year)}
        if self.period == "quarter":
            out["quarter"] = str(self.quarter)
        elif self.period == "month":
            out["month"] = str(self.month)
        elif self.period == "custom":
            out.update({"from": self.start.isoformat(), "to": self.end.isoformat()})
        for key in ("county", "agency", "dispute_type"):
            if getattr(self, key):
                out[key] = str(getattr(self, key))
        return out

    def case_params(self) -> dict:
        """The case-list filters these stand for (without the period)."""
        return {"county": self.county, "agency": self.agency, "dispute_type": self.dispute_type}

    def label(self) -> str:
        if self.period == "year":
            return _("%(y)s年") % {"y": self.year}
        if self.period == "quarter":
            return _("%(y)s年第%(q)s季度") % {"y": self.year, "q": self.quarter}
        if self.period == "month":
            return _("%(y)s年%(m)s月") % {"y": self.year, "m": self.month}
        return _("%(a)s至%(b)s") % {"a": cn_date(self.start), "b": cn_date(self.end)}


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _int(value, name, low, high) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(name)s无效：%(value)s") % {"name": name, "value": value}
        ) from None
    if not low <= number <= high:
        raise ValidationError(
            _("%(name)s须在%(low)s至%(high)s之间。") % {"name": name, "low": low, "high": high}
        )
    return number


def filters_parse(user, params, *, today: datetime.date | None = None) -> Filters:
    """Read the filters from a query dict. Raises ValidationError (zh-hans) on bad input.
    A county or agency outside what the user may see is refused like any unknown value."""
    today = today or timezone.localdate()
    period = params.get("period") or "year"
    if period not in PERIODS:
        raise ValidationError(_("统计周期无效：请选择月、季、年或自定义。"))
    year = _int(params.get("year") or today.year, _("年度"), FIRST_YEAR, LAST_YEAR)
    quarter = month = None
    if period == "year":
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    elif period == "quarter":
        quarter = _int(params.get("quarter") or (today.month - 1) // 3 + 1, _("季度"), 1, 4)
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
    elif period == "month":
        month = _int(params.get("month") or today.month, _("月份"), 1, 12)
        start, end = (
            datetime.date(year, month, 1),
            datetime.date(year, month, calendar.monthrange(year, month)[1]),
        )
    else:
        try:
            start = datetime.date.fromisoformat(params.get("from") or "")
            end = datetime.date.fromisoformat(params.get("to") or "")
        except ValueError:
            raise ValidationError(_("自定义周期须填写起止日期（如 2026-01-01）。")) from None
        if end < start:
            raise ValidationError(_("结束日期不能早于开始日期。"))
        if end - start > datetime.timedelta(days=366 * 5):
            raise ValidationError(_("自定义周期最长五年。"))
        year = end.year
    county = params.get("county") or None
    if county and county not in {c for c, _l in visible_counties(user)}:
        raise ValidationError(_("县区无效或不在您的查看范围内。"))
    agency = params.get("agency") or None
    if agency:
        if not str(agency).isdigit() or not visible_agencies(user).filter(pk=int(agency)).exists():
            raise ValidationError(_("承办机构无效或不在您的查看范围内。"))
        agency = int(agency)
    dispute_type = params.get("dispute_type") or None
    if dispute_type and dispute_type not in DisputeType.values:
        raise ValidationError(_("争议类型无效。"))
    return Filters(
        period=period,
        year=year,
        start=start,
        end=end,
        quarter=quarter,
        month=month,
        county=county,
        agency=agency,
        dispute_type=dispute_type,
    )


def default_filters(user, *, today: datetime.date | None = None) -> Filters:
    return filters_parse(user, {}, today=today)


def cases_in_scope(user, filters: Filters) -> QuerySet[Case]:
    """The cases the user may see, narrowed by county, agency and dispute type (not by period)."""
    qs = cases_visible_to(user)
    if filters.county:
        qs = qs.filter(county=filters.county)
    return case_filter(qs, agency=filters.agency, dispute_type=filters.dispute_type)


def case_list_url(filters: Filters, **extra) -> str:
    params = {k: v for k, v in {**filters.case_params(), **extra}.items() if v not in (None, "")}
    for key, value in params.items():
        if isinstance(value, datetime.date):
            params[key] = value.isoformat()
    return f"{reverse('case_list')}?{urlencode(params)}"


# ---------------------------------------------------------------- the headline figures


def _rate(numerator, denominator) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def change(current, previous) -> float | None:
    """同比: (current - previous) / previous, None when last year had nothing to compare."""
    if previous in (None, 0) or current is None:
        return None
    return round((float(current) - float(previous)) / float(previous), 4)


@dataclass
class Headline:
    """The figures a 工作报告 cites, for one span (and one county when grouped)."""

    received: int = 0
    closed: int = 0
    outcomes: dict = field(default_factory=dict)  # closing code -> cases
    settled: int = 0
    failed: int = 0
    mediated: int = 0  # closed after mediation was tried: the settlement rate's denominator
    settlement_rate: float | None = None
    amount_claimed: Decimal = ZERO
    amount_recovered: Decimal = ZERO
    workers: int = 0
    workers_migrant: int = 0
    workers_nef: int = 0
    letters: dict = field(default_factory=dict)  # letter kind -> issued
    letters_total: int = 0
    letters_answered: int = 0
    letters_rectified: int = 0
    rectification_rate: float | None = None
    typical_published: int = 0

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["amount_claimed"] = f"{self.amount_claimed:.2f}"
        out["amount_recovered"] = f"{self.amount_recovered:.2f}"
        return out


Span = tuple[datetime.date, datetime.date]


def _any(field_name: str, spans: dict[str, Span]) -> Q:
    q = Q()
    for start, end in spans.values():
        q |= Q(**{f"{field_name}__range": (start, end)})
    return q


def _rows(qs, by_county: bool, county_field: str, **aggregates) -> list[dict]:
    """One row per county (key "county") or a single row (county None), in one query."""
    if by_county:
        rows = qs.values(county_field).annotate(**aggregates).order_by()
        return [{**r, "county": r[county_field]} for r in rows]
    return [{**qs.aggregate(**aggregates), "county": None}]


def headlines_for_spans(
    user,
    filters: Filters,
    spans: dict[str, Span],
    *,
    by_county: bool = False,
    months_of: int | None = None,
    out_months: dict | None = None,
) -> dict[str, dict[str | None, Headline]]:
    """The headline figures for each named span (e.g. this year and last year), keyed by county
    code when `by_county`, else by None. Each figure is one query for all spans together
    (conditional aggregation), rooted at the visible cases so that no IN (subquery) is needed.
    The page, the report and the API all come through here. With `months_of` (a year), the same
    pass over the cases also counts the cases received and closed in each month of that year and
    the year before, into `out_months` (keys as `_month_aggregates`; see `monthly`)."""
    from mediation.supervision.models import LetterKind

    scope = cases_in_scope(user, filters)
    out: dict[str, dict[str | None, Headline]] = {name: defaultdict(Headline) for name in spans}
    received_in = {name: Q(received_on__range=span) for name, span in spans.items()}

    # Received, closed by closing code, workers: one pass over the cases, grouped by closing code
    # (a handful of groups, added up below). Workers come from the case's stored tallies
    # (workers_count and the 农民工 / 新就业形态 counts kept by the case services), not from a
    # join to every worker: a collective case of 38 is 38.
    nef = DbCase(
        When(employment_form__in=NEF_FORMS, then=F("workers_count")),
        default=F("workers_nef"),
        output_field=IntegerField(),
    )
    aggregates = {}
    for n, span in spans.items():
        q = received_in[n]
        aggregates[f"{n}_r"] = Count("id", filter=q)
        aggregates[f"{n}_n"] = Sum("workers_count", filter=q)
        aggregates[f"{n}_m"] = Sum("workers_migrant", filter=q)
        aggregates[f"{n}_e"] = Sum(nef, filter=q)
        aggregates[f"{n}_c"] = Count("id", filter=Q(closed_on__range=span))
    months = {}
    if months_of is not None:
        months = _month_aggregates(months_of)
        aggregates.update(months)
    wanted = _any("received_on", spans) | _any("closed_on", spans)
    if months_of is not None:
        two_years = (datetime.date(months_of - 1, 1, 1), datetime.date(months_of, 12, 31))
        wanted |= Q(received_on__range=two_years) | Q(closed_on__range=two_years)
    fields = ["closing_code"] + (["county"] if by_county else [])
    month_counts: dict[str, int] = defaultdict(int)
    for row in scope.filter(wanted).values(*fields).annotate(**aggregates).order_by():
        for name in spans:
            h = out[name][row.get("county")]
            h.received += row[f"{name}_r"]
            h.workers += row[f"{name}_n"] or 0
            h.workers_migrant += row[f"{name}_m"] or 0
            h.workers_nef += row[f"{name}_e"] or 0
            if row[f"{name}_c"]:
                h.closed += row[f"{name}_c"]
                if row["closing_code"]:
                    h.outcomes[row["closing_code"]] = (
                        h.outcomes.get(row["closing_code"], 0) + row[f"{name}_c"]
                    )
        for key in months:
            month_counts[key] += row[key]
    if months_of is not None:
        out_months.update(month_counts)

    claimed = {n: Sum("claims__amount_claimed", filter=q) for n, q in received_in.items()}
    for row in _rows(scope.filter(_any("received_on", spans)), by_county, "county", **claimed):
        for name in spans:
            out[name][row["county"]].amount_claimed = row[name] or ZERO

    # Recovered = money actually paid: instalments with a payment date in the span, plus agreements
    # paid in full on the spot (signed in the span). Never the agreed total.
    paid = scope.filter(_any("agreement__instalments__paid_on", spans))
    sums = {
        n: Sum(
            "agreement__instalments__amount", filter=Q(agreement__instalments__paid_on__range=span)
        )
        for n, span in spans.items()
    }
    for row in _rows(paid, by_county, "county", **sums):
        for name in spans:
            out[name][row["county"]].amount_recovered += row[name] or ZERO
    spot = scope.filter(Q(agreement__paid_on_spot=True) & _any("agreement__signed_on", spans))
    sums = {
        n: Sum("agreement__amount_total", filter=Q(agreement__signed_on__range=span))
        for n, span in spans.items()
    }
    for row in _rows(spot, by_county, "county", **sums):
        for name in spans:
            out[name][row["county"]].amount_recovered += row[name] or ZERO

    for (name, county, kind), n in _letters(user, filters, spans, by_county).items():
        out[name][county].letters[kind] = n
    for (name, county), pair in _rectification(user, filters, spans, by_county).items():
        out[name][county].letters_answered, out[name][county].letters_rectified = pair
    for (name, county), n in _typical(user, filters, spans, by_county).items():
        out[name][county].typical_published = n

    for name in spans:
        if not by_county:
            out[name][None]  # noqa: B018  (an empty span still has its row of zeros)
        for h in out[name].values():
            h.settled = sum(n for c, n in h.outcomes.items() if c in SETTLED_CODES)
            h.failed = sum(n for c, n in h.outcomes.items() if c in FAILED_CODES)
            h.mediated = sum(n for c, n in h.outcomes.items() if c not in NOT_MEDIATED_CODES)
            h.settlement_rate = _rate(h.settled, h.mediated)
            h.letters = {k: h.letters.get(k, 0) for k in LetterKind.values}
            h.letters_total = sum(h.letters.values())
            h.rectification_rate = _rate(h.letters_rectified, h.letters_answered)
    return {name: dict(rows) for name, rows in out.items()}


def _matters(user, filters: Filters):
    from mediation.supervision.selectors import matters_visible_to

    matters = matters_visible_to(user)
    if not sees_city(user):
        staff = _staff(user)
        matters = matters.filter(county=staff.agency.county) if staff else matters.none()
    if filters.county:
        matters = matters.filter(county=filters.county)
    return matters


def _letters(user, filters, spans, by_county) -> dict[tuple, int]:
    """一函两书 issued in each span, by kind (the issuing date counts)."""
    from mediation.supervision.models import Letter

    letters = Letter.objects.filter(matter__in=_matters(user, filters).values("pk"))
    letters = letters.filter(_any("issued_on", spans))
    fields = ["kind"] + (["matter__county"] if by_county else [])
    counts = {n: Count("id", filter=Q(issued_on__range=span)) for n, span in spans.items()}
    out = {}
    for r in letters.values(*fields).annotate(**counts).order_by():
        for name in spans:
            if r[name]:
                out[(name, r.get("matter__county"), r["kind"])] = r[name]
    return out


def _rectification(user, filters, spans, by_county) -> dict:
    """Employer recipients of letters issued in the span that were delivered and whose reply was
    recorded (answered), and of those the ones the union verified as rectified."""
    from mediation.supervision.models import LetterRecipient, Verification

    rows = LetterRecipient.objects.filter(
        letter__matter__in=_matters(user, filters).values("pk"),
        employer__isnull=False,
        delivered_on__isnull=False,
    )
    rows = rows.exclude(reply_kind="").filter(_any("letter__issued_on", spans))
    aggregates = {}
    for n, span in spans.items():
        q = Q(letter__issued_on__range=span)
        aggregates[f"{n}_a"] = Count("id", filter=q)
        aggregates[f"{n}_r"] = Count("id", filter=q & Q(verification=Verification.RECTIFIED))
    return {
        (name, r["county"]): (r[f"{name}_a"], r[f"{name}_r"])
        for r in _rows(rows, by_county, "letter__matter__county", **aggregates)
        for name in spans
    }


def _typical(user, filters, spans, by_county) -> dict:
    """Typical cases published in the span (publication date), by county of the typical case."""
    from search.models import TypicalCase, TypicalCaseStatus

    qs = TypicalCase.objects.filter(status=TypicalCaseStatus.PUBLISHED)
    qs = qs.filter(_any("published_at__date", spans))
    if filters.county:
        qs = qs.filter(county=filters.county)
    elif not sees_city(user):
        qs = qs.filter(county__in=[c for c, _l in visible_counties(user)])
    if filters.dispute_type:
        qs = qs.filter(dispute_type=filters.dispute_type)
    counts = {n: Count("id", filter=Q(published_at__date__range=span)) for n, span in spans.items()}
    return {
        (name, r["county"]): r[name]
        for r in _rows(qs, by_county, "county", **counts)
        for name in spans
    }


# ---------------------------------------------------------------- the charts


def open_by_stage(user, filters: Filters) -> list[dict]:
    """Open cases today by status (a snapshot: the period does not apply)."""
    counts = dict(
        cases_in_scope(user, filters)
        .filter(status__in=OPEN_STAGES)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {
            "code": s,
            "label": str(CaseStatus(s).label),
            "n": counts.get(s, 0),
            "url": case_list_url(filters, status=s),
        }
        for s in OPEN_STAGES
        if counts.get(s)
    ]


def _month_aggregates(year: int) -> dict:
    """Cases received / closed in each month of `year` and the year before, as filtered counts
    (keys received_2026_3, closed_2025_12, ...): one row, no grouping by month needed."""
    out = {}
    for name, field_name in (("received", "received_on"), ("closed", "closed_on")):
        for y in (year - 1, year):
            for m in range(1, 13):
                span = (datetime.date(y, m, 1), datetime.date(y, m, calendar.monthrange(y, m)[1]))
                out[f"{name}_{y}_{m}"] = Count("id", filter=Q(**{f"{field_name}__range": span}))
    return out


def monthly(user, filters: Filters, counts: dict | None = None) -> dict:
    """Cases received and closed per month of `filters.year`, against the year before. `counts`
    are the month counts `headlines_for_spans(months_of=...)` already made in its pass over the
    cases; without them, one query here."""
    year = filters.year
    if counts is None:
        counts = cases_in_scope(user, filters).aggregate(**_month_aggregates(year))
    series = {}
    for name in ("received", "closed"):
        for y, label in ((year, "this"), (year - 1, "last")):
            series[f"{name}_{label}"] = [
                {
                    "month": m,
                    "n": counts.get(f"{name}_{y}_{m}") or 0,
                    "url": case_list_url(
                        filters,
                        **{
                            f"{name}_from": datetime.date(y, m, 1),
                            f"{name}_to": datetime.date(y, m, calendar.monthrange(y, m)[1]),
                        },
                    ),
                }
                for m in range(1, 13)
            ]
    return {"year": year, **series}


def outcome_mix(filters: Filters, headline: Headline) -> list[dict]:
    return [
        {
            "code": code,
            "label": str(label),
            "n": headline.outcomes.get(code, 0),
            "url": case_list_url(
                filters, closing_code=code, closed_from=filters.start, closed_to=filters.end
            ),
        }
        for code, label in ClosingCode.choices
        if headline.outcomes.get(code)
    ]


def clocks_by_county(user, filters: Filters, *, today: datetime.date | None = None) -> list[dict]:
    """Cases with an overdue / at-risk running clock today, by county (a snapshot)."""
    from mediation.clocks.models import ClockStatus

    today = today or timezone.localdate()
    scope = cases_in_scope(user, filters)
    rows = (
        scope.filter(clocks__status=ClockStatus.RUNNING)
        .values("county")
        .annotate(
            overdue=Count("id", filter=Q(clocks__due_on__lt=today), distinct=True),
            at_risk=Count(
                "id", filter=Q(clocks__warn_on__lte=today, clocks__due_on__gte=today), distinct=True
            ),
        )
        .order_by()
    )
    labels = dict(County.choices)
    out = []
    for r in sorted(rows, key=lambda r: r["county"]):
        if not (r["overdue"] or r["at_risk"]):
            continue
        code = r["county"]
        out.append(
            {
                "code": code,
                "label": str(labels.get(code, code)),
                "overdue": r["overdue"],
                "at_risk": r["at_risk"],
                "overdue_url": case_list_url(filters, county=code, clock="overdue"),
                "at_risk_url": case_list_url(filters, county=code, clock="at_risk"),
            }
        )
    return out


class DaysBetween(Func):
    """Whole calendar days from the second date to the first."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, conn, **extra):
        return super().as_sql(
            compiler, conn, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )

    def as_sqlite(self, compiler, conn, **extra):
        return super().as_sql(
            compiler,
            conn,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5) as an aggregate."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def referrals_by_agency(user, filters: Filters) -> list[dict]:
    """Referrals sent in the period, by receiving agency, with how many it answered (a decision
    recorded) and the median days from sending to the decision."""
    scope = cases_in_scope(user, filters)
    referrals = scope.filter(referrals__sent_on__range=(filters.start, filters.end))
    days = DaysBetween(F("referrals__decided_on"), F("referrals__sent_on"))
    aggregates = {
        "n": Count("referrals"),
        "answered": Count("referrals", filter=Q(referrals__decided_on__isnull=False)),
    }
    if connection.vendor == "postgresql":
        aggregates["m"] = Median(days)  # NULL durations (not answered) are ignored
    rows = [
        {
            **r,
            "target_agency": r["referrals__target_agency"],
            "target_agency__name": r["referrals__target_agency__name"],
        }
        for r in referrals.values("referrals__target_agency", "referrals__target_agency__name")
        .annotate(**aggregates)
        .order_by("referrals__target_agency__name")
    ]
    if connection.vendor == "postgresql":
        medians = {r["target_agency"]: r["m"] for r in rows}
    else:  # SQLite (development, tests) has no percentile aggregate: the durations, one column
        durations = defaultdict(list)
        answered = scope.filter(  # one filter() call: one join to the referrals
            referrals__sent_on__range=(filters.start, filters.end),
            referrals__decided_on__isnull=False,
        ).annotate(days=days)
        for agency_id, n in answered.values_list("referrals__target_agency", "days"):
            durations[agency_id].append(n)
        medians = {k: pystats.median(v) for k, v in durations.items()}
    return [
        {
            "agency": r["target_agency"],
            "name": r["target_agency__name"],
            "n": r["n"],
            "answered": r["answered"],
            "median_days": None
            if medians.get(r["target_agency"]) is None
            else float(medians[r["target_agency"]]),
            "url": case_list_url(
                filters,
                referral_agency=r["target_agency"],
                referred_from=filters.start,
                referred_to=filters.end,
            ),
            "answered_url": case_list_url(
                filters,
                referral_agency=r["target_agency"],
                referred_from=filters.start,
                referred_to=filters.end,
                referral_answered="1",
            ),
        }
        for r in rows
    ]


# ---------------------------------------------------------------- the whole page


@contextmanager
def _serial_queries():
    """The cockpit's aggregates read a few tens of thousands of rows each: on PostgreSQL, planning
    them as parallel queries costs more in starting the workers (each building its own hash)
    than it saves, all the more on a busy server (bench/cockpit.py, docs/statistics.md). Only
    these queries run serially: SET LOCAL ends with the transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def cockpit(user, filters: Filters, *, today: datetime.date | None = None) -> dict:
    """Everything the cockpit shows, as plain data (the API returns it as JSON)."""
    with _serial_queries():
        return _cockpit(user, filters, today=today)


def _cockpit(user, filters: Filters, *, today: datetime.date | None = None) -> dict:
    from mediation.supervision.models import LetterKind

    prev_start, prev_end = filters.previous()
    month_counts: dict = {}
    both = headlines_for_spans(
        user,
        filters,
        {"current": (filters.start, filters.end), "previous": (prev_start, prev_end)},
        months_of=filters.year,
        out_months=month_counts,
    )
    current, previous = both["current"][None], both["previous"][None]
    period_range = {"received_from": filters.start, "received_to": filters.end}
    closed_range = {"closed_from": filters.start, "closed_to": filters.end}
    links = {
        "received": case_list_url(filters, **period_range),
        "closed": case_list_url(filters, **closed_range),
        "settled": case_list_url(filters, outcome="settled", **closed_range),
        "failed": case_list_url(filters, outcome="failed", **closed_range),
        "amount_claimed": case_list_url(filters, **period_range),
        "amount_recovered": case_list_url(filters, paid_from=filters.start, paid_to=filters.end),
        "workers": case_list_url(filters, **period_range),
        "workers_migrant": case_list_url(filters, worker_group="migrant", **period_range),
        "workers_nef": case_list_url(filters, worker_group="nef", **period_range),
        "open": case_list_url(filters, open="1"),
        "letters": f"{reverse('supervision:statistics')}?"
        + urlencode(
            {"year": filters.year, **({"county": filters.county} if filters.county else {})}
        ),
        "typical": f"{reverse('search:search')}?"
        + urlencode(
            [("year", y) for y in range(filters.start.year, filters.end.year + 1)]
            + ([("county", filters.county)] if filters.county else [])
        ),
    }
    compare = {
        k: change(getattr(current, k), getattr(previous, k))
        for k in (
            "received",
            "closed",
            "settled",
            "settlement_rate",
            "amount_claimed",
            "amount_recovered",
            "workers",
            "workers_migrant",
            "workers_nef",
            "letters_total",
            "rectification_rate",
            "typical_published",
        )
    }
    stages = open_by_stage(user, filters)
    return {
        "filters": filters.params(),
        "period": {
            "label": filters.label(),
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "previous_start": prev_start.isoformat(),
            "previous_end": prev_end.isoformat(),
        },
        "current": current.as_dict(),
        "previous": previous.as_dict(),
        "change": compare,
        "links": links,
        "open_total": sum(s["n"] for s in stages),
        "open_by_stage": stages,
        "monthly": monthly(user, filters, month_counts),
        "outcomes": outcome_mix(filters, current),
        "clocks_by_county": clocks_by_county(user, filters, today=today),
        "referrals": referrals_by_agency(user, filters),
        "letter_kinds": [
            {"code": k, "label": str(v), "n": current.letters.get(k, 0)}
            for k, v in LetterKind.choices
        ],
    }


# ---------------------------------------------------------------- the annual report


def annual_table(user, *, year: int, county: str | None = None) -> dict:
    """The year's figures per county and in total, with last year's and the 同比 change.
    The total row is computed by the same query without grouping, so it equals the page."""
    with _serial_queries():
        return _annual_table(user, year=year, county=county)


def _annual_table(user, *, year: int, county: str | None = None) -> dict:
    filters = filters_parse(
        user, {"period": "year", "year": year, **({"county": county} if county else {})}
    )
    spans = {"current": (filters.start, filters.end), "previous": filters.previous()}
    grouped = headlines_for_spans(user, filters, spans, by_county=True)
    this_year, last_year = grouped["current"], grouped["previous"]
    totals = headlines_for_spans(user, filters, spans)
    total, total_last = totals["current"][None], totals["previous"][None]
    codes = [c for c, _l in visible_counties(user) if not county or c == county]
    rows = [
        {
            "code": c,
            "label": str(County(c).label),
            "current": this_year.get(c, Headline()),
            "previous": last_year.get(c, Headline()),
        }
        for c in codes
    ]
    rows = [r for r in rows if _has_data(r["current"]) or _has_data(r["previous"]) or county]
    return {
        "year": year,
        "county": county,
        "scope_label": str(County(county).label) if county else _("全市"),
        "rows": rows,
        "total": {"current": total, "previous": total_last},
    }


def _has_data(h: Headline) -> bool:
    return bool(
        h.received
        or h.closed
        or h.amount_recovered
        or h.letters_total
        or h.typical_published
        or h.letters_answered
    )


# The columns of the 工作报告 table: (key, label, kind). kind: int / money / rate.
REPORT_COLUMNS = [
    ("received", "受理案件（件）", "int"),
    ("closed", "办结案件（件）", "int"),
    ("settled", "调解成功（件）", "int"),
    ("settlement_rate", "调解成功率", "rate"),
    ("amount_claimed", "涉及金额（元）", "money"),
    ("amount_recovered", "追回金额（元）", "money"),
    ("workers", "涉及职工（人）", "int"),
    ("workers_migrant", "其中农民工（人）", "int"),
    ("workers_nef", "其中新就业形态（人）", "int"),
    ("letters_total", "一函两书（份）", "int"),
    ("rectification_rate", "整改率", "rate"),
    ("typical_published", "发布典型案例（件）", "int"),
]
