"""The clock services the case flow calls: start, stop, extend, pause, resume, reassign."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from mediation.cases.models import CaseEvent, Referral, ReferralKind
from mediation.clocks import services
from mediation.clocks.models import (
    CalendarOverride,
    Clock,
    ClockStatus,
    DeadlineRule,
    ReminderStage,
)
from mediation.clocks.selectors import clocks_for_subject, clocks_for_tasks, rule_current
from mediation.notifications.models import Notification
from tests.factories.cases import open_case, open_task
from tests.factories.clocks import bare_case, local_rule, start

D = datetime.date


@pytest.fixture
def case(ankang, people):
    return bare_case(ankang["union:610902"], people["intake"])


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 3, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


class TestStart:
    def test_start_computes_and_records_on_the_case(self, case, people):
        clock = start(case, "D3", D(2026, 3, 2), actor=people["head"], owner=people["mediator"])
        assert (clock.status, clock.due_on, clock.warn_on) == (ClockStatus.RUNNING, D(2026, 3, 17), D(2026, 3, 14))
        assert (clock.case, clock.agency, clock.county, clock.owner) == (
            case, case.agency, "610902", people["mediator"])
        assert clock.next_reminder_on == D(2026, 3, 14)
        event = CaseEvent.objects.get(case=case, action="clock.started")
        assert event.actor == people["head"] and "D3" in event.summary

    def test_start_is_idempotent(self, case):
        first = start(case, "D3", D(2026, 3, 2))
        again = start(case, "D3", D(2026, 3, 5))
        assert again.pk == first.pk and again.started_on == D(2026, 3, 2)
        assert Clock.objects.count() == 1
        assert CaseEvent.objects.filter(action="clock.started").count() == 1

    def test_a_second_active_clock_is_refused_by_the_database(self, case):
        clock = start(case, "D3", D(2026, 3, 2))
        clock.pk = None
        with pytest.raises(IntegrityError):
            clock.save()

    def test_after_stop_the_rule_can_run_again(self, case):
        first = start(case, "D3", D(2026, 3, 2))
        services.clock_stop(subject=case, rule_code="D3", on=D(2026, 3, 3))
        second = start(case, "D3", D(2026, 3, 4))
        assert second.pk != first.pk

    def test_case_is_taken_from_the_subject(self, case, ankang):
        referral = Referral.objects.create(case=case, kind=ReferralKind.ARBITRATION,
                                           target_agency=ankang["arbitration:610902"], sent_on=D(2026, 3, 2))
        clock = services.clock_start(subject=referral, rule_code="D13", started_on=D(2026, 3, 2),
                                     agency=ankang["arbitration:610902"])
        assert clock.case == case and clock.subject == referral
        assert list(clocks_for_subject(referral)) == [clock]
        assert list(clocks_for_subject(case)) == []

    def test_unknown_rule_is_refused(self, case):
        with pytest.raises(ValidationError, match="未配置时限规则 D99"):
            start(case, "D99", D(2026, 3, 2))


class TestRuleVersions:
    def test_the_county_rule_wins_over_the_city_default(self, case, ankang, people):
        local_rule("D3", "610902", period=20)
        assert rule_current("D3", "610902").period == 20
        assert rule_current("D3", "610921").period == 15
        assert start(case, "D3", D(2026, 3, 2)).due_on == D(2026, 3, 23)  # 3-22 is a Sunday
        other = bare_case(ankang["union:610921"], people["intake"])
        assert start(other, "D3", D(2026, 3, 2)).due_on == D(2026, 3, 17)

    def test_a_running_clock_keeps_its_version(self, case, people, ankang):
        clock = start(case, "D3", D(2026, 3, 2))
        v1 = clock.rule
        edited = DeadlineRule.objects.get(pk=v1.pk)
        edited.period = 20
        v2 = services.rule_save_version(rule=edited, actor=people["admin"])
        assert (v2.version, v2.period, v2.is_current) == (2, 20, True)
        v1.refresh_from_db()
        assert v1.superseded_at is not None and v1.period == 15
        # The running clock is untouched, and stays so when its dates are recomputed.
        services.clock_extend(subject=case, rule_code="D3", days=5, applicant_consent="书面同意",
                              respondent_consent="电话同意（录音）", actor=people["head"])
        clock.refresh_from_db()
        assert clock.rule_id == v1.pk and clock.due_on == D(2026, 3, 23)  # 15 + 5 = 3-22 (Sun) → 3-23
        # A new clock uses version 2.
        new = start(bare_case(ankang["union:610902"], people["intake"]), "D3", D(2026, 3, 2))
        assert new.rule_id == v2.pk and new.due_on == D(2026, 3, 23)

    def test_only_one_current_version(self, db):
        rule = DeadlineRule.objects.current().get(code="D1", locality="")
        rule.pk, rule.version = None, 9
        with pytest.raises(IntegrityError):
            rule.save()


class TestStop:
    def test_met_missed_waived(self, case, people, ankang):
        start(case, "D3", D(2026, 3, 2))
        clock = services.clock_stop(subject=case, rule_code="D3", on=D(2026, 3, 17), actor=people["head"])
        assert (clock.status, clock.stopped_on, clock.next_reminder_on) == (ClockStatus.MET, D(2026, 3, 17), None)
        assert CaseEvent.objects.filter(case=case, action="clock.stopped").exists()

        start(case, "D3", D(2026, 3, 2))
        assert services.clock_stop(subject=case, rule_code="D3", on=D(2026, 3, 18)).status == ClockStatus.MISSED

        start(case, "D1", D(2026, 3, 2))
        late = services.clock_stop(subject=case, rule_code="D1", on=D(2026, 4, 30), status="waived")
        assert late.status == ClockStatus.WAIVED

    def test_stop_without_a_running_clock_is_a_no_op(self, case):
        assert services.clock_stop(subject=case, rule_code="D3", on=D(2026, 3, 3)) is None

    def test_stop_refuses_a_made_up_status(self, case):
        start(case, "D3", D(2026, 3, 2))
        with pytest.raises(ValueError):
            services.clock_stop(subject=case, rule_code="D3", on=D(2026, 3, 3), status="missed")

    def test_stopping_a_paused_clock_closes_the_pause(self, case, people):
        start(case, "D3", D(2026, 3, 2))
        services.clock_pause(subject=case, rule_code="D3", reason="等待工伤认定", on=D(2026, 3, 10),
                             actor=people["head"])
        clock = services.clock_stop(subject=case, rule_code="D3", on=D(2026, 3, 25), actor=people["head"])
        # Paused (3-10, 3-25]: 15 days stood still → due 4-1, so 3-25 is in time.
        assert (clock.status, clock.due_on) == (ClockStatus.MET, D(2026, 4, 1))
        assert clock.pauses.get().resumed_on == D(2026, 3, 25)


class TestExtend:
    def test_extension_within_the_cap_moves_the_due_date_and_is_audited(self, case, people):
        start(case, "D3", D(2026, 3, 2))
        clock = services.clock_extend(subject=case, rule_code="D3", days=10, applicant_consent="书面同意",
                                      respondent_consent="书面同意", actor=people["head"])
        assert clock.due_on == D(2026, 3, 27)
        clock = services.clock_extend(subject=case, rule_code="D3", days=5, applicant_consent="书面同意",
                                      respondent_consent="书面同意", actor=people["head"])
        assert clock.due_on == D(2026, 4, 1)  # 15 + 15 = 30 days: the cap
        ext = clock.extensions.order_by("id").first()
        assert (ext.days, ext.approved_by) == (10, people["head"])
        event = CaseEvent.objects.filter(case=case, action="clock.extended").order_by("id").last()
        assert event.changes["due_on"] == ["2026-03-27", "2026-04-01"]
        assert event.changes["extension_days"] == [10, 15]

    def test_extension_beyond_the_cap_is_refused(self, case, people):
        start(case, "D3", D(2026, 3, 2))
        services.clock_extend(subject=case, rule_code="D3", days=10, applicant_consent="同意",
                              respondent_consent="同意", actor=people["head"])
        with pytest.raises(ValidationError) as err:
            services.clock_extend(subject=case, rule_code="D3", days=6, applicant_consent="同意",
                                  respondent_consent="同意", actor=people["head"])
        message = err.value.messages[0]
        assert "总期限不得超过30日" in message and "本次最多还可延长5日" in message
        clock = Clock.objects.get(rule_code="D3")
        assert clock.due_on == D(2026, 3, 27) and clock.extensions.count() == 1

    def test_a_single_extension_beyond_the_cap_is_refused(self, case, people):
        start(case, "D3", D(2026, 3, 2))
        with pytest.raises(ValidationError, match="超出延长上限"):
            services.clock_extend(subject=case, rule_code="D3", days=16, applicant_consent="同意",
                                  respondent_consent="同意", actor=people["head"])

    def test_the_cap_is_configured_on_the_rule(self, case, people):
        local_rule("D3", "610902", extension_max_days=5)
        start(case, "D3", D(2026, 3, 2))
        with pytest.raises(ValidationError, match="总期限不得超过20日"):
            services.clock_extend(subject=case, rule_code="D3", days=10, applicant_consent="同意",
                                  respondent_consent="同意", actor=people["head"])

    def test_both_consents_are_required(self, case, people):
        start(case, "D3", D(2026, 3, 2))
        with pytest.raises(ValidationError, match="双方的同意"):
            services.clock_extend(subject=case, rule_code="D3", days=5, applicant_consent="同意",
                                  respondent_consent="  ", actor=people["head"])

    def test_a_rule_without_extension(self, case, people):
        start(case, "D1", D(2026, 3, 2))
        with pytest.raises(ValidationError, match="依规定不能延长"):
            services.clock_extend(subject=case, rule_code="D1", days=1, applicant_consent="同意",
                                  respondent_consent="同意", actor=people["head"])

    def test_no_running_clock(self, case, people):
        with pytest.raises(ValidationError, match="没有进行中的时限"):
            services.clock_extend(subject=case, rule_code="D3", days=1, applicant_consent="同意",
                                  respondent_consent="同意", actor=people["head"])

    @pytest.mark.parametrize("days", [0, -3])
    def test_days_must_be_positive(self, case, people, days):
        start(case, "D3", D(2026, 3, 2))
        with pytest.raises(ValidationError, match="正整数"):
            services.clock_extend(subject=case, rule_code="D3", days=days, applicant_consent="同意",
                                  respondent_consent="同意", actor=people["head"])


class TestPause:
    def test_pause_and_resume_move_the_due_date_by_the_span(self, case, people):
        start(case, "D3", D(2026, 3, 2))
        clock = services.clock_pause(subject=case, rule_code="D3", reason="等待工伤认定", on=D(2026, 3, 5),
                                     actor=people["head"])
        assert (clock.status, clock.next_reminder_on) == (ClockStatus.PAUSED, None)
        clock = services.clock_resume(subject=case, rule_code="D3", on=D(2026, 3, 10), actor=people["head"])
        assert (clock.status, clock.due_on) == (ClockStatus.RUNNING, D(2026, 3, 23))  # 3-22 Sun → Mon
        assert clock.next_reminder_on == clock.warn_on == D(2026, 3, 19)
        actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
        assert actions == ["clock.started", "clock.paused", "clock.resumed"]

    def test_pause_needs_a_reason_and_a_running_clock(self, case, people):
        start(case, "D3", D(2026, 3, 2))
        with pytest.raises(ValidationError, match="暂停原因"):
            services.clock_pause(subject=case, rule_code="D3", reason=" ", on=D(2026, 3, 5), actor=people["head"])
        services.clock_pause(subject=case, rule_code="D3", reason="等待劳动能力鉴定", on=D(2026, 3, 5),
                             actor=people["head"])
        with pytest.raises(ValidationError, match="已暂停"):
            services.clock_pause(subject=case, rule_code="D3", reason="再次", on=D(2026, 3, 6), actor=people["head"])
        with pytest.raises(ValidationError, match="恢复日不能早于暂停日"):
            services.clock_resume(subject=case, rule_code="D3", on=D(2026, 3, 4), actor=people["head"])

    def test_resume_of_a_running_clock_is_refused(self, case, people):
        start(case, "D3", D(2026, 3, 2))
        with pytest.raises(ValidationError, match="没有暂停"):
            services.clock_resume(subject=case, rule_code="D3", on=D(2026, 3, 4), actor=people["head"])


class TestReassign:
    def test_reassign_moves_task_and_owner(self, case, people, ankang):
        start(case, "D3", D(2026, 3, 2), owner=people["mediator"])
        clock = services.clock_reassign(subject=case, rule_code="D3", owner=people["mediator2"])
        assert (clock.owner, clock.task, clock.agency) == (people["mediator2"], None, case.agency)
        clock = services.clock_reassign(subject=case, rule_code="D3", agency=ankang["court:610902"])
        assert (clock.owner, clock.agency) == (None, ankang["court:610902"])
        assert services.clock_reassign(subject=case, rule_code="D20") is None

    def test_clocks_for_tasks_is_one_query(self, ankang, people, django_assert_num_queries):
        # Three registered cases, each waiting at its review task with D2 (受理, 3 工作日) on that task.
        cases = [open_case(people["intake"], ankang["union:610902"], seed=30 + i) for i in range(3)]
        tasks = [open_task(c, "review") for c in cases]
        start(cases[0], "D3", D(2026, 3, 2))  # a clock on no task is not returned
        # Registration on Tue 3-3 started D1 too; move it onto the second case's task.
        services.clock_reassign(subject=cases[1], rule_code="D1", task=tasks[1])
        assert clocks_for_tasks([]) == {}
        with django_assert_num_queries(1):
            found = clocks_for_tasks([t.pk for t in tasks])
            rows = {pk: [(c.rule_code, c.rule.title[:4], c.due_on) for c in clocks] for pk, clocks in found.items()}
        # D2 from Tue 3-3: 3-4, 3-5, 3-6 → Fri 3-6. D1 from Tue 3-3: 15 日 → Wed 3-18.
        assert rows == {
            tasks[0].pk: [("D2", "决定是否", D(2026, 3, 6))],
            tasks[1].pk: [("D2", "决定是否", D(2026, 3, 6)), ("D1", "未达成调", D(2026, 3, 18))],
            tasks[2].pk: [("D2", "决定是否", D(2026, 3, 6))],
        }


def test_clock_due_at_is_the_start_of_the_next_day_in_shanghai(case):
    clock = start(case, "D1", D(2026, 3, 2))
    at = services.clock_due_at(clock)
    assert at == datetime.datetime(2026, 3, 18, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert at.utcoffset() == datetime.timedelta(hours=8)


class TestMissingCalendar:
    def test_clock_into_an_unloaded_year_is_marked_and_admins_alerted_once(self, case, people, ankang):
        clock = start(case, "D32", D(2027, 11, 1))  # 60 working days, all in 2027–2028
        assert clock.calendar_missing_years == [2027, 2028]
        alerts = Notification.objects.filter(verb="calendar.missing")
        assert set(alerts.values_list("recipient", flat=True)) == {people["admin"].pk}
        assert sorted(a.text[:4] for a in alerts) == ["2027", "2028"]
        assert "2028年节假日安排未载入" in alerts.get(dedupe_key="calendar-missing:2028").text
        # A second clock needing 2028 does not alert again.
        start(bare_case(ankang["union:610902"], people["intake"]), "D3", D(2028, 3, 1))
        assert alerts.count() == 2

    def test_recording_the_year_recomputes_waiting_clocks(self, case, people):
        # 15 days → Fri 2027-10-1, provisionally 国庆 (10-1 … 10-3 statutory) → Mon 10-4.
        clock = start(case, "D3", D(2027, 9, 16))
        assert (clock.due_on, clock.calendar_missing_years) == (D(2027, 10, 4), [2027])
        # The admin enters a National Day holiday and records 2027 as loaded.
        for day in range(1, 8):
            CalendarOverride.objects.create(date=D(2027, 10, day), kind="holiday", name="国庆节")
        services.calendar_year_record(year=2027, source="国办发明电〔2026〕×号", actor=people["admin"])
        clock.refresh_from_db()
        assert (clock.due_on, clock.calendar_missing_years) == (D(2027, 10, 8), [])
        event = CaseEvent.objects.get(case=case, action="clock.rescheduled")
        assert event.changes["due_on"] == ["2027-10-04", "2027-10-08"]

    def test_a_county_holiday_moves_only_that_county(self, case, people, ankang):
        here = start(case, "D3", D(2026, 3, 2))
        there = start(bare_case(ankang["union:610921"], people["intake"]), "D3", D(2026, 3, 2))
        CalendarOverride.objects.create(date=D(2026, 3, 17), kind="holiday", name="地方节日", locality="610902")
        assert services.clocks_recompute(county="610902", since=D(2026, 3, 17)) == 1
        here.refresh_from_db()
        there.refresh_from_db()
        assert (here.due_on, there.due_on) == (D(2026, 3, 18), D(2026, 3, 17))


def test_reminder_cursor_restarts_when_the_due_date_moves(case, people):
    clock = start(case, "D3", D(2026, 3, 2))
    Clock.objects.filter(pk=clock.pk).update(reminder_stage=ReminderStage.DUE, next_reminder_on=D(2026, 3, 18))
    clock = services.clock_extend(subject=case, rule_code="D3", days=5, applicant_consent="同意",
                                  respondent_consent="同意", actor=people["head"])
    assert (clock.reminder_stage, clock.next_reminder_on) == (ReminderStage.NONE, clock.warn_on)
