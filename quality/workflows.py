"""The follow-up's workflow (回访整改), bound to its model (workflow.engine): a low satisfaction score
opens it, the organization department takes it up and closes it with a written outcome.

Both open states wait on the department and run on one clock: the commitment is 10 working days
from the opening to the closing (the step limit "followup"/"open", set by the department like every
other), not a fresh limit when the work starts."""

from django.utils.translation import gettext_lazy as _

from workflow import limits
from workflow.engine import Workflow

from . import rules
from .choices import FollowUpStatus as S
from .models import FollowUp, FollowUpEvent

limits.SHARED_CLOCK.setdefault("followup", {S.IN_PROGRESS.value: S.OPEN.value})

FOLLOWUP = Workflow(
    key="followup", label=_("回访整改"), graph=rules.GRAPH, model=FollowUp, event_model=FollowUpEvent,
    event_parent="followup", audit_prefix="quality.followup", note_max=1000, system_name="系统",
    stale=_("该回访整改已被他人处理（现为“%(s)s”），请刷新后重试。"),
    waiting={S.OPEN: _("组织部"), S.IN_PROGRESS: _("组织部")},
)
