"""Test settings: the same as base, with fast hashing and mail kept in memory.

DATABASE_URL and CELERY_BROKER_URL still come from the environment, so the
suite runs on SQLite by default and on PostgreSQL + Redis in CI's second pass.
"""

import atexit
import os
import shutil
import tempfile

if "CONCORD_VAR_DIR" not in os.environ:
    # Each test process gets its own media, index and queue folder, removed at exit.
    _tmp = tempfile.mkdtemp(prefix="concord-test-")
    os.environ["CONCORD_VAR_DIR"] = _tmp
    atexit.register(shutil.rmtree, _tmp, True)

from .base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CONCORD_SMS_BACKEND = "mediation.notifications.sms.LocmemSMSBackend"
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "zh-hans"
