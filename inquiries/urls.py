from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list, name="inquiry-list"),
    path("new/<slug:slug>/", views.inquiry_create, name="inquiry-create"),
    path("work-schedule/<slug:slug>/", views.work_schedule, name="work-schedule"),
    path("work-schedule/<slug:slug>.pdf", views.work_schedule_pdf, name="work-schedule-pdf"),
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
