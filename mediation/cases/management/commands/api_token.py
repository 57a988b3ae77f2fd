"""manage.py api_token — issue, rotate, revoke and list API tokens (stored hashed, expiring)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from knox.models import AuthToken

from mediation.lib.api_tokens import api_token_issue, api_token_revoke
from mediation.lib.templatetags.concord import cn_datetime


class Command(BaseCommand):
    help = "API 令牌：issue 签发、rotate 轮换（作废旧令牌后签发）、revoke 作废、list 列出。令牌只保存摘要，到期失效。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["issue", "rotate", "revoke", "list"])
        parser.add_argument("username", nargs="?", help="用户名（list 可省略：列出全部）")
        parser.add_argument("--days", type=int, default=None, help="有效天数（默认 CONCORD_API_TOKEN_DAYS）")

    def handle(self, *args, action, username, days, **options):
        if action == "list":
            tokens = AuthToken.objects.select_related("user").order_by("user__username", "created")
            if username:
                tokens = tokens.filter(user__username=username)
            now = timezone.now()
            for t in tokens:
                state = "有效" if t.expiry is None or t.expiry > now else "已过期"
                self.stdout.write(f"{t.user.username}\t{t.token_key}…\t签发 {cn_datetime(t.created)}\t"
                                  f"到期 {cn_datetime(t.expiry) or '—'}\t{state}")
            return
        if not username:
            raise CommandError("请指定用户名。")
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"用户不存在：{username}") from None
        if action == "revoke":
            n = api_token_revoke(user=user)
            self.stdout.write(f"已作废 {username} 的 {n} 个令牌。")
            return
        if not user.is_active:
            raise CommandError(f"用户已停用：{username}")
        if days is not None and days < 1:
            raise CommandError("--days 至少为 1。")
        token, raw = api_token_issue(user=user, days=days, rotate=action == "rotate")
        self.stderr.write(f"已为 {username} 签发令牌，{cn_datetime(token.expiry)} 到期。令牌只显示这一次，请妥善交付：")
        self.stdout.write(raw)
