"""Date arithmetic on China's working-day calendar. Pure: no database, no settings.

DOMAIN §3.1 and 民事诉讼法 Art. 85 (2023):
* the day of the triggering event does not count;
* a period counted in 日 (calendar days), 月 or 年 whose last day is not a working day
  ends on the next working day;
* a period counted in 工作日 counts working days only.

Working days: Monday–Friday, minus official holidays, plus the 调休 make-up days.
The data come from the `chinese_calendar` package for the years it covers and from
`overrides` (the admin's table) on top. A year that neither covers is *not loaded*:
its days come from a provisional calendar — the statutory holidays of
《全国年节及纪念日放假办法》 (`statutory_holidays`), Monday–Friday otherwise, no 调休 —
so that a clock can be computed, but every answer that consulted such a day reports
the year in `missing_years`, and callers must show it as provisional. Nothing here
treats 元旦 or 春节 beyond the package as working days, loaded or not (an override may).
"""

from __future__ import annotations

import calendar as _pycal
import datetime
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import chinese_calendar
from lunardate import LunarDate

ONE_DAY = datetime.timedelta(days=1)


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"


class Unit(StrEnum):
    CALENDAR = "calendar"  # 日
    WORKING = "working"  # 工作日
    MONTH = "month"  # 月
    YEAR = "year"  # 年


# chinese_calendar names its holidays in English.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

_PACKAGE_YEARS = frozenset(d.year for d in chinese_calendar.holidays)
PACKAGE_FIRST_YEAR = min(_PACKAGE_YEARS)
PACKAGE_LAST_YEAR = max(_PACKAGE_YEARS)


LUNAR_FIRST_YEAR, LUNAR_LAST_YEAR = 1900, 2099  # what lunardate covers


@functools.lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The days off of 《全国年节及纪念日放假办法》 Art. 2 (as amended by 国务院令第793号, 2024).

    元旦 1-1; 春节 农历除夕 and 正月初一至初三; 清明节 the day of the 清明 solar term;
    劳动节 5-1 and 5-2; 端午节 农历五月初五; 中秋节 农历八月十五; 国庆节 10-1 … 10-3.
    Lunar dates from `lunardate` (1900–2099); 清明 from `chinese_calendar.get_solar_terms`
    (the 寿星 formula with its corrections, 1900–2100). These are the statutory days only:
    the State Council's schedule adds 调休 and make-up days that cannot be known in advance.
    """
    days = {datetime.date(year, 1, 1): "元旦"}
    if not LUNAR_FIRST_YEAR <= year <= LUNAR_LAST_YEAR:
        raise ValueError(f"no lunar calendar for {year}")
    first_day = LunarDate(year, 1, 1).to_solar_date()
    for offset in range(-1, 3):  # 除夕 is the day before 正月初一, whatever the length of 腊月
        days[first_day + datetime.timedelta(days=offset)] = "春节"
    qingming = [d for d, name in chinese_calendar.get_solar_terms(
        datetime.date(year, 4, 1), datetime.date(year, 4, 10)) if name == "清明"]
    days[qingming[0]] = "清明节"
    days[datetime.date(year, 5, 1)] = days[datetime.date(year, 5, 2)] = "劳动节"
    days.setdefault(LunarDate(year, 5, 5).to_solar_date(), "端午节")
    days.setdefault(LunarDate(year, 8, 15).to_solar_date(), "中秋节")
    for day in (1, 2, 3):
        days[datetime.date(year, 10, day)] = "国庆节"  # wins when 中秋 falls on 10-1 … 10-3
    return dict(sorted(days.items()))


@dataclass(frozen=True)
class Day:
    date: datetime.date
    kind: DayKind
    holiday: str | None  # the holiday a day off or a make-up day belongs to
    loaded: bool  # False: the year has no official schedule; kind comes from the provisional calendar

    @property
    def is_working(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)

    @property
    def provisional(self) -> bool:
        """The statutory holidays and the weekday, until the official schedule is entered."""
        return not self.loaded


class WorkCalendar:
    """The calendar of one locality.

    `overrides` maps a date to (DayKind.HOLIDAY | DayKind.MAKEUP_WORKDAY, name); they win
    over the package. `loaded_years` are the years beyond the package whose official
    schedule an administrator has entered (so their plain weekdays are known workdays).
    """

    def __init__(
        self,
        overrides: Mapping[datetime.date, tuple[DayKind | str, str]] | None = None,
        loaded_years: Iterable[int] = (),
    ) -> None:
        self._overrides = {d: (DayKind(k), name) for d, (k, name) in (overrides or {}).items()}
        self._loaded_years = frozenset(loaded_years) | _PACKAGE_YEARS

    def is_loaded(self, year: int) -> bool:
        return year in self._loaded_years

    def day(self, d: datetime.date) -> Day:
        loaded = self.is_loaded(d.year)
        if d in self._overrides:
            kind, name = self._overrides[d]
            return Day(d, kind, name or None, loaded)
        if d.year in _PACKAGE_YEARS:
            if d in chinese_calendar.workdays:
                name = chinese_calendar.workdays[d]
                return Day(d, DayKind.MAKEUP_WORKDAY, HOLIDAY_NAMES_ZH.get(name, name), True)
            if d in chinese_calendar.holidays:
                name = chinese_calendar.holidays[d]
                return Day(d, DayKind.HOLIDAY, HOLIDAY_NAMES_ZH.get(name, name), True)
        elif PACKAGE_LAST_YEAR < d.year <= LUNAR_LAST_YEAR:
            # After the package the statutory days (as amended in force since 2025) are off in any
            # case — every official schedule contains them — so a loaded year whose entry forgot
            # one still keeps 元旦 and 春节 off.
            statutory = statutory_holidays(d.year).get(d)
            if statutory is not None:
                return Day(d, DayKind.HOLIDAY, statutory, loaded)
        kind = DayKind.WEEKEND if d.weekday() >= 5 else DayKind.WORKDAY
        return Day(d, kind, None, loaded)


@dataclass
class _Probe:
    """Asks the calendar and remembers the years it had to guess."""

    calendar: WorkCalendar
    missing: set[int] = field(default_factory=set)

    def is_working(self, d: datetime.date) -> bool:
        day = self.calendar.day(d)
        if not day.loaded:
            self.missing.add(d.year)
        return day.is_working


@dataclass(frozen=True)
class Counted:
    value: datetime.date | int
    missing_years: frozenset[int]


def _check(n: int) -> None:
    if n < 0:
        raise ValueError("a period cannot be negative")


def add_months(d: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day if it has no such day."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(d.day, _pycal.monthrange(year, month)[1]))


def _roll_forward(probe: _Probe, d: datetime.date) -> datetime.date:
    while not probe.is_working(d):
        d += ONE_DAY
    return d


def _add_working(probe: _Probe, start: datetime.date, n: int) -> datetime.date:
    d = start
    while n > 0:
        d += ONE_DAY
        if probe.is_working(d):
            n -= 1
    return d


def _raw_end(start: datetime.date, n: int, unit: Unit) -> datetime.date:
    """The nominal last day of a calendar/month/year period, before rolling forward."""
    if unit == Unit.CALENDAR:
        return start + datetime.timedelta(days=n)
    if unit == Unit.MONTH:
        return add_months(start, n)
    if unit == Unit.YEAR:
        return add_months(start, 12 * n)
    raise ValueError(f"not a calendar-like unit: {unit}")


def add_period(cal: WorkCalendar, start: datetime.date, n: int, unit: Unit | str) -> Counted:
    """The last day of a period of `n` units triggered on `start` (which does not count)."""
    _check(n)
    unit, probe = Unit(unit), _Probe(cal)
    if unit == Unit.WORKING:
        due = _add_working(probe, start, n)
    else:
        due = _roll_forward(probe, _raw_end(start, n, unit)) if n else start
    return Counted(due, frozenset(probe.missing))


def working_days_between(cal: WorkCalendar, start: datetime.date, end: datetime.date) -> Counted:
    """Working days in (start, end]; 0 if end <= start."""
    probe, d, count = _Probe(cal), start, 0
    while d < end:
        d += ONE_DAY
        count += probe.is_working(d)
    return Counted(count, frozenset(probe.missing))


@dataclass(frozen=True)
class Pause:
    start: datetime.date
    end: datetime.date | None  # None: still paused


@dataclass(frozen=True)
class Schedule:
    due_on: datetime.date
    warn_on: datetime.date
    missing_years: frozenset[int]


def schedule(
    cal: WorkCalendar,
    *,
    started_on: datetime.date,
    period: int,
    unit: Unit | str,
    extension: int = 0,
    pauses: Sequence[Pause] = (),
    warn_percent: int = 80,
    warn_day: int | None = None,
) -> Schedule:
    """Due date and reminder date of one clock.

    `extension` is in the rule's unit for working days and in calendar days otherwise.
    A closed pause from P to R stops the count for the days in (P, R]: the due date
    moves by that span, counted in the clock's unit. An open pause is ignored here
    (the clock is paused; its dates move when it resumes).
    The reminder falls on day `warn_day` of the period if set, otherwise at
    `warn_percent` % of it (rounded down, at least day 1), moved by the same pauses.
    """
    _check(period)
    _check(extension)
    unit, probe = Unit(unit), _Probe(cal)
    closed = [p for p in pauses if p.end is not None]
    if unit == Unit.WORKING:
        paused = 0
        for p in closed:
            d = p.start
            while d < p.end:
                d += ONE_DAY
                paused += probe.is_working(d)
        total = period + extension
        due = _add_working(probe, started_on, total + paused)
        k = _warn_index(total, warn_percent, warn_day)
        warn = _add_working(probe, started_on, k + paused)
    else:
        paused = sum((p.end - p.start).days for p in closed)
        raw = _raw_end(started_on, period, unit) + datetime.timedelta(days=extension)
        total = (raw - started_on).days
        raw += datetime.timedelta(days=paused)
        due = _roll_forward(probe, raw) if total + paused else started_on
        k = _warn_index(total, warn_percent, warn_day)
        warn = started_on + datetime.timedelta(days=k + paused)
    return Schedule(due, min(warn, due), frozenset(probe.missing))


def _warn_index(total: int, percent: int, day: int | None) -> int:
    if total <= 0:
        return 0
    k = day if day is not None else total * percent // 100
    return max(1, min(k, total))


@dataclass(frozen=True)
class Countdown:
    remaining: int  # units left until the end of the due day; 0 on the due day
    overdue_days: int  # calendar days past the due day
    missing_years: frozenset[int]


def countdown(cal: WorkCalendar, today: datetime.date, due: datetime.date, unit: Unit | str) -> Countdown:
    """剩余N个工作日 / 剩余N天 / 已逾期N天."""
    if today > due:
        return Countdown(0, (today - due).days, frozenset())
    if Unit(unit) == Unit.WORKING:
        counted = working_days_between(cal, today, due)
        return Countdown(int(counted.value), 0, counted.missing_years)
    return Countdown((due - today).days, 0, frozenset())


def month_grid(year: int, month: int) -> list[list[datetime.date]]:
    """The weeks (Monday first) covering a month, as full weeks of dates."""
    return _pycal.Calendar(firstweekday=0).monthdatescalendar(year, month)
