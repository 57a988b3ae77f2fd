"""Protective dates that are computed, not clocked (issue 8 item B9).

* D12 — the arbitration limitation period of each claim (调解仲裁法 Art. 27): one year from the day
  the worker knew or should have known of the infringement; 劳动报酬 in arrears during the
  employment is not limited while it lasts, then one year from its end (para 4). The union's
  receipt of the mediation application is a request to a relevant body, which arguably
  interrupts the period [I]: it is shown as evidence, never added to the date.
* D31 — the two-year look-back of labour inspection (劳动保障监察条例 Art. 20), counted from the
  violation or, when it continues, from its end.

Both read their period and legal basis from the deadline rule (data), with the same calendar and
arithmetic as a clock (`workdays.add_period`, as `clock_due_preview`); the risk threshold is configuration
(settings.CONCORD_LIMITATION_RISK_DAYS).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mediation.clocks import workdays
from mediation.clocks.calendar import CalendarCache
from mediation.clocks.selectors import rule_current
from mediation.clocks.services import clock_due_preview

from .models import Case, Claim

# The rules these dates follow (DOMAIN §3.2): their period, unit and basis are data.
LIMITATION_RULE = "D12"
INSPECTION_LOOKBACK_RULE = "D31"


@dataclass(frozen=True)
class ClaimLimitation:
    claim: Claim
    started_on: datetime.date | None  # what the year runs from (None: not running or not known)
    due_on: datetime.date | None
    continuing: bool  # 劳动报酬 during the employment: no limit while it lasts
    days_left: int | None
    at_risk: bool  # within the threshold, or passed: "时效风险"
    expired: bool
    expired_at_receipt: bool  # already passed when the union received the application
    interruption_evidence_on: datetime.date | None  # the union's receipt of the application
    legal_basis: str


def risk_days() -> int:
    return int(getattr(settings, "CONCORD_LIMITATION_RISK_DAYS", 60))


class _Periods:
    """The D12 rule and calendar of each county, loaded once for a page (the same arithmetic as a
    clock of that rule: `clock_due_preview`)."""

    def __init__(self) -> None:
        self.rules: dict[str, object] = {}
        self.calendars = CalendarCache()

    def rule(self, county: str):
        if county not in self.rules:
            self.rules[county] = rule_current(LIMITATION_RULE, county)
        return self.rules[county]

    def due(self, started: datetime.date, county: str) -> datetime.date:
        rule = self.rule(county)
        return workdays.add_period(self.calendars[county], started, rule.period, rule.unit).value


def claim_limitation(claim: Claim, *, case: Case, today: datetime.date, threshold: int | None = None,
                     periods: _Periods | None = None) -> ClaimLimitation:
    threshold = risk_days() if threshold is None else threshold
    periods = periods or _Periods()
    continuing = claim.is_labor_remuneration and claim.employment_continuing
    if continuing:
        started = None
    elif claim.is_labor_remuneration and claim.employment_ended_on:
        started = claim.employment_ended_on
    else:
        started = claim.knew_on
    due = periods.due(started, case.county) if started else None
    days_left = (due - today).days if due else None
    return ClaimLimitation(
        claim=claim, started_on=started, due_on=due, continuing=continuing, days_left=days_left,
        at_risk=days_left is not None and days_left <= threshold, expired=days_left is not None and days_left < 0,
        expired_at_receipt=bool(due and case.received_on and due < case.received_on),
        interruption_evidence_on=case.received_on, legal_basis=periods.rule(case.county).legal_basis,
    )


def claim_limitations(case: Case, *, today: datetime.date | None = None) -> list[ClaimLimitation]:
    """D12 of every claim of the case, in the order they were registered."""
    today = today or timezone.localdate()
    threshold, periods = risk_days(), _Periods()
    return [claim_limitation(c, case=case, today=today, threshold=threshold, periods=periods)
            for c in case.claims.order_by("id")]


def limitation_at_risk(case: Case, *, today: datetime.date | None = None) -> list[ClaimLimitation]:
    return [row for row in claim_limitations(case, today=today) if row.at_risk]


def cases_with_limitation_risk(cases, *, today: datetime.date | None = None) -> set[int]:
    """The ids of `cases` (a page of a list) with a claim at risk: one query for their claims."""
    today = today or timezone.localdate()
    by_case = {c.pk: c for c in cases}
    if not by_case:
        return set()
    threshold, periods, out = risk_days(), _Periods(), set()
    dated = Q(knew_on__isnull=False) | Q(employment_ended_on__isnull=False)
    for claim in Claim.objects.filter(dated, case_id__in=by_case).order_by("case_id", "id"):
        if claim.case_id in out:
            continue
        row = claim_limitation(claim, case=by_case[claim.case_id], today=today, threshold=threshold, periods=periods)
        if row.at_risk:
            out.add(claim.case_id)
    return out


@dataclass(frozen=True)
class Lookback:
    violation_on: datetime.date
    last_day: datetime.date  # the last day a complaint or referral is still within two years
    expired: bool
    legal_basis: str


def inspection_lookback(violation_on: datetime.date, *, referred_on: datetime.date, county: str = "") -> Lookback:
    """D31: is a referral to labour inspection on `referred_on` within two years of the violation
    (or of its end, when it continues)?"""
    last_day = clock_due_preview(rule_code=INSPECTION_LOOKBACK_RULE, started_on=violation_on, county=county)
    return Lookback(violation_on=violation_on, last_day=last_day, expired=referred_on > last_day,
                    legal_basis=rule_current(INSPECTION_LOOKBACK_RULE, county).legal_basis)
