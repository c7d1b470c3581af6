from django.urls import path

from recommendations.views import categories
from recommendations.views import tracking as views

app_name = "recommendations"

urlpatterns = [
    path("attention/", views.dashboard, name="dashboard"),
    # The council's tracking categories: any officer or clerk.
    path("categories/", categories.category_list, name="category-list"),
    path("categories/new/", categories.category_add, name="category-add"),
    path("categories/<int:pk>/edit/", categories.category_edit, name="category-edit"),
    path("categories/<int:pk>/move/", categories.category_move, name="category-move"),
    path("categories/<int:pk>/remove/", categories.category_remove, name="category-remove"),
    path("categories/<int:pk>/retire/", categories.category_retire, name="category-retire"),
    path("categories/<int:pk>/restore/", categories.category_restore, name="category-restore"),
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
