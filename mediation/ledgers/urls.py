from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("exports/<int:export_id>/", views.status, name="status"),
    path("exports/<int:export_id>/download/", views.download, name="download"),
    path("<str:kind>/", views.start, name="start"),
]
