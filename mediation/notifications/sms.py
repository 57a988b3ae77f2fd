"""Pluggable SMS: settings.CONCORD_SMS_BACKEND names a class with send_messages().

A real gateway (e.g. the city's government SMS platform) plugs in as another class
with the same method; the two here print (development) and keep an outbox (tests).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SMSMessage:
    to: str
    text: str


class BaseSMSBackend:
    def send_messages(self, messages: list[SMSMessage]) -> int:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    """Prints each message on stdout."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send_messages(self, messages: list[SMSMessage]) -> int:
        for m in messages:
            self.stream.write(f"[SMS] {m.to}: {m.text}\n")
        self.stream.flush()
        return len(messages)


# Like django.core.mail.outbox: the messages LocmemSMSBackend "sent".
outbox: list[SMSMessage] = []


class LocmemSMSBackend(BaseSMSBackend):
    def send_messages(self, messages: list[SMSMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_backend() -> BaseSMSBackend:
    return import_string(settings.CONCORD_SMS_BACKEND)()
