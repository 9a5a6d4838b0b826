"""Demo data of the service-time commitments (限时办结): the other apps' demo writes its cases and histories
in bulk, without the engine, so here the open cases get their due dates from the day they entered their
step (as the data migrations gave the cases open when the limits began), the stays at each step are
derived from the histories (workflow.steps.rebuild), a few ratings the demo town sends back to their
organization show the paused clock of the town's review, the demo bank officer is its bank's head of credit and the
demo department officer a section head, and the nightly escalation runs once for the demo day."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db.models import Q
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
PAUSED_RATINGS = 3  # ratings sent back to their organization, shown with the town's clock paused
HEADS = ("bank", "orgstaff")  # demo accounts marked head of their unit


@register_step(name="workflow.clocks", label="限时办结")
def seed_clocks(ctx: SeedContext) -> None:
    for app_label, model, key in CASES:
        workflow = workflow_get(key)
        fill_due_dates(apps, app_label=app_label, model=model, key=key, waiting=tuple(workflow.waiting))
    _return_some_ratings(ctx)
    stays = sum(steps.rebuild(workflow_get(key)) for _app, _model, key in CASES)
    RoleAssignment.objects.filter(user__username__in=HEADS, role__in=("bank_officer", "org_staff")).update(
        is_head=True)
    escalate_overdue(today=timezone.localdate())
    ctx.count("环节办理记录", stays)
    ctx.count("超期督办", Escalation.objects.count())


def _return_some_ratings(ctx: SeedContext) -> None:
    """The demo town's officer sends a few ratings waiting on its review back to their organization
    through the real service, so that the town's clock is seen paused with the days it had left."""
    from django.contrib.auth import get_user_model

    from ratings.choices import RatingAction, RatingStatus
    from ratings.models import Rating
    from ratings.services import rating_transition

    officer = get_user_model().objects.filter(username="townstaff").first()
    town = RoleAssignment.objects.filter(user=officer, role="town_staff").values_list("region_id", flat=True).first()
    if officer is None or town is None:
        return
    waiting = (Rating.objects.filter(status=RatingStatus.TOWN, due_on__isnull=False)
               .filter(Q(organization__region_id=town) | Q(organization__region__parent_id=town))
               .order_by("-due_on", "pk")[:PAUSED_RATINGS])
    for rating in waiting:
        rating_transition(acting_user=officer, rating=rating, action=RatingAction.RETURN,
                          expected_version=rating.version, comment="请补充党员活动台账后重新提交。")
