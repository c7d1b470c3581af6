from django.urls import path

from transfer import views

app_name = "transfer"

urlpatterns = [
    path("imports/", views.import_list, name="import-list"),
    path("imports/new/", views.import_start, name="import-start"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/again/", views.import_again, name="import-again"),
]
