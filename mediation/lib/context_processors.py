from django.conf import settings


def concord(request):
    staff = getattr(request.user, "staff", None) if request.user.is_authenticated else None
    return {"current_staff": staff, "CONCORD_CITY": settings.CONCORD_CITY, "show_cockpit": _show_cockpit(request, staff)}


def _show_cockpit(request, staff) -> bool:
    if staff is None:
        return False
    from mediation.statistics.selectors import may_view_cockpit

    return may_view_cockpit(request.user)
