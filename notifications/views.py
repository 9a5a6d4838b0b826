"""The notification centre's pages: the list (newest first, unread marked), marking read, and the
channels a user wants per kind of event. Thin: every read is the user's own (selectors), every write a
service."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.views.base import RoleRequiredMixin

from . import selectors, services
from .choices import OPTIONAL_CHANNELS, Kind
from .models import Notification

PAGE_SIZE = 20


def _back(request, default: str = "notifications:list"):
    """Back to the page the form was on (the same page of the list), never off the site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


class NotificationListView(RoleRequiredMixin, TemplateView):
    template_name = "notifications/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = Paginator(selectors.notification_list(user=user), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, notifications=page.object_list,
                                        unread=selectors.notification_unread_count(user=user), **kwargs)


class NotificationReadView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            services.notification_mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist:
            raise Http404 from None
        return _back(request)


class NotificationReadAllView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        count = services.notification_mark_all_read(user=request.user)
        if count:
            messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
        else:
            messages.info(request, _("没有未读通知。"))
        return _back(request)


class NotificationPreferencesView(RoleRequiredMixin, TemplateView):
    template_name = "notifications/preferences.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=selectors.preference_table(user=self.request.user),
                                        channels=OPTIONAL_CHANNELS, **kwargs)

    def post(self, request):
        chosen = {(kind, channel) for kind in Kind.values for channel in OPTIONAL_CHANNELS
                  if request.POST.get(f"{kind}:{channel}")}
        services.notification_preferences_set(user=request.user, chosen=chosen)
        messages.success(request, _("通知设置已保存。"))
        return redirect("notifications:preferences")
