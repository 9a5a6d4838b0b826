"""The appeal's workflow, bound to its model (workflow.engine): staff hand a received appeal to a
department, the department works on it and resolves it, staff close it; whoever raised it may
withdraw it until it is handed on."""

from django.utils.translation import gettext_lazy as _

from workflow.engine import Workflow

from .choices_appeals import AppealStatus as S
from .models import Appeal, AppealEvent
from .rules import appeals as rules

APPEAL = Workflow(
    key="appeal", label=_("问题诉求"), graph=rules.GRAPH, model=Appeal, event_model=AppealEvent,
    event_parent="appeal", audit_prefix="appeal",
    stale=_("该诉求已被他人处理（现为「%(s)s」），请刷新后重试。"), note_max=500, system_name="系统",
    waiting={S.RECEIVED: _("组织部、镇街工作人员"), S.ASSIGNED: _("承办部门"), S.IN_PROGRESS: _("承办部门")},
)
