"""Settings of the load test (``bench/load.py``): production, over plain HTTP on 127.0.0.1 with every client at
one address. TLS ends at the reverse proxy in a real deployment; here the cookies travel over HTTP, and the
per-address limits (which would count every simulated citizen and clerk as one) are out of the way."""

from pilot_portal.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SERVICE_CENTER_LOOKUP_LIMIT = 10**9
AXES_FAILURE_LIMIT = 10**6
