from django.urls import path

from accounts import views

app_name = "security"

urlpatterns = [
    path("second-factor/", views.verify, name="verify"),
    path("second-factor/set-up/", views.set_up, name="set-up"),
    path(
        "second-factor/set-up/app/start/",
        views.authenticator_app_start,
        name="authenticator-app-start",
    ),
    path("second-factor/set-up/app/", views.authenticator_app, name="authenticator-app"),
    path("second-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("security/", views.account_security, name="account-security"),
    path(
        "security/<str:kind>/<int:pk>/remove/",
        views.device_remove,
        name="device-remove",
    ),
    path("security/recovery-codes/new/", views.recovery_codes_new, name="recovery-codes-new"),
]
