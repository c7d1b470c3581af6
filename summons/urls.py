"""The summons' dispatch lists (built under issue 16, point 1)."""

from django.urls import path

from summons import views

app_name = "summons"

urlpatterns = [
    path("meetings/<int:pk>/summons/", views.dispatch_list, name="dispatch-list"),
    path("meetings/<int:pk>/summons.csv", views.dispatch_csv, name="dispatch-csv"),
    path("meetings/<int:pk>/summons/add/", views.recipient_add, name="recipient-add"),
    path(
        "meetings/<int:pk>/summons/others/<int:recipient>/remove/",
        views.recipient_remove,
        name="recipient-remove",
    ),
    path("summons/<int:pk>/resend/", views.dispatch_resend, name="dispatch-resend"),
    path("summons/<int:pk>/delivered/", views.dispatch_delivered, name="dispatch-delivered"),
]
