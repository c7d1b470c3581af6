from django.urls import path

from decisions import views_call_ins

app_name = "decisions"

urlpatterns: list = [
    # Filled by the pages of decisions, the forward plan and call-in.
    # Call-in: the request, the public list and timeline, and the officer's steps.
    path("decisions/<int:pk>/call-in/", views_call_ins.call_in_request, name="call-in-request"),
    path("call-ins/", views_call_ins.call_in_list, name="call-in-list"),
    path("call-ins/<int:pk>/", views_call_ins.call_in_detail, name="call-in-detail"),
    path("call-ins/<int:pk>/check/", views_call_ins.call_in_check, name="call-in-check"),
    path("call-ins/<int:pk>/schedule/", views_call_ins.call_in_schedule, name="call-in-schedule"),
    path("call-ins/<int:pk>/outcome/", views_call_ins.call_in_outcome, name="call-in-outcome"),
    path("call-ins/<int:pk>/council/", views_call_ins.call_in_council, name="call-in-council"),
    path("call-ins/<int:pk>/conclude/", views_call_ins.call_in_conclude, name="call-in-conclude"),
    path("call-ins/<int:pk>/withdraw/", views_call_ins.call_in_withdraw, name="call-in-withdraw"),
]
