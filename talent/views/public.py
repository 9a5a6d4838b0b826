"""The public progress page: no login. A talent types the application's reference and the last six
characters of the ID number and sees the state, the item and the dates — no names, no amounts.
A wrong combination gets one neutral message whatever was wrong; tries are limited per address."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from portal.errors import DomainError
from portal.middleware import current_client_ip

from .. import services
from ..forms import ProgressForm

NOT_FOUND = "not_found"


@method_decorator(never_cache, name="dispatch")
class ProgressView(View):
    template_name = "talent/progress.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ProgressForm()})

    def post(self, request):
        form = ProgressForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        if data["website"]:
            # A robot: answer as to anyone who guessed wrong, and look nothing up.
            return render(request, self.template_name, {"form": ProgressForm(), "outcome": NOT_FOUND})
        try:
            application = services.benefit_progress_lookup(reference=data["reference"], id_tail=data["id_tail"],
                                                           ip=current_client_ip())
        except DomainError as error:
            return render(request, self.template_name, {"form": form, "refused": error.message}, status=429)
        if application is None:
            return render(request, self.template_name, {"form": ProgressForm(), "outcome": NOT_FOUND})
        return render(request, self.template_name, {"form": ProgressForm(), "found": progress_of(application)})


def progress_of(application) -> dict:
    """All the page shows of an application: nothing that names the talent or the employer, no amount."""
    def day(moment):
        return timezone.localtime(moment).date() if moment else None

    return {
        "reference": application.reference,
        "status": application.status,
        "status_label": application.get_status_display(),
        "item": application.item.name,
        "category": application.item.get_category_display(),
        "submitted_on": day(application.submitted_at),
        "decided_on": day(application.decided_at),
        "withdrawn_on": day(application.closed_at),
    }
