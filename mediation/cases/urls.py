from django.contrib.auth import views as auth_views
from django.urls import path

from mediation.lib.idempotency import idempotent_post

from . import document_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", idempotent_post(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/attachments/", views.attachment_upload, name="case_attachment_upload"),
    path("cases/<int:case_id>/attachments/<int:attachment_id>/", views.attachment_download,
         name="case_attachment_download"),
    path("cases/<int:case_id>/extend/", views.case_extend, name="case_extend"),
    path("cases/<int:case_id>/clocks/pause/", views.case_clocks_pause, name="case_clocks_pause"),
    path("cases/<int:case_id>/clocks/resume/", views.case_clocks_resume, name="case_clocks_resume"),
    path("cases/<int:case_id>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("cases/<int:case_id>/agents/", views.agent_add, name="case_agent_add"),
    path("cases/<int:case_id>/documents/", document_views.document_make, name="case_document_make"),
    path("cases/<int:case_id>/documents/<int:document_id>.<str:fmt>", document_views.document_download,
         name="case_document_download"),
    path("cases/<int:case_id>/documents/<int:document_id>/scan/", document_views.document_scan,
         name="case_document_scan"),
    path("cases/<int:case_id>/case-file/", document_views.case_file_make, name="case_file_make"),
    path("cases/<int:case_id>/workers/<int:case_worker_id>/correct/", views.case_worker_correct,
         name="case_worker_correct"),
]
