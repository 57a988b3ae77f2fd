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
CONCORD_PRODUCTION = True  # demo_data refuses to run here

# HTTPS only. Behind a TLS-terminating proxy set CONCORD_PROXY_SSL_HEADER to the header it
# sets (e.g. HTTP_X_FORWARDED_PROTO) so Django knows the request was secure.
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
if os.environ.get("CONCORD_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["CONCORD_PROXY_SSL_HEADER"], "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (CONCORD_CONTENT_SECURITY_POLICY in base): no inline script.
CONCORD_SEND_CSP = True
