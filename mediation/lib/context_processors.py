from django.conf import settings


def concord(request):
    # No request.user when a request is refused before the middleware ran (a bad Host header → 400).
    user = getattr(request, "user", None)
    staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    return {"current_staff": staff, "CONCORD_CITY": settings.CONCORD_CITY}
