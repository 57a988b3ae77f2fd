"""What every task page does when its form is submitted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from .engine import TaskConflict, task_execute


def complete_from_form(request, task, form, work, done_message, success_url):
    """Run `work(activation)` as the completion of `task`.

    A business refusal goes back on the form (returns None, the page is shown again);
    a task somebody else finished first sends the user back to the inbox with the reason.
    """
    try:
        task_execute(task=task, user=request.user, work=work)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
    except TaskConflict as exc:
        messages.error(request, exc.message)
        return redirect("inbox")
    messages.success(request, done_message)
    return redirect(success_url)
