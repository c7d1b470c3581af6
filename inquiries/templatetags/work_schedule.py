"""What a notice of the forward plan shows of the work schedules: ``{% load work_schedule %}``
then ``{% pick_into_work_schedule notice %}``: the scrutiny boards that put the notice in their
work schedule, and for those who keep a scrutiny board's work schedule the form that puts it
in theirs (two queries at most)."""

from __future__ import annotations

from django import template

from decisions.models import ForwardPlanEntry
from inquiries import forms
from inquiries import work_schedule as schedule
from inquiries.models import WorkScheduleEntry

register = template.Library()


@register.inclusion_tag("inquiries/work_schedule_pick.html#pick-panel", takes_context=True)
def pick_into_work_schedule(context, notice: ForwardPlanEntry) -> dict:
    request = context["request"]
    picked = WorkScheduleEntry.objects.filter(forward_plan_entry=notice).select_related("board")
    form = None
    if notice.published_on is not None and notice.withdrawn_at is None:
        boards = schedule.boards_to_pick_into(request.user)
        if boards.exists():
            form = forms.WorkSchedulePickForm(boards=boards, initial=schedule.pick_initial(notice))
    return {
        "notice": notice,
        "picked": picked,
        "form": form,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
