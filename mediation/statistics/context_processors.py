def cockpit(request):
    """The header's cockpit link, for those who have one."""
    from .selectors import may_view_cockpit

    user = request.user
    return {"show_cockpit": bool(user.is_authenticated and getattr(user, "staff", None) and may_view_cockpit(user))}
