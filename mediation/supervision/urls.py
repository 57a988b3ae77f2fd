from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.matter_list, name="matter_list"),
    path("new/", views.matter_new, name="matter_new"),
    path("campaign/", views.campaign_new, name="campaign_new"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:matter_id>/", views.matter_detail, name="matter_detail"),
    path("<int:matter_id>/refer/", views.matter_refer, name="matter_refer"),
    path("<int:matter_id>/link-case/", views.matter_link_case, name="matter_link_case"),
    path("<int:matter_id>/spawn-case/", views.matter_spawn_case, name="matter_spawn_case"),
    path("<int:matter_id>/recipients/<int:recipient_id>/deliver/", views.recipient_deliver, name="recipient_deliver"),
    path("<int:matter_id>/recipients/<int:recipient_id>/reply/", views.recipient_reply, name="recipient_reply"),
    path("<int:matter_id>/drafts/<int:draft_id>/sign-off/", views.draft_sign_off, name="draft_sign_off"),
    path("<int:matter_id>/letters/<int:letter_id>/", views.letter_detail, name="letter_detail"),
    path("<int:matter_id>/letters/<int:letter_id>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("<int:matter_id>/letters/<int:letter_id>/docx/", views.letter_docx, name="letter_docx"),
]
