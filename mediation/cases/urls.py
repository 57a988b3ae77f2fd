from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/attachments/", views.attachment_upload, name="case_attachment_upload"),
    path("cases/<int:case_id>/attachments/<int:attachment_id>/", views.attachment_download,
         name="case_attachment_download"),
    path("cases/<int:case_id>/extend/", views.case_extend, name="case_extend"),
    path("cases/<int:case_id>/agents/", views.agent_add, name="case_agent_add"),
    path("cases/<int:case_id>/similar/", views.case_similar, name="case_similar"),
    path("cases/<int:case_id>/workers/<int:case_worker_id>/correct/", views.case_worker_correct,
         name="case_worker_correct"),
]
