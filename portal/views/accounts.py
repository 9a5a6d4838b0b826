"""Signing out: POST only (a link or a prefetch must not sign anyone out), but the address opened with
GET - a bookmark, the back button - asks to confirm instead of answering a bare 405."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render


class LogoutView(auth_views.LogoutView):
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return render(request, "registration/logout_confirm.html")
