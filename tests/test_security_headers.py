"""Security headers on every kind of page: the Content-Security-Policy (django-csp), nosniff,
Referrer-Policy, framing, Permissions-Policy, HSTS on HTTPS in production, and the
Cache-Control that keeps a signed-in person's pages out of shared caches.

The test settings are the production settings (DEBUG off) but for the HTTPS redirect, so
these are the headers production sends. Real browsers enforce the policy in tests/browser/.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from workspace import roles

from .factories import RatingFactory
from .workspace import staff

pytestmark = pytest.mark.django_db

PAGES = ["/", "/ratings/2004/", "/api/docs/", "/accounts/login/"]


@pytest.fixture(autouse=True)
def published_round():
    return RatingFactory(round__year=2004)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("path", PAGES)
def test_content_security_policy_allows_no_inline_script(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in csp[directive]
        assert "'unsafe-eval'" not in csp[directive]
    assert "script-src-attr" not in csp and "script-src-elem" not in csp
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]


@pytest.mark.parametrize("path", [*PAGES, "/about/", "/accounts/password_reset/"])
def test_pages_have_no_inline_script_or_style(client, path):
    """What the policy would block: a <script> with code in it, a <style>, a style=
    attribute or an on...= handler."""
    html = client.get(path).content.decode()
    scripts = re.findall(r"(<script\b[^>]*>)(.*?)</script>", html, flags=re.DOTALL)
    assert scripts
    for tag, code in scripts:
        assert "src=" in tag and not code.strip(), tag + code
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_api_docs_load_their_start_up_script_from_a_url(client):
    """Swagger UI (drf-spectacular's split view) gets its start-up script from
    /api/docs/?script, so its page keeps to the policy."""
    html = client.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script="></script>' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize("path", [*PAGES, "/api/rounds/", "/accounts/login/?next=/workspace/"])
def test_nosniff_referrer_policy_and_no_framing(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_pages_have_the_same_policy(client):
    client.force_login(get_user_model().objects.create_user("ann", password="x" * 20))
    response = client.get("/accounts/password_change/")
    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_on_https_in_production(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_no_hsts_over_plain_http(client):
    # Browsers ignore it there; Django only sends it on HTTPS.
    assert "Strict-Transport-Security" not in client.get("/")


def test_session_and_csrf_cookies_are_secure_in_production():
    sign_in_page = Client().get("/accounts/login/")
    cookie = sign_in_page.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


# Permissions-Policy -------------------------------------------------------------------

DENIED_FEATURES = {
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
}


def permissions_policy(response) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))


@pytest.mark.parametrize(
    "path",
    [
        "/",  # a page
        "/ratings/2004/",
        "/api/rounds/",  # an API answer
        "/robots.txt",  # plain text from a view
        "/static/ratings/ratings.css",  # a static file (WhiteNoise answers before the views)
        "/no-such-page/",  # the 404 page
        "/accounts/login/",
    ],
)
def test_every_response_denies_the_browser_features_the_site_does_not_use(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    policy = permissions_policy(response)
    assert set(policy) >= DENIED_FEATURES
    assert all(allowed == "()" for allowed in policy.values()), policy


# Cache-Control for signed-in people -----------------------------------------------------


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def public_paths(rating):
    slug = rating.council.slug
    return [
        "/",
        "/ratings/",
        "/ratings/2004/",
        "/ratings/2004/summary/",
        f"/councils/{slug}/",
        f"/councils/{slug}/2004/",
        f"/councils/{slug}/2004/report/",
        f"/compare/?councils={slug}",
        "/councils/?q=Council",
        "/councils/suggest/?q=Cou",
        "/about/",
        "/methodology/",
        "/accessibility/",
        "/open-data/",
    ]


def test_public_pages_served_to_a_signed_in_person_are_private(client, published_round):
    """They carry the person's name and a CSRF token: no shared cache may keep them."""
    client.force_login(staff.inspector())
    shareable = {}
    for path in [*public_paths(published_round), "/workspace/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        cache_control = directives(response)
        if not {"private", "no-store"} <= cache_control or "public" in cache_control:
            shareable[path] = response.get("Cache-Control")
    assert shareable == {}


def test_public_pages_stay_public_for_anonymous_visitors(client, published_round):
    for path in public_paths(published_round)[:8]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "private" not in directives(response), path
    assert "public" in directives(client.get("/ratings/2004/"))


def test_a_signed_in_person_gets_no_copy_of_a_page_cached_for_anonymous_visitors(
    client, published_round
):
    anonymous = client.get("/ratings/2004/")
    assert "public" in directives(anonymous)
    client.force_login(staff.StaffFactory(username="ann", role=roles.PUBLISHER))
    response = client.get("/ratings/2004/")
    assert "Sign out" in response.content.decode()
    assert "private" in directives(response) and "public" not in directives(response)
