from django.urls import path

from . import views

app_name = "clocks"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("overdue/", views.overdue, name="overdue"),
]
