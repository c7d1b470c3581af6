from django.urls import path

from decisions import views_forward_plan as forward_plan

app_name = "decisions"

urlpatterns: list = [
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
