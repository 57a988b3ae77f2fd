"""Every seeded rule code, with an example worked from its legal text on the 2024–2026 calendars.

Each clock is started the day after its triggering event (time frozen there), through the
public service, on the city-wide rule; the expected due date was counted by hand:
the event day does not count, a calendar period ending on a day off ends on the next
working day, a working-day period counts working days only (调休 days included).
"""

import datetime

import pytest
import time_machine

from mediation.clocks.models import DeadlineRule
from mediation.clocks.selectors import clocks_for_case
from tests.factories.clocks import bare_case, start

D = datetime.date

SEEDED = {
    "D1", "D2", "D3", "D3a", "D5", "D10", "D11", "D11s", "D12", "D13", "D14", "D15", "D16", "D17", "D18", "D20",
    "D21", "D22", "D22a", "D23", "D24", "D25", "D26", "D27", "D28", "D29", "D30", "D31", "D32", "D33", "D34", "D40",
    "D41", "D42", "D50", "D51",
    "D52",
}

# code: (event day, due day, period and unit as the law states them, how it was counted)
EXAMPLES = {
    "D1": (D(2026, 3, 2), D(2026, 3, 17), 15, "calendar", "Art. 14: received Mon 3-2; 15 days → Tue 3-17"),
    "D2": (D(2026, 9, 30), D(2026, 10, 10), 3, "working",
           "3 工作日 from Wed 9-30: 10-1…7 off; Thu 10-8, Fri 10-9, Sat 10-10 (make-up)"),
    "D3": (D(2026, 2, 5), D(2026, 2, 24), 15, "calendar", "accepted 2-5; 15 days → Fri 2-20 (Spring Festival) → Tue 2-24"),
    "D3a": (D(2026, 2, 24), D(2026, 3, 11), 15, "calendar", "from the end of D3 (2-24), 15 days → Wed 3-11"),
    "D5": (D(2026, 1, 30), D(2026, 2, 28), 1, "month",
           "人民调解工作若干规定 Art. 33: accepted 1-30; one month → 2-28 (no 2-30), a make-up working Saturday"),
    "D10": (D(2026, 9, 1), D(2026, 10, 8), 30, "calendar", "delegated 9-1; 30 days → 10-1 (National Day) → Thu 10-8"),
    "D11": (D(2026, 4, 20), D(2026, 5, 6), 15, "calendar", "entrusted 4-20; 15 days → Tue 5-5 (Labour Day) → Wed 5-6"),
    "D11s": (D(2026, 4, 28), D(2026, 5, 6), 7, "calendar",
             "entrusted 4-28 under 简易程序; 7 days → Tue 5-5 (Labour Day) → Wed 5-6"),
    "D12": (D(2025, 10, 1), D(2026, 10, 8), 1, "year", "Art. 27: knew 2025-10-1; one year → 2026-10-1 (off) → 10-8"),
    "D13": (D(2026, 2, 12), D(2026, 2, 24), 5, "calendar", "Art. 29: received Thu 2-12; 5 days → 2-17 (off) → 2-24"),
    "D14": (D(2026, 2, 9), D(2026, 2, 14), 5, "calendar",
            "Art. 32: accepted Mon 2-9; 5 days → Sat 2-14, a make-up working day: no roll"),
    "D15": (D(2026, 8, 20), D(2026, 10, 8), 45, "calendar", "Art. 43: accepted 8-20; 45 days → Sun 10-4 (off) → 10-8"),
    "D16": (D(2026, 9, 15), D(2026, 9, 30), 15, "calendar", "Art. 48: award received 9-15; 15 days → Wed 9-30"),
    "D17": (D(2026, 1, 5), D(2026, 2, 4), 30, "calendar", "Art. 49: award received 1-5; 30 days → Wed 2-4"),
    "D18": (D(2026, 6, 4), D(2026, 6, 22), 15, "calendar",
            "Art. 50: award received 6-4; 15 days → Fri 6-19 (Dragon Boat) → Mon 6-22"),
    "D20": (D(2026, 1, 20), D(2026, 2, 24), 30, "calendar",
            "人民调解法 Art. 33: agreement effective 1-20; 30 days → Thu 2-19 (off) → 2-24"),
    "D21": (D(2026, 9, 16), D(2026, 10, 8), 15, "calendar", "agreement effective 9-16; 15 days → 10-1 (off) → 10-8"),
    "D22": (D(2026, 4, 2), D(2026, 4, 7), 3, "calendar",
            "法释〔2011〕5号 Art. 4: received Thu 4-2; 3 days → Sun 4-5 (Qingming) → Tue 4-7"),
    "D22a": (D(2026, 3, 4), D(2026, 3, 19), 15, "calendar",
             "法释〔2011〕5号 Art. 5: accepted Wed 3-4; 15 days → Thu 3-19"),
    "D23": (D(2026, 3, 2), D(2026, 3, 9), 5, "calendar", "accepted Mon 3-2; 5 days → Sat 3-7 → Mon 3-9"),
    "D24": (D(2026, 4, 28), D(2026, 5, 6), 5, "calendar", "applied Tue 4-28; 5 days → Sun 5-3 (Labour Day) → Wed 5-6"),
    "D25": (D(2026, 5, 8), D(2026, 5, 25), 15, "calendar", "CPL Art. 227: accepted Fri 5-8; 15 days → Sat 5-23 → Mon 5-25"),
    "D26": (D(2026, 5, 24), D(2026, 6, 8), 15, "calendar", "CPL Art. 227: order served Sun 5-24; 15 days → Mon 6-8"),
    "D27": (D(2026, 9, 18), D(2026, 10, 8), 15, "calendar",
            "local SLA (inferred): sent Fri 9-18; 15 days → Sat 10-3 (National Day) → Thu 10-8"),
    "D28": (D(2026, 10, 5), D(2026, 10, 10), 5, "calendar",
            "closed 10-5 (a holiday: the event day still starts the count); 5 days → Sat 10-10 (make-up)"),
    "D29": (D(2026, 9, 18), D(2026, 9, 28), 7, "calendar",
            "法律援助法 Art. 43: received Fri 9-18; 7 days → Fri 9-25 (Mid-autumn) → Mon 9-28"),
    "D30": (D(2026, 2, 12), D(2026, 2, 26), 5, "working",
            "5 工作日 from Thu 2-12: 2-13, 2-14 (make-up), 2-24, 2-25, 2-26"),
    "D31": (D(2024, 10, 5), D(2026, 10, 8), 2, "year", "监察条例 Art. 20: 2024-10-5 + 2 years = 2026-10-5 (off) → 10-8"),
    "D32": (D(2026, 6, 30), D(2026, 9, 21), 60, "working",
            "60 工作日 from Tue 6-30: July 23, August 21 (→ 44 on 8-31); September 1-4, 7-11, 14-18 (→ 58), "
            "Sun 9-20 (make-up, 59), Mon 9-21 (60)"),
    "D33": (D(2026, 1, 15), D(2026, 2, 14), 30, "calendar",
            "工伤保险条例 Art. 17: accident 1-15; 30 days → Sat 2-14, a make-up working day"),
    "D34": (D(2026, 8, 3), D(2026, 10, 8), 60, "calendar", "Art. 20: accepted 8-3; 60 days → Fri 10-2 (off) → 10-8"),
    "D40": (D(2026, 9, 24), D(2026, 10, 22), 15, "working",
            "15 工作日 from Thu 9-24: 9-28, 29, 30, 10-8, 9, 10 (make-up), 12…16, 19…22"),
    "D41": (D(2026, 2, 11), D(2026, 2, 25), 5, "working", "5 工作日 from Wed 2-11: 2-12, 2-13, 2-14 (make-up), 2-24, 2-25"),
    "D42": (D(2026, 9, 18), D(2026, 10, 9), 10, "working",
            "10 工作日 from Fri 9-18: 9-20 (make-up Sunday), 21, 22, 23, 24, 28, 29, 30, 10-8, 10-9"),
    "D50": (D(2026, 1, 26), D(2026, 2, 24), 20, "calendar",
            "集体合同规定 Art. 32: received 1-26; 20 days → Sun 2-15 (off) → Tue 2-24"),
    "D51": (D(2026, 2, 18), D(2026, 2, 28), 10, "calendar", "signed 2-18; 10 days → Sat 2-28, a make-up working day"),
    "D52": (D(2026, 12, 10), D(2026, 12, 25), 15, "calendar", "劳动合同法 Art. 54: received 12-10; 15 days → Fri 12-25"),
}


def test_every_code_of_the_issue_is_seeded_once_as_the_city_default(db):
    current = DeadlineRule.objects.current().filter(locality="")
    assert set(current.values_list("code", flat=True)) == SEEDED == set(EXAMPLES)
    assert current.count() == len(SEEDED)
    for rule in current:
        assert rule.legal_basis and rule.start_event and rule.title
        assert rule.status in ("confirmed", "local", "inferred")


@pytest.mark.parametrize("code", sorted(EXAMPLES, key=lambda c: (len(c), c)))
def test_rule_example(code, people, ankang):
    event, due, period, unit, _how = EXAMPLES[code]
    rule = DeadlineRule.objects.current().get(code=code, locality="")
    assert (rule.period, rule.unit) == (period, unit)
    case = bare_case(ankang["union:610902"], people["intake"])
    with time_machine.travel(datetime.datetime.combine(event + datetime.timedelta(days=1), datetime.time(9)),
                             tick=False):
        clock = start(case, code, event, actor=people["mediator"])
    assert clock.due_on == due, _how
    assert clock.calendar_missing_years == []
    assert clock.started_on == event and clock.rule == rule
    assert list(clocks_for_case(case)) == [clock]


def test_statuses_follow_the_domain_marks(db):
    status = dict(DeadlineRule.objects.current().values_list("code", "status"))
    assert status["D1"] == "confirmed"
    assert status["D28"] == status["D40"] == status["D41"] == "local"
    assert status["D3a"] == status["D23"] == status["D29"] == status["D42"] == "inferred"


def test_d3_caps_its_extension_at_fifteen_days_with_consent(db):
    d3 = DeadlineRule.objects.current().get(code="D3", locality="")
    assert (d3.extension_max_days, d3.extension_needs_consent) == (15, True)
    assert DeadlineRule.objects.current().get(code="D1").extension_max_days == 0
    assert DeadlineRule.objects.current().get(code="D10").extension_max_days is None  # 可协议延长
