from django.urls import path

from . import views

app_name = "sessions"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("calendar/", views.session_calendar, name="calendar"),
    path("new/", views.session_create, name="create"),
    path("files/<int:version_pk>/", views.document_download, name="document_download"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/agenda/", views.agenda_edit, name="agenda"),
    path("<int:pk>/status/", views.session_transition, name="transition"),
    path("<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_pk>/upload/", views.document_version_add, name="document_version_add"),
    path("<int:pk>/documents/<int:document_pk>/ready/", views.document_ready, name="document_ready"),
    path("<int:pk>/documents/<int:document_pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/documents/<int:document_pk>/remove/", views.document_remove, name="document_remove"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/participants/<int:participant_pk>/edit/", views.participant_edit, name="participant_edit"),
    path("<int:pk>/participants/<int:participant_pk>/remove/", views.participant_remove, name="participant_remove"),
    path("<int:pk>/outcomes/new/", views.outcome_add, name="outcome_add"),
    path("<int:pk>/outcomes/<int:outcome_pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path("<int:pk>/outcomes/<int:outcome_pk>/remove/", views.outcome_remove, name="outcome_remove"),
    path("<int:pk>/viewers/", views.viewers, name="viewers"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("<int:pk>/live/", views.live_page, name="live"),
    path("<int:pk>/live/state.json", views.live_state, name="live_state"),
    path("<int:pk>/live/events/", views.live_events, name="live_events"),
    path("<int:pk>/run/", views.run_of_show, name="run"),
    path("<int:pk>/run/<int:item_pk>/speak/", views.speech_start, name="speech_start"),
    path("<int:pk>/run/speeches/<int:speech_pk>/stop/", views.speech_stop, name="speech_stop"),
    path("<int:pk>/run/<int:item_pk>/<str:action>/", views.item_timer, name="item_timer"),
    path("<int:pk>/close/", views.session_close, name="close"),
    path("<int:pk>/minutes-file/", views.minutes_download, name="minutes_download"),
    path("<int:pk>/programme/", views.programme_print, name="programme"),
    path("<int:pk>/minutes/", views.minutes_print, name="minutes"),
    path("<int:pk>/invitations/", views.invitations_print, name="invitations"),
]
# The official documents as Word files and PDF: sessions:programme_docx, sessions:minutes_pdf, ...
urlpatterns += [
    path(f"<int:pk>/{name}.{fmt}", views.official_document, {"name": name, "fmt": fmt}, name=f"{name}_{fmt}")
    for name in ("programme", "invitations", "minutes", "resolutions")
    for fmt in ("docx", "pdf")
]
