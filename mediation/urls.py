from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from mediation.statistics.views import home
from search.views import case_similar

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", home, name="home"),
    # The case page's similar-precedents panel, served by search (above the cases in the layers).
    path("cases/<int:case_id>/similar/", case_similar, name="case_similar"),
    path("", include("mediation.cases.urls")),
    path("", include("workflows.urls")),
    path("clocks/", include("mediation.clocks.urls")),
    path("notifications/", include("mediation.notifications.urls")),
    path("supervision/", include("mediation.supervision.urls")),
    path("precedents/", include("search.urls")),
    path("statistics/", include("mediation.statistics.urls")),
    path("ledgers/", include("mediation.ledgers.urls")),
    path("api/v1/", include("mediation.api_urls")),
]
# Media is never served directly: attachments go through permission-checked views.
