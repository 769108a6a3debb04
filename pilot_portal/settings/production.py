"""Production: PostgreSQL, Redis, real e-mail, secrets from the environment with no default."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_KEY_PREFIX, env, with_socket_timeouts

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer's health check speaks plain HTTP to the backend: /healthz answers it (200 or 503), not a 301.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache for every gunicorn process: CACHE_URL, else the broker's Redis (with connect and socket timeouts).
if not env("CACHE_URL", default="") and env("REDIS_URL", default=""):
    CACHES = {
        **CACHES,
        "default": with_socket_timeouts(
            {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": env("REDIS_URL"),
                "KEY_PREFIX": f"{REDIS_KEY_PREFIX}portal",
            }
        ),
    }
