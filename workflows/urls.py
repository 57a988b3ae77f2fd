from django.urls import path

from . import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/take/", views.task_take, name="task_take"),
    path("cases/new/", views.register, name="case_register"),
]
