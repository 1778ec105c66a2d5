"""Several processes, one Redis (``REDIS_URL``): a change announced in one process is seen
by another at once, and a page cached by one is served by the other. Redis listens on
127.0.0.1:6379 here and on CI."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from ratings import page_cache

PROJECT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def shared_cache():
    """This process's caches on Redis, under a prefix of this test's own."""
    prefix = f"test-{uuid.uuid4().hex}"
    caches = {
        name: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}-{name}",
        }
        for name in ("default", "throttle")
    }
    with override_settings(CACHES=caches):
        cache.clear()
        yield prefix
        cache.clear()


def other_process(prefix: str, code: str) -> str:
    """Run ``code`` in another Django process whose caches are the same Redis."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "1",
            "DATABASE_URL": "sqlite:////tmp/shared-cache.sqlite3",
            "REDIS_URL": REDIS_URL,
            "REDIS_KEY_PREFIX": prefix,
        },
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


SETUP = "import django\ndjango.setup()\nfrom django.conf import settings\n"


def test_the_settings_use_redis_when_redis_url_is_set():
    found = other_process("x", SETUP + "print(settings.CACHES['default']['BACKEND'])")
    assert found == "django.core.cache.backends.redis.RedisCache"


def test_a_change_announced_in_one_process_is_seen_by_another_at_once(shared_cache):
    before = page_cache.data_generation()
    # The other process announces a change of the data, as a save or an import does.
    other_process(
        shared_cache,
        SETUP + "from ratings import signals\nsignals.data_changed.send(sender=None)",
    )
    after = page_cache.data_generation()
    assert after != before
    # And what this process then stores, the other reads.
    cache.set("page", "built here", timeout=60)
    assert other_process(
        shared_cache, SETUP + "from django.core.cache import cache\nprint(cache.get('page'))"
    ) == ("built here")
