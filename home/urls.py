from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("officer/", views.officer_home, name="officer-home"),
    path("clerk/", views.clerk_home, name="clerk-home"),
    path("councillor/", views.councillor_home, name="councillor-home"),
    path("administration/", views.administrator_home, name="administrator-home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
]
