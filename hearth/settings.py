"""Django settings for Hearth. Every value that differs between machines comes from hearth.env."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry

from . import env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.flag("DEBUG", default=False)
# The test run is detected so that `pytest` needs no extra environment beyond the two database URLs.
TESTING = env.flag("HEARTH_TESTING", default="pytest" in sys.modules)
LOCAL = env.flag("HEARTH_LOCAL")  # `make run`: embedded servers on this machine
BENCH_BASELINE = env.flag("HEARTH_BENCH_BASELINE")  # bench/baseline_views.py mounted at /bench/ (bench only)
SECRET_KEY = env.text("SECRET_KEY", "dev-insecure-key-change-me" if DEBUG or LOCAL or TESTING else None)
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # community first: its `migrate` command routes migrations to the owner role.
    "community",
    "discussions",
    "moderation",
    "insights",
    "feedback",
    "advocacy",
    "integrations",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.discord",
    "allauth.socialaccount.providers.slack",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "community.middleware.MalformedRequestMiddleware",
    "community.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.middleware.CustomDomainMiddleware",
]

ROOT_URLCONF = "hearth.urls"
WSGI_APPLICATION = "hearth.wsgi.application"

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
            ],
        },
    },
]

# --- Database: Postgres only. DATABASE_URL is the application role (no BYPASSRLS, not the owner);
# MIGRATION_DATABASE_URL is the owner role that runs migrations (community's `migrate` command uses it).
DATABASES = {"default": env.database("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if os.environ.get("MIGRATION_DATABASE_URL"):
    DATABASES["owner"] = env.database("MIGRATION_DATABASE_URL")
_test_db_name = "test_hearth" + os.environ.get("HEARTH_TEST_DB_SUFFIX", "")
for _alias in DATABASES.values():
    _alias["TEST"] = {"NAME": _test_db_name}
# Behind PgBouncer in transaction pooling (docker-compose.yml) a client owns a server connection only for one
# transaction: no server-side cursors or prepared statements across transactions. The tenant scope is already
# transaction-local (set_config(..., true)), which tests/tenancy/test_pgbouncer.py proves through a real PgBouncer.
if env.flag("HEARTH_DB_POOLER", default=False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# The NOLOGIN BYPASSRLS role the app role may switch to for the one logged bypass (tenancy.unscoped).
DATABASE_BYPASS_ROLE = os.environ.get("HEARTH_DB_BYPASS_ROLE", "hearth_bypass")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, results and cache.
REDIS_URL = env.text("REDIS_URL")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# No task's result is read by the web processes: storing them would make every send subscribe to the result
# backend, and after a Redis outage Celery's result consumer gives up for good ("must be restarted"), so the
# web would never enqueue again (tests/faults/test_outages.py). Tasks that a test reads opt in.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.flag("CELERY_TASK_ALWAYS_EAGER")
CELERY_BEAT_SCHEDULE: dict = {
    "discussions-publish-scheduled": {"task": "discussions.publish_due_fanout", "schedule": 60.0},
    # Fan-out: lists due connections across communities (logged bypass) and enqueues each one's sync.
    "integrations-poll-due": {"task": "integrations.poll_due_connections", "schedule": 60.0},
    # Lifts silences and suspensions whose period ended (fan-out per community, like the others).
    "moderation-expire-sanctions": {"task": "moderation.expire_sanctions_fanout", "schedule": 60.0},
    "moderation-trust-levels": {"task": "moderation.compute_trust_levels_fanout", "schedule": 3600.0},
    # The crisis watch: every community with recent activity evaluated each minute (alerts within two minutes).
    "insights-crisis-watch": {"task": "insights.evaluate_alerts_fanout", "schedule": 60.0},
    "discussions-daily-digest": {
        "task": "discussions.digest_fanout",
        "schedule": crontab(hour=7, minute=0),
        "args": ["daily"],
    },
    "discussions-weekly-digest": {
        "task": "discussions.digest_fanout",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
        "args": ["weekly"],
    },
    # Mondays at noon UTC, which is Monday (or Tuesday) in every zone from UTC-12 to UTC+14, so "last week" is the
    # week that just ended everywhere: last week's insights to the staff who opted in.
    "insights-weekly-summary": {
        "task": "insights.weekly_summary_fanout",
        "schedule": crontab(hour=12, minute=0, day_of_week=1),
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Databases sharing one Redis must not share keys (the bench sets its own prefix per run).
        "KEY_PREFIX": os.environ.get("HEARTH_CACHE_PREFIX")
        or f"hearth:{DATABASES['default']['NAME']}" + os.environ.get("HEARTH_TEST_DB_SUFFIX", ""),
        # After a Redis restart every pooled connection is dead: retry a command once on a fresh connection, so
        # recovery does not cost each pooled connection one failed request (tests/faults/test_outages.py).
        "OPTIONS": {
            "retry": Retry(NoBackoff(), 1),
            "retry_on_error": [RedisConnectionError],
            "socket_connect_timeout": 2,
            "socket_timeout": 5,
        },
    }
}
# Public read pages for anonymous readers are served from the cache until the community's content changes
# (community/page_cache.py); this bounds how long a change outside the services can stay unseen. 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("HEARTH_PAGE_CACHE_SECONDS", "60"))

# --- Auth (django-allauth).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
# Brute-force protection: allauth throttles failed logins per IP and per account (uses the cache).
# login_failed's "key" is (account, IP) and login_failed_account is the account across addresses (community/accounts.py).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "60/h/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Hearth"
SOCIALACCOUNT_PROVIDERS = {
    "github": {"SCOPE": ["read:user", "user:email"]},
    "google": {"SCOPE": ["profile", "email"]},
    "discord": {},
    "slack": {},
    "openid_connect": {"APPS": []},
}
# Provider credentials come from the environment: HEARTH_SOCIAL_<PROVIDER>_ID / _SECRET.
for _provider in ("github", "google", "discord", "slack"):
    _client_id = os.environ.get(f"HEARTH_SOCIAL_{_provider.upper()}_ID")
    if _client_id:
        SOCIALACCOUNT_PROVIDERS[_provider]["APPS"] = [
            {"client_id": _client_id, "secret": env.text(f"HEARTH_SOCIAL_{_provider.upper()}_SECRET"), "key": ""}
        ]
if os.environ.get("HEARTH_OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        {
            "provider_id": "oidc",
            "name": os.environ.get("HEARTH_OIDC_NAME", "Single sign-on"),
            "client_id": env.text("HEARTH_OIDC_CLIENT_ID"),
            "secret": env.text("HEARTH_OIDC_SECRET"),
            "settings": {"server_url": env.text("HEARTH_OIDC_SERVER_URL")},
        }
    ]

# --- Email.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    # `make run` has no mail server: emails (verification, invitations) are printed to the console.
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or LOCAL
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hearth <noreply@hearth.local>")

# --- REST API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "community.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "community.api.pagination.CreatedCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "community.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "community.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # JSON only in production: the browsable API renders forms and data as HTML pages of their own.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_THROTTLE_CLASSES": [
        "community.api.throttling.ApiKeyRateThrottle",
        "community.api.throttling.PersonRateThrottle",
    ],
    # Tests walk hundreds of routes per client; tests/community/api/test_api_conventions.py proves the limits.
    "DEFAULT_THROTTLE_RATES": {
        "api_key": os.environ.get("HEARTH_API_KEY_RATE", "100000/min" if TESTING else "1200/min"),
        "user": os.environ.get("HEARTH_USER_RATE", "100000/min" if TESTING else "600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hearth API",
    "DESCRIPTION": "Community management: members, activities, discussions, channels, moderation, insights and "
    "crisis alerts, and feedback.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name across components get a stable name of their own (W001 otherwise):
    # two "action" fields (queue decisions, watched-word actions) and the alert rule kinds.
    "ENUM_NAME_OVERRIDES": {
        "WatchedWordActionEnum": "moderation.models.rules.WordAction",
        "QueueActionEnum": "moderation.services.queue.ACTIONS",
        "AlertKindEnum": "insights.models.alerts.RuleKind",
    },
}

# --- Static files (vendored, served by WhiteNoise; no CDN).
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_URL = "/media/"
# Forum image uploads per member in a rolling 24 hours (discussions/services/uploads.py).
HEARTH_UPLOAD_DAILY_COUNT = int(os.environ.get("HEARTH_UPLOAD_DAILY_COUNT", "50"))
HEARTH_UPLOAD_DAILY_BYTES = int(os.environ.get("HEARTH_UPLOAD_DAILY_BYTES", str(50 * 1024 * 1024)))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Absolute links in every email (invitations, password reset, confirmation, notifications, digests, unsubscribe):
# the public address of this deployment, never the request's Host header (community/accounts.py).
HEARTH_BASE_URL = os.environ.get(
    "HEARTH_BASE_URL", "http://localhost:8000" if DEBUG or LOCAL or TESTING else ""
).rstrip("/")
ACCOUNT_ADAPTER = "community.accounts.AccountAdapter"

# The hosts the platform itself answers on (its own pages, /hooks/, /api/): never claimable as a community's custom
# domain, nor any subdomain of them. Defaults to ALLOWED_HOSTS and HEARTH_BASE_URL's host.
HEARTH_PLATFORM_HOSTS = env.listing("HEARTH_PLATFORM_HOSTS") or [
    host.lstrip(".") for host in [*ALLOWED_HOSTS, urlsplit(HEARTH_BASE_URL).hostname or ""] if host and host != "*"
]

# Outbound calls to tenant-chosen URLs (community/outbound.py) never reach loopback, private networks or metadata.
# Local development may point a channel at a server on this machine; refused with DEBUG=0 (community/checks.py).
HEARTH_OUTBOUND_ALLOW_LOOPBACK = env.flag("HEARTH_OUTBOUND_ALLOW_LOOPBACK", default=False)

# --- Secrets at rest (channel credentials): comma-separated Fernet keys, newest first.
HEARTH_FERNET_KEYS = env.listing("HEARTH_FERNET_KEYS")

# --- Content-Security-Policy (django-csp): no inline script or style anywhere, nothing from other origins except
# images (avatars come from the platforms members use). Pages pass data to scripts through json_script elements.
# Routes that must be framed elsewhere (the blog-comment embed) relax frame-ancestors on their own view.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https:", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of Hearth uses are switched off for every page (community.middleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"

# --- Security: production passes `manage.py check --deploy`.
SESSION_COOKIE_HTTPONLY = True
# Sessions are read on every signed-in request: from Redis, with the database as the durable copy.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING and not LOCAL:
    SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers and container probes speak plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS = env.listing("SILENCED_SYSTEM_CHECKS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"hearth.tenancy": {"level": "INFO"}},
}
