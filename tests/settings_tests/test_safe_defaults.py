"""Safe defaults: the development key never serves outside DEBUG, demo data never loads in
production, production passes `check --deploy` cleanly and sends CSP, HSTS and SSL redirects."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
KEY = "k3y-for-tests-" + "x" * 50


def run(args, env, timeout=120):
    # CELERY_BROKER_URL too: Celery answers broker_url from it without loading the settings at all.
    dropped = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_BROKER_URL")
    full = {k: v for k, v in os.environ.items() if k not in dropped}
    full.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=timeout)


def production(tmp_path, **extra):
    return {"DJANGO_SETTINGS_MODULE": "mediation.settings.production", "SECRET_KEY": KEY,
            "ALLOWED_HOSTS": "concord.example.gov.cn", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CONCORD_VAR_DIR": str(tmp_path), **extra}


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run(["manage.py", "check", "--deploy"], production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize("entry", [
    ["manage.py", "check"],
    ["-c", "import mediation.wsgi"],
    ["-c", "from mediation.celery import app; print(app.conf.broker_url)"],
])
def test_entry_points_refuse_the_development_key_outside_debug(entry, tmp_path):
    result = run(entry, {"DEBUG": "0", "CONCORD_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "published development key" in result.stderr


def test_development_still_starts_with_debug_on(tmp_path):
    result = run(["manage.py", "check"], {"DEBUG": "1", "CONCORD_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr


def test_demo_data_refuses_under_production_settings(tmp_path):
    result = run(["manage.py", "demo_data"], production(tmp_path))
    assert result.returncode != 0
    assert "生产环境配置（mediation.settings.production）下拒绝载入演示数据" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists() or (tmp_path / "db.sqlite3").stat().st_size == 0


SHOW = ("import json; from django.conf import settings as s; print(json.dumps({"
        "'csp': s.CONCORD_SEND_CSP, 'mw': s.MIDDLEWARE, 'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'proxy': s.SECURE_PROXY_SSL_HEADER}))")


def test_production_sends_csp_hsts_and_redirects_to_https(tmp_path):
    result = run(["manage.py", "shell", "-c", SHOW], production(tmp_path))
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert "mediation.lib.security.ContentSecurityPolicyMiddleware" in values["mw"] and values["csp"] is True
    assert values["ssl"] is True and values["hsts"] == 365 * 24 * 3600 and values["sub"] is True
    assert values["proxy"] is None


def test_behind_a_proxy_the_ssl_header_is_configurable(tmp_path):
    env = production(tmp_path, CONCORD_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO", SECURE_SSL_REDIRECT="0")
    values = json.loads(run(["manage.py", "shell", "-c", SHOW], env).stdout.strip().splitlines()[-1])
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"] and values["ssl"] is False


@pytest.mark.django_db
def test_no_csp_header_in_development_and_tests(client):
    assert "Content-Security-Policy" not in client.get("/login/")


@pytest.mark.django_db
def test_csp_header_allows_no_inline_script(client):
    with override_settings(CONCORD_SEND_CSP=True):
        response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    assert '<script src="/static/concord/concord.js" defer></script>' in response.content.decode()


def template_files():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("mediation/*/templates")]:
        yield from folder.rglob("*.html")


def test_no_template_has_inline_script():
    """CSP refuses inline script in production: no <script> body, no on…= handler, no javascript: URL."""
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
            attrs, body = match.groups()
            if "src=" not in attrs and 'type="application/json"' not in attrs or body.strip():
                found.append(f"{path.relative_to(ROOT)}: inline <script>")
        if re.search(r"<[^>]+\son[a-z]+\s*=", text, re.I):
            found.append(f"{path.relative_to(ROOT)}: on…= handler")
        if "javascript:" in text.lower():
            found.append(f"{path.relative_to(ROOT)}: javascript: URL")
    assert list(template_files()) and found == []
