"""The council's tracking categories: the vocabulary of the board's judgements, which any
scrutiny officer or clerk may change (it is the council's, not one board's: ``staff_required``).

A category a judgement has used is retired, never removed: the judgement keeps it, and the pages
still show it there. Every change is kept in the category's history (simple-history), shown on
its edit page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards.access import staff_required
from boards.views.common import STATUS_INVALID, apply_error
from recommendations import forms, services
from recommendations.models import TrackingCategory

LIST = "recommendations:category-list"

# How the history of a category names what changed.
FIELD_NAMES = {
    "name": "name",
    "description": "description",
    "colour": "colour",
    "ends_monitoring": "whether it ends monitoring",
    "position": "place in the order",
    "retired_at": "retired or brought back",
}


def _category(pk: int) -> TrackingCategory:
    return get_object_or_404(TrackingCategory.objects.with_use(), pk=pk)


@staff_required
@require_GET
def category_list(request: HttpRequest) -> HttpResponse:
    categories = list(TrackingCategory.objects.with_use())
    return render(
        request,
        "recommendations/category_list.html",
        {
            "offered": [c for c in categories if not c.is_retired],
            "retired": [c for c in categories if c.is_retired],
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def category_add(request: HttpRequest) -> HttpResponse:
    form = forms.TrackingCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.tracking_category_save(category=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"“{category.name}” added, last in the order.")
            return redirect(LIST)
    return render(
        request,
        "recommendations/category_form.html",
        {"form": form},
        status=STATUS_INVALID if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = _category(pk)
    form = forms.TrackingCategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.tracking_category_save(category=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"“{category.name}” saved.")
            return redirect(LIST)
    return render(
        request,
        "recommendations/category_form.html",
        {
            "form": form,
            # The form holds what was typed: the page names the category as it is saved.
            "category": _category(pk) if form.errors else category,
            "changes": _changes(category),
        },
        status=STATUS_INVALID if form.errors else 200,
    )


def _changes(category: TrackingCategory, limit: int = 20) -> list[dict]:
    """The category's latest changes, newest first: when, who, and what changed."""
    records = list(
        category.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    changes = []
    for newer, older in zip(records[:limit], [*records[1:], None], strict=False):
        if newer.history_type == "+":
            what = "Added"
        elif older is None:
            what = "Changed"  # made before its changes were kept: nothing earlier to compare
        else:
            delta = {change.field for change in newer.diff_against(older).changes}
            changed = [label for field, label in FIELD_NAMES.items() if field in delta]
            if not changed:
                continue
            what = f"Changed its {', '.join(changed)}"
        changes.append({"on": newer.history_date, "by": newer.history_user, "what": what})
    return changes


@staff_required
@require_POST
def category_move(request: HttpRequest, pk: int) -> HttpResponse:
    category = _category(pk)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        return HttpResponse("Choose up or down.", status=400)
    services.tracking_category_move(category=category, by=-1 if direction == "up" else 1)
    messages.success(request, f"“{category.name}” moved {direction}.")
    return redirect(LIST)


@staff_required
@require_http_methods(["GET", "POST"])
def category_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a category no judgement has used; one in use is offered to be retired instead."""
    category = _category(pk)
    error = ""
    if request.method == "POST":
        try:
            services.tracking_category_remove(category=category)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, f"“{category.name}” removed.")
            return redirect(LIST)
    return render(
        request,
        "recommendations/category_remove.html",
        {"category": category, "error": error},
        status=STATUS_INVALID if error else 200,
    )


@staff_required
@require_POST
def category_retire(request: HttpRequest, pk: int) -> HttpResponse:
    category = _category(pk)
    try:
        services.tracking_category_retire(category=category)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"“{category.name}” retired: it is no longer offered for new judgements, and the "
            "judgements recorded keep it.",
        )
    return redirect(LIST)


@staff_required
@require_POST
def category_restore(request: HttpRequest, pk: int) -> HttpResponse:
    category = _category(pk)
    services.tracking_category_restore(category=category)
    messages.success(request, f"“{category.name}” is offered for new judgements again.")
    return redirect(LIST)
