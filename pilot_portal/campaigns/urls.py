from django.urls import path

from . import issue_views, plan_views, views, wave_views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_index, name="index"),
    path("national/", views.national_overview, name="national"),
    path("national.xlsx", views.national_overview_xlsx, name="national_xlsx"),
    path("national/map.svg", views.national_map, name="national_map"),
    path("<int:pk>/", views.campaign_dashboard, name="dashboard"),
    path("<int:pk>/issues/", issue_views.issue_list, name="issues"),
    path("<int:pk>/plan/", plan_views.campaign_plan, name="plan"),
    path("<int:pk>/plan/waves/", wave_views.wave_units, name="wave_units"),
    path("<int:pk>/late/", views.late_items, name="late"),
    path("<int:pk>/report/", views.review_report, name="report"),
    path("<int:pk>/report.xlsx", views.review_report_xlsx, name="report_xlsx"),
    path("units/<int:pk>/", views.unit_page, name="unit"),
    path("units/<int:pk>/status/", views.unit_transition, name="unit_transition"),
    path("units/<int:pk>/go-live/", views.unit_go_live, name="unit_go_live"),
    path("units/<int:pk>/remind/", views.unit_remind, name="unit_remind"),
    path("units/<int:pk>/issues/new/", issue_views.issue_create, name="issue_create"),
    path("items/<int:pk>/", views.item_update, name="item"),
    path("items/<int:pk>/evidence/", views.item_evidence, name="item_evidence"),
    path("issues/<int:pk>/", issue_views.issue_detail, name="issue"),
    path("issues/<int:pk>/reply/", issue_views.issue_reply, name="issue_reply"),
]
