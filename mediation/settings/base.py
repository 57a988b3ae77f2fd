"""Settings shared by every environment.

Everything a deployment changes comes from environment variables; the defaults
run on a laptop: SQLite, the embedded search index, and Celery on a folder
instead of a broker server.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CONCORD_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_SECRET_KEY = "concord-insecure-development-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = os.environ.get("DEBUG", "1") == "1"
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    # The development key is published in this repository: never serve with it.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY: with DEBUG off the published development key is refused.")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# The address people open Concord at: email and SMS links are absolute, read outside the browser.
SITE_URL = os.environ.get("CONCORD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "rest_framework",
    "knox",
    "axes",
    "django_celery_beat",
    "django_celery_results",
    "viewflow",
    "viewflow.workflow",
    # Concord, one app per area of the domain
    "parties",
    "mediation.cases",
    "mediation.clocks",
    "mediation.notifications",
    "mediation.supervision",
    "mediation.ledgers",
    "workflows",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mediation.lib.security.ContentSecurityPolicyMiddleware",  # sends CSP when CONCORD_SEND_CSP
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mediation.lib.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mediation.lib.security.SessionIdleMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mediation.urls"
WSGI_APPLICATION = "mediation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mediation.lib.context_processors.concord",
                "mediation.cases.context_processors.case_nav",
                "mediation.statistics.context_processors.cockpit",
            ],
            "builtins": ["mediation.lib.templatetags.concord"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'concord.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The worker and beat share the file with the web server: wait for locks.
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock when a
    # transaction begins, so two registrations queue instead of failing with "database is
    # locked" when a read lock would have to be upgraded (issue 9 item 10).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "mediation.lib.security.LoginThrottleBackend",  # django-axes: refuses locked-out sign-ins first
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row
GUARDIAN_RAISE_403 = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Django's validators with Chinese messages (mediation/lib/passwords.py): 10 characters at
# least, not all digits, not a common password, not like the user's name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "mediation.lib.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "mediation.lib.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "mediation.lib.passwords.CommonPasswordValidator"},
    {"NAME": "mediation.lib.passwords.NumericPasswordValidator"},
]

# Chinese first, English switchable.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Attachments: the types a mediation file really holds, checked by content.
# D12 (调解仲裁法 Art. 27): a claim shows "时效风险" when its limitation date is this many days
# away or fewer, or has passed.
CONCORD_LIMITATION_RISK_DAYS = int(os.environ.get("CONCORD_LIMITATION_RISK_DAYS", "60"))
CONCORD_UPLOAD_MAX_BYTES = int(os.environ.get("CONCORD_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a missing or bad token answers 401 with WWW-Authenticate.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "concord@localhost")
# SMS is pluggable; the console backend prints messages (real gateways plug in here).
CONCORD_SMS_BACKEND = os.environ.get(
    "CONCORD_SMS_BACKEND", "mediation.notifications.sms.ConsoleSMSBackend"
)

# The CJK font embedded in PDF letters (Debian: fonts-wqy-microhei).
CONCORD_PDF_FONT = os.environ.get("CONCORD_PDF_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

# The locality this deployment serves: names that appear in documents.
CONCORD_CITY = os.environ.get("CONCORD_CITY", "安康市")
CONCORD_CITY_DIVISION_CODE = os.environ.get("CONCORD_CITY_DIVISION_CODE", "610900")
# 调解仲裁法 Art. 16 (DOMAIN §3.4): the claim items (mediation.cases.models.ClaimItem) for which a payment
# order may be sought — 劳动报酬 incl. overtime, 工伤医疗费, 经济补偿, 赔偿金 — unless the union configures
# otherwise (a comma-separated list, e.g. adding DISABILITY_LUMP_SUM).
PAYMENT_ORDER_ITEMS = [i.strip() for i in os.environ.get(
    "CONCORD_PAYMENT_ORDER_ITEMS", "WAGES,OVERTIME,INJURY_MEDICAL,SEVERANCE,DAMAGES").split(",") if i.strip()]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "elastic_transport": {"level": "WARNING"},
        "jieba": {"level": "WARNING"},
    },
}

# Sign-in and sessions (docs/security.md): lockout after repeated failures per account and
# per address (django-axes), sessions that end after a working day of inactivity, API tokens
# stored hashed that expire (django-rest-knox).
AXES_FAILURE_LIMIT = int(os.environ.get("CONCORD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CONCORD_LOGIN_COOLOFF_HOURS", "1"))  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks: per account, per address
AXES_LOCKOUT_CALLABLE = "mediation.lib.security.lockout_response"  # the login page, with the reason
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept for the sign-in log (admin › Axes)
AXES_CLIENT_IP_CALLABLE = "mediation.lib.security.client_ip"
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0: use the peer address).
CONCORD_TRUSTED_PROXY_COUNT = int(os.environ.get("CONCORD_TRUSTED_PROXY_COUNT", "0"))
SESSION_COOKIE_AGE = int(os.environ.get("CONCORD_SESSION_IDLE_SECONDS", str(9 * 3600)))
CONCORD_SESSION_REFRESH_SECONDS = 300  # the idle clock restarts at most every 5 minutes
CONCORD_API_TOKEN_DAYS = int(os.environ.get("CONCORD_API_TOKEN_DAYS", "90"))
# Content-Security-Policy: scripts only from our static files, never inline (templates carry
# no <script> body and no on…= handlers: tests/settings_tests/test_safe_defaults.py).
CONCORD_SEND_CSP = False  # production.py turns it on
CONCORD_CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",  # style="" attributes in templates; no script
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CONCORD_PRODUCTION = False  # production.py sets True: demo_data refuses to run there
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=CONCORD_API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
}

from .celery import *  # noqa: E402,F403
from .search import *  # noqa: E402,F403
