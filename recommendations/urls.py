from django.urls import path

from recommendations.views import tracking as views

app_name = "recommendations"

urlpatterns = [
    path("attention/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("<int:pk>/response/", views.response_edit, name="response-edit"),
    path("<int:pk>/updates/new/", views.update_add, name="update-add"),
    path("<int:pk>/judgements/new/", views.judgement_add, name="judgement-add"),
    path("new/<slug:slug>/", views.recommendation_add, name="recommendation-add"),
    path("tracking/board/<slug:slug>/", views.board_tracking, name="board-tracking"),
    path("tracking/board/<slug:slug>.pdf", views.board_tracking_pdf, name="board-tracking-pdf"),
    path("tracking/inquiry/<slug:slug>/", views.inquiry_tracking, name="inquiry-tracking"),
    path(
        "tracking/inquiry/<slug:slug>.pdf",
        views.inquiry_tracking_pdf,
        name="inquiry-tracking-pdf",
    ),
]
