from django.urls import path

from . import api

urlpatterns = [
    path("me/", api.me, name="api_me"),
    path("cases/", api.case_list, name="api_case_list"),
    path("cases/<int:case_id>/", api.case_detail, name="api_case_detail"),
    path("tasks/", api.task_list, name="api_task_list"),
]
