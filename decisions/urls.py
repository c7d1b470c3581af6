from django.urls import path

from decisions import views, views_call_ins
from decisions import views_forward_plan as forward_plan

app_name = "decisions"

urlpatterns: list = [
    # Executive decisions: the public list and pages, the staff's pages that record them.
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/new/", views.decision_create, name="decision-create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/report.pdf", views.decision_report, name="decision-report"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision-edit"),
    path("decisions/<int:pk>/publish/", views.decision_publish, name="decision-publish"),
    path("decisions/<int:pk>/exclude/", views.decision_exclude, name="decision-exclude"),
    path("decisions/<int:pk>/withdraw/", views.decision_withdraw, name="decision-withdraw"),
    path("meetings/<int:pk>/decisions/", views.meeting_decisions, name="meeting-decisions"),
    path(
        "meetings/<int:pk>/decisions/make/",
        views.meeting_decisions_make,
        name="meeting-decisions-make",
    ),
    # The council's call-in rules: administrators change them; everyone reads them in words.
    path("decisions/rules/", views.call_in_rules, name="call-in-rules"),
    path("decisions/how-call-in-works/", views.call_in_explained, name="call-in-explained"),
    # Call-in: the request, the public list and timeline, and the officer's steps.
    path("decisions/<int:pk>/call-in/", views_call_ins.call_in_request, name="call-in-request"),
    path("call-ins/", views_call_ins.call_in_list, name="call-in-list"),
    path("call-ins/<int:pk>/", views_call_ins.call_in_detail, name="call-in-detail"),
    path("call-ins/item/<int:pk>/", views_call_ins.call_in_of_item, name="call-in-of-item"),
    path("call-ins/<int:pk>/check/", views_call_ins.call_in_check, name="call-in-check"),
    path("call-ins/<int:pk>/schedule/", views_call_ins.call_in_schedule, name="call-in-schedule"),
    path("call-ins/<int:pk>/outcome/", views_call_ins.call_in_outcome, name="call-in-outcome"),
    path("call-ins/<int:pk>/council/", views_call_ins.call_in_council, name="call-in-council"),
    path("call-ins/<int:pk>/conclude/", views_call_ins.call_in_conclude, name="call-in-conclude"),
    path("call-ins/<int:pk>/withdraw/", views_call_ins.call_in_withdraw, name="call-in-withdraw"),
    # Filled by the pages of decisions, the forward plan and call-in.
    # The forward plan of key decisions: its page and PDF, each notice, and giving notice.
    path("forward-plan/", forward_plan.forward_plan, name="forward-plan"),
    path("forward-plan.pdf", forward_plan.forward_plan_pdf, name="forward-plan-pdf"),
    path("forward-plan/new/", forward_plan.forward_plan_create, name="forward-plan-create"),
    path("forward-plan/<int:pk>/", forward_plan.forward_plan_entry, name="forward-plan-entry"),
    path("forward-plan/<int:pk>/edit/", forward_plan.forward_plan_edit, name="forward-plan-edit"),
    path(
        "forward-plan/<int:pk>/publish/",
        forward_plan.forward_plan_publish,
        name="forward-plan-publish",
    ),
    path(
        "forward-plan/<int:pk>/withdraw/",
        forward_plan.forward_plan_withdraw,
        name="forward-plan-withdraw",
    ),
]
