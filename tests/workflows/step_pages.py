"""Completing a case step as its user does: the step's form POSTed to its real task URL.

Flow tests use this instead of setting process fields (outcome, referral_kinds) by hand, so the
gateway routes on what the step's own page recorded.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories.cases import open_task


def complete_step(case, step: str, user, data: dict) -> None:
    """POST `data` to the open `step` of `case` at /tasks/<id>/, logged in as `user`.

    The step is done only when the page redirects to the case page; otherwise the test
    fails with the form's errors (or the status code the page answered).
    """
    task = open_task(case, step)
    client = Client()
    client.force_login(user)
    response = client.post(f"/tasks/{task.pk}/", data)
    if response.status_code != 302 or response["Location"] != reverse(
        "case_detail", args=[case.pk]
    ):
        contexts = response.context if isinstance(response.context, list) else [response.context]
        forms = {
            id(value): value
            for context in contexts
            if context is not None
            for value in context.flatten().values()
            if hasattr(value, "is_bound")
        }
        form_errors = [form.errors for form in forms.values() if form.errors]
        raise AssertionError(
            f"step {step!r} not completed: HTTP {response.status_code} {form_errors}"
        )


def agreement_data(
    on,
    *,
    terms: str,
    amount: str,
    instalments=(),
    path: str = "JUDICIAL",
    paid_on_spot: bool = False,
) -> dict:
    """The mediate page's 达成调解协议 form, signed and sealed by all."""
    data = {
        "action": "outcome",
        "outcome": "agreement",
        "on": on.isoformat(),
        "terms": terms,
        "amount_total": amount,
        "confirmation_path": path,
        "instalments": "\n".join(f"{due.isoformat()}，{sum_}" for due, sum_ in instalments),
        "applicant_signed": "on",
        "respondent_signed": "on",
        "mediator_signed": "on",
        "sealed": "on",
    }
    if paid_on_spot:
        data["paid_on_spot"] = "on"
    return data
