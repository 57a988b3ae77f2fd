"""API tokens: issued by the operator's command, stored only as a digest, expiring, rotatable."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def issue(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def api(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_issued_token_works_and_is_not_stored(people):
    raw, note = issue("issue", "hb_court")
    assert len(raw) == 64 and "令牌只显示这一次" in note
    response = api(raw).get(ME)
    assert response.status_code == 200 and response.json()["username"] == "hb_court"
    stored = AuthToken.objects.get(user=people["court"])
    assert stored.digest != raw and raw not in stored.digest
    # Nowhere in the table: not as a column, not as part of one (only a 15-character lookup prefix).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        rows = cursor.fetchall()
    assert rows and not any(raw in str(value) for row in rows for value in row)


def test_token_expires_after_its_days(people):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        raw, _ = issue("issue", "hb_court", "--days", "30")
        assert api(raw).get(ME).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=29, hours=23), tick=False):
        assert api(raw).get(ME).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=30, minutes=1), tick=False):
        response = api(raw).get(ME)
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(user=people["court"]).exists()  # expired tokens are removed


def test_default_lifetime_is_the_configured_days(people, settings):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        issue("issue", "hb_court")
        token = AuthToken.objects.get(user=people["court"])
        assert token.expiry - token.created == datetime.timedelta(days=settings.CONCORD_API_TOKEN_DAYS) == datetime.timedelta(days=90)


def test_rotate_revokes_the_old_token(people):
    old, _ = issue("issue", "hb_court")
    new, _ = issue("rotate", "hb_court")
    assert api(old).get(ME).status_code == 401
    assert api(new).get(ME).status_code == 200
    out, _ = issue("list", "hb_court")
    assert out.count("hb_court") == 1 and "有效" in out
    issue("revoke", "hb_court")
    assert api(new).get(ME).status_code == 401


def test_unknown_user_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="用户不存在"):
        issue("issue", "nobody")


class TestAdminIssue:
    url = "/admin/knox/authtoken/add/"

    @pytest.fixture
    def admin(self, db):
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "Root-Concord-2026"))
        return client

    def test_a_token_without_expiry_is_refused(self, admin, people):
        response = admin.post(self.url, {"user": people["court"].pk, "expiry_0": "", "expiry_1": ""})
        assert response.status_code == 200 and not AuthToken.objects.exists()

    def test_a_token_beyond_the_lifetime_is_refused(self, admin, people):
        response = admin.post(self.url, {"user": people["court"].pk, "expiry_0": "2099-01-01", "expiry_1": "00:00:00"})
        assert response.status_code == 200 and "API 令牌最长有效90天。" in response.content.decode()
        assert not AuthToken.objects.exists()

    def test_an_expiring_token_is_issued_and_shown_once(self, admin, people):
        from django.utils import timezone

        expiry = timezone.localtime() + datetime.timedelta(days=30)
        response = admin.post(self.url, {"user": people["court"].pk, "expiry_0": f"{expiry:%Y-%m-%d}",
                                         "expiry_1": f"{expiry:%H:%M:%S}"}, follow=True)
        assert response.status_code == 200
        raw = next(str(m) for m in response.context["messages"] if str(m).startswith("TOKEN ")).split()[1]
        assert api(raw).get(ME).status_code == 200
        assert raw not in admin.get("/admin/knox/authtoken/").content.decode()  # never shown again
        assert AuthToken.objects.get().expiry is not None
