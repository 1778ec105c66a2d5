"""The production stack's configuration: docker-compose.yml against the Compose
Specification's schema (there is no Docker engine here to run it), the services it needs,
and nginx's configuration as make stack renders it, checked by nginx itself."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

PROJECT = Path(__file__).resolve().parents[1]
DEPLOY = PROJECT / "deploy"
COMPOSE = PROJECT / "docker-compose.yml"
TEMPLATE = DEPLOY / "nginx" / "portal.conf.template"
NGINX = "/usr/sbin/nginx"
WEB = ("web-1", "web-2")


def _load_render():
    # deploy/ is scripts, not a package: load the one function without touching sys.path.
    spec = importlib.util.spec_from_file_location("render_nginx", DEPLOY / "render_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render


render = _load_render()


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def services() -> dict:
    return compose()["services"]


def test_compose_file_follows_the_compose_specification():
    schema = json.loads((DEPLOY / "compose-spec.json").read_text())
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in Draft7Validator(schema).iter_errors(compose())
    ]
    assert errors == []


def test_the_schema_check_would_notice_a_mistake():
    schema = json.loads((DEPLOY / "compose-spec.json").read_text())
    broken = compose()
    broken["services"]["web-1"]["depends_on"]["db"]["condition"] = "service_ready"
    broken["services"]["nginx"]["portz"] = ["8080:80"]
    paths = {
        "/".join(map(str, e.absolute_path)) for e in Draft7Validator(schema).iter_errors(broken)
    }
    assert {"services/web-1/depends_on", "services/nginx"} <= paths


@pytest.mark.skipif(
    subprocess.run(["docker", "compose", "version"], capture_output=True, check=False).returncode
    if shutil.which("docker")
    else True,
    reason="no `docker compose` here: the schema check above stands in for it",
)
def test_docker_compose_accepts_the_file():
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "k" * 50, "POSTGRES_PASSWORD": "p" * 24},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_part_of_the_production_shape_is_a_service():
    assert set(services()) == {"db", "redis", "web-1", "web-2", "worker", "nginx"}


def test_the_web_services_and_the_worker_run_one_image():
    portal = [services()[name] for name in (*WEB, "worker")]
    assert {(s["build"], s["image"]) for s in portal} == {(".", "star-ratings-portal:local")}
    environments = [s["environment"] for s in portal]
    assert all(environment == environments[0] for environment in environments)


def test_nginx_upstreams_are_the_web_services_on_their_gunicorn_port():
    nginx = services()["nginx"]["environment"]
    upstreams = sorted(nginx[f"PORTAL_UPSTREAM_{n}"] for n in (1, 2))
    assert upstreams == [f"{name}:8000" for name in WEB]
    for name in WEB:
        assert "--bind 0.0.0.0:8000" in services()[name]["command"], name
    assert services()["nginx"]["depends_on"] == {
        name: {"condition": "service_healthy"} for name in WEB
    }


def test_nginx_gets_a_value_for_every_placeholder_and_only_those():
    nginx = services()["nginx"]
    placeholders = set(re.findall(r"\$\{(PORTAL_\w+)\}", TEMPLATE.read_text()))
    assert placeholders <= set(nginx["environment"])
    # The image's envsubst must leave nginx's own $variables alone.
    assert nginx["environment"]["NGINX_ENVSUBST_FILTER"] == "^PORTAL_"
    assert (
        "./deploy/nginx/portal.conf.template:/etc/nginx/templates/default.conf.template:ro"
        in nginx["volumes"]
    )


def test_nginx_serves_report_files_from_the_volume_the_portal_writes():
    nginx = services()["nginx"]
    media_root = nginx["environment"]["PORTAL_MEDIA_ROOT"]
    assert f"media:{media_root}:ro" in nginx["volumes"]
    for name in (*WEB, "worker"):
        assert "media:/app/media" in services()[name]["volumes"], name
    internal = re.search(r"location (\S+) \{\s*internal;", TEMPLATE.read_text()).group(1)
    assert services()["web-1"]["environment"]["REPORTS_ACCEL_REDIRECT"] == internal
    static_root = nginx["environment"]["PORTAL_STATIC_ROOT"]
    assert f"static:{static_root}:ro" in nginx["volumes"]
    assert f"static:{static_root}" in services()["web-1"]["volumes"]


def test_a_missing_placeholder_value_stops_the_rendering():
    with pytest.raises(SystemExit, match="PORTAL_UPSTREAM_2"):
        render("server ${PORTAL_UPSTREAM_1}; server ${PORTAL_UPSTREAM_2}; $host", {
            "PORTAL_UPSTREAM_1": "127.0.0.1:8001"
        })  # fmt: skip
    assert render("listen ${PORTAL_LISTEN}; $host", {"PORTAL_LISTEN": "80"}) == "listen 80; $host"


def stack_values(directory: Path) -> dict[str, str]:
    """What deploy/stack.sh gives the templates, in a folder of the test's own."""
    return {
        "PORTAL_STACK_DIR": str(directory),
        "PORTAL_LISTEN": "127.0.0.1:18080",
        "PORTAL_UPSTREAM_1": "127.0.0.1:18001",
        "PORTAL_UPSTREAM_2": "127.0.0.1:18002",
        "PORTAL_STATIC_ROOT": str(directory / "static"),
        "PORTAL_MEDIA_ROOT": str(directory / "media"),
        "PORTAL_PROXY_CACHE": str(directory / "proxy-cache"),
        "PORTAL_ACCESS_LOG": str(directory / "access.log"),
    }


def render_stack(directory: Path, values: dict[str, str]) -> Path:
    (directory / "nginx-tmp").mkdir()
    (directory / "portal.conf").write_text(render(TEMPLATE.read_text(), values))
    stack = (DEPLOY / "nginx" / "stack.conf.template").read_text()
    (directory / "nginx.conf").write_text(render(stack, values))
    return directory / "nginx.conf"


def nginx_test(config: Path) -> subprocess.CompletedProcess:
    directory = config.parent
    return subprocess.run(
        [NGINX, "-t", "-p", str(directory), "-c", str(config), "-e", str(directory / "e.log")],
        capture_output=True,
        text=True,
        check=False,
    )


needs_nginx = pytest.mark.skipif(
    not os.path.exists(NGINX) and os.environ.get("CI") != "true",
    reason="nginx is not installed (make nginx); on CI it must be",
)


@needs_nginx
def test_nginx_accepts_the_stack_configuration(tmp_path):
    result = nginx_test(render_stack(tmp_path, stack_values(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@needs_nginx
def test_nginx_accepts_the_compose_configuration(tmp_path):
    """The compose variant, with the service names as loopback addresses (nginx -t looks
    the names up) and the cache in the test's folder."""
    values = dict(services()["nginx"]["environment"])
    values.update(
        PORTAL_STACK_DIR=str(tmp_path),
        PORTAL_UPSTREAM_1=values["PORTAL_UPSTREAM_1"].replace("web-1", "127.0.0.1"),
        PORTAL_UPSTREAM_2=values["PORTAL_UPSTREAM_2"].replace("web-2", "127.0.0.2"),
        PORTAL_PROXY_CACHE=str(tmp_path / "proxy-cache"),
        PORTAL_ACCESS_LOG=str(tmp_path / "access.log"),
    )
    result = nginx_test(render_stack(tmp_path, values))
    assert result.returncode == 0, result.stderr


@needs_nginx
def test_nginx_refuses_a_broken_configuration(tmp_path):
    """So that the two tests above would fail on a mistake rather than pass on anything."""
    config = render_stack(tmp_path, stack_values(tmp_path))
    portal = tmp_path / "portal.conf"
    portal.write_text(portal.read_text().replace("proxy_cache portal_pages;", "proxy_cache;"))
    assert nginx_test(config).returncode != 0


def test_nginx_never_serves_metrics_or_caches_for_a_session():
    text = TEMPLATE.read_text()
    assert re.search(r"location = /metrics \{\s*return 404;\s*\}", text)
    assert "proxy_cache_bypass $cookie_sessionid" in text
    assert "proxy_no_cache $cookie_sessionid" in text
    # Browsers revalidate a public answer with nginx: a stored copy's s-maxage, passed on
    # without an Age header, would let them keep it past the embargo lift.
    assert '"public, no-cache"' in text
    assert "add_header Cache-Control $portal_client_cache_control always;" in text
    # No default lifetime: only what the portal's Cache-Control allows is stored.
    assert not re.search(r"^\s*proxy_cache_valid", text, re.MULTILINE)
