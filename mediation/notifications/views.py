"""The notification centre (消息中心)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .selectors import notification_get_for_user, notifications_for, unread_count
from .services import notification_mark_read, notifications_mark_all_read


@login_required
def notification_list(request):
    qs = notifications_for(request.user)
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "unread": unread_count(request.user), "only_unread": request.GET.get("unread") == "1",
    })


@login_required
@require_POST
def notification_read(request, pk: int):
    notification_mark_read(notification=notification_get_for_user(request.user, pk))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark read and go to what the notification is about (only a link inside this site)."""
    notification = notification_mark_read(notification=notification_get_for_user(request.user, pk))
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return redirect(target)
    return redirect(reverse("notifications:list"))


@login_required
@require_POST
def notification_read_all(request):
    n = notifications_mark_all_read(user=request.user)
    messages.success(request, _("已将%(n)s条消息标为已读。") % {"n": n})
    return redirect("notifications:list")
