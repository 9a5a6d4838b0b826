"""Plumbing the talent pages share: a create/edit page for a record, and the enterprises a record
names, as far as the reader may see them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from portal.access import CHANGE
from portal.errors import DomainError
from portal.views.base import RoleRequiredMixin, apply_domain_error

from .. import selectors


class RecordFormView(RoleRequiredMixin, View):
    """Create (no pk) or edit a record: the form parses, `save()` calls the service, a refusal shows at
    its fields with status 400 and nothing written."""

    required_action = CHANGE
    form_class = None
    template_name = "talent/record_form.html"
    list_url_name = ""
    detail_url_name = ""
    list_label = ""
    new_label = ""

    def access(self, request, pk):  # the record, through its selector with the change right
        raise NotImplementedError

    def initial(self, instance) -> dict:
        return {}

    def form_kwargs(self, request, instance) -> dict:
        return {"user": request.user}

    def save(self, request, instance, form):
        raise NotImplementedError

    def get(self, request, pk=None):
        instance = self.access(request, pk) if pk else None
        form = self.form_class(initial=self.initial(instance) if instance else None,
                               **self.form_kwargs(request, instance))
        return self.render(request, form, instance)

    def post(self, request, pk=None):
        instance = self.access(request, pk) if pk else None
        form = self.form_class(request.POST, **self.form_kwargs(request, instance))
        if form.is_valid():
            try:
                saved = self.save(request, instance, form)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存：%(r)s") % {"r": saved})
                return redirect(self.detail_url_name, pk=saved.pk)
        return self.render(request, form, instance, status=400)

    def render(self, request, form, instance, status=200):
        return render(request, self.template_name, {
            "form": form, "instance": instance, "list_url_name": self.list_url_name,
            "list_label": self.list_label, "new_label": self.new_label,
        }, status=status)


def named_enterprises(request, record) -> dict:
    """The enterprises a programme record names that the reader may see, and how many it names."""
    visible = list(selectors.visible_enterprises(user=request.user, queryset=record.enterprises.all()))
    total = record.enterprises.count()
    return {"enterprises": visible, "enterprise_total": total, "enterprises_hidden": total - len(visible)}
