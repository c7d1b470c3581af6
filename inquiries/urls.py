from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list, name="inquiry-list"),
    path("new/<slug:slug>/", views.inquiry_create, name="inquiry-create"),
    path("work-schedule/<slug:slug>/", views.work_schedule, name="work-schedule"),
    path("work-schedule/<slug:slug>.pdf", views.work_schedule_pdf, name="work-schedule-pdf"),
    # A notice picked from the forward plan into a scrutiny board's work schedule.
    path("work-schedule/pick/<int:pk>/", views.work_schedule_pick, name="work-schedule-pick"),
    path("<slug:slug>/", views.inquiry_detail, name="inquiry-detail"),
    path("<slug:slug>/stage/", views.inquiry_stage, name="inquiry-stage"),
    path("<slug:slug>/terms/", views.inquiry_edit, name="inquiry-edit"),
    path("<slug:slug>/sessions/new/", views.session_create, name="session-create"),
    path("<slug:slug>/evidence/new/", views.evidence_add, name="evidence-add"),
    path(
        "<slug:slug>/evidence/<int:pk>/download/",
        views.evidence_download,
        name="evidence-download",
    ),
]
