from django.conf import settings


def portal(request):
    return {"PORTAL_VERSION": settings.PORTAL_VERSION}
