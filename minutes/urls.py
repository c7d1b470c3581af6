from django.urls import path

from minutes import people_views, views

app_name = "minutes"

urlpatterns = [
    # Everyone, through the visibility rule.
    path("meetings/<int:pk>/minutes/", views.minutes_detail, name="minutes-detail"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("boards/<slug:slug>/attendance/", views.attendance_figures, name="attendance-figures"),
    path("subjects/<slug:slug>/", views.subject_detail, name="subject-detail"),
    path("subjects/<slug:slug>.pdf", views.subject_pdf, name="subject-pdf"),
    # The record seen per person, through the visibility rule.
    path("people/", people_views.councillor_list, name="councillor-list"),
    path("people/<int:pk>/", people_views.councillor_detail, name="councillor-detail"),
    path("declarations/", people_views.declaration_register, name="declaration-register"),
    path("attendance/", people_views.attendance_report, name="attendance-report"),
    path("attendance.pdf", people_views.attendance_report_pdf, name="attendance-report-pdf"),
    # The minute-taker's console.
    path("meetings/<int:pk>/console/", views.minutes_console, name="minutes-console"),
    path(
        "meetings/<int:pk>/console/choose/<slug:kind>/",
        views.console_choose,
        name="console-choose",
    ),
    path("meetings/<int:pk>/console/times/", views.minutes_times, name="minutes-times"),
    path("meetings/<int:pk>/console/attendance/", views.attendance_save, name="attendance-save"),
    path("meetings/<int:pk>/console/attendees/", views.attendee_add, name="attendee-add"),
    path("attendances/<int:pk>/remove/", views.attendee_remove, name="attendee-remove"),
    path(
        "meetings/<int:pk>/console/declarations/",
        views.declaration_add,
        name="declaration-add",
    ),
    path("declarations/<int:pk>/remove/", views.declaration_remove, name="declaration-remove"),
    path("meetings/<int:pk>/console/movements/", views.movement_add, name="movement-add"),
    path("movements/<int:pk>/remove/", views.movement_remove, name="movement-remove"),
    path("meetings/<int:pk>/console/adjournments/", views.adjournment_add, name="adjournment-add"),
    path(
        "meetings/<int:pk>/console/chair-changes/",
        views.chair_change_add,
        name="chair-change-add",
    ),
    path("events/<int:pk>/remove/", views.meeting_event_remove, name="meeting-event-remove"),
    path("meetings/<int:pk>/console/minutes/", views.minute_take, name="minute-take"),
    path("meetings/<int:pk>/console/approve/", views.minutes_approve, name="minutes-approve"),
    path("meetings/<int:pk>/console/release/", views.minutes_release, name="minutes-release"),
    path("minutes/<int:pk>/save/", views.minute_save, name="minute-save"),
    path("minutes/<int:pk>/edit/", views.minute_edit, name="minute-edit"),
    path("minutes/<int:pk>/withdraw/", views.minute_withdraw, name="minute-withdraw"),
    path("minutes/<int:pk>/history/", views.minute_history, name="minute-history"),
    path(
        "minutes/<int:pk>/history/<int:history_id>/restore/",
        views.minute_restore,
        name="minute-restore",
    ),
    path("minutes/<int:pk>/resolutions/", views.resolution_add, name="resolution-add"),
    path("minutes/<int:pk>/resolutions/new/", views.resolution_form, name="resolution-form"),
    path("minutes/<int:pk>/decision/", views.decision_save, name="decision-save"),
    path("minutes/<int:pk>/decision/remove/", views.decision_remove, name="decision-remove"),
    path("resolutions/<int:pk>/remove/", views.resolution_remove, name="resolution-remove"),
    path("resolutions/<int:pk>/done/", views.action_done, name="action-done"),
]
