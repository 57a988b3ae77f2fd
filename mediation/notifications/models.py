"""In-app notifications (消息通知), also delivered by email and SMS after commit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications",
        db_index=False,  # covered by the (recipient, -created_at) index
    )
    verb = models.CharField(_("类型"), max_length=60)
    text = models.CharField(_("内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # At most one row per recipient and key: a reminder is sent once, whoever inserts it first.
    dedupe_key = models.CharField(_("去重键"), max_length=120, blank=True, default="")
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~models.Q(dedupe_key=""),
                name="unique_notification_dedupe",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
