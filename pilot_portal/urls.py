from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from pilot_portal.api.main import urlpatterns as api_urlpatterns
from pilot_portal.campaigns.views import home
from pilot_portal.core.health import healthz

admin.site.site_header = _("Pilot portal administration")
admin.site.site_title = _("Pilot portal")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/tokens/", include("pilot_portal.api.urls")),
    path("accounts/", include("pilot_portal.accounts.urls")),
    # urls:api
    path("api/", api_urlpatterns()),
    path("units/", include("units.urls")),
    # urls:campaigns
    path("campaigns/", include("pilot_portal.campaigns.urls")),
    # urls:sessions
    path("sessions/", include("sessions.urls")),
    # urls:service_center
    path("service-center/", include("service_center.urls")),
    path("tra-cuu/", include("service_center.public_urls")),
    # urls:notifications
    path("notifications/", include("pilot_portal.notifications.urls")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
