from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list, name="inquiry-list"),
    path("new/<slug:slug>/", views.inquiry_create, name="inquiry-create"),
    path("work-schedule/<slug:slug>/", views.work_schedule, name="work-schedule"),
    path("work-schedule/<slug:slug>.pdf", views.work_schedule_pdf, name="work-schedule-pdf"),
    path("<slug:slug>/", views.inquiry_detail, name="inquiry-detail"),
    path("<slug:slug>/statement/", views.statement_detail, name="statement-detail"),
    path("<slug:slug>/statement.pdf", views.statement_pdf, name="statement-pdf"),
    path("<slug:slug>/stage/", views.inquiry_stage, name="inquiry-stage"),
    path("<slug:slug>/terms/", views.inquiry_edit, name="inquiry-edit"),
    path("<slug:slug>/sessions/new/", views.session_create, name="session-create"),
    path("<slug:slug>/evidence/new/", views.evidence_add, name="evidence-add"),
    path(
        "<slug:slug>/evidence/<int:pk>/download/",
        views.evidence_download,
        name="evidence-download",
    ),
    path("<slug:slug>/tracking-to-agenda/", views.tracking_to_agenda, name="tracking-to-agenda"),
    path("<slug:slug>/statement/edit/", views.statement_edit, name="statement-edit"),
    path("<slug:slug>/statement/build/", views.statement_build, name="statement-build"),
    path("<slug:slug>/statement/sections/new/", views.section_edit, name="section-create"),
    path(
        "<slug:slug>/statement/sections/<int:position>/",
        views.section_edit,
        name="section-edit",
    ),
    path("<slug:slug>/statement/publish/", views.statement_publish, name="statement-publish"),
]
