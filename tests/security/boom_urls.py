"""The product's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from mediation.urls import urlpatterns as product


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *product]
