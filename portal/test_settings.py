"""Settings for the test suite: production settings (DEBUG off) with a throwaway key.

The test client speaks plain HTTP, so the HTTPS redirect is off; everything else is as
deployed, so that tests see the same security settings as production.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-suite-only-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .settings import *  # noqa: E402, F403

# Tests create many users; a fast hasher keeps them quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Static files come from the finders (the built front end in static/), not collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    },
}

# Tasks run at once, in the request or command that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Rendering a publication's pages ahead of it (portal.prerender) is tested where it is
# about (tests/test_prerender.py); elsewhere every scheduling would render hundreds.
PRERENDER_ON_PUBLICATION = False

# Sending e-mail alerts when a publication is scheduled (alerts.tasks) is tested where it
# is about (tests/test_alerts.py); elsewhere it would queue a task beside the ones tested.
ALERTS_SEND_ON_PUBLICATION = False

# Rounds are built in the test's own process (inside its transaction); one test forks.
REPORT_BUILD_PROCESSES = 1

# Built reports go to a throwaway folder, never the developer's media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="star-ratings-test-media-"))  # noqa: F405

# The request log line is tested where it is about (tests/test_observability.py turns it
# on); elsewhere it is thousands of lines nobody reads.
LOGGING["loggers"]["portal.requests"]["level"] = "WARNING"  # noqa: F405
