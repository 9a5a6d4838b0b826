"""The signed-in devices page: a user sees their own sessions and ends them. Thin: the selectors
decide what is theirs, the services end."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.views.base import RoleRequiredMixin

from . import selectors, services, tracking


class UserSessionListView(RoleRequiredMixin, TemplateView):
    template_name = "logins/session_list.html"

    def get_context_data(self, **kwargs):
        active, ended = selectors.user_session_list(user=self.request.user,
                                                    current_id=self.request.session.get(tracking.RECORD))
        return super().get_context_data(
            active=active, ended=ended, others=sum(1 for row in active if not row.current),
            idle_minutes=settings.SESSION_COOKIE_AGE // 60, history_days=selectors.HISTORY_DAYS, **kwargs)


class UserSessionEndView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        record = selectors.access_user_session(user=request.user, pk=pk)
        if record.pk == request.session.get(tracking.RECORD):
            messages.error(request, _("这是您正在使用的会话；要结束它，请退出登录。"))
        elif services.user_session_end(session_id=record.pk, actor=request.user):
            messages.success(request, _("已结束 %(device)s 上的会话，该设备需要重新登录。")
                             % {"device": record.device or _("未知设备")})
        else:
            messages.info(request, _("该会话已经结束。"))
        return redirect("logins:list")


class UserSessionEndOthersView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        count = services.user_session_end_others(user=request.user, keep_id=request.session.get(tracking.RECORD),
                                                 actor=request.user)
        if count:
            messages.success(request, _("已结束其他 %(n)d 个设备上的会话。") % {"n": count})
        else:
            messages.info(request, _("没有其他设备上的会话。"))
        return redirect("logins:list")
