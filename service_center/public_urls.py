from django.urls import path

from . import public_views

app_name = "lookup"
urlpatterns = [path("", public_views.lookup, name="lookup")]
