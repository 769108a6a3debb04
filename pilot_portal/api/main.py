"""The REST API: one NinjaAPI at /api/, version 1 under /api/v1/, its OpenAPI document and its docs page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from . import errors
from .auth import TokenAuth, TokenRateThrottle
from .endpoints import campaigns, council_sessions, dossiers, registry, statistics

DESCRIPTION = """
The pilot portal's data for the systems that already hold it (provincial one-stop systems, the ministry).

Every request carries a personal token, created on the page *Khóa API* (`/accounts/tokens/`):
`Authorization: Bearer pp_…`. The token acts as its user: the same scope (another unit's dossier is a 404) and the
same role (read-only roles get a 403 on writes) as on the screens. Times are ISO 8601 with the Vietnam offset
(+07:00), fees are integers in đồng, dossier statuses are the national codes 1-10.

Errors are JSON `{"detail": "..."}`; a 400 also lists `errors` field by field. Over the rate limit of a token: 429.
"""


class VendoredSwagger(Swagger):
    """Swagger UI from ``static/vendor/`` (see its README): the docs page loads nothing from a CDN."""

    template = "api/swagger.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {"swagger_settings": dict(self.settings), "api": api})


api = NinjaAPI(
    title="Pilot portal API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    docs=VendoredSwagger(settings={"persistAuthorization": False}),
    urls_namespace="api",
)
errors.install(api)
for module in (registry, dossiers, statistics, council_sessions, campaigns):
    api.add_router("/v1/", module.router)


def urlpatterns():
    """The API's URL patterns; none needs the portal's login session (a token authenticates each request)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns, app_name, namespace
