from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<code:code>/", views.unit_detail, name="detail"),
    path("<code:code>/directory/", views.directory_edit, name="directory"),
]
