"""The key administration pages: an institution's key administrator (and the system administrator)
lists, creates, edits, rotates and revokes the institution's API keys; the system administrator
also sets the legacy tokens' cut-off date. Thin adapters over the selectors and services.

A new key is shown once, in the answer to the POST that made it: never stored in the session,
never put in a URL, never shown again; that answer is not cached."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View

from portal.errors import AccessDenied, DomainError
from portal.views.base import apply_domain_error

from . import rules, selectors, services
from .forms import ApiKeyForm, ApiKeyRevokeForm, ApiKeyRotateForm, LegacyCutoffForm
from .models import KeyState
from .scopes import scope_label


def _refusal() -> str:
    return _("接口密钥页面仅限本机构的密钥管理员和系统管理员使用。密钥管理员由系统管理员指定；如需管理本机构的密钥，请联系系统管理员。")


class KeyAdministratorRequiredMixin(LoginRequiredMixin):
    """Signed in, and the key administrator of some institution or the system administrator."""

    admin_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.admin_only:
            if not selectors.is_system_administrator(request.user):
                raise PermissionDenied(_("旧式令牌的停用日期由系统管理员设置。"))
        elif not selectors.can_manage_keys(request.user):
            raise PermissionDenied(_refusal())
        return super().dispatch(request, *args, **kwargs)


def _key_row(key, now):
    state = key.state(now)
    return {
        "key": key, "state": state, "state_label": KeyState(state).label,
        "scopes": [scope_label(s) for s in key.scopes],
        "networks": rules.networks_text(key.allowed_networks).splitlines(),
        "editable": state == KeyState.ACTIVE,
        "revocable": state in (KeyState.ACTIVE, KeyState.ROTATING),
        "expiring_soon": state == KeyState.ACTIVE and (key.expiry_date - now).days < 30,
    }


def _scope_rows(form) -> list:
    """Each scope's checkbox with the endpoints it opens, in the order the form offers them."""
    return list(zip(form["scopes"], form.offered_scopes, strict=True))


def _show_key(request, key, plain, *, rotated_from=None):
    """The one answer that holds the full key."""
    response = render(request, "apikeys/key_shown.html", {
        "key": key, "plain": plain, "rotated_from": rotated_from,
        "scopes": [scope_label(s) for s in key.scopes],
        "networks": rules.networks_text(key.allowed_networks).splitlines(),
        "api_base": request.build_absolute_uri("/api/v1/"),
    })
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store"
    return response


class ApiKeyListView(KeyAdministratorRequiredMixin, View):
    def get(self, request):
        institutions = list(selectors.managed_institutions(request.user).order_by("kind", "code"))
        chosen = None
        wanted = request.GET.get("institution")
        if wanted:
            chosen = next((i for i in institutions if str(i.pk) == wanted), None)
        elif len(institutions) == 1:
            chosen = institutions[0]
        now = timezone.now()
        keys = selectors.api_key_list(user=request.user, institution=chosen)
        groups: dict = {}
        for key in keys:
            groups.setdefault(key.institution, []).append(_key_row(key, now))
        is_admin = selectors.is_system_administrator(request.user)
        policy = selectors.legacy_token_policy()
        return render(request, "apikeys/key_list.html", {
            "institutions": institutions, "chosen": chosen, "groups": groups,
            "single": len(institutions) == 1, "is_admin": is_admin, "policy": policy,
            "legacy_tokens": len(selectors.legacy_token_holders(user=request.user)),
            "default_rate": settings.APIKEYS_DEFAULT_RATE,
        })


class ApiKeyCreateView(KeyAdministratorRequiredMixin, View):
    def _institutions(self, request):
        institutions = selectors.managed_institutions(request.user).order_by("kind", "code")
        wanted = request.GET.get("institution") or request.POST.get("institution")
        if wanted:
            # Named in the address or the form: one of the user's institutions, or not found.
            fixed = institutions.filter(pk=wanted).first() if wanted.isdigit() else None
            if fixed is None:
                raise Http404
            return institutions, fixed
        return institutions, (institutions.first() if institutions.count() == 1 else None)

    def _form(self, request, data=None):
        institutions, fixed = self._institutions(request)
        # The scopes of the institution's kind when it was known before the form was filled (the address
        # names it, or the user has one); when it was chosen in the form, all of them, so that a scope of
        # the other kind is refused in words of the service, not as a vanished choice.
        known = fixed is not None and (request.GET.get("institution") or institutions.count() == 1)
        form = ApiKeyForm(data, institutions=None if fixed else institutions, kind=fixed.kind if known else None,
                          with_rate=selectors.is_system_administrator(request.user),
                          initial={"expires_on": services.default_expires_on()})
        return form, fixed

    def _render(self, request, form, fixed, status=200):
        return render(request, "apikeys/key_form.html", {
            "form": form, "institution": fixed, "creating": True, "scope_rows": _scope_rows(form)}, status=status)

    def get(self, request):
        form, fixed = self._form(request)
        return self._render(request, form, fixed)

    def post(self, request):
        form, fixed = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            institution = fixed or data.get("institution")
            try:
                key, plain = services.api_key_create(
                    acting_user=request.user, institution=institution, name=data["name"], scopes=data["scopes"],
                    expires_on=data["expires_on"], allowed_networks=data["allowed_networks"],
                    rate_limit=data.get("rate_limit"))
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                return _show_key(request, key, plain)
        return self._render(request, form, fixed, status=400)


class _KeyView(KeyAdministratorRequiredMixin, View):
    def key(self, request, prefix):
        return selectors.access_api_key(user=request.user, prefix=prefix)


class ApiKeyUpdateView(_KeyView):
    def _render(self, request, form, key, status=200):
        return render(request, "apikeys/key_form.html", {
            "form": form, "institution": key.institution, "key": key, "creating": False,
            "scope_rows": _scope_rows(form)}, status=status)

    def _form(self, request, key, data=None):
        return ApiKeyForm(data, kind=key.institution.kind, with_rate=selectors.is_system_administrator(request.user),
                          initial={"name": key.name, "scopes": key.scopes, "expires_on": key.expires_on,
                                   "allowed_networks": rules.networks_text(key.allowed_networks),
                                   "rate_limit": key.rate_limit})

    def get(self, request, prefix):
        key = self.key(request, prefix)
        if key.state() != KeyState.ACTIVE:
            messages.info(request, _("此密钥%(s)s，不能修改。") % {"s": key.state_label})
            return redirect("apikeys:list")
        return self._render(request, self._form(request, key), key)

    def post(self, request, prefix):
        key = self.key(request, prefix)
        form = self._form(request, key, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.api_key_update(
                    acting_user=request.user, key=key, name=data["name"], scopes=data["scopes"],
                    expires_on=data["expires_on"], allowed_networks=data["allowed_networks"],
                    rate_limit=data.get("rate_limit"), set_rate_limit="rate_limit" in form.fields)
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存密钥：%(k)s") % {"k": key})
                return redirect(f"{reverse('apikeys:list')}?institution={key.institution_id}")
        return self._render(request, form, key, status=400)


class ApiKeyRotateView(_KeyView):
    def _render(self, request, form, key, status=200):
        return render(request, "apikeys/key_rotate.html", {"form": form, "key": key}, status=status)

    def get(self, request, prefix):
        key = self.key(request, prefix)
        return self._render(request, ApiKeyRotateForm(), key)

    def post(self, request, prefix):
        key = self.key(request, prefix)
        form = ApiKeyRotateForm(request.POST)
        if form.is_valid():
            try:
                new, plain = services.api_key_rotate(acting_user=request.user, key=key,
                                                     overlap_days=form.cleaned_data["overlap_days"])
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                key.refresh_from_db()
                return _show_key(request, new, plain, rotated_from=key)
        return self._render(request, form, key, status=400)


class ApiKeyRevokeView(_KeyView):
    def _render(self, request, form, key, status=200):
        return render(request, "apikeys/key_revoke.html", {"form": form, "key": key}, status=status)

    def get(self, request, prefix):
        return self._render(request, ApiKeyRevokeForm(), self.key(request, prefix))

    def post(self, request, prefix):
        key = self.key(request, prefix)
        form = ApiKeyRevokeForm(request.POST)
        if form.is_valid():
            try:
                services.api_key_revoke(acting_user=request.user, key=key, reason=form.cleaned_data["reason"])
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已撤销密钥：%(k)s。使用它的请求从现在起一律拒绝。") % {"k": key})
                return redirect(f"{reverse('apikeys:list')}?institution={key.institution_id}")
        return self._render(request, form, key, status=400)


class LegacyTokenView(KeyAdministratorRequiredMixin, View):
    """The legacy tokens still issued and their cut-off date: the system administrator's page."""

    admin_only = True

    def _render(self, request, form, status=200):
        return render(request, "apikeys/legacy_tokens.html", {
            "form": form, "policy": selectors.legacy_token_policy(),
            "tokens": selectors.legacy_token_holders(user=request.user)}, status=status)

    def get(self, request):
        policy = selectors.legacy_token_policy()
        return self._render(request, LegacyCutoffForm(initial={"cutoff": policy.cutoff}))

    def post(self, request):
        form = LegacyCutoffForm(request.POST)
        if form.is_valid():
            try:
                policy = services.legacy_cutoff_set(acting_user=request.user, cutoff=form.cleaned_data["cutoff"])
            except AccessDenied as error:
                raise PermissionDenied(error.message) from None
            if policy.cutoff:
                messages.success(request, _("旧式令牌将自 %(d)s 起停用。") % {"d": policy.cutoff.isoformat()})
            else:
                messages.success(request, _("已取消旧式令牌的停用日期。"))
            return redirect("apikeys:legacy")
        return self._render(request, form, status=400)
