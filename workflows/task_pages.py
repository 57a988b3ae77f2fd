"""What every task page does when its form is submitted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from viewflow.workflow.models import Task

from .engine import TaskConflict, step_complete, task_execute, user_may_act


def complete_step(request, task, form, entry, done_message, success_url, /, **kwargs):
    """Complete `task` with its step's entry point `entry(actor=…, **kwargs)` (workflows.engine.step_complete).

    A business refusal goes back on the form (returns None, the page is shown again);
    a task somebody else finished first sends the user back to the task page, which says who and when.
    """
    return complete_from_form(request, task, form, None, done_message, success_url,
                              run=lambda: step_complete(task=task, user=request.user, entry=entry, **kwargs))


def complete_from_form(request, task, form, work, done_message, success_url, run=None):
    """Run `work(activation)` as the completion of `task` (see complete_step)."""
    try:
        if run is not None:
            run()
        else:
            task_execute(task=task, user=request.user, work=work)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
    except TaskConflict as exc:
        # Finished or taken meanwhile: the task page says by whom and when, with a link to the
        # case. Still open (the case was busy): the page is shown again with the reason.
        task = Task.objects.select_related("address").get(pk=task.pk)
        if user_may_act(request.user, task):
            messages.error(request, exc.message)
        return redirect("task_detail", task.pk)
    messages.success(request, done_message)
    return redirect(success_url)
