from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("report/", views.annual_report, name="report"),
]
