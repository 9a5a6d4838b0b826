"""The talent benefit application's workflow, bound to its model (workflow.engine): the employer or
its station submits and may withdraw while it is pending, the organization department decides."""

from django.utils.translation import gettext_lazy as _

from workflow.engine import Workflow

from . import rules
from .choices import BenefitStatus as S
from .models import BenefitApplication, BenefitEvent

BENEFIT = Workflow(
    key="benefit", label=_("人才待遇申请"), graph=rules.GRAPH, model=BenefitApplication, event_model=BenefitEvent,
    event_parent="application", audit_prefix="talent.benefit",
    stale=_("该申请已被他人处理（现为“%(s)s”），请刷新后重试。"), note_max=300, system_name="系统",
    waiting={S.PENDING: _("组织部")},
)
