"""Settings shared by every environment. The environment is read once, here."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])


def portal_database(config: dict) -> dict:
    """SQLite through the portal's backend: Django's, plus ``fold`` as the SQL function of the search columns.
    PostgreSQL without its JIT compiler (``POSTGRES_JIT=on`` keeps it): the portal's pages run many short queries
    whose estimated cost crosses ``jit_above_cost`` (the as-of counts' subqueries), and compiling them costs more than
    it saves (about 100 ms on the national overview, measured with bench/national.py)."""
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["ENGINE"] = "pilot_portal.core.sqlite3"
    elif "postgresql" in config["ENGINE"] and not env.bool("POSTGRES_JIT", default=False):
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


DATABASES = {
    "default": portal_database(env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A pool of PostgreSQL connections per process (psycopg_pool), for the ASGI server: it runs each request in a thread
# of its own, so a kept connection (CONN_MAX_AGE) would be one new connection per request (some 7 ms of the
# database's time each). Off with 0; with a pool, connections go back to it after each request (no CONN_MAX_AGE).
DATABASE_POOL_SIZE = env.int("DATABASE_POOL_SIZE", default=0)
if DATABASE_POOL_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        "timeout": 10,  # seconds a request waits for a free connection before its error page
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Trigram indexes on expressions (OpClass); lookups only, on SQLite it does nothing.
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_ratelimit",
    "csp",
    "pilot_portal.accounts",
    "pilot_portal.core",
    "pilot_portal.campaigns",
    "pilot_portal.notifications",
    "units",
    "sessions.apps.CouncilSessionsConfig",
    "service_center",
    "pilot_portal.api",
]

MIDDLEWARE = [
    "pilot_portal.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pilot_portal.core.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Reverse proxies in front of the portal that append to X-Forwarded-For (0: the header is ignored), and the
# addresses they connect from (IPs or CIDR blocks): the header is believed only from those
# (pilot_portal.core.middleware.ClientAddressMiddleware).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
#: Seconds a Redis cache may take to connect and to answer before the call fails (a hung Redis must not hang pages).
CACHE_TIMEOUT_SECONDS = env.float("CACHE_TIMEOUT_SECONDS", default=0.5)


def with_socket_timeouts(cache: dict) -> dict:
    """A Redis cache (Django's or django-redis) with connect and socket timeouts."""
    if "redis" in cache.get("BACKEND", "").lower():
        options = cache.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", CACHE_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", CACHE_TIMEOUT_SECONDS)
    return cache


# A cache shared by every process in production, e.g. CACHE_URL=redis://127.0.0.1:6379/1; by default each process
# has its own. The limits (public lookup, counted by django-ratelimit) count in the database ("limits"), where an
# outage of Redis can neither open them nor hang the page.
CACHES = {
    "default": with_socket_timeouts(env.cache("CACHE_URL", default="locmemcache://")),
    "limits": {"BACKEND": "pilot_portal.core.counters.DatabaseCounterCache", "KEY_PREFIX": "limits"},
}
RATELIMIT_USE_CACHE = "limits"
RATELIMIT_FAIL_OPEN = False
# django-ratelimit warns about any cache it does not know; the database counters are atomic and shared.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
# Seconds the national overview keeps the dossier and session figures of its units in that cache (0: never).
CAMPAIGNS_OVERVIEW_CACHE_SECONDS = env.int("CAMPAIGNS_OVERVIEW_CACHE_SECONDS", default=300)

ROOT_URLCONF = "pilot_portal.urls"
WSGI_APPLICATION = "pilot_portal.wsgi.application"
ASGI_APPLICATION = "pilot_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pilot_portal.core.context_processors.portal",
                "pilot_portal.notifications.context_processors.notifications",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes, pilot_portal.accounts.throttle): an account is locked after AXES_FAILURE_LIMIT
# failures from any addresses, an address after AXES_ADDRESS_FAILURE_LIMIT failures over all accounts; usernames
# count case-insensitively. An administrator unlocks in the admin (Axes > Access attempts).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "pilot_portal.accounts.throttle.PortalAxesHandler"
AXES_USERNAME_CALLABLE = "pilot_portal.accounts.throttle.client_username"
AXES_LOCKOUT_CALLABLE = "pilot_portal.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True

# Content-Security-Policy (django-csp): scripts only from the portal's own static files (no inline script, no
# onclick), frames for the live streams (any https address an official enters), nothing from other origins.
# Inline styles stay allowed (style attributes of the templates and of the vendored widgets).
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, "https:"],  # the national map (its own page), and any https live stream
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# Sessions on shared counter computers: 8 hours at most, and a ward clerk's ends when the browser closes
# (pilot_portal.accounts.signals).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads that only scope-checking views serve (checklist evidence, session documents): never under MEDIA_ROOT.
PRIVATE_FILES_ROOT = env.path("PRIVATE_FILES_ROOT", default=BASE_DIR / "private_media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A new session's time budget is its province's campaign limit (Campaign.session_budget_minutes, 45 in the seeds).
SESSIONS_BUDGET_RESOLVER = "pilot_portal.campaigns.selectors.budget.session_budget_minutes"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default, any backend through EMAIL_URL (smtp://user:pass@host:587, consolemail://, ...).
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng thí điểm <no-reply@pilot.local>")
# Origin put in front of the links in e-mails (default: the first CSRF_TRUSTED_ORIGINS entry).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="")

# SMS to citizens (service_center/sms.py): a provider's HTTP API when SMS_GATEWAY_URL is set, else the log.
SERVICE_CENTER_SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SERVICE_CENTER_SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
SERVICE_CENTER_SMS_SENDER = env("SMS_GATEWAY_SENDER", default="")
SERVICE_CENTER_SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
SERVICE_CENTER_SMS_BACKEND = env(
    "SERVICE_CENTER_SMS_BACKEND",
    default="service_center.sms.HttpGatewayBackend"
    if SERVICE_CENTER_SMS_GATEWAY_URL
    else "service_center.sms.ConsoleBackend",
)
# Where service_center.sms.FileBackend writes one JSON file per message.
SERVICE_CENTER_SMS_FILE_PATH = env.path("SERVICE_CENTER_SMS_FILE_PATH", default=BASE_DIR / "sms_outbox")

# Celery: a Redis broker when REDIS_URL is set; otherwise tasks run eagerly in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# REDIS_KEY_PREFIX: put in front of every key the portal stores in Redis (several portals, or parallel test runs,
# on one Redis database).
REDIS_KEY_PREFIX = env("REDIS_KEY_PREFIX", default="")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
if REDIS_KEY_PREFIX:
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = REDIS_KEY_PREFIX
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # with acks_late: a worker holds one sweep at a time
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
# Beat: the reminder sweeps (pilot_portal/notifications/sweeps.py), in local time. REMINDERS_BEAT_SECONDS (for
# smoke tests) replaces every crontab by "every N seconds".
from celery.schedules import crontab  # noqa: E402

_beat_seconds = env.float("REMINDERS_BEAT_SECONDS", default=0)
CELERY_BEAT_SCHEDULE = {
    "reminders-office-hours": {
        "task": "pilot_portal.notifications.tasks.run_sweeps",
        "schedule": _beat_seconds or crontab(minute="*/15", hour="7-16"),
        "args": ("office_hours",),
        "options": {"expires": 14 * 60},
    },
    "reminders-hourly": {
        "task": "pilot_portal.notifications.tasks.run_sweeps",
        "schedule": _beat_seconds or crontab(minute=5, hour="6-21"),
        "args": ("hourly",),
        "options": {"expires": 55 * 60},
    },
    "notifications-retry-failed-emails": {
        "task": "pilot_portal.notifications.tasks.retry_failed_emails",
        "schedule": _beat_seconds or crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "core-purge-expired-counters": {
        "task": "pilot_portal.core.tasks.purge_expired_counters",
        "schedule": _beat_seconds or crontab(minute=30, hour=3),
        "options": {"expires": 6 * 60 * 60},
    },
    "campaigns-readiness-snapshot": {
        "task": "pilot_portal.campaigns.tasks.snapshot_readiness",
        "schedule": _beat_seconds or crontab(minute=55, hour=23),
        "options": {"expires": 60 * 60},
    },
    "notifications-daily-digest": {
        "task": "pilot_portal.notifications.tasks.send_daily_digests",
        "schedule": _beat_seconds or crontab(minute=0, hour=7),
        "options": {"expires": 6 * 60 * 60},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint (the PDF downloads) logs every rendering step at INFO and each ignored CSS rule at WARNING.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "WARNING"}},
}

# The REST API (/api/v1/): requests per token ("N/s", "N/min", "N/hour", "N/day"), counted in the Django cache.
API_RATE_LIMIT = env("API_RATE_LIMIT", default="120/min")
# Webhooks: seconds a receiver has to answer, first retry delay (doubled each time, at most an hour), attempts in all.
API_WEBHOOK_TIMEOUT = env.float("API_WEBHOOK_TIMEOUT", default=5.0)
API_WEBHOOK_RETRY_SECONDS = env.float("API_WEBHOOK_RETRY_SECONDS", default=30.0)
API_WEBHOOK_MAX_ATTEMPTS = env.int("API_WEBHOOK_MAX_ATTEMPTS", default=8)

PORTAL_VERSION = env("PORTAL_VERSION", default="0.1.0")
# How long the health check waits for the broker before calling it down.
HEALTHZ_BROKER_TIMEOUT = env.float("HEALTHZ_BROKER_TIMEOUT", default=1.0)
# Under the ASGI server: how long /healthz waits for each check (in its own threads) before calling it down.
HEALTHZ_TIMEOUT = env.float("HEALTHZ_TIMEOUT", default=2.0)
FORMAT_MODULE_PATH = ["pilot_portal.formats"]
AXES_VERBOSE = False
