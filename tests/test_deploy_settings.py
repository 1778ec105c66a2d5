"""Production settings: `check --deploy` passes, and unsafe configurations refuse to start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ratings.example.org",
        DATABASE_URL="sqlite:////tmp/deploy-check.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_bad_debug_value_is_refused_clearly():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def setting(name, **env):
    """The value of a setting as the real settings module (not the test one) gives it."""
    result = manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(repr(settings.{name}))",
        DJANGO_SETTINGS_MODULE="portal.settings",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "s" * 50, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}
DEVELOPMENT = {"DEBUG": "1", "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}


def test_hsts_in_production_only():
    assert setting("SECURE_HSTS_SECONDS", **PRODUCTION) == "31536000"
    assert setting("SECURE_HSTS_INCLUDE_SUBDOMAINS", **PRODUCTION) == "True"
    assert setting("SECURE_HSTS_SECONDS", **DEVELOPMENT) == "0"


def test_sign_in_is_throttled_by_axes_first():
    backends = setting("AUTHENTICATION_BACKENDS", **PRODUCTION)
    assert backends == (
        "['axes.backends.AxesStandaloneBackend', 'django.contrib.auth.backends.ModelBackend']"
    )
    assert setting("MIDDLEWARE", **PRODUCTION).endswith("'axes.middleware.AxesMiddleware']")


def test_email_goes_to_the_console_unless_configured():
    console = "'django.core.mail.backends.console.EmailBackend'"
    assert setting("EMAIL_BACKEND", **PRODUCTION) == console
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert setting("EMAIL_BACKEND", EMAIL_BACKEND=smtp, **PRODUCTION) == repr(smtp)
    sender = "ratings@inspectorate.example"
    assert setting("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL=sender, **PRODUCTION) == repr(sender)
