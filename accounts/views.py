"""The second factor's pages: giving it after the password, setting one up (a passkey or an
authenticator app, and recovery codes), and "Account security" to manage them.

Passkeys are made and checked by django-otp-webauthn's JSON views (``otp_webauthn:``), driven
by its script; these pages hold the buttons it looks for."""

from __future__ import annotations

from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services
from accounts.forms import AppCodeForm, CodeForm
from accounts.passkeys import NEW_RECOVERY_CODES, issue_first_recovery_codes
from accounts.second_factor import (
    MUST_ENROL,
    has_any_device,
    is_verified,
    main_devices,
    may_change_devices,
    needs_second_factor,
    recovery_device,
)
from boards.access import acting_user
from boards.views.common import apply_error


def _next(request: HttpRequest) -> str:
    """Where to go once done: the page the person was making for, if it is one of ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: ``redirect`` would read any other word as a view's name.
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _has(model, user) -> bool:
    return model.objects.devices_for_user(user, confirmed=True).exists()


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: a passkey, the authenticator app's code, or a recovery code. A wrong
    code counts as a failed sign-in (django-axes' lockout), and django-otp slows guessing."""
    user = acting_user(request)
    next_url = _next(request)
    if is_verified(user) or not has_any_device(user):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            logout(request)
            return get_lockout_response(request, None, credentials)
        if form.is_valid():
            try:
                device = services.code_verify(user=user, code=form.cleaned_data["code"])
            except ValidationError as error:
                apply_error(form, error)
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
                if getattr(request, "axes_locked_out", False):
                    logout(request)  # django-axes' middleware answers with its lockout page
            else:
                otp_login(request, device)
                if (
                    isinstance(device, StaticDevice)
                    and needs_second_factor(user)
                    and not main_devices(user)
                ):
                    request.session[MUST_ENROL] = True
                    return redirect(_with_next("security:set-up", next_url))
                return redirect(next_url)
    return render(
        request,
        "accounts/second_factor_verify.html",
        {
            "form": form,
            "next": next_url,
            "has_passkey": _has(WebAuthnCredential, user),
            "has_app": _has(TOTPDevice, user),
        },
    )


@login_required
@require_http_methods(["GET"])
def set_up(request: HttpRequest) -> HttpResponse:
    """Choose a second factor: a passkey (made in the browser) or an authenticator app."""
    if not may_change_devices(request):
        return redirect(_with_next("security:verify", request.get_full_path()))
    user = acting_user(request)
    next_url = _next(request)
    return render(
        request,
        "accounts/second_factor_set_up.html",
        {
            "next": next_url,
            "passkey_done": _with_next("security:recovery-codes", next_url),
            "required": needs_second_factor(user) and not main_devices(user),
        },
    )


@login_required
@require_POST
def authenticator_app_start(request: HttpRequest) -> HttpResponse:
    if not may_change_devices(request):
        return redirect("security:verify")
    services.authenticator_app_start(user=acting_user(request))
    return redirect(_with_next("security:authenticator-app", _next(request)))


def _qr_code(device: TOTPDevice) -> SafeString:
    """The app's set-up address as an inline SVG (no script, no style: the CSP allows it)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, dark="#000", light="#fff", omitsize=False
    )
    labelled = svg.replace(
        "<svg ",
        '<svg role="img" aria-label="QR code to scan with your authenticator app" ',
        1,
    )
    return mark_safe(labelled)  # noqa: S308 - segno's own SVG, made from our own address


def _secret_in_groups(device: TOTPDevice) -> str:
    """The key for typing in by hand, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def authenticator_app(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key), then confirm with the code the app shows."""
    if not may_change_devices(request):
        return redirect("security:verify")
    user = acting_user(request)
    next_url = _next(request)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if device is None:
        return redirect(_with_next("security:set-up", next_url))
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.authenticator_app_confirm(
                device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            if not is_verified(user):
                otp_login(request, device)
            first = recovery_device(user) is None
            issue_first_recovery_codes(request, user)
            if first:
                return redirect(_with_next("security:recovery-codes", next_url))
            messages.success(request, "Authenticator app added.")
            return redirect(next_url)
    return render(
        request,
        "accounts/authenticator_app_set_up.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": _qr_code(device),
            "secret": _secret_in_groups(device),
        },
    )


@login_required
@require_http_methods(["GET"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown this once (they are not shown again)."""
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    if not codes:
        # Shown once only; a passkey added beside earlier codes brings no new ones.
        return redirect(_next(request))
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": _next(request)},
    )


@login_required
@require_http_methods(["GET"])
def account_security(request: HttpRequest) -> HttpResponse:
    """Someone's passkeys, authenticator apps and recovery codes: add, remove, renew."""
    if not may_change_devices(request):
        return redirect(_with_next("security:verify", request.get_full_path()))
    user = acting_user(request)
    devices = main_devices(user)
    recovery = recovery_device(user)
    here = reverse("security:account-security")
    return render(
        request,
        "accounts/account_security.html",
        {
            "passkeys": [d for d in devices if isinstance(d, WebAuthnCredential)],
            "apps": [d for d in devices if isinstance(d, TOTPDevice)],
            "recovery_left": recovery.token_set.count() if recovery else None,
            "required": needs_second_factor(user),
            "may_remove": len(devices) > 1 or not needs_second_factor(user),
            "here": here,
            "passkey_done": _with_next("security:recovery-codes", here),
        },
    )


DEVICE_KINDS = {"passkey": WebAuthnCredential, "app": TOTPDevice}


@login_required
@require_POST
def device_remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if not may_change_devices(request):
        return redirect("security:verify")
    user = acting_user(request)
    model = DEVICE_KINDS.get(kind)
    if model is None:
        return redirect("security:account-security")
    device = get_object_or_404(model.objects.devices_for_user(user, confirmed=True), pk=pk)
    try:
        services.device_remove(user=user, device=device)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = "Passkey" if kind == "passkey" else "Authenticator app"
        messages.success(request, f"{label} removed.")
    return redirect("security:account-security")


@login_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes in place of the old ones (after using some, or losing them)."""
    user = acting_user(request)
    if not is_verified(user) or not main_devices(user):
        return redirect("security:account-security")
    request.session[NEW_RECOVERY_CODES] = services.recovery_codes_issue(user=user)
    return redirect(_with_next("security:recovery-codes", reverse("security:account-security")))
