from django.urls import path

from . import api

urlpatterns = [
    path("", api.statistics, name="api_statistics"),
]
