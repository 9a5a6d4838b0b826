"""The staff's reference pages of the workflows: the list, and one page per workflow with its
diagram, its states (on whom a case waits in each) and its steps (who may take each), all drawn from
the declaration (workflow.docs). Enterprise users do not see them: a page about other roles' work."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views import View

from portal.access import has_role
from portal.choices import Role
from portal.refusals import page_for_roles
from portal.views.base import RoleRequiredMixin

from . import docs
from .registry import all_workflows, declared_at, workflow_get

STAFF_ROLES = tuple(role for role in Role.values if role != Role.ENTERPRISE_USER)


def can_see_workflows(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, *STAFF_ROLES)


class WorkflowPageMixin(RoleRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_see_workflows(request.user):
            raise PermissionDenied(page_for_roles(request.user, STAFF_ROLES))
        return super().dispatch(request, *args, **kwargs)


class WorkflowListView(WorkflowPageMixin, View):
    def get(self, request):
        rows = [{"workflow": workflow, "initial": workflow.graph.status_label(workflow.graph.initial),
                 "final": [row.label for row in docs.state_rows(workflow) if row.kind == "final"],
                 "states": len(workflow.graph.states()), "steps": len(workflow.graph.transitions)}
                for workflow in all_workflows()]
        return render(request, "workflows/list.html", {"rows": rows})


class WorkflowDetailView(WorkflowPageMixin, View):
    def get(self, request, key):
        workflow = workflow_get(key)
        if workflow is None:
            raise Http404
        return render(request, "workflows/detail.html", {
            "workflow": workflow,
            # Drawn here from the declaration; every text in it is escaped by the drawing.
            "diagram": mark_safe(docs.diagram(workflow)),  # noqa: S308
            "states": docs.state_rows(workflow),
            "steps": docs.step_rows(workflow),
            "declared_at": declared_at(workflow),
        })
