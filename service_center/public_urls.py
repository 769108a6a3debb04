from django.urls import path

from . import public_views, rating_views

app_name = "lookup"
urlpatterns = [
    path("", public_views.lookup, name="lookup"),
    path("danh-gia/<code:code>/", rating_views.rate, name="rate"),
]
