"""The statement of an inquiry, under the inquiry's address (``/inquiries/<slug>/statement/``):
included at ``inquiries/`` beside ``inquiries.urls``, in a namespace of its own."""

from django.urls import path

from recommendations.views import statements as views

app_name = "statements"

urlpatterns = [
    path("<slug:slug>/statement/", views.statement_detail, name="statement-detail"),
    path("<slug:slug>/statement.pdf", views.statement_pdf, name="statement-pdf"),
    path("<slug:slug>/statement/edit/", views.statement_edit, name="statement-edit"),
    path("<slug:slug>/statement/build/", views.statement_build, name="statement-build"),
    path("<slug:slug>/statement/sections/new/", views.section_edit, name="section-create"),
    path(
        "<slug:slug>/statement/sections/<int:position>/",
        views.section_edit,
        name="section-edit",
    ),
    path("<slug:slug>/statement/publish/", views.statement_publish, name="statement-publish"),
    path("<slug:slug>/tracking-to-agenda/", views.tracking_to_agenda, name="tracking-to-agenda"),
]
