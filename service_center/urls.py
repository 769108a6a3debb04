from django.urls import path

from . import report_views, views

app_name = "service_center"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("so-theo-doi/", report_views.tracking_book, name="book"),
    path("thong-ke/", report_views.statistics, name="statistics"),
    path("ho-so/<code:code>/", views.detail, name="detail"),
    path("ho-so/<code:code>/chuyen-trang-thai/", views.transition, name="transition"),
    path("ho-so/<code:code>/xin-loi/", views.apology, name="apology"),
    path("ho-so/<code:code>/ban-giao/", views.handover, name="handover"),
    path("ho-so/<code:code>/mau-<str:number>/", report_views.print_form, name="print"),
]
