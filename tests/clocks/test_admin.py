"""Admin: the override table refuses bad input; editing a rule makes a new version; clocks are read-only."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mediation.clocks.models import CalendarOverride, CalendarYear, Clock, DeadlineRule
from tests.factories.clocks import CalendarOverrideFactory, bare_case, start

D = datetime.date


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.test", "pass-Concord-2026")
    client.force_login(user)
    return client


def add_override(client, **data):
    payload = {"date": "2028-01-03", "kind": "holiday", "name": "元旦", "locality": "", "note": ""}
    payload.update(data)
    return client.post(reverse("admin:clocks_calendaroverride_add"), payload)


class TestOverrideInput:
    def test_a_valid_day_is_saved(self, admin_client):
        response = add_override(admin_client)
        assert response.status_code == 302
        assert CalendarOverride.objects.get().date == D(2028, 1, 3)

    def test_a_day_both_holiday_and_makeup_day_is_refused(self, admin_client):
        add_override(admin_client, date="2028-01-08", kind="makeup_workday", name="元旦")
        response = add_override(admin_client, date="2028-01-08", kind="holiday", name="元旦")
        assert response.status_code == 200
        assert "不能既是节假日又是调休上班日" in response.content.decode()
        assert CalendarOverride.objects.count() == 1

    @pytest.mark.parametrize("day", ["1999-12-31", "2101-01-01"])
    def test_a_year_outside_2000_2100_is_refused(self, admin_client, day):
        response = add_override(admin_client, date=day)
        assert response.status_code == 200
        assert "日期须在2000年至2100年之间" in response.content.decode()
        assert not CalendarOverride.objects.exists()

    def test_a_makeup_day_on_a_weekday_is_refused(self, admin_client):
        response = add_override(admin_client, date="2028-01-05", kind="makeup_workday")
        assert "调休上班日必须是周六或周日" in response.content.decode()

    def test_the_same_date_may_differ_by_locality(self, admin_client):
        add_override(admin_client, date="2028-01-08", kind="makeup_workday")
        response = add_override(admin_client, date="2028-01-08", kind="holiday", name="地方节日", locality="610902")
        assert response.status_code == 302 and CalendarOverride.objects.count() == 2

    def test_the_database_refuses_what_the_form_would(self, db):
        CalendarOverrideFactory(date=D(2028, 1, 8), kind="makeup_workday")
        with pytest.raises(IntegrityError), transaction.atomic():
            CalendarOverrideFactory(date=D(2028, 1, 8), kind="holiday")
        with pytest.raises(IntegrityError), transaction.atomic():
            CalendarOverrideFactory(date=D(2101, 1, 1))
        with pytest.raises(IntegrityError), transaction.atomic():
            CalendarOverrideFactory(date=D(2028, 1, 9), kind="school_day")

    def test_model_clean_explains_in_chinese(self, db):
        CalendarOverrideFactory(date=D(2028, 1, 8), kind="makeup_workday")
        with pytest.raises(ValidationError) as err:
            CalendarOverride(date=D(2028, 1, 8), kind="holiday", name="元旦").full_clean()
        assert "已标记为“调休上班日”" in str(err.value)

    def test_calendar_year_out_of_range(self, admin_client):
        response = admin_client.post(reverse("admin:clocks_calendaryear_add"), {"year": 2101, "source": "x"})
        assert response.status_code == 200 and not CalendarYear.objects.exists()
        assert "2100" in response.content.decode()


def test_saving_an_override_recomputes_running_clocks(admin_client, ankang, people):
    case = bare_case(ankang["union:610902"], people["intake"])
    clock = start(case, "D3", D(2026, 3, 2))
    response = add_override(admin_client, date="2026-03-17", kind="holiday", name="地方节日", locality="610902")
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_on == D(2026, 3, 18)


def test_recording_a_year_through_the_admin(admin_client, ankang, people):
    clock = start(bare_case(ankang["union:610902"], people["intake"]), "D3", D(2027, 3, 1))
    assert clock.calendar_missing_years == [2027]
    response = admin_client.post(reverse("admin:clocks_calendaryear_add"),
                                 {"year": 2027, "source": "国办发明电〔2026〕×号"})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.calendar_missing_years == []
    assert CalendarYear.objects.get().loaded_by.username == "root"


class TestRuleAdmin:
    def _form(self, rule, **changes):
        data = {f: getattr(rule, f) for f in ("title", "period", "unit", "start_event", "legal_basis", "status",
                                              "warn_percent", "due_notice", "note")}
        data.update(warn_day=rule.warn_day or "", extension_max_days=rule.extension_max_days
                    if rule.extension_max_days is not None else "",
                    extension_needs_consent="on" if rule.extension_needs_consent else "")
        data.update(changes)
        return data

    def test_editing_a_rule_creates_a_new_version(self, admin_client, ankang, people):
        v1 = DeadlineRule.objects.current().get(code="D3", locality="")
        clock = start(bare_case(ankang["union:610902"], people["intake"]), "D3", D(2026, 3, 2))
        response = admin_client.post(reverse("admin:clocks_deadlinerule_change", args=[v1.pk]),
                                     self._form(v1, period=20))
        assert response.status_code == 302
        versions = DeadlineRule.objects.filter(code="D3", locality="").order_by("version")
        assert [(r.version, r.period, r.is_current) for r in versions] == [(1, 15, False), (2, 20, True)]
        assert versions[1].created_by.username == "root"
        clock.refresh_from_db()
        assert clock.rule_id == v1.pk and clock.due_on == D(2026, 3, 17)
        # The old version is history: its page is read-only, and nothing is deleted.
        page = admin_client.get(reverse("admin:clocks_deadlinerule_change", args=[v1.pk]))
        assert page.status_code == 200 and b'name="period"' not in page.content
        assert admin_client.post(reverse("admin:clocks_deadlinerule_change", args=[v1.pk]),
                                 self._form(v1, period=99)).status_code == 403
        assert admin_client.get(reverse("admin:clocks_deadlinerule_delete", args=[v1.pk])).status_code == 403

    def test_the_list_shows_current_versions(self, admin_client):
        response = admin_client.get(reverse("admin:clocks_deadlinerule_changelist"))
        assert response.status_code == 200 and "D3a" in response.content.decode()


def test_clocks_are_read_only_in_the_admin(admin_client, ankang, people):
    clock = start(bare_case(ankang["union:610902"], people["intake"]), "D3", D(2026, 3, 2))
    assert admin_client.get(reverse("admin:clocks_clock_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:clocks_clock_change", args=[clock.pk]))
    assert page.status_code == 200 and b'name="due_on"' not in page.content
    assert admin_client.post(reverse("admin:clocks_clock_change", args=[clock.pk]),
                             {"due_on": "2030-01-01"}).status_code == 403
    assert admin_client.get(reverse("admin:clocks_clock_add")).status_code == 403
    assert Clock.objects.get().due_on == D(2026, 3, 17)
