from django.urls import path
from django.views.generic import RedirectView

from . import backlog_views, report_views, views

app_name = "service_center"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("intake/", views.intake, name="intake"),
    path("book/", report_views.tracking_book, name="book"),
    path("statistics/", report_views.statistics, name="statistics"),
    path("dossiers/<code:code>/", views.detail, name="detail"),
    path("dossiers/<code:code>/transition/", views.transition, name="transition"),
    path("dossiers/<code:code>/apology/", views.apology, name="apology"),
    path("dossiers/<code:code>/handover/", views.handover, name="handover"),
    path("dossiers/<code:code>/forms/<str:number>/", report_views.print_form, name="print"),
    path("backlog/import/", backlog_views.upload, name="backlog_import"),
    path("backlog/template.<str:fmt>", backlog_views.template, name="backlog_template"),
    path("backlog/import/<uuid:token>/", backlog_views.report, name="backlog_report"),
    path("backlog/import/<uuid:token>/confirm/", backlog_views.confirm, name="backlog_confirm"),
]


def _moved(pattern_name: str) -> RedirectView:
    return RedirectView.as_view(pattern_name=f"service_center:{pattern_name}", permanent=True, query_string=True)


# The addresses of the first version (Vietnamese paths), still in bookmarks and in notifications already sent:
# a GET is sent on to the same page; nothing is done by these addresses themselves.
urlpatterns += [
    path("tiep-nhan/", _moved("intake")),
    path("so-theo-doi/", _moved("book")),
    path("thong-ke/", _moved("statistics")),
    path("ho-so/<code:code>/", _moved("detail")),
    path("ho-so/<code:code>/mau-<str:number>/", _moved("print")),
]
