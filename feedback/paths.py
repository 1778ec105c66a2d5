"""Which page a piece of feedback is about: a path of this site's public pages, and
nothing more.

The form sends the page's path, but a POST can send anything. Only a path is kept:
no scheme, no host (so the link back on the thank-you page cannot send anyone to another
site: ``//evil.example``, ``https://evil.example``, ``/\\evil.example``), and no query string
or fragment, which could carry an e-mail address or a token someone pasted into a page's
address. The path must be one of the site's public URL patterns: not the staff areas, and
not the feedback pages themselves, which show no feedback form.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from .models import PATH_MAX_LENGTH

NOT_PUBLIC = ("/admin/", "/accounts/", "/workspace/", "/feedback/")


def page_path(value) -> str | None:
    """The public page's path that ``value`` names, without its query string; None if it
    names none."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if (
        not value.startswith("/")
        or any(unicodedata.category(c) == "Cc" for c in value)
        # No scheme and no host: a path on this site only.
        or not url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    ):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    path = parts.path
    if (
        parts.scheme
        or parts.netloc
        or not path.startswith("/")
        or path.startswith("//")
        or len(path) > PATH_MAX_LENGTH
        or path.startswith(NOT_PUBLIC)
    ):
        return None
    try:
        resolve(path)
    except Resolver404:
        return None
    return path
