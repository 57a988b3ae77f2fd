"""Years without an official schedule: the statutory holidays as a provisional calendar.

《全国年节及纪念日放假办法》 as amended by 国务院令第793号 (in force 2025-01-01), Art. 2:
元旦 1 day (1-1); 春节 4 days (农历除夕, 正月初一至初三); 清明 1 day (the 清明 solar term);
劳动节 2 days (5-1, 5-2); 端午 1 day (农历五月初五); 中秋 1 day (农历八月十五);
国庆 3 days (10-1 … 10-3).

2027, counted by hand (lunar dates from the lunardate library, 清明 from the solar term):
  元旦 Fri 1-1 · 正月初一 is Sat 2-6, so 除夕 is Fri 2-5 and 初二 Sun 2-7, 初三 Mon 2-8 ·
  清明 Mon 4-5 · 劳动节 Sat 5-1, Sun 5-2 · 端午 (五月初五) Wed 6-9 · 中秋 (八月十五) Wed 9-15 ·
  国庆 Fri 10-1 … Sun 10-3.
The 调休 make-up working days and the days added to the statutory ones are unknown until
the State Council publishes the schedule: a provisional calendar has none of them.
"""

import datetime
import json

import chinese_calendar
import pytest
from lunardate import LunarDate

from mediation.clocks import services
from mediation.clocks.management.commands.workdays import Command
from mediation.clocks.models import CalendarOverride
from mediation.clocks.workdays import DayKind, Unit, WorkCalendar, add_period, statutory_holidays
from mediation.notifications.models import Notification
from tests.factories.clocks import bare_case, start

D = datetime.date
CAL = WorkCalendar()

HOLIDAYS_2027 = {
    D(2027, 1, 1): "元旦",
    D(2027, 2, 5): "春节",
    D(2027, 2, 6): "春节",
    D(2027, 2, 7): "春节",
    D(2027, 2, 8): "春节",
    D(2027, 4, 5): "清明节",
    D(2027, 5, 1): "劳动节",
    D(2027, 5, 2): "劳动节",
    D(2027, 6, 9): "端午节",
    D(2027, 9, 15): "中秋节",
    D(2027, 10, 1): "国庆节",
    D(2027, 10, 2): "国庆节",
    D(2027, 10, 3): "国庆节",
}


class TestStatutoryHolidays:
    def test_2027_is_the_hand_counted_list(self):
        # 正月初一 2027 is 2-6: 除夕 is the day before.
        assert LunarDate(2027, 1, 1).to_solar_date() == D(2027, 2, 6)
        assert statutory_holidays(2027) == HOLIDAYS_2027

    @pytest.mark.parametrize("year", [2025, 2026])
    def test_every_statutory_day_is_off_in_the_official_schedules_since_the_amendment(self, year):
        # The State Council's schedule contains the statutory days and adds 调休 around them.
        official = {d for d in chinese_calendar.holidays if d.year == year}
        assert set(statutory_holidays(year)) <= official
        assert len(statutory_holidays(year)) == 13

    @pytest.mark.parametrize("year", range(2008, 2027))
    def test_lunar_and_solar_term_festivals_match_every_official_year(self, year):
        # 清明, 端午 and 中秋 have been public holidays since 2008 (国务院令第513号): the official
        # schedule of each year has them off on exactly the days the provisional calendar computes.
        # (chinese_calendar leaves out Sat 2012-06-23, 端午 inside the 6-22 … 6-24 break, so the
        # check is: not a working day, and the festival's break covers the day or its neighbours.)
        english = {
            "清明节": "Tomb-sweeping Day",
            "端午节": "Dragon Boat Festival",
            "中秋节": "Mid-autumn Festival",
        }
        for day, name in statutory_holidays(year).items():
            if name in english:
                assert not chinese_calendar.is_workday(day), (day, name)
                around = {
                    chinese_calendar.holidays.get(day + datetime.timedelta(days=k))
                    for k in (-1, 0, 1)
                }
                assert english[name] in around or (name == "中秋节" and "National Day" in around), (
                    day,
                    name,
                )

    def test_qingming_follows_the_solar_term_not_a_fixed_date(self):
        names = {
            y: [d for d, n in statutory_holidays(y).items() if n == "清明节"]
            for y in (2024, 2027, 2028)
        }
        assert names == {2024: [D(2024, 4, 4)], 2027: [D(2027, 4, 5)], 2028: [D(2028, 4, 4)]}


class TestProvisionalDays:
    def test_chuxi_2027_is_a_provisional_holiday(self):
        day = CAL.day(D(2027, 2, 5))
        assert (day.kind, day.holiday, day.loaded, day.provisional) == (
            DayKind.HOLIDAY,
            "春节",
            False,
            True,
        )
        assert not day.is_working  # a Friday: by weekday alone it would be a working day

    def test_other_2027_days_are_weekday_guesses_still_marked_provisional(self):
        day = CAL.day(D(2027, 2, 10))
        assert (day.kind, day.holiday, day.provisional) == (DayKind.WORKDAY, None, True)

    def test_official_years_are_not_provisional(self):
        assert CAL.day(D(2026, 2, 17)).provisional is False

    def test_an_override_wins_over_the_provisional_day(self):
        cal = WorkCalendar(overrides={D(2027, 2, 8): (DayKind.MAKEUP_WORKDAY, "春节")})
        assert cal.day(D(2027, 2, 8)).is_working

    def test_a_loaded_year_keeps_the_statutory_days_the_admin_did_not_enter(self):
        # The year is recorded with only 元旦 entered: 除夕 stays off (every official schedule has
        # it), now as an official, not a provisional, answer.
        cal = WorkCalendar(
            overrides={D(2027, 1, 1): (DayKind.HOLIDAY, "元旦")}, loaded_years=[2027]
        )
        day = cal.day(D(2027, 2, 5))
        assert (day.kind, day.holiday, day.provisional) == (DayKind.HOLIDAY, "春节", False)
        assert cal.day(D(2027, 2, 10)).kind == DayKind.WORKDAY


class TestClocksAcrossUnloadedHolidays:
    def test_working_days_across_the_2027_spring_festival(self):
        # 5 工作日 from Wed 2027-02-03: Thu 2-4 (1); Fri 2-5 除夕, Sat 2-6, Sun 2-7, Mon 2-8 初三 off;
        # Tue 2-9 (2), Wed 2-10 (3), Thu 2-11 (4), Fri 2-12 (5). By weekday alone it would be 2-10.
        result = add_period(CAL, D(2027, 2, 3), 5, Unit.WORKING)
        assert (result.value, result.missing_years) == (D(2027, 2, 12), {2027})

    def test_a_calendar_period_ending_on_chusan_rolls_to_the_next_working_day(self):
        # 15 日 from 2027-01-24 → 2-8 (初三, a Monday off) → Tue 2-9.
        assert add_period(CAL, D(2027, 1, 24), 15, Unit.CALENDAR).value == D(2027, 2, 9)

    def test_new_year_2027_is_not_a_working_day(self):
        # 5 工作日 from Mon 2026-12-28: 12-29 (1), 12-30 (2), 12-31 (3); Fri 1-1 元旦, Sat, Sun;
        # Mon 1-4 (4), Tue 1-5 (5).
        result = add_period(CAL, D(2026, 12, 28), 5, Unit.WORKING)
        assert (result.value, result.missing_years) == (D(2027, 1, 5), {2027})


@pytest.mark.django_db
class TestClockService:
    def test_a_d3_clock_over_national_day_is_provisional_then_recomputed(self, ankang, people):
        case = bare_case(ankang["union:610902"], people["intake"])
        # D3, 15 日 from Thu 2027-09-16 → Fri 10-1, provisionally 国庆 (10-1 … 10-3 off) → Mon 10-4.
        clock = start(case, "D3", D(2027, 9, 16))
        assert (clock.due_on, clock.calendar_missing_years) == (D(2027, 10, 4), [2027])
        alert = Notification.objects.get(
            verb="calendar.missing", dedupe_key="calendar-missing:2027"
        )
        assert "2027年节假日安排未载入" in alert.text and "法定节假日" in alert.text
        assert alert.recipient == people["admin"]
        # The schedule is published with 10-1 … 10-7 off; recording the year recomputes the clock.
        for day in range(1, 8):
            CalendarOverride.objects.create(date=D(2027, 10, day), kind="holiday", name="国庆节")
        services.calendar_year_record(
            year=2027, source="国办发明电〔2026〕×号", actor=people["admin"]
        )
        clock.refresh_from_db()
        assert (clock.due_on, clock.calendar_missing_years) == (D(2027, 10, 8), [])

    def test_a_d30_clock_over_the_spring_festival(self, ankang, people):
        # D30 (劳动保障监察受理投诉, 5 工作日) from Tue 2027-02-02: Wed 2-3 (1), Thu 2-4 (2); 2-5 … 2-8 off;
        # Tue 2-9 (3), Wed 2-10 (4), Thu 2-11 (5). Monday–Friday alone would give Tue 2-9.
        clock = start(bare_case(ankang["union:610902"], people["intake"]), "D30", D(2027, 2, 2))
        assert clock.rule.period == 5 and clock.rule.unit == "working"
        assert (clock.due_on, clock.calendar_missing_years) == (D(2027, 2, 11), [2027])


def run(capsys, *argv):
    code = 0
    try:
        Command().run_from_argv(["manage.py", "workdays", *argv])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.django_db
class TestCommand:
    def test_info_on_the_first_day_of_the_2027_spring_festival(self, capsys):
        code, out, err = run(capsys, "info", "2027-02-06", "--json")
        assert code == 0
        assert json.loads(out) == {
            "date": "2027-02-06",
            "kind": "holiday",
            "holiday": "春节",
            "calendar_loaded": False,
            "provisional": True,
        }
        assert "2027年节假日安排未载入" in err and "法定节假日" in err and err.count("\n") == 1

    def test_add_across_the_2027_spring_festival_answers_provisionally(self, capsys):
        code, out, err = run(capsys, "add", "2027-02-03", "5", "--unit", "working", "--json")
        assert code == 0
        assert json.loads(out) == {
            "start": "2027-02-03",
            "n": 5,
            "unit": "working",
            "due": "2027-02-12",
            "provisional": True,
            "missing_years": [2027],
        }
        assert "2027年节假日安排未载入" in err
