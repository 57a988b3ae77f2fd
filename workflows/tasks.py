from celery import shared_task
from viewflow.workflow.timers import fire_due_timers as viewflow_fire_due_timers


@shared_task(name="workflows.tasks.fire_due_timers")
def fire_due_timers() -> int:
    """Fire the flows' due timers (D1 arbitration window, D3 escalation…)."""
    return viewflow_fire_due_timers()
