"""What people see: the case panel, the inbox badge, the month calendar."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from mediation.clocks import services
from tests.factories.clocks import bare_case, start

D = datetime.date


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=ZoneInfo("Asia/Shanghai")),
                               tick=False)


def render(source, **ctx):
    return Template("{% load clocks_tags %}" + source).render(Context(ctx))


@pytest.fixture
def case(ankang, people):
    return bare_case(ankang["union:610902"], people["intake"], lead_mediator=people["mediator"])


class TestPanel:
    def test_panel_lists_every_clock_with_basis_due_date_and_countdown(self, case, people):
        start(case, "D1", D(2026, 3, 2))
        start(case, "D2", D(2026, 3, 2))  # 3 W → 3-5
        with at(D(2026, 3, 2)):
            html = render("{% clock_panel case %}", case=case)
        assert "《劳动争议调解仲裁法》第十四条" in html
        assert "2026年3月17日" in html and "2026年3月5日" in html
        # In words, as on the inbox: what the deadline counts, then the countdown (issue 10 item 4).
        assert "决定是否受理调解申请期限剩余3个工作日" in html
        assert 'class="badge ok clock-badge"' in html
        assert "<strong>D1</strong>" not in html and "（D1）" in html
        assert "clock-banner" not in html

    def test_overdue_and_the_d1_banner(self, case):
        start(case, "D1", D(2026, 3, 2))
        with at(D(2026, 3, 19)):
            html = render("{% clock_panel case %}", case=case)
        assert "未达成调解协议的，申请人可申请仲裁期限已超期2天" in html
        assert 'class="badge bad clock-badge"' in html
        assert "申请人可以依法申请劳动仲裁" in html  # the D1 banner, from the rule's data

    def test_due_today_warns(self, case):
        start(case, "D3", D(2026, 3, 2))
        with at(D(2026, 3, 17)):
            assert "完成企业/工会调解期限今日届满" in render("{% clock_panel case %}", case=case)

    def test_paused_extended_and_stopped(self, case, people):
        start(case, "D3", D(2026, 3, 2))
        services.clock_extend(subject=case, rule_code="D3", days=10, applicant_consent="书面同意",
                              respondent_consent="书面同意", actor=people["head"])
        services.clock_pause(subject=case, rule_code="D3", reason="等待工伤认定", on=D(2026, 3, 5),
                             actor=people["head"])
        start(case, "D2", D(2026, 3, 2))
        services.clock_stop(subject=case, rule_code="D2", on=D(2026, 3, 3))
        with at(D(2026, 3, 6)):
            html = render("{% clock_panel case %}", case=case)
        assert "完成企业/工会调解期限已暂停（等待工伤认定）" in html and "已延长10" in html
        assert "决定是否受理调解申请期限按期完成" in html and "结束于 2026年3月3日" in html

    def test_missing_calendar_is_shown_in_chinese(self, case):
        start(case, "D3", D(2028, 3, 1))
        with at(D(2028, 3, 2)):
            html = render("{% clock_panel case %}", case=case)
        assert "2028年节假日安排未载入" in html

    def test_panel_of_a_case_without_clocks(self, case):
        assert "本案暂无计时中的法定时限" in render("{% clock_panel case %}", case=case)

    def test_panel_queries_do_not_grow_with_clocks(self, case, django_assert_max_num_queries):
        for code in ("D1", "D2", "D3", "D12", "D20"):
            start(case, code, D(2026, 3, 2))
        with at(D(2026, 3, 3)), django_assert_max_num_queries(6):
            render("{% clock_panel case %}", case=case)


def test_badge_is_compact_and_cheap(case, django_assert_max_num_queries):
    clocks = [start(case, code, D(2026, 3, 2)) for code in ("D2", "D30", "D41")]
    with at(D(2026, 3, 3)), django_assert_max_num_queries(2):  # one calendar load for all badges
        html = render("{% for c in clocks %}{% clock_badge c %}{% endfor %}", clocks=clocks)
    assert html.count("clock-badge") == 3
    # In words, like the inbox; the rule code only in the tooltip.
    assert "决定是否受理调解申请期限剩余2个工作日" in html
    assert "D2 剩余" not in html and 'title="D2 决定是否受理调解申请' in html


class TestCalendarPage:
    url = reverse("clocks:calendar")

    def test_month_grid_marks_holidays_and_makeup_days_and_lists_due_clocks(self, client, case, people):
        start(case, "D13", D(2026, 2, 12), owner=people["mediator"])  # due 2-24
        client.force_login(people["mediator"])
        response = client.get(self.url, {"month": "2026-02"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "2026年2月" in html and "我的时限日历" in html
        cells = re.findall(r'<td class="([^"]*)">\s*<span class="daynum">(\d+)</span>', html)
        kinds = {(int(day), cls.split()[0]) for cls, day in cells if "out" not in cls}
        assert (14, "makeup_workday") in kinds and (28, "makeup_workday") in kinds
        assert (17, "holiday") in kinds and (23, "holiday") in kinds
        assert (7, "weekend") in kinds and (24, "workday") in kinds
        assert "春节" in html
        assert case.case_no in html and "D13" in html
        assert len(cells) == 35  # five full weeks, Monday first

    def test_national_day_2026_with_its_makeup_sunday_and_saturday(self, client, people):
        client.force_login(people["mediator"])
        html = client.get(self.url, {"month": "2026-10"}).content.decode()
        assert re.search(r'<td class="makeup_workday">\s*<span class="daynum">10</span>', html)
        assert re.search(r'<td class="holiday">\s*<span class="daynum">7</span>', html)
        html = client.get(self.url, {"month": "2026-09"}).content.decode()
        assert re.search(r'<td class="makeup_workday">\s*<span class="daynum">20</span>', html)

    def test_only_clocks_of_cases_the_user_may_see(self, client, people, ankang):
        other = bare_case(ankang["union:610921"], people["intake"], lead_mediator=people["mediator"])
        start(other, "D3", D(2026, 3, 2), owner=people["mediator"])
        client.force_login(people["mediator"])
        html = client.get(self.url, {"month": "2026-03"}).content.decode()
        assert other.case_no not in html  # Hanyin's case is not visible to a Hanbin mediator
        assert "本月没有届满的时限" in html

    def test_agency_scope(self, client, case, people, ankang):
        start(case, "D3", D(2026, 3, 2))  # nobody owns it: it is the agency's
        client.force_login(people["head"])
        html = client.get(self.url, {"month": "2026-03", "scope": "agency"}).content.decode()
        assert case.case_no in html and "汉滨总工会 · 时限日历" in html
        # Another agency's calendar: 404 for a county head, allowed for the city supervisor.
        other = ankang["union:610921"].pk
        assert client.get(self.url, {"scope": "agency", "agency": other}).status_code == 404
        client.force_login(people["supervisor"])
        response = client.get(self.url, {"month": "2026-03", "scope": "agency",
                                         "agency": ankang["union:610902"].pk})
        assert response.status_code == 200 and case.case_no in response.content.decode()

    def test_a_month_without_holiday_data_says_so(self, client, people):
        client.force_login(people["mediator"])
        html = client.get(self.url, {"month": "2028-02"}).content.decode()
        assert "2028年节假日安排未载入" in html

    @pytest.mark.parametrize("month", ["2026-13", "0-1", "10000-01", "abc"])
    def test_bad_month_answers_400_with_the_reason(self, client, people, month):
        client.force_login(people["mediator"])
        response = client.get(self.url, {"month": month})
        assert response.status_code == 400
        assert f"月份“{month}”无效" in response.content.decode()

    def test_no_month_is_this_month(self, client, people):
        client.force_login(people["mediator"])
        with at(D(2026, 5, 6)):
            response = client.get(self.url, {"month": ""})
        assert response.status_code == 200 and "2026年5月" in response.content.decode()

    def test_login_required(self, client, db):
        response = client.get(self.url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_case_page_says_what_each_deadline_counts(case, people, client):
    """The case page's clock panel reads like the inbox: "完成企业/工会调解期限剩余4天", not a rule
    code (issue 10 item 4)."""
    start(case, "D3", D(2026, 3, 2))  # 15 calendar days → 3-17
    client.force_login(people["mediator"])
    with at(D(2026, 3, 13)):
        html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "完成企业/工会调解期限剩余4天" in html
    assert "<strong>D3</strong>" not in html
