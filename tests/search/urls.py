"""The product URLs plus placeholders for base.html's links to pages not merged yet (see conftest)."""

from django.http import HttpResponse
from django.urls import NoReverseMatch, path, reverse

from mediation.urls import urlpatterns as product_urlpatterns


def _placeholder(request, *args, **kwargs):
    return HttpResponse("placeholder")


def _missing(names):
    out = []
    for name in names:
        try:
            reverse(name, urlconf="mediation.urls")
        except NoReverseMatch:
            out.append(name)
    return out


urlpatterns = list(product_urlpatterns) + [
    path(f"__placeholder__/{name}/", _placeholder, name=name)
    for name in _missing(["home", "inbox", "case_list", "logout", "login"])
]
