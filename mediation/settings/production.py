"""Production: PostgreSQL, Redis, Elasticsearch, all from the environment.

Refuses to start with DEBUG on or the development secret key.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DEBUG", "0")

from .base import *  # noqa: E402,F403
from .base import DEFAULT_SECRET_KEY  # noqa: E402

if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("Production settings refuse to run with DEBUG=1.")
if not os.environ.get("SECRET_KEY") or SECRET_KEY == DEFAULT_SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY: production refuses the development key.")

SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
