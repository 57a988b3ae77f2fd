"""Reminders name the case or matter number and open it (issue 8, A5)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mediation.clocks.models import Clock
from mediation.clocks.reminders import clocks_sweep
from mediation.notifications.models import Notification
from mediation.supervision import services as supervision
from mediation.supervision.models import LetterKind
from tests.factories.supervision import deliver, employer, letter_kwargs, second_supervisor, signed

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=SHANGHAI), tick=False)


def test_a_letter_reply_reminder_names_the_matter_and_opens_it(people, ankang):
    lsup = people["labor_supervisor"]
    issued = datetime.date(2026, 3, 2)
    with at(issued):
        matter = supervision.matter_register(actor=lsup, title="某超市拖欠工资", source="SCREENING",
                                             clue="风险排查发现该单位工资发放异常。", employer=employer())
        supervision.investigation_record(actor=lsup, matter=matter, conducted_on=issued, method="实地查看",
                                         findings="工资台账显示2月工资未发。", conclusion="RISK",
                                         investigators=[lsup, second_supervisor(ankang)])
        letter = signed(lsup, matter, LetterKind.REMINDER,
                                          **letter_kwargs(LetterKind.REMINDER, issued))
        deliver(letter, lsup, issued)
    clock = Clock.objects.get(rule_code="D42")  # the employer's reply to the 提示函, on the recipient
    assert clock.case_id is None
    with at(clock.due_on):
        assert clocks_sweep().notifications >= 1
    note = Notification.objects.filter(verb="clock.due").first()
    assert matter.matter_no in note.text and "D42" in note.text
    assert note.url == f"/supervision/{matter.pk}/"
