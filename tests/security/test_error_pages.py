"""Error pages in the user's language (Chinese first, English when chosen), never Django's defaults."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, override_settings
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_404_in_chinese(client, people):
    client.force_login(people["mediator"])
    response = client.get("/cases/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-Hans">' in html and "页面不存在" in html and "返回我的待办" in html
    assert "Not Found" not in html and "No case matches" not in html


def test_404_in_english_when_chosen(client, people):
    client.force_login(people["mediator"])
    response = english(client).get("/cases/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in html and "My tasks" in html  # the header in English
    assert 'id="error-page"' in html and "Not Found" not in html


def test_404_for_anonymous_paths(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_a_request_for_an_unknown_host_answers_400_in_chinese(db):
    # Refused by CommonMiddleware before the session and auth middleware run: no request.user.
    response = Client(raise_request_exception=False).get("/inbox/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_403_in_chinese_and_english(db):
    user = get_user_model().objects.create_user("outsider", password="Outsider-2026-x")  # no agency
    client = Client()
    client.force_login(user)
    response = client.get("/precedents/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and "您没有执行此操作的权限。" in html
    response = english(client).get("/precedents/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="en">' in html and "You do not have permission to perform this action." in html


def test_csrf_failure_explains_in_chinese(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["mediator"])
    response = client.post("/cases/new/", {})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.security.boom_urls")
def test_500_in_chinese_and_english(people):
    client = Client(raise_request_exception=False)
    client.force_login(people["mediator"])
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "系统出错" in response.content.decode() and '<html lang="zh-Hans">' in response.content.decode()
    response = english(client).get("/boom/")
    assert response.status_code == 500 and '<html lang="en">' in response.content.decode()


def test_500_renders_without_a_request_context_or_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")  # no user, no session, no context processors
    with django_assert_num_queries(0), translation.override("zh-hans"):
        response = server_error(request)
    assert response.status_code == 500 and "系统出错" in response.content.decode()
