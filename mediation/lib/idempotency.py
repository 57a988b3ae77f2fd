"""One click, one record (issue 9 item 2).

Every form that creates or advances something carries a one-time token in a hidden field
(`{% submission_token %}`). The token is claimed — a row under a unique constraint — in
the same transaction as the write it guards. A second submission of the same token (a double
click, a resubmit after Back) finds the row, writes nothing, and is sent to what the first
submission created, with a message. A submission that fails (the form comes back with errors)
rolls its claim back with everything else, so the user can correct and resubmit.
"""

from __future__ import annotations

import functools
import secrets

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD_NAME = "_submission"
_MAX_LENGTH = 64


class SubmissionToken(models.Model):
    token = models.CharField(gettext_lazy("提交令牌"), max_length=_MAX_LENGTH, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("提交时间"), auto_now_add=True)
    result_url = models.CharField(gettext_lazy("结果页面"), max_length=300, blank=True)

    class Meta:
        app_label = "cases"
        verbose_name = gettext_lazy("表单提交记录")
        verbose_name_plural = gettext_lazy("表单提交记录")

    def __str__(self) -> str:
        return self.token


def tokens_purge(*, older_than_days: int | None = None) -> int:
    """Forget claimed tokens older than CONCORD_SUBMISSION_TOKEN_DAYS: a form kept open that long
    is stale anyway (its page is rendered again before anyone can act on it). Returns the count."""
    import datetime

    from django.utils import timezone

    days = older_than_days if older_than_days is not None else settings.CONCORD_SUBMISSION_TOKEN_DAYS
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _rows = SubmissionToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def new_token() -> str:
    return secrets.token_urlsafe(24)


class DuplicateSubmission(Exception):
    def __init__(self, previous: SubmissionToken):
        super().__init__(previous.token)
        self.previous = previous


def token_from(request) -> str | None:
    token = (request.POST.get(FIELD_NAME) or "").strip()
    return token[:_MAX_LENGTH] or None


def claim(token: str, user) -> SubmissionToken:
    """Claim `token` for `user` inside the caller's transaction, or raise DuplicateSubmission.

    On PostgreSQL a concurrent claim of the same token waits on the unique index until the first
    transaction ends; on SQLite the write lock (IMMEDIATE transactions) serialises them.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside the transaction of the write it guards")
    try:
        with transaction.atomic():
            return SubmissionToken.objects.create(
                token=token, user=user if user.is_authenticated else None
            )
    except IntegrityError:
        previous = SubmissionToken.objects.filter(token=token).first()
        if previous is None:  # pragma: no cover - the other transaction rolled back meanwhile
            raise
        raise DuplicateSubmission(previous) from None


def _failed(request, response) -> bool:
    """The view answered with its form again, or redirected with an error message."""
    if not isinstance(response, HttpResponseRedirect):
        return True
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return any(m.level >= messages.ERROR for m in queued)


def duplicate_response(request, previous: SubmissionToken):
    url = previous.result_url or request.path
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("此表单已经提交过，本次未重复保存。"),
            url,
            _("查看已保存的结果"),
        ),
    )
    return HttpResponseRedirect(url)


def idempotent_post(view):
    """Decorate a view whose POST creates or advances something.

    A POST with a token runs the view in one transaction with the claim; a successful answer
    (a redirect without an error message) keeps the claim and remembers where it led, any
    other answer rolls everything back. A POST without a token (API clients, scripts) runs as
    before.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = token_from(request) if request.method == "POST" else None
        if token is None:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                row = claim(token, request.user)
                response = view(request, *args, **kwargs)
                if _failed(request, response):
                    transaction.set_rollback(True)
                else:
                    row.result_url = response.url[:300]
                    row.save(update_fields=["result_url"])
                return response
        except DuplicateSubmission as exc:
            return duplicate_response(request, exc.previous)

    return wrapper
