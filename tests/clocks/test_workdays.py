"""The pure date arithmetic (mediation.clocks.workdays), worked by hand on the official calendars.

2025 (国办发明电〔2024〕12号): Spring Festival off 1-28…2-4, make-up days Sun 1-26 and Sat 2-8;
National Day + Mid-autumn off 10-1…10-8, make-up days Sun 9-28 and Sat 10-11.
2026 (STACK.md): Spring Festival off 2-15…2-23, make-up Saturdays 2-14 and 2-28;
Mid-autumn off 9-25…9-27, National Day off 10-1…10-7, make-up days Sun 9-20 and Sat 10-10.
"""

import datetime

import chinese_calendar
import pytest

from mediation.clocks.workdays import (
    DayKind,
    Pause,
    Unit,
    WorkCalendar,
    add_months,
    add_period,
    countdown,
    month_grid,
    schedule,
    working_days_between,
)

D = datetime.date
CAL = WorkCalendar()


@pytest.mark.parametrize("day,kind,holiday", [
    (D(2026, 2, 14), DayKind.MAKEUP_WORKDAY, "春节"),
    (D(2026, 2, 28), DayKind.MAKEUP_WORKDAY, "春节"),
    (D(2026, 9, 20), DayKind.MAKEUP_WORKDAY, "国庆节"),
    (D(2026, 10, 10), DayKind.MAKEUP_WORKDAY, "国庆节"),
    (D(2026, 2, 17), DayKind.HOLIDAY, "春节"),
    (D(2026, 2, 23), DayKind.HOLIDAY, "春节"),  # a Monday off
    (D(2026, 9, 25), DayKind.HOLIDAY, "中秋节"),
    (D(2026, 10, 7), DayKind.HOLIDAY, "国庆节"),
    (D(2025, 1, 26), DayKind.MAKEUP_WORKDAY, "春节"),
    (D(2025, 2, 8), DayKind.MAKEUP_WORKDAY, "春节"),
    (D(2025, 9, 28), DayKind.MAKEUP_WORKDAY, "国庆节"),
    (D(2025, 10, 11), DayKind.MAKEUP_WORKDAY, "国庆节"),
    (D(2025, 10, 6), DayKind.HOLIDAY, "中秋节"),
    (D(2026, 3, 7), DayKind.WEEKEND, None),
    (D(2026, 3, 9), DayKind.WORKDAY, None),
])
def test_day_kinds_follow_the_official_schedule(day, kind, holiday):
    info = CAL.day(day)
    assert (info.kind, info.holiday, info.loaded) == (kind, holiday, True)
    assert info.is_working == (kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY))


@pytest.mark.parametrize("start,n,unit,due", [
    # Spring Festival 2025: Fri 1-24 + 3 working days = Sun 1-26 (make-up), Mon 1-27, Wed 2-5.
    (D(2025, 1, 24), 3, Unit.WORKING, D(2025, 2, 5)),
    # 10 calendar days from 1-20 end on 1-30, a holiday: the period ends on the next working day, 2-5.
    (D(2025, 1, 20), 10, Unit.CALENDAR, D(2025, 2, 5)),
    # From Fri 2-7, one working day is the make-up Saturday 2-8.
    (D(2025, 2, 7), 1, Unit.WORKING, D(2025, 2, 8)),
    # National Day 2025: Fri 9-26 + 2 working days = Sun 9-28 (make-up), Mon 9-29.
    (D(2025, 9, 26), 2, Unit.WORKING, D(2025, 9, 29)),
    (D(2025, 9, 30), 1, Unit.WORKING, D(2025, 10, 9)),
    (D(2025, 10, 9), 2, Unit.WORKING, D(2025, 10, 11)),
    (D(2025, 9, 23), 15, Unit.CALENDAR, D(2025, 10, 9)),
    # Spring Festival 2026: Thu 2-12 + 3 working days = Fri 2-13, Sat 2-14 (make-up), Tue 2-24.
    (D(2026, 2, 12), 3, Unit.WORKING, D(2026, 2, 24)),
    # 2-5 + 15 days = Fri 2-20, inside the holiday: ends Tue 2-24.
    (D(2026, 2, 5), 15, Unit.CALENDAR, D(2026, 2, 24)),
    # A calendar period ending on a make-up Saturday ends that Saturday: it is a working day.
    (D(2026, 2, 9), 5, Unit.CALENDAR, D(2026, 2, 14)),
    (D(2026, 2, 18), 10, Unit.CALENDAR, D(2026, 2, 28)),
    # Fri 2-27 + 1 working day = the make-up Saturday 2-28.
    (D(2026, 2, 27), 1, Unit.WORKING, D(2026, 2, 28)),
    # National Day 2026: Fri 9-18 + 1 working day = the make-up Sunday 9-20.
    (D(2026, 9, 18), 1, Unit.WORKING, D(2026, 9, 20)),
    # Wed 9-30 + 3 working days = Thu 10-8, Fri 10-9, Sat 10-10 (make-up).
    (D(2026, 9, 30), 3, Unit.WORKING, D(2026, 10, 10)),
    # 9-16 + 15 days = 10-1: ends on the first working day after the holiday, Thu 10-8.
    (D(2026, 9, 16), 15, Unit.CALENDAR, D(2026, 10, 8)),
    # An ordinary weekend also moves a calendar period: Sat 3-7 → Mon 3-9.
    (D(2026, 3, 2), 5, Unit.CALENDAR, D(2026, 3, 9)),
    # Months and years end on the corresponding day (or the month's last), then roll forward.
    # 1-31 + 1 month = 2-28 (February's last day), a make-up Saturday, so a working day.
    (D(2026, 1, 31), 1, Unit.MONTH, D(2026, 2, 28)),
    (D(2025, 10, 1), 1, Unit.YEAR, D(2026, 10, 8)),
    (D(2024, 2, 29), 1, Unit.YEAR, D(2025, 2, 28)),
    (D(2026, 3, 2), 0, Unit.CALENDAR, D(2026, 3, 2)),
    (D(2026, 3, 2), 0, Unit.WORKING, D(2026, 3, 2)),
])
def test_add_period(start, n, unit, due):
    result = add_period(CAL, start, n, unit)
    assert result.value == due
    assert result.missing_years == frozenset()


def _oracle_working(start, n):
    """Independent count with chinese_calendar.is_workday."""
    d = start
    while n:
        d += datetime.timedelta(days=1)
        n -= chinese_calendar.is_workday(d)
    return d


@pytest.mark.parametrize("start", [D(2025, 1, 1) + datetime.timedelta(days=7 * i + i % 7) for i in range(80)])  # to 2026-07
@pytest.mark.parametrize("n", [1, 3, 5, 15, 60])
def test_working_days_agree_with_the_package(start, n):
    assert add_period(CAL, start, n, Unit.WORKING).value == _oracle_working(start, n)


def test_working_days_between_counts_the_half_open_span():
    # (2026-02-12, 2026-02-24]: 2-13, 2-14 (make-up), 2-24.
    assert working_days_between(CAL, D(2026, 2, 12), D(2026, 2, 24)).value == 3
    assert working_days_between(CAL, D(2026, 2, 24), D(2026, 2, 12)).value == 0


def test_negative_periods_are_refused():
    with pytest.raises(ValueError):
        add_period(CAL, D(2026, 1, 5), -1, Unit.CALENDAR)


def test_add_months_clamps_to_the_month_end():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_months(D(2027, 12, 15), 1) == D(2028, 1, 15)


class TestUnloadedYear:
    """2027 is beyond chinese_calendar 1.11.0: computed on the provisional calendar (the
    statutory holidays, tests/clocks/test_provisional_calendar.py), and always reported."""

    def test_a_2027_day_is_marked_not_loaded(self):
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(D(2027, 2, 10))  # the package really has no 2027
        info = CAL.day(D(2027, 2, 10))
        assert info.loaded is False
        assert info.kind == DayKind.WORKDAY  # a Wednesday and no statutory holiday, flagged by loaded=False

    def test_a_period_reaching_into_2027_reports_the_year(self):
        # 12-29, 12-30, 12-31; Fri 1-1 元旦 (statutory), weekend; Mon 1-4, Tue 1-5.
        result = add_period(CAL, D(2026, 12, 28), 5, Unit.WORKING)
        assert result.value == D(2027, 1, 5)
        assert result.missing_years == {2027}

    def test_a_calendar_period_reports_the_year_of_its_last_day(self):
        # 12-20 + 15 = 2027-01-04 (a Monday): the rollover check consulted 2027.
        assert add_period(CAL, D(2026, 12, 20), 15, Unit.CALENDAR).missing_years == {2027}
        # Ending inside 2026 does not touch 2027.
        assert add_period(CAL, D(2026, 12, 1), 15, Unit.CALENDAR).missing_years == frozenset()

    def test_overrides_and_a_loaded_year_fill_the_gap(self):
        cal = WorkCalendar(
            overrides={D(2027, 1, 1): (DayKind.HOLIDAY, "元旦"), D(2027, 1, 9): (DayKind.MAKEUP_WORKDAY, "元旦")},
            loaded_years=[2027],
        )
        assert cal.day(D(2027, 1, 1)).kind == DayKind.HOLIDAY
        assert cal.day(D(2027, 1, 9)).is_working
        result = add_period(cal, D(2026, 12, 31), 1, Unit.WORKING)
        assert result.value == D(2027, 1, 4)
        assert result.missing_years == frozenset()
        # Overrides alone do not make a year "loaded": the admin records that explicitly.
        assert WorkCalendar(overrides={D(2028, 1, 1): (DayKind.HOLIDAY, "元旦")}).is_loaded(2028) is False


class TestSchedule:
    def test_pause_moves_a_calendar_due_date_by_the_paused_span(self):
        # D3 from 2026-03-02: due 3-17. Paused 3-5 → resumed 3-10: five days do not count → 3-22 (Sun) → 3-23.
        plain = schedule(CAL, started_on=D(2026, 3, 2), period=15, unit=Unit.CALENDAR)
        assert plain.due_on == D(2026, 3, 17)
        paused = schedule(CAL, started_on=D(2026, 3, 2), period=15, unit=Unit.CALENDAR,
                          pauses=[Pause(D(2026, 3, 5), D(2026, 3, 10))])
        assert paused.due_on == D(2026, 3, 23)

    def test_pause_of_a_working_day_clock_counts_working_days(self):
        # D30 from Mon 2026-02-09: 5 W → 2-10, 11, 12, 13, 14 (make-up) = 2-14.
        assert schedule(CAL, started_on=D(2026, 2, 9), period=5, unit=Unit.WORKING).due_on == D(2026, 2, 14)
        # Paused (2-10, 2-12]: 2 working days stood still → 2 more after 2-14: 2-24, 2-25.
        paused = schedule(CAL, started_on=D(2026, 2, 9), period=5, unit=Unit.WORKING,
                          pauses=[Pause(D(2026, 2, 10), D(2026, 2, 12))])
        assert paused.due_on == D(2026, 2, 25)

    def test_an_open_pause_does_not_move_the_date_yet(self):
        s = schedule(CAL, started_on=D(2026, 3, 2), period=15, unit=Unit.CALENDAR,
                     pauses=[Pause(D(2026, 3, 5), None)])
        assert s.due_on == D(2026, 3, 17)

    def test_extension_adds_days_to_the_period(self):
        # D3 15 + D3a 15 from 2026-03-02 = 4-1 (Wed).
        s = schedule(CAL, started_on=D(2026, 3, 2), period=15, unit=Unit.CALENDAR, extension=15)
        assert s.due_on == D(2026, 4, 1)

    def test_warning_at_eighty_percent_or_on_a_set_day(self):
        s = schedule(CAL, started_on=D(2026, 3, 2), period=15, unit=Unit.CALENDAR)
        assert s.warn_on == D(2026, 3, 14)  # day 12 = 80 % of 15
        s = schedule(CAL, started_on=D(2026, 3, 2), period=30, unit=Unit.CALENDAR, warn_day=20)
        assert s.warn_on == D(2026, 3, 22)
        # Working days: 80 % of 3 is day 2 → the second working day (2-13 Fri, 2-14 make-up Sat).
        s = schedule(CAL, started_on=D(2026, 2, 12), period=3, unit=Unit.WORKING)
        assert (s.warn_on, s.due_on) == (D(2026, 2, 14), D(2026, 2, 24))

    def test_warning_never_after_the_due_day(self):
        s = schedule(CAL, started_on=D(2026, 3, 2), period=1, unit=Unit.CALENDAR)
        assert s.warn_on <= s.due_on


def test_countdown():
    due = D(2026, 2, 24)
    assert countdown(CAL, D(2026, 2, 12), due, Unit.WORKING).remaining == 3
    assert countdown(CAL, D(2026, 2, 12), due, Unit.CALENDAR).remaining == 12
    assert countdown(CAL, due, due, Unit.WORKING).remaining == 0
    late = countdown(CAL, D(2026, 2, 26), due, Unit.WORKING)
    assert (late.remaining, late.overdue_days) == (0, 2)


def test_month_grid_is_full_weeks_from_monday():
    weeks = month_grid(2026, 2)
    assert weeks[0][0] == D(2026, 1, 26) and weeks[-1][-1] == D(2026, 3, 1)
    assert all(len(w) == 7 for w in weeks)
