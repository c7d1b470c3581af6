from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("attention/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("<int:pk>/response/", views.response_edit, name="response-edit"),
    path("<int:pk>/updates/new/", views.update_add, name="update-add"),
    path("<int:pk>/judgements/new/", views.judgement_add, name="judgement-add"),
    path("new/<slug:slug>/", views.recommendation_add, name="recommendation-add"),
]
