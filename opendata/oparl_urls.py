"""The OParl 1.1 API, included at ``api/oparl/``: the entry point is ``v1/`` (the System)."""

from django.urls import path

from opendata.views import oparl as views

app_name = "oparl"

urlpatterns = [
    path("v1/", views.system, name="system"),
    path("v1/body/", views.body_list, name="body-list"),
    path("v1/body/<int:pk>/", views.body, name="body"),
    path("v1/organization/", views.organization_list, name="organization-list"),
    path("v1/organization/<int:pk>/", views.organization, name="organization"),
    path(
        "v1/organization/<int:pk>/meeting/",
        views.organization_meeting_list,
        name="organization-meeting-list",
    ),
    path(
        "v1/organization/<int:pk>/inquiry/",
        views.organization_inquiry_list,
        name="organization-inquiry-list",
    ),
    path("v1/person/", views.person_list, name="person-list"),
    path("v1/person/<int:pk>/", views.person, name="person"),
    path("v1/membership/", views.membership_list, name="membership-list"),
    path("v1/membership/<int:pk>/", views.membership, name="membership"),
    path("v1/legislativeterm/", views.legislative_term_list, name="legislativeterm-list"),
    path("v1/legislativeterm/<int:pk>/", views.legislative_term, name="legislativeterm"),
    path("v1/location/", views.location_list, name="location-list"),
    path("v1/location/<int:pk>/", views.location, name="location"),
    path("v1/meeting/", views.meeting_list, name="meeting-list"),
    path("v1/meeting/<int:pk>/", views.meeting, name="meeting"),
    path("v1/agendaitem/", views.agenda_item_list, name="agendaitem-list"),
    path("v1/agendaitem/<int:pk>/", views.agenda_item, name="agendaitem"),
    path("v1/paper/", views.paper_list, name="paper-list"),
    path("v1/paper/<int:pk>/", views.paper, name="paper"),
    path("v1/paper/decision/<int:pk>/", views.paper_decision, name="paper-decision"),
    path("v1/consultation/", views.consultation_list, name="consultation-list"),
    path("v1/consultation/<int:pk>/", views.consultation, name="consultation"),
    path(
        "v1/consultation/call-in/<int:pk>/",
        views.consultation_call_in,
        name="consultation-call-in",
    ),
    path("v1/file/", views.file_list, name="file-list"),
    path("v1/file/paper/<int:pk>/", views.file_paper, name="file-paper"),
    path(
        "v1/file/paper/<int:pk>/download/",
        views.file_paper_download,
        name="file-paper-download",
    ),
    path("v1/file/minutes/<int:pk>/", views.file_minutes, name="file-minutes"),
    # The extension (docs/api.md): inquiries, recommendations, responses, tracking categories.
    path("v1/inquiry/", views.inquiry_list, name="inquiry-list"),
    path("v1/inquiry/<int:pk>/", views.inquiry, name="inquiry"),
    path(
        "v1/inquiry/<int:pk>/recommendation/",
        views.inquiry_recommendation_list,
        name="inquiry-recommendation-list",
    ),
    path("v1/recommendation/", views.recommendation_list, name="recommendation-list"),
    path("v1/recommendation/<int:pk>/", views.recommendation, name="recommendation"),
    path("v1/response/<int:pk>/", views.response, name="response"),
    path("v1/trackingcategory/", views.tracking_category_list, name="trackingcategory-list"),
    path("v1/trackingcategory/<int:pk>/", views.tracking_category, name="trackingcategory"),
    # Types and, for executive decisions and call-ins, the schemas of their scrutiny: properties.
    path("extension/1.0/<str:name>", views.extension_schema, name="extension-schema"),
]
