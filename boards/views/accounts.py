import datetime

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_GET

from boards.forms import SignInForm
from boards.models import Board, Meeting, Membership, Resolution
from boards.roles import Role, has_role, landing_url


def _today() -> datetime.date:
    return timezone.localdate()


def _boards_with_current_members(today: datetime.date):
    current = Q(memberships__starts_on__lte=today) & (
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)
    )
    return Board.objects.select_related("support_officer", "head_of_scrutiny").annotate(
        member_count=Count("memberships", filter=current)
    )


def _upcoming(**filters):
    """The next meetings whose agendas need attention (at most 25)."""
    return (
        Meeting.objects.for_list()
        .upcoming(timezone.now())
        .filter(**filters)
        .exclude(status=Meeting.Status.CANCELLED)[:25]
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    boards = Board.objects.only("name", "kind", "remit")
    return render(request, "boards/home.html", {"boards": boards})


@require_GET
@login_required
@permission_required("boards.prepare_meetings", raise_exception=True)
def officer_home(request: HttpRequest) -> HttpResponse:
    boards = _boards_with_current_members(_today()).supported_by(request.user)
    meetings = _upcoming(board__support_officer__user=request.user)
    actions = Resolution.objects.open_actions().filter(
        minute__board__support_officer__user=request.user
    )
    return render(
        request,
        "boards/officer_home.html",
        {"boards": boards, "meetings": meetings, "actions": actions},
    )


@require_GET
@login_required
@permission_required("boards.publish_agendas", raise_exception=True)
def clerk_home(request: HttpRequest) -> HttpResponse:
    boards = _boards_with_current_members(_today())
    return render(request, "boards/clerk_home.html", {"boards": boards, "meetings": _upcoming()})


@require_GET
@login_required
@permission_required("boards.read_member_papers", raise_exception=True)
def councillor_home(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.current(_today())
        .filter(person__user=request.user)
        .select_related("board")
        .prefetch_related(
            Prefetch(
                "board__memberships",
                queryset=Membership.objects.current(_today()).select_related(
                    "person", "person__ward"
                ),
                to_attr="current_members",
            )
        )
    )
    return render(request, "boards/councillor_home.html", {"memberships": memberships})


@require_GET
@login_required
def administrator_home(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.ADMINISTRATOR):
        raise PermissionDenied
    return render(request, "boards/administrator_home.html")


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("boards:home")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("accounts:password-changed")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_changed.html"
