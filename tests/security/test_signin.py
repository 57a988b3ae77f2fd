"""Sign-in as an office user meets it: lockout and unlock, password rules, password change, idle sessions."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Concord-2026"
LOCKED = "登录失败次数过多（5次），该账户或本机地址已暂时锁定。请于60分钟后再试，或联系系统管理员解锁。"


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_settings_lock_after_five_failures_for_an_hour():
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.AXES_COOLOFF_TIME == 1
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_an_account_locks_after_five_failures_even_from_other_addresses(client, people):
    for i in range(4):
        response = sign_in(client, "hb_mediator", "wrong-password", ip=f"10.0.1.{i}")
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert sign_in(client, "hb_mediator", "wrong-password", ip="10.0.1.9").status_code == 429  # the fifth
    response = sign_in(client, "hb_mediator", PASSWORD, ip="10.0.2.1")  # the right password, too late
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html and 'name="password"' in html  # the login page, with the reason
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    assert sign_in(client, "hb_head", PASSWORD, ip="10.0.3.1").status_code == 302


def test_an_address_locks_after_five_failures_across_accounts(client, people):
    for username in ["hb_intake", "hb_head", "hb_court", "nobody"]:
        assert sign_in(client, username, "wrong-password", ip="10.9.9.9").status_code == 200
    assert sign_in(client, "hb_lsup", "wrong-password", ip="10.9.9.9").status_code == 429
    response = sign_in(client, "hb_mediator", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert sign_in(client, "hb_mediator", PASSWORD, ip="10.9.9.10").status_code == 302


def test_the_lock_ends_after_the_cooloff(client, people):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            sign_in(client, "hb_mediator", "wrong-password")
        assert sign_in(client, "hb_mediator", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert sign_in(client, "hb_mediator", PASSWORD).status_code == 302


def test_an_administrator_unlocks_the_account_in_the_admin(client, people):
    for _ in range(5):
        sign_in(client, "hb_mediator", "wrong-password")
    assert sign_in(client, "hb_mediator", PASSWORD).status_code == 429
    root = get_user_model().objects.create_superuser("root", "root@example.org", "Root-Concord-2026")
    admin = client.__class__()
    admin.force_login(root)
    changelist = reverse("admin:axes_accessattempt_changelist")
    listing = admin.get(changelist)
    assert listing.status_code == 200 and "hb_mediator" in listing.content.decode()
    ids = list(AccessAttempt.objects.filter(username="hb_mediator").values_list("pk", flat=True))
    response = admin.post(changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="hb_mediator").exists()
    assert sign_in(client, "hb_mediator", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, people):
    for _ in range(4):
        sign_in(client, "hb_mediator", "wrong-password")
    assert sign_in(client, "hb_mediator", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        sign_in(client, "hb_mediator", "wrong-password", ip="10.0.0.2")
    assert sign_in(client, "hb_mediator", PASSWORD, ip="10.0.0.3").status_code == 302


class TestPasswordChange:
    url = reverse("password_change")

    def change(self, client, new, old=PASSWORD):
        return client.post(self.url, {"old_password": old, "new_password1": new, "new_password2": new})

    def test_every_user_finds_it_in_the_header(self, client, people):
        client.force_login(people["court"])
        html = client.get(reverse("inbox")).content.decode()
        assert f'href="{self.url}"' in html and "修改密码" in html
        assert client.get(self.url).status_code == 200

    def test_password_change_works(self, client, people):
        client.force_login(people["mediator"])
        response = self.change(client, "Hanbin-tiaojie-2027")
        assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
        assert "密码已修改" in client.get(response["Location"]).content.decode()
        client.post(reverse("logout"))
        assert sign_in(client, "hb_mediator", PASSWORD).status_code == 200
        assert sign_in(client, "hb_mediator", "Hanbin-tiaojie-2027").status_code == 302

    @pytest.mark.parametrize("new, message", [
        ("20260302123456", "密码不能全是数字：请加入字母或符号。"),
        ("Ab-12345", "密码太短：至少需要10个字符。"),
        ("password123", "这个密码过于常见，容易被猜中，请换一个。"),
        ("hb_mediator-2026", "密码与您的用户名过于相似，请换一个。"),
    ])
    def test_weak_passwords_are_refused_in_chinese(self, client, people, new, message):
        client.force_login(people["mediator"])
        response = self.change(client, new)
        assert response.status_code == 200 and message in response.content.decode()
        people["mediator"].refresh_from_db()
        assert people["mediator"].check_password(PASSWORD)

    def test_wrong_old_password_is_refused(self, client, people):
        client.force_login(people["mediator"])
        response = self.change(client, "Hanbin-tiaojie-2027", old="not-my-password")
        assert response.status_code == 200 and "你的旧密码不正确。请重新输入。" in response.content.decode()

    def test_anonymous_is_sent_to_login(self, client, db):
        response = client.get(self.url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


class TestIdleSession:
    def test_a_working_day_of_inactivity_ends_the_session(self, client, people):
        assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 9 * 3600
        start = datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False):
            assert sign_in(client, "hb_mediator", PASSWORD).status_code == 302
            assert client.get(reverse("inbox")).status_code == 200
        # Working all day and into the evening: every request restarts the idle clock.
        for hours in (4, 8, 12):
            with time_machine.travel(start + datetime.timedelta(hours=hours), tick=False):
                assert client.get(reverse("inbox")).status_code == 200
        # Nine hours and a minute after the last request: signed out.
        with time_machine.travel(start + datetime.timedelta(hours=12 + 9, minutes=1), tick=False):
            response = client.get(reverse("inbox"))
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_behind_a_proxy_addresses_come_from_x_forwarded_for(client, people, settings):
    settings.CONCORD_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.254"
    for username in ["hb_intake", "hb_head", "hb_court", "nobody", "hb_lsup"]:
        client.post(reverse("login"), {"username": username, "password": "wrong-password"},
                    REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    locked = client.post(reverse("login"), {"username": "hb_mediator", "password": PASSWORD},
                         REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 429
    # Another office behind the same proxy signs in; a forged left-most address changes nothing.
    other = client.post(reverse("login"), {"username": "hb_mediator", "password": PASSWORD},
                        REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert other.status_code == 302
    forged = client.__class__().post(reverse("login"), {"username": "hb_head", "password": PASSWORD},
                                      REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.50, 198.51.100.7")
    assert forged.status_code == 429
