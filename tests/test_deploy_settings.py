"""Production settings: `check --deploy` passes, and unsafe configurations refuse to start
(the settings themselves, and docker-compose.yml without its secrets)."""

import re
import secrets

import yaml

from .django_process import PRODUCTION, PROJECT, manage


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


# docker-compose.yml (no Docker engine here: the file is read, not run) ------------------

COMPOSE = PROJECT / "docker-compose.yml"
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY", re.IGNORECASE)
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?P<form>:?[-?+])?(?P<rest>[^}]*)\}")


def compose_environment() -> dict[str, dict[str, str]]:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    environments = {}
    for name, service in services.items():
        environment = service.get("environment", {})
        if isinstance(environment, list):  # the "NAME=value" form
            environment = dict(item.split("=", 1) for item in environment)
        environments[name] = {key: str(value) for key, value in environment.items()}
    return environments


def test_docker_compose_refuses_to_start_without_a_secret_key():
    text = COMPOSE.read_text()
    references = [m for m in INTERPOLATION.finditer(text) if m.group("name") == "SECRET_KEY"]
    assert references
    assert all(m.group("form") == ":?" and m.group("rest").strip() for m in references)
    for service, environment in compose_environment().items():
        if "SECRET_KEY" in environment:
            assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), service


def test_docker_compose_has_no_default_for_any_secret():
    """A secret comes from the environment (or .env) or compose stops: none is written
    here, neither as a value nor as a ${NAME:-default}."""
    text = COMPOSE.read_text()
    for match in INTERPOLATION.finditer(text):
        if SECRET_NAME.search(match.group("name")):
            assert match.group("form") in (":?", "?"), match.group(0)
    for service, environment in compose_environment().items():
        for key, value in environment.items():
            if SECRET_NAME.search(key):
                assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", value), (service, key, value)
        if "DATABASE_URL" in environment:
            password = re.match(r"postgres://[^:/]+:([^@]+)@", environment["DATABASE_URL"])
            assert password, (service, "DATABASE_URL has no password")
            assert password.group(1).startswith("${POSTGRES_PASSWORD:?"), (service, password)
