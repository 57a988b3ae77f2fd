"""Sign-in throttling, idle sessions, the Content-Security-Policy and no-store responses.

What is enforced and how an operator works with it: docs/security.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes: a locked-out account or address is refused before its password is checked.

    Every sign-in through the web (the login page, the admin) carries its request. A call
    without one (Django's test client, a shell) has no address to count, so axes stands
    aside and the ModelBackend alone checks the password.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The login page again, saying why sign-in is refused and for how long (HTTP 429)."""
    limit = settings.AXES_FAILURE_LIMIT
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60) if settings.AXES_COOLOFF_TIME else 0
    if minutes:
        message = _("登录失败次数过多（%(n)d次），该账户或本机地址已暂时锁定。请于%(m)d分钟后再试，"
                    "或联系系统管理员解锁。") % {"n": limit, "m": minutes}
    else:
        message = _("登录失败次数过多（%(n)d次），该账户或本机地址已锁定。请联系系统管理员解锁。") % {"n": limit}
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(request, "registration/login.html", {
        "form": form, "lockout_message": message, "next": request.POST.get("next", ""),
    }, status=429)


def client_ip(request: HttpRequest) -> str:
    """The address failures are counted for.

    Behind `CONCORD_TRUSTED_PROXY_COUNT` reverse proxies the client is the address the
    outermost trusted proxy saw, read from the right of X-Forwarded-For (addresses further
    left are supplied by the client and cannot be trusted). Without proxies: the peer.
    """
    proxies = settings.CONCORD_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class SessionIdleMiddleware:
    """A session ends after SESSION_COOKIE_AGE (a working day) without a request.

    Django counts the age from the last save; saving on every request
    (SESSION_SAVE_EVERY_REQUEST) would write the session row each time. This restarts the
    idle clock at most every CONCORD_SESSION_REFRESH_SECONDS, which is the same to the user.
    """

    KEY = "_concord_refreshed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= settings.CONCORD_SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return response


class ContentSecurityPolicyMiddleware:
    """Sends CONCORD_CONTENT_SECURITY_POLICY when CONCORD_SEND_CSP is on (production
    settings): scripts only from our own static files, never inline; nothing from another
    origin. Off in development and tests, read per request so a test can switch it on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CONCORD_SEND_CSP:
            policy = "; ".join(f"{k} {v}".strip() for k, v in settings.CONCORD_CONTENT_SECURITY_POLICY.items())
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


def no_store(view):
    """For pages and API answers that carry personal data: no browser or proxy keeps a copy."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return wrapper
