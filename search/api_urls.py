from django.urls import path

from . import api

app_name = "search_api"
urlpatterns = [
    path("", api.PrecedentListAPI.as_view(), name="list"),
    path("<int:pk>/", api.PrecedentDetailAPI.as_view(), name="detail"),
    path("<int:pk>/similar/", api.PrecedentSimilarAPI.as_view(), name="similar"),
]
