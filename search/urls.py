from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.search_view, name="search"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("pipeline/", views.pipeline_view, name="pipeline"),
    path("new/", views.create_view, name="create"),
    path("nominate/<int:case_id>/", views.nominate_view, name="nominate"),
    path("<int:pk>/edit/", views.edit_view, name="edit"),
    path("<int:pk>/deidentify/", views.deidentify_view, name="deidentify"),
    path("<int:pk>/submit/", views.submit_view, name="submit"),
    path("<int:pk>/review/", views.review_view, name="review"),
    path("<int:pk>/unpublish/", views.unpublish_view, name="unpublish"),
    path("saved/", views.saved_search_list_view, name="saved_searches"),
    path("saved/new/", views.saved_search_create_view, name="saved_search_create"),
    path("saved/<int:pk>/delete/", views.saved_search_delete_view, name="saved_search_delete"),
]
