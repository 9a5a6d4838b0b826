"""The admin site and the second factor.

django-otp's own admin pages (devices with their secrets, a QR code of anyone's authenticator) are
taken off the admin site, and the recovery codes (twofactor.models, kept hashed) never had one: a device
changed there would leave no audit row.
An administrator resets a user's second factor on the portal's page instead (twofactor:reset); the
user list of the admin site offers it as an action that leads there."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access import has_role
from portal.choices import Role

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.action(description=_("重置第二重验证"), permissions=["reset_second_factor"])
def reset_second_factor(modeladmin, request, queryset):
    """The reset asks for a reason and confirms one account at a time: this action leads to that page."""
    if queryset.count() != 1:
        modeladmin.message_user(request, _("请只选择一个账号：重置第二重验证要逐个填写原因。"), messages.WARNING)
        return None
    return redirect("twofactor:reset", pk=queryset.get().pk)


def _add_reset_action() -> None:
    # The user admin is portal's (portal/admin.py); the action is added to it here, so that the second
    # factor's code stays in this app.
    user_admin = admin.site.get_model_admin(get_user_model())
    user_admin.actions = [*(user_admin.actions or []), reset_second_factor]
    user_admin.has_reset_second_factor_permission = lambda request: has_role(request.user, Role.ADMIN)


_add_reset_action()
