"""Building cases the way users do: through workflows.services.case_open and the flow's tasks."""

import datetime
from decimal import Decimal

from viewflow.workflow.models import Task

from parties.models import County
from tests.factories.parties import make_credit_code, make_resident_id
from workflows.engine import OPEN_TASK_STATUSES, step_complete, task_execute
from workflows.services import case_open


def worker_rows(n, *, amount="5000.00", reps=2, seed=0, migrant=False):
    """Workers as the intake types them; 农民工 only when the test says so (issue 9 item 4)."""
    return [
        {"name": f"工人{i}", "id_number": make_resident_id(seed=seed * 1000 + i), "phone": f"139{seed:03d}{i:05d}",
         "amount_claimed": Decimal(amount), "is_representative": i < reps, "is_migrant": migrant}
        for i in range(n)
    ]


def open_case(actor, agency, *, workers=1, received_on=None, county=County.HANBIN, seed=0, dispute_type="WAGES",
              channel="WALK_IN", **extra):
    received_on = received_on or datetime.date.today()
    kwargs = dict(
        channel=channel, title=f"某建筑工地{workers}名农民工欠薪纠纷", facts="工程完工后劳务分包方拖欠工资。",
        county=county, received_on=received_on,
        workers=worker_rows(workers, seed=seed, reps=2 if workers >= 10 else 0),
        respondents=[{"name": f"安康某建筑劳务有限公司{seed}", "credit_code": make_credit_code(seed=seed + 7),
                      "legal_representative": "李某", "county": county, "role": "EMPLOYER"}],
        claims=[{"dispute_type": dispute_type, "subtype": "拖欠工资", "amount_claimed": Decimal("5000") * workers}],
    )
    kwargs.update(extra)
    return case_open(actor=actor, agency=agency, **kwargs)


def open_task(case, step):
    """The open task `step` (a node name of CaseFlow) of `case`."""
    for task in Task.objects.filter(process__caseprocess__case=case, status__in=OPEN_TASK_STATUSES):
        if task.flow_task.name == step:
            return task
    raise AssertionError(f"no open task {step!r}; open: {[t.flow_task.name for t in Task.objects.filter(process__caseprocess__case=case, status__in=OPEN_TASK_STATUSES)]}")


def do(case, step, user, entry, /, **kwargs):
    """Complete the open `step` of `case` as `user` with the step's entry point
    (mediation.cases.steps), as its page does; returns the step's outcome. A plain
    `work(activation)` callable (no kwargs) is run as is — for supervision steps."""
    if kwargs:
        return step_complete(task=open_task(case, step), user=user, entry=entry, **kwargs)
    return task_execute(task=open_task(case, step), user=user, work=entry)
