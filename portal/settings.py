"""Settings for the Star Ratings Portal, read from the environment.

Every setting that differs between a laptop and production comes from an environment
variable; the defaults are for local development with SQLite. With ``DEBUG`` off the
security settings are those ``manage.py check --deploy`` asks for.
"""

import datetime
import os
from pathlib import Path

import csp.constants
import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "django-insecure-local-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    # Refuse to start in production with a guessable key.
    if env_bool("ALLOW_DEV_SECRET_KEY", False):
        SECRET_KEY = _DEV_SECRET_KEY
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "portal",
    "ratings",
    "reports",
    "workspace",
    "api",
    "alerts",
    "feedback",
]

MIDDLEWARE = [
    # First, so that its duration is the whole answer's: the request id, log and metrics.
    "portal.observability.RequestLogMiddleware",
    # The data generation token read once per request (ratings.embargo), for every part of
    # the answer that asks the gate, the Cache-Control of a not-found included.
    "portal.middleware.OneReadingPerRequestMiddleware",
    # Before anything reads the database: an anonymous public request reads the ratings
    # from the replica, when there is one (portal/db_router.py; off without one).
    "portal.db_router.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, which answers for static files without going further down.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags (and 304s for If-None-Match / If-Modified-Since) for every page.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's copy of any page is private, not shared.
    "portal.middleware.PrivateForSignedInMiddleware",
    # Inside it: a signed-in person's answers are made private after this has run.
    "portal.middleware.PublicCacheControlMiddleware",
    # Before every view (the page cache is the views' decorator): ?as_at= holds the embargo
    # gate's clock back for the whole request.
    "portal.middleware.AsAtMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the signed-in user on every history row (the audit trail).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its own response.
    "axes.middleware.AxesMiddleware",
]

# The admin shows each model's history to read, never to revert: a revert saves an old
# version through no service and no rule (it could un-publish a round). This hides the
# button; ratings.admin.HistoryToReadAdmin refuses the POST behind it.
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A read replica of the primary (e.g. PostgreSQL streaming replication): anonymous
# visitors' public pages read the ratings from it, everything else uses the primary
# (portal/db_router.py). For DATABASE_REPLICA_MAX_LAG seconds after a change of the data
# every read goes to the primary, so the replica's lag must stay below it (monitor it).
# Needs REDIS_URL with more than one host: that pause is kept in the shared cache.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # The test suite has no replica: the alias reads the test copy of the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_REPLICA_MAX_LAG = int(os.environ.get("DATABASE_REPLICA_MAX_LAG", "30"))
DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]

# SQLite (make run: the development server and the report worker write at once): a
# transaction takes the write lock when it begins (IMMEDIATE) and waits up to 20 s for
# it, instead of failing with "database is locked" when a reader tries to become a
# writer; WAL lets readers go on while one writes.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)

# Public pages are cached server-side (ratings/page_cache.py). A file-based cache is shared
# by every gunicorn worker on a host, so an invalidation in one is seen by all.
CACHE_LOCATION = os.environ.get("CACHE_LOCATION", str(BASE_DIR / "var" / "cache"))
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
        if DEBUG
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_LOCATION,
            # Every page of a round (five or so per council) and a round rendered ahead of
            # its publication: far more than the default 300, which culled them at random.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    ),
    # Rate limits (portal.accounts, feedback.throttle), apart from the pages: the page cache
    # drops a third of its entries whenever it is full, and a limit must not forget what it
    # has counted.
    "throttle": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
        if DEBUG
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(CACHE_LOCATION) / "throttle"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}

# How long shared caches and browsers may keep a public page or file, in seconds; never
# past the next scheduled publication moment (ratings.page_cache.public_cache_control).
PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "60"))
# When a round or correction is scheduled, the worker renders its public pages into the
# cache ahead of the moment (portal.prerender), and again this many seconds before it.
PRERENDER_ON_PUBLICATION = env_bool("PRERENDER_ON_PUBLICATION", True)
PRERENDER_LEAD = int(os.environ.get("PRERENDER_LEAD", "300"))
# The page cache can be turned off (PAGE_CACHE_ENABLED=0) to measure or debug pages as
# they are built; the figures worked out once per publication stay cached.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# A page being built is built once: a request that finds another building it waits up to
# this many seconds for that build before building it itself (ratings.page_cache).
SINGLE_FLIGHT_WAIT = float(os.environ.get("SINGLE_FLIGHT_WAIT", "5"))
# With several processes or machines, one Redis for all (REDIS_URL, e.g.
# redis://127.0.0.1:6379/0): a correction made in one process is seen by every other at
# once, and a rate limit counts every attempt wherever it lands.
# REDIS_KEY_PREFIX keeps apart deployments that share one Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "portal")
if REDIS_URL:
    CACHES = {
        name: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{REDIS_KEY_PREFIX}-{name}",
        }
        for name in ("default", "throttle")
    }

# Names the deployed code (e.g. the git commit), so a new release never serves pages cached
# by the old one.
RELEASE = os.environ.get("RELEASE", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Signing in (staff only: the public site needs no account). django-axes checks every
# sign-in first and refuses it while its username and address are locked out; then Django's
# own backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Failed sign-ins are throttled: 5 failures for one username from one address lock that pair
# out for 15 minutes (a further failure while locked out starts the 15 minutes again). Keyed
# on the pair, so one person mistyping cannot lock out a whole office behind one address,
# and guessing at many usernames from one address is still slowed per username. A success
# clears the count. The lockout page (templates/registration/lockout.html) says when to try
# again; 429 Too Many Requests is its status.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# One address is also limited across usernames, so that it cannot try a password on many
# accounts: 20 failures from an address, whatever the usernames, lock the address out (as
# long as axes counts them: a username's failures until 15 minutes after its last one).
# Higher than the per-username limit, so that a few people mistyping behind an office's
# one address do not lock each other out. portal.accounts.AxesHandler counts them.
SIGN_IN_ADDRESS_FAILURE_LIMIT = 20
AXES_HANDLER = "portal.accounts.AxesHandler"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind a proxy the client's address is in X-Forwarded-For: say how many proxies to trust
# (make stack and docker-compose.yml: 1, nginx). portal.client_address reads it; axes
# alone would not (it needs django-ipware, not installed, and falls back to REMOTE_ADDR,
# the proxy's address, for every visitor).
if os.environ.get("AXES_IPWARE_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_IPWARE_PROXY_COUNT"])
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_address"

# Sessions expire: a staff session lasts at most 8 hours (a working day) from sign-in and
# ends when the browser closes, so a shared or unattended computer does not stay signed in
# to the workspace overnight. The session is not extended by activity (SESSION_SAVE_EVERY_
# REQUEST stays off), so the 8 hours are a hard limit.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Password reset e-mails and e-mail alerts. By default they are printed to the console
# (nothing is sent from a laptop); production sets EMAIL_BACKEND (e.g.
# django.core.mail.backends.smtp.EmailBackend) and the EMAIL_HOST... settings.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# How long a password reset link works: one day, not Django's three.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
# At most 5 reset emails an hour to one email address, and 5 requests an hour from one
# client address (portal.accounts.PasswordResetView); the reset pages say so.
PASSWORD_RESET_LIMIT = 5
PASSWORD_RESET_LIMIT_PERIOD = datetime.timedelta(hours=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic puts the files (make stack: var/stack/static, which nginx serves).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Built reports (PDFs and ZIPs) are stored here and served by the report views, which
# check the embargo; MEDIA_URL is never routed, so no file is reachable around them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# With several machines, built reports go to S3-compatible object storage instead
# (django-storages), so that every web process and worker sees the same files. The bucket
# is private and no file gets a public URL: reports are only ever sent by the views that
# check the embargo. Credentials come from the standard AWS variables (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, or an instance role), never from here. Configured, not
# load-tested: docs/operations.md.
REPORTS_S3_BUCKET = os.environ.get("REPORTS_S3_BUCKET", "")
if REPORTS_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": REPORTS_S3_BUCKET,
            "endpoint_url": os.environ.get("REPORTS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("REPORTS_S3_REGION") or None,
            # The key prefix: reports/<name> in storage becomes <prefix>/reports/<name>.
            "location": os.environ.get("REPORTS_S3_PREFIX", "").strip("/"),
            "default_acl": "private",
            # A URL, if anything ever asked for one, is signed and short-lived.
            "querystring_auth": True,
            "querystring_expire": 60,
            # Two workers building the same report at once each save a file, and the one
            # that loses the race deletes its own (reports.prebuilt): with overwriting
            # on, both would share one key and the loser would delete the winner's file.
            "file_overwrite": False,
        },
    }

# E-mail alerts (alerts/): a confirmation link works for ALERTS_CONFIRMATION_DAYS (then an
# unconfirmed address is deleted); the subscribe form takes ALERTS_SUBSCRIBE_LIMIT requests
# from one client address, and sends ALERTS_EMAIL_LIMIT confirmation emails to one address,
# in ALERTS_LIMIT_PERIOD. The worker sends the alerts of a publication at its moment
# (ALERTS_SEND_ON_PUBLICATION; `manage.py send_alerts` too), through EMAIL_BACKEND above.
ALERTS_CONFIRMATION_DAYS = int(os.environ.get("ALERTS_CONFIRMATION_DAYS", "7"))
ALERTS_SUBSCRIBE_LIMIT = int(os.environ.get("ALERTS_SUBSCRIBE_LIMIT", "10"))
ALERTS_EMAIL_LIMIT = int(os.environ.get("ALERTS_EMAIL_LIMIT", "3"))
ALERTS_LIMIT_PERIOD = datetime.timedelta(hours=1)
ALERTS_SEND_ON_PUBLICATION = env_bool("ALERTS_SEND_ON_PUBLICATION", True)

# Absolute links inside the PDFs (which are built ahead, with no request to take a host from).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Build every report of a round when it is scheduled (and a council's on a correction).
REPORTS_BUILD_ON_PUBLICATION = env_bool("REPORTS_BUILD_ON_PUBLICATION", True)
# Processes a round's build draws its council PDFs in (WeasyPrint holds the GIL, so
# processes, not threads): by default one per CPU this process may use.
_cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
REPORT_BUILD_PROCESSES = max(1, int(os.environ.get("REPORT_BUILD_PROCESSES") or _cpus or 1))
# With a prefix (e.g. /_protected_reports/, an nginx `internal` location aliasing
# MEDIA_ROOT), the download views answer with X-Accel-Redirect and nginx sends the file,
# rather than a Python worker streaming it. Empty: the views send the file themselves.
REPORTS_ACCEL_REDIRECT = os.environ.get("REPORTS_ACCEL_REDIRECT", "").strip()

# Background tasks (building reports at publication): django-tasks with its database
# backend; `manage.py db_worker` runs them (make run and docker-compose start one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security. With DEBUG off these are what `check --deploy` expects; a deployment that
# terminates TLS at a proxy in front of gunicorn sets SECURE_PROXY_SSL_HEADER_ENABLED.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): everything from the site itself. Scripts are static
# files only, never inline (base.html and every page use <script src>; the workspace loads
# htmx from a static file), so 'unsafe-inline' is nowhere. img-src allows data: URIs for the
# icons in the API docs' stylesheet (Swagger UI from drf-spectacular-sidecar, served here).
# Forms post only to the site; no one may frame it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF],
        "style-src": [csp.constants.SELF],
        "img-src": [csp.constants.SELF, "data:"],
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
    },
}

# Permissions-Policy (django-permissions-policy): the site uses none of these browser
# features, so no page, nor anything it might embed, may ask for them. browsing-topics is
# the interest-based advertising that replaced FLoC (interest-cohort, which browsers no
# longer recognise and warn about).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}

# One line per request (portal.requests, INFO) and everything at LOG_LEVEL and above; as
# JSON lines (LOG_FORMAT=json, the default with DEBUG off) for a log collector, or as text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "portal.requests": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
    },
}

# Who may read /metrics (portal.observability): the scraper's addresses, never through
# the proxy.
METRICS_ALLOWED_ADDRESSES = [
    a.strip()
    for a in os.environ.get("METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1").split(",")
    if a.strip()
]

# The open data API (api/): read-only and open to all, so no authentication (and
# so no session or CSRF); JSON, the browsable API and CSV; lists paginated.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": [],
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Star Ratings Portal open data API",
    "DESCRIPTION": (
        "Read-only open data: English councils' social services star ratings (0-3 stars, "
        "2002-2005), the judgements behind them, national summaries and performance "
        "indicators. Only published rounds appear. Every list is paginated in JSON and "
        "available in full as CSV with ?format=csv. Rows marked is_sample are generated "
        "sample data, not the published ratings."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "ServingEnum": "ratings.rules.SERVING_LEVELS",
        "ProspectsEnum": "ratings.rules.PROSPECT_LEVELS",
        "CouncilTypeEnum": "ratings.models.CouncilType",
    },
    "SCHEMA_PATH_PREFIX": r"/api/",
    "PREPROCESSING_HOOKS": ["api.schema.only_the_open_data_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.renderers.document_csv_responses",
        "api.schema.document_page_not_found",
    ],
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The name the portal shows; the inspectorate is not GOV.UK.
PORTAL_NAME = os.environ.get("PORTAL_NAME", "Social Services Star Ratings")
# Who runs the portal (the site's header, footer and accessibility statement). The bodies
# that published the ratings are data: each round's ``publisher``.
INSPECTORATE_NAME = os.environ.get("INSPECTORATE_NAME", "Star Ratings Portal team")
# The address for accessibility requests and problems, on the accessibility statement;
# without it the statement names the inspectorate.
PORTAL_CONTACT_EMAIL = os.environ.get("PORTAL_CONTACT_EMAIL", "")
