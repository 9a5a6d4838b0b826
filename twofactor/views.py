"""The second factor's pages: enrolment (QR code, secret, first code, then the recovery codes once),
the code page after the password, the user's account security page, and the administrator's list of
accounts with the reset. Thin adapters over twofactor.services."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, RedirectView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access import has_role
from portal.accounts import display_name, role_names
from portal.choices import Role
from portal.errors import DomainError

from . import rules, selectors, services
from .forms import CodeForm, ResetForm, UserSearchForm

PENDING_KEY = "twofactor_pending_key"  # the secret shown on the enrolment page, until confirmed
FRESH_CODES = "twofactor_fresh_codes"  # recovery codes just made, shown (and downloadable) until dismissed


def safe_next(request, value: str | None, default: str = "home") -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return value
    return reverse(default)


def signing_in(request) -> bool:
    """Whether this session is between the password and the second factor."""
    user = request.user
    return user.is_authenticated and not user.is_verified() and selectors.second_factor_needed(user)


def half_signed_in_context(request) -> dict:
    """Before the second factor the menu offers nothing the gate would refuse: no entries, no user menu
    (signing out and the language stay)."""
    return {"nav_menu": [], "user_menu": []} if signing_in(request) else {}


def mark_verified(request, device) -> None:
    """The session has passed the second factor: a new session key for the raised privilege, and the
    device in it (django-otp)."""
    request.session.cycle_key()
    otp_login(request, device)


def qr_svg(config_url: str) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn here: no image service, no data: URI."""
    code = segno.make(config_url, error="l")  # on a screen, not paper: the lowest correction, larger modules
    return mark_safe(code.svg_inline(scale=5, border=2, dark="#000", light="#fff",  # noqa: S308 - segno's own markup
                                     svgclass="twofactor-qr-svg", title=_("用验证器应用扫描的二维码")))


# Enrolment --------------------------------------------------------------------------------------------


class SetupView(LoginRequiredMixin, View):
    """Bind an authenticator: a first one (on the first sign-in of a user who must, or by choice), or a
    new one in place of the old (a verified session only)."""

    template_name = "twofactor/setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_verified() \
                and selectors.authenticator_get(request.user) is not None:
            # Someone holding only the password must not bind their own phone over the owner's.
            return redirect(f"{reverse('twofactor:verify')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def pending_key(self, request) -> str:
        key = request.session.get(PENDING_KEY)
        if not key:
            key = services.new_secret()
            request.session[PENDING_KEY] = key
        return key

    def render_page(self, request, form, status=200):
        key = self.pending_key(request)
        device = TOTPDevice(user=request.user, key=key)
        secret = rules.hex_to_base32(key)
        context = {
            "form": form, "qr": qr_svg(device.config_url), "secret": rules.group_secret(secret),
            "replacing": selectors.authenticator_get(request.user) is not None,
            "required": selectors.second_factor_required(request.user),
            "next": safe_next(request, request.POST.get("next") or request.GET.get("next"), "twofactor:security"),
            "username": request.user.get_username(), "signing_in": signing_in(request),
            **half_signed_in_context(request),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page(request, CodeForm(recovery=False))

    def post(self, request):
        form = CodeForm(request.POST, recovery=False)
        if form.is_valid():
            try:
                enrolment = services.authenticator_enrol(user=request.user, key_hex=self.pending_key(request),
                                                         code=form.cleaned_data["code"])
            except DomainError as exc:
                form.add_error("code", str(exc.message))
            else:
                request.session.pop(PENDING_KEY, None)
                mark_verified(request, enrolment.device)
                target = safe_next(request, request.POST.get("next"), "twofactor:security")
                if enrolment.recovery_codes:
                    request.session[FRESH_CODES] = enrolment.recovery_codes
                    return redirect(f"{reverse('twofactor:recovery_codes')}?{_query(next=target)}")
                messages.success(request, _("已更换手机验证器，原来的验证器不再有效。"))
                return redirect(target)
        return self.render_page(request, form)


def _query(**params) -> str:
    return urlencode(params)


# The code page ----------------------------------------------------------------------------------------


class VerifyView(LoginRequiredMixin, View):
    """After the password: a code from the authenticator, or a recovery code."""

    template_name = "twofactor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            target = safe_next(request, request.POST.get("next") or request.GET.get("next"))
            if request.user.is_verified() or not selectors.second_factor_needed(request.user):
                return redirect(target)
            if selectors.authenticator_get(request.user) is None:
                return redirect(f"{reverse('twofactor:setup')}?{_query(next=target)}")
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, form):
        context = {"form": form, "next": safe_next(request, request.POST.get("next") or request.GET.get("next")),
                   "username": request.user.get_username(), **half_signed_in_context(request)}
        return render(request, self.template_name, context)

    def get(self, request):
        return self.render_page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            check = services.second_factor_check(user=request.user, code=form.cleaned_data["code"])
            if check.ok:
                mark_verified(request, check.device)
                if check.kind == "recovery":
                    text = _("已使用一个恢复码，还剩 %(n)d 个。") % {"n": check.recovery_left}
                    if check.recovery_left <= rules.RECOVERY_CODES_LOW:
                        text += _("请尽快在“账号安全”页重新生成恢复码；手机丢失时请更换验证器。")
                    messages.warning(request, text)
                return redirect(safe_next(request, request.POST.get("next")))
            form.add_error("code", check.message)
        return self.render_page(request, form)


# Recovery codes shown once ----------------------------------------------------------------------------


class RecoveryCodesView(LoginRequiredMixin, View):
    """The recovery codes just made: shown until the user says they are kept, never again after."""

    template_name = "twofactor/recovery_codes.html"

    def get(self, request):
        codes = request.session.get(FRESH_CODES)
        if not codes:
            messages.info(request, _("恢复码只在生成时显示一次。如已遗失，可重新生成一组。"))
            return redirect("twofactor:security")
        return render(request, self.template_name, {
            "codes": [rules.format_recovery_code(c) for c in codes],
            "next": safe_next(request, request.GET.get("next"), "twofactor:security"),
        })

    def post(self, request):
        request.session.pop(FRESH_CODES, None)
        return redirect(safe_next(request, request.POST.get("next"), "twofactor:security"))


class RecoveryCodesDownloadView(LoginRequiredMixin, View):
    def get(self, request):
        codes = request.session.get(FRESH_CODES)
        if not codes:
            messages.info(request, _("恢复码只在生成时显示一次。如已遗失，可重新生成一组。"))
            return redirect("twofactor:security")
        lines = [
            _("党建+服务门户 · 恢复码"),
            _("账号：%(username)s") % {"username": request.user.get_username()},
            _("生成时间：%(at)s") % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
            _("手机不在身边时，在输入验证码处输入其中一个。每个恢复码只能用一次。"),
            "",
            *(rules.format_recovery_code(c) for c in codes),
            "",
        ]
        response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
        filename = f"recovery-codes-{request.user.get_username()}.txt"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        response["Cache-Control"] = "no-store"
        return response


# Account security -------------------------------------------------------------------------------------


def security_page(request, *, regenerate_form=None, turn_off_form=None, status=200):
    user = request.user
    context = {
        "status": selectors.second_factor_status(user),
        "regenerate_form": regenerate_form or CodeForm(prefix="regenerate", compact=True),
        "turn_off_form": turn_off_form or CodeForm(prefix="turn_off", compact=True),
        "recovery_total": rules.RECOVERY_CODE_COUNT,
        "roles": role_names(user),
    }
    return render(request, "twofactor/security.html", context, status=status)


class SecurityView(LoginRequiredMixin, View):
    def get(self, request):
        return security_page(request)


class RegenerateView(LoginRequiredMixin, View):
    def get(self, request):
        return redirect("twofactor:security")

    def post(self, request):
        form = CodeForm(request.POST, prefix="regenerate", compact=True)
        if form.is_valid():
            try:
                codes = services.recovery_codes_regenerate(user=request.user, code=form.cleaned_data["code"])
            except DomainError as exc:
                if exc.field != "code":
                    messages.error(request, exc.message)
                    return redirect("twofactor:security")
                form.add_error("code", str(exc.message))
            else:
                request.session[FRESH_CODES] = codes
                return redirect(f"{reverse('twofactor:recovery_codes')}?{_query(next=reverse('twofactor:security'))}")
        return security_page(request, regenerate_form=form)


class TurnOffView(LoginRequiredMixin, View):
    def get(self, request):
        return redirect("twofactor:security")

    def post(self, request):
        form = CodeForm(request.POST, prefix="turn_off", compact=True)
        if form.is_valid():
            try:
                services.second_factor_turn_off(user=request.user, code=form.cleaned_data["code"])
            except DomainError as exc:
                if exc.field != "code":  # not allowed at all (a required role): said above the page
                    messages.error(request, exc.message)
                    return redirect("twofactor:security")
                form.add_error("code", str(exc.message))
            else:
                messages.success(request, _("已关闭第二重验证：登录只需密码。"))
                return redirect("twofactor:security")
        return security_page(request, turn_off_form=form)


# The administrator's list and reset -------------------------------------------------------------------


class AdminOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user, Role.ADMIN):
            raise PermissionDenied(_("只有系统管理员可以查看和重置账号的第二重验证。"))
        return super().dispatch(request, *args, **kwargs)


class AccountListView(AdminOnlyMixin, ListView):
    template_name = "twofactor/account_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.search_form = UserSearchForm(self.request.GET)
        search = self.search_form.cleaned_data["q"] if self.search_form.is_valid() else ""
        return selectors.account_list(search=search)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        required = selectors.required_roles()
        rows = []
        for user in context["object_list"]:
            roles = {a.role for a in user.role_assignments.all()}
            rows.append({
                "user": user, "name": display_name(user), "roles": role_names(user),
                "required": rules.second_factor_required(
                    roles=roles, is_staff=user.is_staff, is_superuser=user.is_superuser, required_roles=required,
                    staff_required=settings.PORTAL_SECOND_FACTOR_FOR_STAFF),
                "may_reset": services.can_reset_second_factor(self.request.user, user),
            })
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(rows=rows, search_form=self.search_form, query_string=query.urlencode())
        return context


class ResetView(AdminOnlyMixin, View):
    template_name = "twofactor/reset.html"

    def target(self, pk):
        return get_object_or_404(get_user_model(), pk=pk)

    def render_page(self, request, target, form, status=200):
        return render(request, self.template_name, {
            "target": target, "name": display_name(target), "form": form, "roles": role_names(target),
            "status": selectors.second_factor_status(target),
            "own": target.pk == request.user.pk,
        }, status=status)

    def get(self, request, pk):
        return self.render_page(request, self.target(pk), ResetForm())

    def post(self, request, pk):
        target = self.target(pk)
        form = ResetForm(request.POST)
        if form.is_valid():
            try:
                services.second_factor_reset(actor=request.user, user=target, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("已重置 %(name)s 的第二重验证：其下次登录时重新绑定验证器。")
                                 % {"name": display_name(target)})
                return redirect("twofactor:account_list")
        return self.render_page(request, target, form)


class AdminLoginRedirectView(RedirectView):
    """The admin site's login page: the portal's login instead (then the second factor), keeping ?next=."""

    pattern_name = "login"
    query_string = True
    http_method_names = ["get", "head"]
