"""Cases and clocks for the clock tests, built directly (no flow): the flow starts its own clocks."""

import datetime
import itertools

import factory

from mediation.cases.models import Case, Channel
from mediation.clocks.models import CalendarOverride, DeadlineRule
from mediation.clocks.services import clock_start

_numbers = itertools.count(1)


def bare_case(agency, created_by, **extra) -> Case:
    """A case row with no flow and no clocks, in the agency's county."""
    n = next(_numbers)
    fields = dict(
        case_no=f"测调〔2026〕第{n:04d}号", year=2026, agency=agency, county=agency.county,
        channel=Channel.WALK_IN, title=f"欠薪纠纷{n}", facts="拖欠工资。", created_by=created_by,
    )
    fields.update(extra)
    return Case.objects.create(**fields)


def start(case, rule_code: str, started_on: datetime.date, **kwargs):
    """Start `rule_code` on the case itself."""
    kwargs.setdefault("agency", case.agency)
    return clock_start(subject=case, rule_code=rule_code, started_on=started_on, case=case, **kwargs)


class CalendarOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarOverride

    date = datetime.date(2028, 1, 3)
    kind = "holiday"
    name = "元旦"
    locality = ""


def local_rule(code: str, county: str, **changes) -> DeadlineRule:
    """A county's own version of a city-wide rule (copy, change, save as version 1 of that locality)."""
    base = DeadlineRule.objects.current().get(code=code, locality="")
    fields = {f.name: getattr(base, f.name) for f in DeadlineRule._meta.concrete_fields
              if f.name not in ("id", "created_at", "superseded_at")}
    fields.update(locality=county, version=1, **changes)
    return DeadlineRule.objects.create(**fields)
