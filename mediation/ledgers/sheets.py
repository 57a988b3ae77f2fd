"""The ledgers (台账): for each list, its columns and its rows, read through the same
permission-scoped selectors as the page, with the page's filters.

Each sheet's queryset carries every column as a joined field or an annotated subquery, so rows are
produced without a query per row; the few things that need a second look (the clocks of a batch of
tasks) are read once per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LedgerKind

# Which query-string keys each list filters by (anything else is ignored).
FILTER_KEYS = {
    LedgerKind.CASES: ("status", "county", "channel", "q"),
    LedgerKind.TASKS: ("kind", "county", "clock", "who"),
    LedgerKind.OVERDUE: ("county",),
    LedgerKind.MATTERS: ("status", "county", "q"),
}

MONEY = "#,##0.00"
DATE = 'yyyy"年"m"月"d"日"'
DATETIME = 'yyyy"年"m"月"d"日" hh:mm'


@dataclass
class Column:
    header: str
    width: int = 14
    number_format: str | None = None


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    queryset: QuerySet
    rows: Callable[[list], Iterable[tuple]]


def _labels(choices) -> dict[str, str]:
    return {k: str(v) for k, v in choices}


def cases_sheet(user, params: dict) -> Sheet:
    from mediation.cases.models import CaseStatus, Claim, ClosingCode, DisputeType, Instalment
    from mediation.cases.selectors import case_list_for_user

    qs = case_list_for_user(
        user, **{k: params.get(k) or None for k in FILTER_KEYS[LedgerKind.CASES]}
    )
    paid = (
        Instalment.objects.filter(agreement__case=OuterRef("pk"), paid_on__isnull=False)
        .order_by()
        .values("agreement__case")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    qs = qs.annotate(
        first_dispute_type=Subquery(
            Claim.objects.filter(case=OuterRef("pk")).order_by("id").values("dispute_type")[:1]
        ),
        performed_amount=When_(
            When(agreement__paid_on_spot=True, then=F("agreement__amount_total")),
            default=Subquery(paid),
        ),
    )
    status, closing, dispute = (
        _labels(CaseStatus.choices),
        _labels(ClosingCode.choices),
        _labels(DisputeType.choices),
    )

    # Plain tuples, not model instances: only the columns of the ledger are read.
    qs = qs.values_list(
        "case_no",
        "received_on",
        "applicant_name",
        "workers_count",
        "respondent_employer",
        "respondent_person",
        "first_dispute_type",
        "amount_claimed_total",
        "status",
        "lead_mediator__staff__full_name",
        "closing_code",
        "performed_amount",
    )

    def rows(cases):
        for (
            case_no,
            received_on,
            applicant,
            workers,
            employer,
            person,
            dispute_type,
            claimed,
            state,
            mediator,
            closing_code,
            performed,
        ) in cases:
            applicant = applicant or ""
            if applicant and workers > 1:
                applicant = _("%(name)s等%(n)s人") % {"name": applicant, "n": workers}
            yield (
                case_no,
                received_on,
                applicant,
                workers,
                employer or person or "",
                dispute.get(dispute_type or "", ""),
                claimed,
                status.get(state, state),
                mediator or "",
                closing.get(closing_code, ""),
                performed,
            )

    return Sheet(
        title=_("案件台账"),
        columns=[
            Column(_("案号"), 26),
            Column(_("收件日期"), 15, DATE),
            Column(_("申请人"), 14),
            Column(_("人数"), 6),
            Column(_("被申请人"), 30),
            Column(_("争议类型"), 10),
            Column(_("金额"), 14, MONEY),
            Column(_("状态"), 14),
            Column(_("调解员"), 10),
            Column(_("结案方式"), 22),
            Column(_("履行金额"), 14, MONEY),
        ],
        queryset=qs,
        rows=rows,
    )


def tasks_sheet(user, params: dict) -> Sheet:
    from mediation.clocks.calendar import CalendarCache
    from mediation.clocks.display import deadline_words
    from mediation.clocks.selectors import clocks_for_tasks
    from parties.models import County
    from workflows.selectors import inbox_for

    qs = inbox_for(user, **{k: params.get(k) or None for k in FILTER_KEYS[LedgerKind.TASKS]})
    counties = _labels(County.choices)
    calendars, today = CalendarCache(), timezone.localdate()

    def rows(tasks):
        clocks = clocks_for_tasks([t.pk for t in tasks])
        for t in tasks:
            process = t.process.coerced
            subject = getattr(process, "case", None) or getattr(process, "matter", None)
            mine = clocks.get(t.pk, [])
            words = "；".join(deadline_words(c, calendars, today).countdown for c in mine)
            address = getattr(t, "address", None)
            yield (
                str(t.flow_task.task_title or t.flow_task.name) if t.flow_task else "",
                str(subject) if subject else "",
                counties.get(getattr(subject, "county", ""), ""),
                words,
                t.urgent_due,
                timezone.localtime(t.created).replace(tzinfo=None),
                t.owner.staff.full_name if t.owner_id and hasattr(t.owner, "staff") else "",
                (address.agency.short_name or address.agency.name) if address else "",
            )

    return Sheet(
        title=_("待办任务台账"),
        columns=[
            Column(_("任务"), 14),
            Column(_("案件/事项"), 40),
            Column(_("县区"), 10),
            Column(_("期限"), 34),
            Column(_("届满日"), 15, DATE),
            Column(_("到达时间"), 20, DATETIME),
            Column(_("办理人"), 10),
            Column(_("承办机构"), 20),
        ],
        queryset=qs,
        rows=rows,
    )


def overdue_sheet(user, params: dict) -> Sheet:
    from mediation.clocks.selectors import overdue_clocks_for
    from parties.models import County

    qs = overdue_clocks_for(user, county=params.get("county") or None)
    counties = _labels(County.choices)
    today = timezone.localdate()

    def rows(clocks):
        for c in clocks:
            handler = (
                c.owner.staff.full_name
                if c.owner_id and hasattr(c.owner, "staff")
                else ((c.agency.short_name or c.agency.name) if c.agency_id else "")
            )
            yield (
                c.due_on,
                c.rule_code,
                c.rule.title,
                c.case.case_no if c.case_id else "",
                counties.get(c.case.county if c.case_id else c.county, ""),
                handler,
                (today - c.due_on).days,
            )

    return Sheet(
        title=_("逾期时限台账"),
        columns=[
            Column(_("届满日"), 15, DATE),
            Column(_("规则编号"), 8),
            Column(_("时限"), 36),
            Column(_("案号"), 26),
            Column(_("县区"), 10),
            Column(_("承办"), 16),
            Column(_("逾期天数"), 8),
        ],
        queryset=qs,
        rows=rows,
    )


def matters_sheet(user, params: dict) -> Sheet:
    from mediation.supervision.models import ClueSource, Conclusion, MatterStatus
    from mediation.supervision.selectors import matter_list_for_user
    from parties.models import County

    qs = matter_list_for_user(
        user, **{k: params.get(k) or None for k in FILTER_KEYS[LedgerKind.MATTERS]}
    )
    counties, statuses = _labels(County.choices), _labels(MatterStatus.choices)
    sources, conclusions = _labels(ClueSource.choices), _labels(Conclusion.choices)

    def rows(matters):
        for m in matters:
            yield (
                m.matter_no,
                timezone.localtime(m.created_at).date(),
                m.title,
                m.employer.name if m.employer_id else "",
                counties.get(m.county, ""),
                sources.get(m.source, ""),
                statuses.get(m.status, m.status),
                conclusions.get(m.conclusion, ""),
                m.letter_count,
                m.workers_covered,
                m.amount_recovered,
                m.closed_on,
            )

    return Sheet(
        title=_("监督事项台账"),
        columns=[
            Column(_("编号"), 24),
            Column(_("登记日期"), 15, DATE),
            Column(_("事项名称"), 36),
            Column(_("用人单位"), 30),
            Column(_("县区"), 10),
            Column(_("线索来源"), 12),
            Column(_("状态"), 12),
            Column(_("调查结论"), 12),
            Column(_("函件数"), 8),
            Column(_("惠及职工人数"), 10),
            Column(_("追回金额"), 14, MONEY),
            Column(_("结案日期"), 15, DATE),
        ],
        queryset=qs,
        rows=rows,
    )


SHEETS: dict[str, Callable[[object, dict], Sheet]] = {
    LedgerKind.CASES: cases_sheet,
    LedgerKind.TASKS: tasks_sheet,
    LedgerKind.OVERDUE: overdue_sheet,
    LedgerKind.MATTERS: matters_sheet,
}


def clean_params(kind: str, data) -> dict[str, str]:
    """Only the filters the list knows, as strings."""
    return {k: str(data.get(k)).strip() for k in FILTER_KEYS[kind] if data.get(k)}


def describe_params(kind: str, params: dict) -> list[tuple[str, str]]:
    """The filters of an export as a person reads them: ("状态", "已受理"), ("县区", "汉滨区")…"""
    from mediation.cases.models import CaseStatus, Channel
    from mediation.supervision.models import MatterStatus
    from parties.models import County

    statuses = _labels(MatterStatus.choices if kind == LedgerKind.MATTERS else CaseStatus.choices)
    statuses.setdefault("open", _("办理中"))
    values = {
        "status": statuses,
        "county": _labels(County.choices),
        "channel": _labels(Channel.choices),
        "clock": {
            "overdue": _("已超期"),
            "due_soon": _("临近届满"),
            "running": _("计时中"),
            "paused": _("已暂停"),
            "none": _("无时限"),
        },
        "who": {"mine": _("由我办理"), "queue": _("本机构待领取")},
    }
    names = {
        "status": _("状态"),
        "county": _("县区"),
        "channel": _("来源"),
        "q": _("查找"),
        "kind": _("任务类型"),
        "clock": _("时限状态"),
        "who": _("办理人"),
    }
    out = []
    for key, value in params.items():
        if key == "kind":
            try:
                from viewflow.workflow.fields import import_task_by_ref

                node = import_task_by_ref(value)
                shown = str(node.task_title or node.name)
            except Exception:  # a stale or hand-made reference: show it as typed
                shown = value
        else:
            shown = values.get(key, {}).get(value, value)
        out.append((str(names.get(key, key)), shown))
    return out
