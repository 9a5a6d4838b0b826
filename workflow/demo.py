"""Demo data of the service-time commitments (限时办结): the other apps' demo writes its cases and histories
in bulk, without the engine, so here the open cases get their due dates from the day they entered their
step (as the data migrations gave the cases open when the limits began), the stays at each step are
derived from the histories (workflow.steps.rebuild), the demo bank officer is its bank's head of credit
and the demo department officer a section head, and the nightly escalation runs once for the demo day."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.utils import timezone

from portal.demo import SeedContext, register_step
from portal.models import RoleAssignment

from . import steps
from .backfill import fill_due_dates
from .escalation import escalate_overdue
from .models import Escalation
from .registry import workflow_get

# The cases' own demo steps register first, in the order of INSTALLED_APPS, whoever imports this module
# first (a step runs in the order it was registered): the clocks are set on the cases they make.
for _module in ("ratings.demo", "finance.demo", "insurance.demo", "talent.demo", "liaison.demo", "reports.demo"):
    importlib.import_module(_module)

CASES = (  # (app label, model, workflow key)
    ("finance", "LoanApplication", "loan"),
    ("talent", "BenefitApplication", "benefit"),
    ("liaison", "Appeal", "appeal"),
    ("ratings", "Rating", "rating"),
)
HEADS = ("bank", "orgstaff")  # demo accounts marked head of their unit


@register_step(name="workflow.clocks", label="限时办结")
def seed_clocks(ctx: SeedContext) -> None:
    for app_label, model, key in CASES:
        workflow = workflow_get(key)
        fill_due_dates(apps, app_label=app_label, model=model, key=key, waiting=tuple(workflow.waiting))
    stays = sum(steps.rebuild(workflow_get(key)) for _app, _model, key in CASES)
    RoleAssignment.objects.filter(user__username__in=HEADS, role__in=("bank_officer", "org_staff")).update(
        is_head=True)
    escalate_overdue(today=timezone.localdate())
    ctx.count("环节办理记录", stays)
    ctx.count("超期督办", Escalation.objects.count())
