"""In-app notifications (消息通知), also delivered by email and SMS after commit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    SKIPPED = "skipped", _("无联系方式，未发送")
    FAILED = "failed", _("多次失败，已放弃")


class Delivery(models.Model):
    """The transactional outbox: one email or SMS still to send for a notification.

    Written in the transaction that creates the notification, so a rolled-back step sends
    nothing and a committed one is never forgotten. A worker takes a row by moving it from
    `pending` to `sending` under its own claim token (an UPDATE guarded by the status, and
    `SKIP LOCKED` on PostgreSQL), sends, and marks it `sent`; a failure puts it back to
    `pending` with an exponential backoff. A worker that dies while sending leaves the row
    `sending` until `locked_until`, after which the beat sweep takes it again.
    """

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries",
                                     verbose_name=_("消息"), db_index=False)  # covered by the unique pair
    channel = models.CharField(_("渠道"), max_length=10, choices=DeliveryChannel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    locked_until = models.DateTimeField(_("占用至"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="")
    last_error = models.TextField(_("最近一次错误"), blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发送消息")
        verbose_name_plural = _("待发送消息")
        ordering = ["next_attempt_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="unique_delivery_channel"),
        ]
        indexes = [
            # The sweep: rows still to send, oldest first.
            models.Index(fields=["next_attempt_at", "id"], condition=models.Q(status__in=["pending", "sending"]),
                         name="delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.notification_id} {self.get_status_display()}"
