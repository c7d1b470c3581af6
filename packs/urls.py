from django.urls import path

from packs import views

app_name = "packs"

urlpatterns = [
    path("meetings/<int:pk>/pack/<str:edition>/", views.pack_status, name="pack-status"),
    path("meetings/<int:pk>/pack/<str:edition>.pdf", views.pack_download, name="pack-download"),
    path("meetings/<int:pk>/pack/<str:edition>/build/", views.pack_build, name="pack-build"),
]
