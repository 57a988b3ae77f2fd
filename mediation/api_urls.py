"""/api/v1/: each area mounts its own read API here."""

from django.urls import include, path

urlpatterns = [
    path("", include("mediation.cases.api_urls")),
    path("precedents/", include("search.api_urls")),
    path("statistics/", include("mediation.statistics.api_urls")),
]
