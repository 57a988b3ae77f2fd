"""The header's case links, as flags decided by mediation.cases.permissions (base.html reads them).

Callables: a template resolves them only where the header is drawn."""

from . import permissions


def case_nav(request):
    user = getattr(request, "user", None)  # absent when refused before the middleware (bad Host)
    return {
        "nav_may_register": lambda: permissions.may_register_case(user),
        "nav_may_see_overdue": lambda: permissions.may_see_overdue_dashboard(user),
    }
