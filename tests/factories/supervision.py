"""Building supervision matters the way users do: through the services and SupervisionFlow's tasks."""

import datetime

from viewflow.workflow.models import Task

from mediation.supervision import services, steps
from mediation.supervision.models import (
    Conclusion,
    DeliveryMethod,
    LetterKind,
    ReplyKind,
    SupervisionScope,
    Verification,
)
from parties.models import County, Industry, Role
from tests.factories.parties import EmployerFactory, staff_user
from tests.factories.seeds import reseed_migration_data  # noqa: F401  (used by the journeys)
from workflows.engine import OPEN_TASK_STATUSES, step_complete, task_execute
from workflows.supervision_flow import matter_open

LEGAL_BASIS = "《中华人民共和国劳动法》第五十条：工资应当以货币形式按月支付给劳动者本人，不得克扣或者无故拖欠劳动者的工资。"


def second_supervisor(ankang, county=County.HANBIN, username="hb_lsup2"):
    return staff_user(ankang[f"union:{county}"], Role.LABOR_SUPERVISOR, username=username)


def employer(**kwargs):
    kwargs.setdefault("name", "安康汉江商贸有限公司")
    kwargs.setdefault("address", "汉滨区兴安中路88号")
    kwargs.setdefault("industry", Industry.RETAIL)
    return EmployerFactory(**kwargs)


def open_matter(actor, *, emp=None, title="某超市拖欠职工工资线索", source="HOTLINE", **kwargs):
    return matter_open(actor=actor, title=title, source=source, clue="12351热线反映该单位连续两个月未发工资。",
                       employer=emp or employer(), source_ref=kwargs.pop("source_ref", "12351-2026-0301"), **kwargs)


def open_task(matter, step):
    """The open task `step` (a node name of SupervisionFlow) of `matter`."""
    tasks = Task.objects.filter(process__supervisionprocess__matter=matter, status__in=OPEN_TASK_STATUSES)
    for task in tasks:
        if task.flow_task.name == step:
            return task
    raise AssertionError(f"no open task {step!r}; open: {[t.flow_task.name for t in tasks]}")


def open_steps(matter):
    return sorted(t.flow_task.name for t in Task.objects.filter(
        process__supervisionprocess__matter=matter, status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN"))


def do(matter, step, user, entry, /, **kwargs):
    """Complete the open `step` of `matter` as `user` with the step's entry point
    (mediation.supervision.steps), as its page does; returns the step's outcome."""
    if kwargs:
        return step_complete(task=open_task(matter, step), user=user, entry=entry, **kwargs)
    return task_execute(task=open_task(matter, step), user=user, work=entry)


def investigate(matter, actor, partner, *, conclusion=Conclusion.VIOLATION, on=None):
    on = on or datetime.date.today()
    return do(matter, "investigate", actor, steps.investigation_conclude, matter=matter, conducted_on=on, method="实地查看、调阅工资台账、询问职工", findings="该单位2026年1月、2月工资未发放，涉及职工23人。", conclusion=conclusion, investigators=[actor, partner])


def letter_kwargs(kind, on, **extra):
    base = dict(
        subject="按时足额支付职工工资", facts="经查，贵单位自2026年1月起未按时发放23名职工工资，合计约28万元。",
        legal_basis=LEGAL_BASIS, requirements="立即制定工资支付计划，足额支付拖欠工资。", issued_on=on,
    )
    if kind == LetterKind.OPINION:
        base["violations"] = [violation(on)]
    base.update(extra)
    return base


def violation(on, **extra):
    row = dict(category=SupervisionScope.WAGES_INSURANCE, facts="拖欠23名职工2026年1月、2月工资共计28万元。",
               evidence="工资台账、职工询问笔录", legal_basis=LEGAL_BASIS,
               rectification="足额支付拖欠工资", deadline=on + datetime.timedelta(days=15),
               workers_affected=23, amount="280000")
    row.update(extra)
    return row


def chair(agency):
    """The union's chair or vice-chair, who signs off its letters (one per agency, made on demand)."""
    from parties.models import Staff

    staff = Staff.objects.filter(agency=agency, role_rows__role=Role.UNION_CHAIR).first()
    if staff is not None:
        return staff.user
    return staff_user(agency, Role.UNION_CHAIR, username=f"chair_{agency.pk}")


def signed(actor, matter, kind, **fields):
    """Draft (services.letter_draft) and the chair's sign-off (services.letter_sign_off), outside the flow."""
    issued_on = fields.get("issued_on")
    draft = services.letter_draft(actor=actor, matter=matter, kind=kind, **fields)
    services.letter_sign_off(actor=chair(matter.agency), draft=draft, approve=True, issued_on=issued_on)
    draft.refresh_from_db()
    return draft.letter


def issue(matter, step, actor, kind, on, **extra):
    """Draft through the flow's step (`issue_reminder`…) and sign off through `sign_off_…`."""
    fields = letter_kwargs(kind, on, **extra)
    do(matter, step, actor, steps.letter_submit, matter=matter, kind=kind, **fields)
    draft = services.pending_draft(matter, kind)
    sign_step = step.replace("issue_", "sign_off_")
    do(matter, sign_step, chair(matter.agency), steps.letter_decide, draft=draft, approve=True, issued_on=on)
    draft.refresh_from_db()
    return draft.letter


def deliver(letter, actor, on):
    return services.letter_delivery_record(actor=actor, recipient=letter.recipients.get(),
                                           method=DeliveryMethod.IN_PERSON, delivered_on=on,
                                           receipt="办公室主任王某签收")


def ignored(matter, step, letter, actor, on):
    return do(matter, step, actor, steps.letter_follow, recipient=letter.recipients.get(), reply_kind=ReplyKind.NO_REPLY, replied_on=None, reply_content="", verification=Verification.NOT_RECTIFIED, verified_on=on, verification_note="回访核查，工资仍未发放。")




def refused(letter, actor, on):
    """The employer refuses in writing (the union checks: not rectified) — the ground for a 建议书."""
    return services.letter_reply_record(
        actor=actor, recipient=letter.recipients.get(), reply_kind=ReplyKind.REFUSED, replied_on=on,
        reply_content="公司经营困难，暂不整改。", verification=Verification.NOT_RECTIFIED, verified_on=on,
        verification_note="回访核查，未整改。")
