"""Pausing and resuming a case's clocks (DOMAIN §3.2 D34, issue 8 item B9).

Mediation of the amounts often waits for a work-injury determination (工伤认定) or an assessment
of working capacity (劳动能力鉴定). The case page offers "暂停计时" with a reason; `services.case_pause` / `case_resume` emit
`Event.MEDIATION_PAUSED` / `MEDIATION_RESUMED` and the clock service pauses or resumes the clocks
whose rules name those events (`pauses_on` / `resumes_on`, data: D3, D5 …) — never a rule code here.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediation.clocks.events import Event
from mediation.clocks.models import ClockStatus
from mediation.clocks.selectors import clocks_for_case

from .models import Case
from .permissions import may_pause_clocks
from .services import case_pause, case_resume


class PauseReason(TextChoices):
    """Why the count stands still (DOMAIN §3.2 D34 [I]); "其他" needs words."""

    WORK_INJURY = "等待工伤认定", gettext_lazy("等待工伤认定")
    CAPACITY = "等待劳动能力鉴定", gettext_lazy("等待劳动能力鉴定")
    OCCUPATIONAL_DISEASE = "等待职业病诊断鉴定", gettext_lazy("等待职业病诊断鉴定")
    OTHER = "OTHER", gettext_lazy("其他（请说明）")


def pausable_clocks(case: Case, *, paused: bool = False) -> list:
    """The case's running (or, with `paused`, paused) clocks whose rule pauses (resumes) on the event."""
    event = Event.MEDIATION_RESUMED if paused else Event.MEDIATION_PAUSED
    field = "resumes_on" if paused else "pauses_on"
    status = ClockStatus.PAUSED if paused else ClockStatus.RUNNING
    return [c for c in clocks_for_case(case).filter(status=status) if event in (getattr(c.rule, field) or [])]


def _require_worker(actor, case: Case) -> None:
    if not may_pause_clocks(actor, case):
        raise ValidationError(_("只有承办本案的工会调解组织工作人员可以暂停或恢复计时。"), code="actor")


@transaction.atomic
def case_clocks_pause(*, case: Case, actor, reason: str, note: str = "", on: datetime.date) -> Case:
    """The case page's 暂停计时: who may, why (a reason from the list, or "其他" with words), and
    only if a clock would stand still; the pause itself is `services.case_pause`."""
    _require_worker(actor, case)
    note = (note or "").strip()
    if reason not in PauseReason.values:
        raise ValidationError(_("请选择暂停原因。"), code="reason")
    if reason == PauseReason.OTHER and not note:
        raise ValidationError(_("暂停原因为“其他”的，请写明具体原因。"), code="note")
    if not pausable_clocks(case):
        raise ValidationError(_("本案没有可以暂停的计时中的时限。"), code="nothing")
    words = note if reason == PauseReason.OTHER else (f"{reason}（{note}）" if note else reason)
    return case_pause(case=case, actor=actor, reason=words[:200], on=on)


@transaction.atomic
def case_clocks_resume(*, case: Case, actor, on: datetime.date) -> Case:
    """恢复计时: the paused clocks run again, their due dates moved by the paused span."""
    _require_worker(actor, case)
    clocks = pausable_clocks(case, paused=True)
    if not clocks:
        raise ValidationError(_("本案没有暂停中的时限。"), code="nothing")
    for clock in clocks:
        opened = [p for p in clock.pauses.all() if p.resumed_on is None]
        if opened and on < opened[-1].paused_on:
            raise ValidationError(_("恢复日期不能早于暂停日期。"), code="date_order")
    return case_resume(case=case, actor=actor, on=on)
