"""Subscriptions (signed in), and unsubscribing from an e-mail's signed link (no sign-in)."""

from django.urls import path

from follow import views

app_name = "follow"

urlpatterns = [
    path("subscriptions/", views.subscription_list, name="subscription-list"),
    path("follow/<str:kind>/<int:pk>/", views.subscribe, name="subscribe"),
    path("follow/<str:kind>/<int:pk>/stop/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/", views.unsubscribe_by_token, name="unsubscribe-token"),
]
