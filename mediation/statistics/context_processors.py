def cockpit(request):
    """The header's cockpit link, for those who have one."""
    from .selectors import may_view_cockpit

    user = getattr(request, "user", None)  # absent when refused before the middleware (bad Host)
    return {"show_cockpit": bool(user is not None and user.is_authenticated and getattr(user, "staff", None) and may_view_cockpit(user))}
