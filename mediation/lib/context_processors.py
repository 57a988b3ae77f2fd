from django.conf import settings


def concord(request):
    staff = getattr(request.user, "staff", None) if request.user.is_authenticated else None
    return {"current_staff": staff, "CONCORD_CITY": settings.CONCORD_CITY}
